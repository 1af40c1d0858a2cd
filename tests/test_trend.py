"""Waves as a trend (#19, Must 3): every earlier wave of a series, in order; the table of
responses by group in each wave (``responses_by_wave``) with the disclosure of each wave's
own reports carried into it; the chart's finding true of the published counts; none with
two waves."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

import polars as pl
import pytest
from conftest import CONSULTATION_YML, ROOT, write_consultation

from pipelines.analysis import participation as part
from pipelines.charts import trend
from pipelines.charts.render import chart_svg, narrow
from pipelines.disclosure import SUPPRESSED
from pipelines.prepare import prepare_consultation
from pipelines.report import plan as run_plan
from pipelines.report import wave_words
from pipelines.report.plan import open_report
from pipelines.report.protect import RunPlan, row_keys
from pipelines.report.sections import participation as section
from pipelines.report.tables import earlier_hidden, publish_tables
from pipelines.sample import write_sample
from pipelines.settings import load_settings
from pipelines.store import stale_waves
from pipelines.waves import earlier_waves, previous_wave

DEMO, BEFORE, FIRST = (
    "demo-care-at-home-2026",
    "demo-care-at-home-2025",
    "demo-care-at-home-2024",
)
TABLE = "responses_by_wave"


@pytest.fixture(scope="module")
def three_waves(demo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The validated demo: three waves (2024, 2025, 2026), copied."""
    root = tmp_path_factory.mktemp("three-waves")
    shutil.copytree(demo_root / "data", root / "data")
    return root


