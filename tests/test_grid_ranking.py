"""Grid and ranking questions end to end: read from their columns, validated cell by cell,
tallied, published under disclosure control, charted and rendered (data contract: "Reading
what survey tools really export", two more question types)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.analysis import questions
from pipelines.charts import vegalite
from pipelines.ingest.answers import answer_options
from pipelines.prepare import ensure_prepared
from pipelines.report import answer_words, wording
from pipelines.report.plan import make_plan, open_report
from pipelines.report.protect import row_keys
from pipelines.report.runner import run_reports
from pipelines.report.tables import publish_tables
from pipelines.store.clean_data import load_clean
from pipelines.validate.run import validate_consultation
from tests.conftest import write_consultation

YML = """\
title: "Grids and rankings"
owner: "Test team"
opened: 2026-03-01
closed: 2026-05-31
series: grids
columns:
  response_id: "id"
  submitted_at: "date"
  region: "Region"
  group: "Group"
groups:
  service_user: "People who use services"
  unpaid_carer: "Family and unpaid carers"
questions:
  - id: views
    text: "How far do you agree?"
    type: grid
    items: {staff: "Views [Staff are kind]", meals: "Views [Meals are good]"}
    labels: {staff: "Staff are kind", meals: "Meals are good"}
    scale: ["Disagree", "Neutral", "Agree"]
  - id: priorities
    text: "Rank what matters most"
    type: ranking
    columns: {home: "Rank - Care at home", day: "Rank - Day centres", respite: "Rank - Respite"}
    labels: {home: "Care at home", day: "Day centres", respite: "Respite breaks"}
