"""The run's pages for readers beside the reports: the landing index, each report's Easy Read
summary, "About these statistics" and (``--pdf``) each report as an A4 PDF."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from pipelines.consultation import Consultation
from pipelines.paths import ROOT
from pipelines.report import easy_read as er
from pipelines.report.html import govuk_date
from pipelines.report.index import Publication, write_index
from pipelines.report.outcomes import ReportOutcome
from pipelines.report.reader_pages import reader_banner
from pipelines.settings import Settings

WORKBOOK = str(Path(sys.executable).with_name("workbook"))


def consultation(**details: str) -> Consultation:
    return Consultation.model_validate(
        {
            "title": "Care at home",
            "opened": "2026-03-01",
            "closed": "2026-05-31",
            "columns": {"region": "Region", "group": "Group"},
            "questions": [
                {
                    "id": "q1",
                    "text": "Do you get care?",
                    "type": "single",
                    "column": "Q1",
                    "options": ["yes", "no", "past"],
                },
                {"id": "q2", "text": "What matters?", "type": "free_text", "column": "Q2"},
                {
                    "id": "q3",
                    "text": "What would help?",
                    "type": "multi",
                    "column": "Q3",
                    "options": ["a", "b", "c"],
                },
            ],  # fmt: skip
            **details,
        }
    )


def table(**columns: list) -> pl.DataFrame:
    """A published table as its CSV is read back: every cell text, [c] where hidden."""
    return pl.DataFrame(
        {k: [None if v is None else str(v) for v in vs] for k, vs in columns.items()}
    )


# ---- numbers and shares in words --------------------------------------------------------


def test_numbers_are_rounded_as_people_say_them() -> None:
    assert er.number_in_words(12) == "twelve"
    assert er.number_in_words(40) == "forty"
    assert er.number_in_words(43) == "about forty"
    assert er.number_in_words(794) == "about eight hundred"
    assert er.number_in_words(135) == "about one hundred and forty"
    assert er.number_in_words(5979) == "about six thousand"
    assert er.number_in_words(12_345) == "about twelve thousand"
    assert er.number_in_words(800, estimate=True) == "about eight hundred"
    with pytest.raises(ValueError):
        er.number_in_words(-1)


def test_shares_are_plain_fractions() -> None:
    assert er.share_in_words(25) == "about 1 in 4"
    assert er.share_in_words(33.5) == "about 1 in 3"
    assert er.share_in_words(50) == "about half"
    assert er.share_in_words(71) == "about 7 in 10"
    assert er.share_in_words(98) == "almost everyone"
    assert er.share_in_words(1) == "fewer than 1 in 20"
    assert er.share_in_words(0) == "nobody"
    assert er.of_people("about half") == "about half of the people"


# ---- what people said most, from three-row tables ----------------------------------------


def rows(counts: list, percents: list) -> list[er.Row]:
    frame = table(label=["Yes", "No", "Not sure"], count=counts, percent=percents)
    return er.table_rows(frame, "label", "count", "percent")


def test_most_only_above_half_otherwise_the_answer_chosen_most() -> None:
    assert er.answer_lines(rows([60, 30, 10], [60, 30, 10])) == [
        "Most people chose “Yes”.",
        "That is about 3 in 5 people.",
    ]
    assert er.answer_lines(rows([50, 30, 20], [50, 30, 20]))[0] == (
        "The answer chosen most was “Yes”."
    )


def test_ties_are_named() -> None:
    lines = er.answer_lines(rows([40, 40, 20], [40, 40, 20]))
    assert lines[0] == "The same number of people chose “Yes” and “No”."


def test_no_leader_is_claimed_where_hidden_rows_could_be_larger() -> None:
    # the hidden row's share is 100 - 35 - 30 = 35: it could be as large as "Yes"
    assert er.answer_lines(rows([35, 30, "[c]"], [35, 30, "[c]"])) == []
    # 100 - 80 - 15 = 5: "Yes" leads whatever the hidden row holds
    assert er.answer_lines(rows([80, 15, "[c]"], [80, 15, "[c]"]))[0] == "Most people chose “Yes”."
    # tick-all-that-apply shares do not add up: any hidden row leaves the leader unknown
    assert er.answer_lines(rows([80, 15, "[c]"], [80, 15, "[c]"]), shares_add_up=False) == []
    assert er.answer_lines(rows(["[c]", "[c]", "[c]"], ["[c]", "[c]", "[c]"])) == []


def test_who_took_part_never_reads_a_hidden_count() -> None:
    groups = er.table_rows(
        table(label=["Carers", "Staff", "Others"], responses=[600, 194, "[c]"],
              percent=[75.0, 24.25, "[c]"]),
        "label", "responses", "percent",
    )  # fmt: skip
    assert er.took_part_lines(groups) == [
        "About eight hundred people answered the survey.",
        "The biggest group was carers.",
        "That is about 3 in 4 people.",
    ]
    assert er.total_from(er.table_rows(table(label=["A"], n=[0], p=[0]), "label", "n", "p")) == 0


def test_themes_are_the_shown_ones_largest_first() -> None:
    themes = er.table_rows(
        table(theme=["Time", "Kindness", "Cost", "Rare"], count=[30, 45, 12, "[c]"],
              pct=[30, 45, 12, "[c]"]),
        "theme", "count", "pct",
    )  # fmt: skip
    assert er.theme_lines(themes) == ["Kindness", "Time", "Cost"]


def test_the_easy_read_body_from_published_tables() -> None:
    meta = consultation(
        purpose="We asked what matters. It shapes the new service.",
        next_steps="We will decide in June. We will write to you.",
        contact="Engagement team, 0300 000 0000",
    )
    tables = {
        "participation_by_group": table(
            group=["a", "b", "c"], label=["Carers", "Staff", "Others"],
            responses=[600, 194, "[c]"], percent=[75.0, 24.25, "[c]"],
        ),
        "question_q1": table(option=["yes", "no", "past"], label=["Yes", "No", "In the past"],
                             count=[9, 500, 291], percent=[1.1, 62.5, 36.4]),
        "themes_q2": table(theme=["Time", "Kindness", "Secret"], count=[30, 45, "[c]"],
                           pct_respondents=[30, 45, "[c]"], pct_mentions=[40, 60, "[c]"]),
        "question_q3": table(option=["a", "b", "c"], label=["Longer visits", "Same carers", "X"],
                             count=[120, 300, "[c]"], pct_respondents=[15, 37.5, "[c]"],
                             pct_mentions=[20, 50, "[c]"]),
        "actions_by_status": table(status=["done", "in_progress"], actions=[1, 4], percent=[20, 80]),
    }  # fmt: skip
    body = er.easy_read_body(meta, "North West", tables, "1 July 2026", "north-west.html")
    assert "What people in North West told us." in body
    assert "<p>We asked what matters.</p>" in body and "<p>It shapes the new service.</p>" in body
    assert "About eight hundred people answered the survey." in body
    assert "Most people chose “No”." in body and "That is about 3 in 5 people." in body
    assert "<li>Kindness</li><li>Time</li>" in body and "Secret" not in body
    assert "Same carers" not in body  # a hidden option of a tick-all question: no leader
    assert "<p>We will decide in June.</p>" in body and "<p>We will write to you.</p>" in body
    assert "We have done one thing you asked for." in body
    assert "We are working on four more." in body
    assert "Engagement team, 0300 000 0000" in body
    assert "[c]" not in body and "600" not in body and "36.4" not in body  # numbers in words
    assert 'href="north-west.html"' in body and 'href="index.html"' in body


# ---- the index as a landing page ----------------------------------------------------------


def outcome(slug: str, region: str, status: str = "ok", profile: str = "restricted"):
    return ReportOutcome(slug, region, status, 1.0, "", profile, 10, "r1")


def test_the_index_lists_every_report_with_its_easy_read_and_no_failed_page(
    tmp_path: Path,
) -> None:
    outcomes = [
        outcome("overview", ""),
        outcome("north-west", "North West"),
        outcome("london", "London", status="failed"),
    ]
    for o in outcomes:  # the failed region's page and Easy Read are an earlier run's
        (tmp_path / f"{o.slug}.html").write_text("page", encoding="utf-8")
        (tmp_path / f"{o.slug}-easy-read.html").write_text("easy", encoding="utf-8")
    (tmp_path / "about.html").write_text("about", encoding="utf-8")
    details = Publication("Care at home", "1 July 2026", "Why we asked.", "Team, 0300")
    path = write_index(
        tmp_path, "c", "Care at home", outcomes, Settings(), "r2", datetime.now(UTC), details
    )
    page = path.read_text(encoding="utf-8")
    for slug in ("overview", "north-west"):
        assert f'href="{slug}.html"' in page and f'href="{slug}-easy-read.html"' in page
    assert "London: not available" in page
    assert 'href="london.html"' not in page and 'href="london-easy-read.html"' not in page
    assert "Published 1 July 2026" in page and "Why we asked." in page and "Team, 0300" in page
    assert 'href="about.html"' in page
    assert "Failed" not in page and "r2" not in page  # run status is the manifest's
    assert "Not for publication" in page.split("<main")[0]


def test_banners_by_profile_and_govuk_dates(tmp_path: Path) -> None:
    assert reader_banner({"restricted"}).startswith("Not for publication")
    assert reader_banner({"public"}) == ""
    assert reader_banner({"public", "none"}).startswith("Not for circulation")
    assert govuk_date(date(2026, 7, 1)) == "1 July 2026"
    (tmp_path / "a.html").write_text("page", encoding="utf-8")
    public = [outcome("a", "A", profile="public")]
    page = write_index(
        tmp_path, "c", "T", public, Settings(disclosure="public"), "r", datetime.now(UTC)
    ).read_text(encoding="utf-8")
    assert 'class="banner"' not in page


# ---- a run with --pdf -----------------------------------------------------------------


@pytest.mark.slow
def test_report_with_pdf_writes_a4_pdfs_easy_read_and_about(tmp_path: Path) -> None:
    """One small one-region consultation through the command: each report gets an A4 PDF
    and an Easy Read page (marked not for publication under restricted), about.html is
    written, the index links them, the manifest records them."""
    from pypdf import PdfReader

    from pipelines.sample import write_sample

    regions = pl.DataFrame({"region": ["North West"] * 2, "locality": ["Cumbria", "Lancashire"]})
    (tmp_path / "data" / "reference").mkdir(parents=True)
    regions.write_csv(tmp_path / "data" / "reference" / "regions.csv")
    shutil.copy(ROOT / "data" / "reference" / "population.csv", tmp_path / "data" / "reference")
    write_sample(tmp_path / "data" / "raw" / "p", responses=300, seed=3, regions=regions)
    env = {**os.environ, "WORKBOOK_ROOT": str(tmp_path)}
    run = subprocess.run(
        [WORKBOOK, "report", "p", "--pdf", "--jobs", "1", "--no-progress"],
        capture_output=True, text=True, env=env, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    out = tmp_path / "reports" / "p"
    pdf = PdfReader(out / "north-west.pdf")
    box = pdf.pages[0].mediabox
    assert (round(float(box.width) * 25.4 / 72), round(float(box.height) * 25.4 / 72)) == (210, 297)
    assert len(pdf.pages) > 1 and (out / "overview.pdf").is_file()
    easy = (out / "north-west-easy-read.html").read_text(encoding="utf-8")
    assert "Not for publication" in easy.split("<main")[0]
    assert "<script" not in easy and "default-src 'none'" in easy and "[c]" not in easy
    assert "people answered the survey." in easy
    assert "About these statistics" in (out / "about.html").read_text(encoding="utf-8")
    index = (out / "index.html").read_text(encoding="utf-8")
    assert 'href="north-west-easy-read.html"' in index and 'href="about.html"' in index
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = {r["file"]: (r["easy_read"], r["pdf"]) for r in manifest["reports"]}
    assert files["north-west.html"] == ("north-west-easy-read.html", "north-west.pdf")
    assert manifest["about"] == "about.html"
    assert not [p for p in out.rglob(".*")], "hidden or partial files left in the reports"
