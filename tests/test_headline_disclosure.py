"""A region too small to show cannot be worked back from the headlines of the run's pages.

Found by a red-team run: with one region under ``min_cell`` responses, the overview's
headline total minus the other regions' headline totals (each on its own page) gave the
small region's count, because a headline was a single count outside the run's disclosure
plan. The headline counts are now cells of the plan (:mod:`pipelines.report.headline_counts`).

The reader here knows every headline and every shown row of each page's one-way tables of
responses; a region's total is known to them when its headline is shown, when every row of
one of its tables is shown, or when a shown row gives it through its percentage.
"""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from pipelines.paths import ROOT
from pipelines.prepare import prepare_consultation
from pipelines.report.headline_counts import headline_counts
from pipelines.report.plan import make_plan, open_report
from pipelines.report.tables import publish_tables

#: North West and London are big enough to show; South East (7) is not. Nobody gives a
#: locality, so every region's locality table is one "Not given" row and zeros.
REGIONS = {"North West": 31, "South East": 7, "London": 12}
GROUPS = ["service_user", "unpaid_carer", "public"]
TOTALS = ("participation_by_group", "participation_by_locality", "participation_by_channel")


@pytest.fixture(scope="module")
def small_region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("small-region")
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    folder = root / "data" / "raw" / "small"
    folder.mkdir(parents=True)
    rows = [
        f"{region},{GROUPS[i % len(GROUPS)]},online"
        for region, n in REGIONS.items()
        for i in range(n)
    ]
    (folder / "responses.csv").write_text("Region,Group,Channel\n" + "\n".join(rows) + "\n")
    (folder / "consultation.yml").write_text(
        textwrap.dedent(
            """\
            title: Small
            opened: 2026-03-03
            closed: 2026-04-09
            columns: {region: Region, group: Group, channel: Channel}
            """
        )
    )
    prepare_consultation("small", root=root)
    return root


def known_total(tables, headline: int | None) -> int | None:
    """A page's total responses as its reader can work it out (None: they cannot)."""
    if headline is not None:
        return headline
    for table_id in TOTALS:
        table = tables.get(table_id)
        if table is None:
            continue
        hidden = table.is_suppressed("responses").to_list()
        counts = table.frame["responses"].to_list()
        if not any(hidden):
            return sum(counts)
        for count, percent, is_hidden in zip(counts, table.frame["percent"], hidden, strict=True):
            if not is_hidden and count and percent:
                return round(count * 100 / percent)
    return None


@pytest.mark.parametrize("profile", ["restricted", "public"])
def test_no_region_is_the_overview_minus_the_others(
    small_region: Path, tmp_path: Path, profile: str
) -> None:
    make_plan("small", profile, 10, root=small_region)
    known = {}
    for area in ["", *REGIONS]:
        report = open_report("small", area, profile, 10, str(tmp_path / (area or "overview")),
                             root=small_region)  # fmt: skip
        tables = publish_tables(report)
        known[area] = known_total(tables, headline_counts(report).responses)
    assert known["South East"] is None  # its own page never shows 7
    if profile == "restricted":  # exact counts: the overview's total is known
        assert known[""] == sum(REGIONS.values())
        unknown = [r for r in REGIONS if known[r] is None]
        assert len(unknown) >= 2, f"{unknown[0]} = overview minus the others: {known}"


def test_a_big_region_whose_headline_is_the_complement_shows_it_nowhere(
    small_region: Path, tmp_path: Path
) -> None:
    make_plan("small", "restricted", 10, root=small_region)
    hidden = []
    for region in REGIONS:
        report = open_report("small", region, "restricted", 10, str(tmp_path / region),
                             root=small_region)  # fmt: skip
        tables = publish_tables(report)
        if headline_counts(report).responses is None:
            hidden.append(region)
            assert known_total(tables, None) is None, f"{region}'s tables give its total"
    assert "South East" in hidden and len(hidden) >= 2


def test_the_previous_waves_hidden_headline_stays_hidden_in_the_change() -> None:
    import polars as pl

    from pipelines.disclosure import TableSpec
    from pipelines.report import protect
    from pipelines.report.protect import Recorded, RunPlan

    prior = RunPlan("restricted", 10, hidden={"London": {"headline_responses": ["#0"]}})
    frame = pl.DataFrame({"previous": [40]})
    record = Recorded("London", "headline_previous", frame, TableSpec("previous", lines=()),
                      (False,))  # fmt: skip
    masks = protect.protect_run([record], "restricted", 10, prior)
    assert masks[0] == [True]  # 40 is no small count, but that wave's own pages hid it