"""

HEADER = (
    "id,date,Region,Group,Views [Staff are kind],Views [Meals are good],"
    "Rank - Care at home,Rank - Day centres,Rank - Respite\n"
)
#: Six responses. Staff: Agree 3, Neutral 1, Disagree 1 (5 answered; row 6 blank).
#: Meals: Agree 2, Neutral 2, Disagree 1 (5 answered; row 4 blank).
#: Home ranked 1,2,1,1,3 (5, mean 8/5, 3 first); day 2,1,3,2,1 (5, mean 9/5, 2 first);
#: respite 3,3,2,2 (4, mean 10/4, none first); row 5 ranked nothing.
SIX = HEADER + (
    "1,2026-03-02,North West,service_user,Agree,Neutral,1,2,3\n"
    "2,2026-03-03,North West,service_user,agree,Disagree,2,1,3\n"
    "3,2026-03-04,North West,unpaid_carer,Neutral,Agree,1,3,2\n"
    "4,2026-03-05,North West,unpaid_carer,Disagree,,1,2,\n"
    "5,2026-03-06,North West,service_user,Agree,AGREE,,,\n"
    "6,2026-03-07,North West,unpaid_carer,,Neutral,3,1,2\n"
)


def _prepared(root: Path, responses: str = SIX, name: str = "grids"):
    write_consultation(root, name, responses=responses, yml=YML)
    summary = validate_consultation(name, root=root)
    return summary, load_clean(name, root)


@pytest.fixture(scope="module")
def six(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("grids")
    summary, data = _prepared(root)
    return root, summary, data


def test_answers_are_stored_per_item_and_per_option(six) -> None:
    _, summary, data = six
    assert summary.rows_valid == 6 and not summary.failures_by_rule
    answers = data.answers.collect().with_columns(pl.all().cast(pl.String))
    first = answers.filter(pl.col("response_id") == "1")
    assert sorted(zip(first["question_id"], first["option"], strict=True)) == [
        ("priorities.day", "2"),
        ("priorities.home", "1"),
        ("priorities.respite", "3"),
        ("views.meals", "neutral"),
        ("views.staff", "agree"),
    ]
    # a blank cell is no answer: 5 + 5 grid answers, 5 + 5 + 4 ranks
    assert answers.height == 24


def test_grid_table_by_hand(six) -> None:
    _, _, data = six
    frame = questions.grid(data, data.consultation.question("views"))
    assert frame.columns == ["item", "item_label", "option", "label", "count", "percent"]
    assert frame.select("item", "option", "count").rows() == [
        ("staff", "disagree", 1),
        ("staff", "neutral", 1),
        ("staff", "agree", 3),
        ("meals", "disagree", 1),
        ("meals", "neutral", 2),
        ("meals", "agree", 2),
    ]
    assert frame["percent"].to_list() == pytest.approx([20, 20, 60, 20, 40, 40])
    assert frame["item_label"].unique(maintain_order=True).to_list() == [
        "Staff are kind",
        "Meals are good",
    ]


def test_ranking_table_by_hand(six) -> None:
    _, _, data = six
    frame = questions.ranking(data, data.consultation.question("priorities"))
    assert frame.columns == ["option", "label", "ranked", "mean_rank", "pct_first"]
    assert frame.rows() == [
        ("home", "Care at home", 5, 1.6, 60.0),
        ("day", "Day centres", 5, 1.8, 40.0),
        ("respite", "Respite breaks", 4, 2.5, 0.0),
    ]


def test_the_suite_accepts_each_items_scale_and_each_options_ranks(six) -> None:
    _, _, data = six
    allowed = answer_options(data.consultation)
    assert "views.staff=agree" in allowed and "views.meals=disagree" in allowed
    assert "priorities.respite=3" in allowed and "priorities.respite=4" not in allowed
    assert "views=agree" not in allowed  # the grid's answers are its items'


INVALID = HEADER + (
    "1,2026-03-02,North West,service_user,Agree,Maybe,1,2,3\n"
    "2,2026-03-03,North West,service_user,Agree,Agree,4,1,x\n"
    "3,2026-03-04,North West,unpaid_carer,Neutral,Agree,1.5,2,0\n"
)


def test_invalid_cells_are_quarantined_alone(tmp_path: Path) -> None:
    summary, data = _prepared(tmp_path, INVALID)
    assert summary.rows_valid == 3  # answer-level: every response kept
    assert summary.failures_by_rule == {"answer_known": 5}
    quarantine = pl.read_parquet(tmp_path / "data/clean/grids/quarantine.parquet")
    assert sorted(quarantine["value"].to_list()) == ["0", "1.5", "4", "Maybe", "x"]
    assert set(quarantine["rule"]) == {"answer_known"}
    fields = dict(zip(quarantine["value"], quarantine["field"], strict=True))
    assert fields["Maybe"] == "views.meals" and fields["x"] == "priorities.respite"
    assert "from 1 to the number of options" in quarantine["message"][0]
    frame = questions.ranking(data, data.consultation.question("priorities"))
    assert frame.select("option", "ranked").rows() == [("home", 1), ("day", 3), ("respite", 1)]
    grid = questions.grid(data, data.consultation.question("views"))
    assert grid.filter(pl.col("item") == "meals")["count"].to_list() == [0, 0, 2]


def _published(root: Path, profile: str, min_cell: int, folder: Path):
    report = open_report("grids", "north-west", profile, min_cell, str(folder), root=root)
    return publish_tables(report)


def test_published_grid_and_ranking_under_restricted(six, tmp_path: Path) -> None:
    root, _, _ = six
    tables = _published(root, "restricted", 3, tmp_path)
    grid = tables["question_views"]
    # staff 1, 1, 3: the two 1s are [c], and together under min_cell, so the 3 goes too;
    # meals 1, 2, 2: every count is under 3
    assert grid.frame["count"].to_list() == [None] * 6
    assert grid.is_suppressed("percent").to_list() == [True] * 6
    assert grid.published()["count"].to_list() == ["[c]"] * 6
    ranking = tables["question_priorities"]
    assert ranking.frame["ranked"].to_list() == [5, 5, 4]  # all at least min_cell 3
    # pct_first falls where the people first (3, 2, 0) or the rest (2, 3, 4) are 1 or 2
    assert ranking.is_suppressed("pct_first").to_list() == [True, True, False]
    assert ranking.frame["pct_first"].to_list() == [None, None, 0.0]
    assert ranking.frame["mean_rank"].to_list() == pytest.approx([1.6, 1.8, 2.5])
    csv = (tmp_path / "question_priorities.csv").read_text(encoding="utf-8-sig")
    assert csv.splitlines()[0] == "option,label,ranked,mean_rank,pct_first"
    assert "home,Care at home,5,1.6,[c]" in csv


def test_small_ranked_counts_are_suppressed(six, tmp_path: Path) -> None:
    root, _, _ = six
    ranking = _published(root, "restricted", 5, tmp_path)["question_priorities"]
    # respite was ranked by 4 < 5: [c] with its mean rank and its share first
    assert ranking.frame.row(2) == ("respite", "Respite breaks", None, None, None)
    assert [ranking.is_suppressed(c)[2] for c in ("ranked", "mean_rank", "pct_first")] == [
        True,
        True,
        True,
    ]
    public = _published(root, "public", 3, tmp_path / "public")["question_priorities"]
    # public: 1-7 is [c] (every option here), counts otherwise rounded to 5
    assert public.frame["ranked"].to_list() == [None, None, None]
    assert public.published()["pct_first"].to_list() == ["[c]", "[c]", "[c]"]


def test_public_rounds_ranked_to_five_and_works_shares_from_rounded_values(tmp_path: Path) -> None:
    rows = [
        f"{i},2026-03-02,North West,service_user,Agree,Agree,{1 if i <= 9 else 2},"
        f"{2 if i <= 9 else 1},3\n"
        for i in range(1, 23)
    ]
    _prepared(tmp_path, HEADER + "".join(rows))
    tables = _published(tmp_path, "public", 10, tmp_path / "out")
    ranking = tables["question_priorities"]
    # home: 22 ranked (-> 20), 9 first (-> 10), 13 not first: 10 / 20 = 50%
    assert ranking.frame.row(0) == ("home", "Care at home", 20, pytest.approx(35 / 22), 50.0)
    # respite: 22 ranked, nobody first: 0%, and the rest (22) is not small
    assert ranking.frame.row(2)[2:] == (20, 3.0, 0.0)
    grid = tables["question_views"]
    assert grid.frame.filter(pl.col("item") == "staff")["count"].to_list() == [0, 0, 20]
    assert grid.frame.filter(pl.col("item") == "staff")["percent"].to_list() == [0.0, 0.0, 100.0]


def test_grid_chart_is_stacked_diverging_one_bar_per_item(six, tmp_path: Path) -> None:
    root, _, _ = six
    table = _published(root, "none", 3, tmp_path)["question_views"]
    frame = wording.shown_column(table, "percent", "percent", "count")
    title = answer_words.grid_title(table)
    assert title == "60% answered Agree to “Staff are kind”; 40% to “Meals are good”"
    spec = vegalite.diverging_grid(frame, title)
    bars = spec["layer"][0]
    assert bars["mark"]["type"] == "bar"
    assert bars["encoding"]["x2"] == {"field": "end"}  # stacked: each segment start to end
    assert bars["encoding"]["y"]["sort"] == ["Staff are kind", "Meals are good"]
    rows = spec["datasets"][bars["data"]["name"]]
    staff = [r for r in rows if r["item"] == "staff"]
    # centred on the middle point: Disagree and half of Neutral left of zero
    assert [r["start"] for r in staff] == pytest.approx([-30.0, -10.0, 10.0])
    assert [r["end"] for r in staff] == pytest.approx([-10.0, 10.0, 70.0])
    assert spec["layer"][2]["mark"]["type"] == "rule"  # the zero line
    alt = answer_words.grid_alt(title, frame)
    for value in ("Disagree 20% (1)", "Neutral 20% (1)", "Agree 60% (3)", "Agree 40% (2)"):
        assert value in alt
    assert alt.startswith("Stacked diverging bar chart")


def test_ranking_chart_shows_mean_rank_and_first_choices(six, tmp_path: Path) -> None:
    root, _, _ = six
    table = _published(root, "none", 3, tmp_path)["question_priorities"]
    frame = answer_words.ranking_shown(table)
    title = answer_words.ranking_title(table)
    assert (
        title
        == "“Care at home” was ranked highest (mean rank 1.6); 60% of those who ranked it put it first"
    )
    spec = vegalite.ranking_chart(frame, title)
    bars = spec["layer"][0]
    assert bars["encoding"]["x"]["field"] == "mean_rank"
    assert bars["encoding"]["y"]["sort"] == ["Care at home", "Day centres", "Respite breaks"]
    alt = wording.bars_alt(title, frame, "label")
    assert "Care at home: mean rank 1.6, 60% ranked it first (5)" in alt
    assert "Day centres: mean rank 1.8, 40% ranked it first (5)" in alt
    assert "Respite breaks: mean rank 2.5, 0% ranked it first (4)" in alt


#: 34 more responses, so that a report at min_cell 3 shows every figure.
MORE = "".join(
    f"{i},2026-03-{i % 20 + 2:02d},North West,{'service_user' if i % 2 else 'unpaid_carer'},"
    f"{['Agree', 'Neutral', 'Disagree', 'Agree'][i % 4]},"
    f"{['Agree', 'Agree', 'Neutral', 'Disagree', 'Neutral'][i % 5]},"
    f"{[1, 2, 1, 3][i % 4]},{[2, 1, 3, 1][i % 4]},{[3, 3, 2, 2][i % 4]}\n"
    for i in range(7, 41)
)


def test_a_region_report_shows_the_grid_and_the_ranking(tmp_path: Path) -> None:
    write_consultation(tmp_path, "grids", responses=SIX + MORE, yml=YML)
    result = run_reports(
        "grids", ["North West"], root=tmp_path, progress=False, jobs=1, min_cell=3,
        prepare=ensure_prepared,
    )  # fmt: skip
    assert not result.failed
    out = tmp_path / "reports" / "grids"
    html = (out / "north-west.html").read_text(encoding="utf-8")
    # the grid: a diverging chart whose text alternative gives every value, and its table
    # (the finding is the text above the image, so the alt text gives the values only)
    assert "54% answered Agree to “Staff are kind”; 38% to “Meals are good”" in html
    assert (
        'alt="Stacked diverging bar chart, one bar per item. Staff are kind: Disagree 23% (9), '
        "Neutral 23% (9), Agree 54% (21); Meals are good: Disagree 21% (8), Neutral 41% (16), "
        'Agree 38% (15)."'
    ) in html
    assert "Answers to each item of: How far do you agree?" in html
    # the ranking: mean rank and first choices, chart and table
    assert "Care at home: mean rank 1.7, 51% ranked it first (39)" in html
    assert "Respite breaks: mean rank 2.5, 0% ranked it first (38)" in html
    assert "Ranks given: Rank what matters most" in html
    tables = out / "north-west" / "tables"
    grid = pl.read_csv(tables / "question_views.csv", encoding="utf8-lossy")
    assert grid.columns == ["item", "item_label", "option", "label", "count", "percent"]
    assert grid["count"].to_list() == [9, 9, 21, 8, 16, 15]
    ranking = pl.read_csv(tables / "question_priorities.csv", encoding="utf8-lossy")
    assert ranking["ranked"].to_list() == [39, 39, 38]


def test_the_run_plan_links_each_grid_items_counts(six, caplog: pytest.LogCaptureFixture) -> None:
    root, _, data = six
    grid = questions.grid(data, data.consultation.question("views"))
    assert len(set(row_keys(grid))) == grid.height  # a row of the plan is one item's option
    with caplog.at_level("WARNING", logger="workbook.disclosure"):
        make_plan("grids", "restricted", 3, root=root)
    assert not [r for r in caplog.records if "question_views" in r.getMessage()]
