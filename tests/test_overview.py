"""The overview's regions side by side, worked out in one pass, equals region by region."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.analysis import regions, representation
from pipelines.disclosure import control_count
from pipelines.fields import MONITORING_FIELDS
from pipelines.labels import category_subject
from pipelines.report.facts import gather_facts
from pipelines.report.plan import open_report
from pipelines.report.sections import (
    actions,
    events,
    headline,
    overview,
    participation,
    questions,
)
from pipelines.report.sections import representation as who_is_missing
from pipelines.report.tables import publish_tables
from pipelines.store.clean_data import CleanData, for_area, load_clean


@pytest.fixture(scope="module")
def whole(demo_root: Path) -> CleanData:
    return for_area(load_clean("demo-care-at-home-2026", demo_root))


def _region_by_region(whole: CleanData) -> pl.DataFrame:
    """Each region's figures from its own narrowed data (how the overview first did it)."""
    rows = []
    for region in whole.regions["region"].unique(maintain_order=True).to_list():
        area = for_area(whole, region=region)
        attendees = area.attendance.select(pl.col("attendees").sum()).collect().item()
        done = area.actions.filter(pl.col("status").cast(pl.String) == "done")
        rows.append(
            {
                "region": region,
                "responses": area.responses.select(pl.len()).collect().item(),
                "groups": area.responses.select(pl.col("group").n_unique()).collect().item(),
                "attendees": int(attendees or 0),
                "actions_done": done.select(pl.len()).collect().item(),
            }
        )
    counts = dict.fromkeys(["responses", "groups", "attendees", "actions_done"], pl.Int64)
    return pl.DataFrame(rows, schema={"region": pl.String, **counts})


def test_region_figures_in_one_pass_equal_region_by_region(whole: CleanData) -> None:
    figures = regions.region_figures(whole)
    assert figures.height == 9 and figures["responses"].sum() > 0
    assert_frame_equal(figures, _region_by_region(whole))


def test_under_represented_in_one_pass_equal_region_by_region(whole: CleanData) -> None:
    expected = []
    for region in whole.regions["region"].unique(maintain_order=True).to_list():
        area = for_area(whole, region=region)
        for dimension in MONITORING_FIELDS:
            if representation.has_population(area, dimension):
                flagged = representation.representation(area, dimension).filter(
                    pl.col("flag") == "under"
                )
                expected += [
                    (region, dimension, r["category"], r["ratio"], r["respondents"])
                    for r in flagged.iter_rows(named=True)
                ]
    found = regions.under_represented_by_region(whole).rows()
    assert expected and sorted(found) == sorted(expected)


@pytest.mark.parametrize("profile", ["restricted", "public"])
def test_side_by_side_table_names_each_regions_most_under_represented(
    demo_root: Path, tmp_path: Path, whole: CleanData, profile: str
) -> None:
    report = open_report("demo-care-at-home-2026", "", profile, 10, str(tmp_path), root=demo_root)
    table = publish_tables(report)["regions_side_by_side"].frame
    for region, named in table.select("region", "most_under_represented").iter_rows():
        under = [
            (ratio, category_subject(dimension, category), respondents)
            for r, dimension, category, ratio, respondents in regions.under_represented_by_region(
                whole
            ).iter_rows()
            if r == region and control_count(respondents, profile, 10)
        ]
        assert named == (min(under)[1] if under else "")
    assert (table["most_under_represented"] != "").any()


def _report(root: Path, tmp: Path, region: str, locality: str) -> tuple[dict, list[str]]:
    """Every table a report publishes, and its sections' HTML (quotes, mean scores and the
    chi-square notes are only in the HTML)."""
    report = open_report(
        "demo-care-at-home-2026", region, "restricted", 10, str(tmp), root=root, locality=locality
    )
    tables = publish_tables(report)
    facts = gather_facts(report)
    html = [headline.render(report, tables, facts)]
    if not region:
        html.append(overview.render(report, tables))
    html.append(participation.render(report, tables))
    html += [
        events.render(report, tables),
        who_is_missing.render(report, tables, facts),
        questions.render(report, tables, facts),
        actions.render(report, tables, facts),
    ]
    return {name: table.frame for name, table in tables.items()}, [str(h) for h in html]


@pytest.mark.parametrize(
    ("region", "locality"), [("", ""), ("london", ""), ("north-west", "Lancashire")]
)
def test_stored_tallies_publish_what_the_rows_do(
    demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, region: str, locality: str
) -> None:
    """Validate's tallies, summed for the area, give every table and every sentence that the
    area's own rows give: held in memory, and left on disk for an area too big for memory."""
    from pipelines.analysis import in_memory
    from pipelines.store import clean_data

    stored, stored_html = _report(demo_root, tmp_path / "stored", region, locality)
    assert clean_data.load_clean("demo-care-at-home-2026", demo_root).aggregates is not None
    monkeypatch.setattr(
        clean_data, "read_aggregates", lambda folder: None
    )  # as if none were stored
    held, held_html = _report(demo_root, tmp_path / "held", region, locality)
    monkeypatch.setattr(in_memory, "MAX_RESPONSES", 0)
    area = for_area(load_clean("demo-care-at-home-2026", demo_root), region=region or None)
    assert in_memory.for_report(area).answers is area.answers  # rows stay on disk
    from_disk, disk_html = _report(demo_root, tmp_path / "disk", region, locality)
    assert list(stored) == list(held) == list(from_disk) and len(stored) > 20
    for name, frame in stored.items():
        assert_frame_equal(frame, held[name], check_exact=True)
        assert_frame_equal(frame, from_disk[name], check_exact=True)
    assert stored_html == held_html == disk_html
    assert "In their own words" in "".join(stored_html)