@pytest.fixture(scope="module")
def two_waves(demo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The validated demo without its earliest wave: 2025 and 2026 only."""
    root = tmp_path_factory.mktemp("two-waves")
    shutil.copytree(demo_root / "data", root / "data")
    for stage in ("raw", "clean"):
        shutil.rmtree(root / "data" / stage / FIRST)
    return root


# ---- the waves of a series ----------------------------------------------------------------


def test_earlier_waves_in_order_and_an_unreadable_yml_skipped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_consultation(tmp_path)  # series: tiny, opened 2026-03-01
    for name, year in (("tiny-c", 2025), ("tiny-a", 2023), ("tiny-b", 2024)):
        yml = CONSULTATION_YML.replace("opened: 2026-03-01", f"opened: {year}-03-01")
        write_consultation(tmp_path, name, yml=yml)
    later = CONSULTATION_YML.replace("opened: 2026-03-01", "opened: 2027-03-01")
    write_consultation(tmp_path, "tiny-later", yml=later)
    other = CONSULTATION_YML.replace("series: tiny", "series: another")
    write_consultation(tmp_path, "another", yml=other.replace("2026-03-01", "2020-03-01"))
    broken = tmp_path / "data" / "raw" / "aaa-broken"
    broken.mkdir()
    (broken / "consultation.yml").write_bytes(b"series: [tiny\n\xe9")
    with caplog.at_level(logging.WARNING, logger="pipelines.waves"):
        assert earlier_waves("tiny", tmp_path) == ["tiny-a", "tiny-b", "tiny-c"]
        assert previous_wave("tiny", tmp_path) == "tiny-c"
    assert "aaa-broken" in caplog.text
    assert earlier_waves("tiny-a", tmp_path) == []


def test_every_wave_the_report_reads_must_be_prepared(three_waves: Path, tmp_path: Path) -> None:
    root = tmp_path / "root"
    shutil.copytree(three_waves / "data", root / "data")
    settings = load_settings()
    assert stale_waves(DEMO, root, settings) == []
    shutil.rmtree(root / "data" / "clean" / FIRST)
    assert stale_waves(DEMO, root, settings) == [FIRST]


def test_the_plan_is_made_again_when_the_earliest_wave_changes(three_waves: Path) -> None:
    before = run_plan.fingerprint(DEMO, earlier_waves(DEMO, three_waves), three_waves)
    ledger = three_waves / "data" / "clean" / FIRST / "validation.json"
    kept = ledger.read_bytes()
    try:
        ledger.write_bytes(kept + b" ")
        after = run_plan.fingerprint(DEMO, earlier_waves(DEMO, three_waves), three_waves)
    finally:
        ledger.write_bytes(kept)
    assert after != before


# ---- the table ----------------------------------------------------------------------------


def test_the_table_has_a_row_per_wave_and_group_adding_up_to_each_wave(three_waves: Path):
    report = open_report(DEMO, "", "none", 10, str(three_waves / "t"), root=three_waves)
    assert [w.data.consultation.id for w in report.earlier] == [FIRST, BEFORE]
    table = publish_tables(report)[TABLE].frame
    groups = list(report.data.consultation.groups)
    assert table.columns == ["wave", "opened", "group", "label", "responses"]
    assert table["wave"].to_list() == [w for w in (FIRST, BEFORE, DEMO) for _ in groups]
    assert table["group"].to_list() == groups * 3  # the consultation's order, never by count
    assert table["opened"].unique(maintain_order=True).to_list() == [
        dt.date(2024, 3, 1),
        dt.date(2025, 3, 1),
        dt.date(2026, 3, 1),
    ]
    for wave in (*report.earlier, None):
        data = report.data if wave is None else wave.data
        name = data.consultation.id
        assert table.filter(pl.col("wave") == name)["responses"].sum() == part.total_responses(data)


@pytest.mark.parametrize("profile", ["restricted", "public"])
def test_each_wave_s_rows_hide_what_that_wave_s_own_report_hid(
    three_waves: Path, tmp_path: Path, profile: str
) -> None:
    """Every area of the run: an earlier wave's row is [c] wherever that wave's own report
    (made with its own plan) showed [c], and shows the same figure where it shows one;
    this wave's rows likewise against its own group table."""
    regions = ["", "North East", "London", "South West"]
    checked = 0
    for region in regions:
        now = publish_tables(
            open_report(DEMO, region, profile, 10, str(tmp_path / "a"), root=three_waves)
        )
        trend_rows = now[TABLE].published()
        for wave in (FIRST, BEFORE, DEMO):
            own = (
                now
                if wave == DEMO
                else publish_tables(
                    open_report(wave, region, profile, 10, str(tmp_path / wave), root=three_waves)
                )
            )
            source = own["participation_by_group"].published()
            shown = dict(zip(source["group"], source["responses"], strict=True))
            rows = trend_rows.filter(pl.col("wave") == wave)
            for group, value in zip(rows["group"], rows["responses"], strict=True):
                assert value in (shown[group], SUPPRESSED), (region, wave, group)
                checked += shown[group] == SUPPRESSED
    assert checked, "the demo hides some group in some wave"


def test_a_count_an_earlier_wave_s_plan_hid_stays_hidden(three_waves: Path, tmp_path: Path):
    """A large count that the 2024 wave's plan hid (a complement chosen across its
    reports) is [c] in the trend, though on its own it would be shown."""
    report = open_report(DEMO, "North West", "restricted", 10, str(tmp_path), root=three_waves)
    first = report.earlier[0]
    table = part.participation_by_group(first.data)
    largest = table.row(0, named=True)
    assert largest["responses"] >= 10
    key = row_keys(table.head(1))[0]
    hides = RunPlan("restricted", 10, hidden={"North West": {"participation_by_group": [key]}})
    report.earlier = (type(first)(first.name, first.opened, first.data, hides), report.earlier[1])
    assert largest["group"] in earlier_hidden(report, report.earlier[0])
    rows = publish_tables(report)[TABLE]
    hidden = {
        (w, g)
        for w, g, h in zip(
            rows.frame["wave"], rows.frame["group"], rows.is_suppressed("responses"), strict=True
        )
        if h
    }
    assert (FIRST, largest["group"]) in hidden
    # and a single [c] in its wave is never left to be worked back from the wave's total
    assert len([h for h in hidden if h[0] == FIRST]) >= 2


@pytest.fixture(scope="module")
def small_first_wave(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three waves over two regions; the first so small that each region's groups are all
    under ``min_cell``."""
    root = tmp_path_factory.mktemp("small-first")
    regions = pl.DataFrame(
        {"region": ["North", "North", "South", "South"], "locality": ["A", "B", "C", "D"]}
    )
    (root / "data" / "reference").mkdir(parents=True)
    regions.write_csv(root / "data" / "reference" / "regions.csv")
    shutil.copy(ROOT / "data" / "reference" / "population.csv", root / "data" / "reference")
    for name, responses, year in (
        ("s-2024", 40, 2024),
        ("s-2025", 400, 2025),
        ("s-2026", 400, 2026),
    ):
        write_sample(
            root / "data" / "raw" / name, responses=responses, seed=year, year=year, regions=regions
        )
        prepare_consultation(name, root=root)
    return root


def test_a_region_under_min_cell_in_an_earlier_wave_is_all_c(
    small_first_wave: Path, tmp_path: Path
):
    report = open_report("s-2026", "North", "restricted", 10, str(tmp_path), root=small_first_wave)
    first = part.participation_by_group(report.earlier[0].data)
    assert first["responses"].sum() > 0 and first["responses"].max() < 10
    table = publish_tables(report)[TABLE]
    rows = table.published().filter(pl.col("wave") == "s-2024")
    assert set(rows["responses"]) <= {"0", SUPPRESSED}
    assert (rows["responses"] == SUPPRESSED).sum() == (first["responses"] > 0).sum()
    html = section.render(report, publish_tables(report))
    assert "A count shown as [c] has no point" in html


# ---- no trend with two waves --------------------------------------------------------------


def test_two_waves_keep_the_change_and_draw_no_trend(two_waves: Path, tmp_path: Path) -> None:
    assert earlier_waves(DEMO, two_waves) == [BEFORE]
    report = open_report(DEMO, "North West", "restricted", 10, str(tmp_path), root=two_waves)
    tables = publish_tables(report)
    assert TABLE not in tables and "change_by_group" in tables
    html = section.render(report, tables)
    assert (
        "Change since the previous wave" in html and "Responses by group in each wave" not in html
    )


def test_three_waves_draw_the_trend_with_its_table_one_click_away(three_waves: Path, tmp_path):
    report = open_report(DEMO, "North East", "restricted", 10, str(tmp_path), root=three_waves)
    html = section.render(report, publish_tables(report))
    assert "<summary>Table: Responses by group in each wave</summary>" in html
    assert 'class="chart-phone"' in html  # drawn again for a phone, as every chart
    assert "<summary>Table: Responses by group, this wave and the previous one</summary>" in html


# ---- the chart ----------------------------------------------------------------------------


def frame(counts: dict[str, list[int | None]], waves=("2024", "2025", "2026")) -> pl.DataFrame:
    """A published trend frame: ``when, label, responses, shown`` (None: ``[c]``)."""
    rows = [
        (w, label, v, SUPPRESSED if v is None else str(v))
        for label, values in counts.items()
        for w, v in zip(waves, values, strict=True)
    ]
    return pl.DataFrame(
        rows, schema=["when", "label", "responses", "shown"], orient="row"
    ).with_columns(pl.col("responses").cast(pl.Int64))


WAVES = ["2024", "2025", "2026"]


def test_a_hidden_point_is_left_out_and_breaks_its_line() -> None:
    data = frame({"Carers": [20, None, 40], "Staff": [30, 31, 32]})
    spec = trend.trend_chart(data, "when", "label", "responses", "shown", "T", "Responses", WAVES)
    (rows,) = spec["datasets"].values()
    assert [(r["label"], r["when"]) for r in rows if r["label"] == "Carers"] == [
        ("Carers", "2024"),
        ("Carers", "2026"),
    ]
    carers = {r["segment"] for r in rows if r["label"] == "Carers"}
    staff = {r["segment"] for r in rows if r["label"] == "Staff"}
    assert len(carers) == 2 and len(staff) == 1  # no line drawn across the [c]
    assert spec["layer"][0]["encoding"]["detail"]["field"] == "segment"
    assert chart_svg(narrow(spec)).startswith("<svg")


@pytest.mark.parametrize(
    ("counts", "title"),
    [
        (
            {"Carers": [10, 20, 30], "Staff": [30, 30, 30]},
            "Carers gave more responses in each wave since 2024",
        ),
        (
            {"Carers": [30, 20, 10], "Staff": [10, 30, 20]},
            "Carers gave fewer responses in each wave since 2024",
        ),
        (
            {"Carers": [10, 20, 30], "Staff": [30, 20, 10]},
            "Carers gave more responses in each wave since 2024, Staff fewer",
        ),
        (
            {"Carers": [10, 20, 20], "Staff": [20, 20, 10]},
            "Responses by stakeholder group, 2024 to 2026",
        ),
        (
            {"Carers": [10, 30, 20], "Staff": [10, 5, 20]},
            "Responses by stakeholder group, 2024 to 2026",
        ),
        (
            {"Carers": [10, None, 30], "Staff": [0, 0, 0]},
            "Responses by stakeholder group, 2024 to 2026",
        ),
        (
            {"A": [1, 2, 3], "B": [1, 2, 3], "C": [1, 2, 3], "D": [1, 2, 3], "E": [3, 2, 1]},
            "4 stakeholder groups gave more responses in each wave since 2024, E fewer",
        ),
    ],
    ids=["rising", "falling", "both", "ties", "mixed", "hidden", "many"],
)
def test_the_trend_s_finding_is_true_of_the_published_counts(counts, title: str) -> None:
    assert wave_words.trend_title(frame(counts), WAVES) == title


def test_a_group_missing_from_a_wave_is_never_said_to_rise() -> None:
    data = frame({"Carers": [10, 20, 30]}).filter(pl.col("when") != "2024")
    assert wave_words.trend_title(data, WAVES) == "Responses by stakeholder group, 2024 to 2026"


def test_waves_are_named_by_year_month_or_date_as_they_differ() -> None:
    years = [dt.date(2024, 3, 1), dt.date(2025, 3, 1)]
    assert list(wave_words.wave_dates(years).values()) == ["2024", "2025"]
    months = [dt.date(2025, 3, 1), dt.date(2025, 9, 1)]
    assert list(wave_words.wave_dates(months).values()) == ["March 2025", "September 2025"]
    days = [dt.date(2025, 3, 1), dt.date(2025, 3, 20)]
    assert list(wave_words.wave_dates(days).values()) == ["1 March 2025", "20 March 2025"]


def test_the_alt_text_gives_every_value() -> None:
    data = frame({"Carers": [10, None, 30]})
    alt = wave_words.trend_alt("T", data, WAVES)
    assert "Carers: 2024 10, 2025 [c], 2026 30" in alt
