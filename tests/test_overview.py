"""The overview's regions side by side, worked out in one pass, equals region by region."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.analysis import regions, representation
from pipelines.analysis.load import CleanData, for_area, load_clean
from pipelines.fields import MONITORING_FIELDS
from pipelines.labels import category_subject
from pipelines.report import sections
from pipelines.report.publish import open_report


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
    sections.regions_side_by_side(report)
    table = report.tables["regions_side_by_side"].frame
    for region, named in table.select("region", "most_under_represented").iter_rows():
        under = [
            (ratio, category_subject(dimension, category), respondents)
            for r, dimension, category, ratio, respondents in regions.under_represented_by_region(
                whole
            ).iter_rows()
            if r == region and sections.control_count(respondents, profile, 10)
        ]
        assert named == (min(under)[1] if under else "")
    assert (table["most_under_represented"] != "").any()


def _all_tables(root: Path, tmp: Path, region: str, held: bool) -> dict[str, pl.DataFrame]:
    report = open_report("demo-care-at-home-2026", region, "restricted", 10, str(tmp), root=root)
    ids = report.data.answers.collect_schema()["response_id"]
    assert isinstance(ids, pl.Categorical) if held else ids == pl.String
    sections.headline(report)
    if not region:
        sections.regions_side_by_side(report)
    sections.who_took_part(report, place="locality" if region else "region")
    sections.events(report)
    sections.who_is_missing(report)
    sections.what_people_said(report)
    sections.what_we_did(report)
    return {name: table.frame for name, table in report.tables.items()}


@pytest.mark.parametrize("region", ["", "london"])
def test_an_area_too_big_for_memory_publishes_the_same_tables(
    demo_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, region: str
) -> None:
    from pipelines.analysis import in_memory

    held = _all_tables(demo_root, tmp_path / "held", region, held=True)
    monkeypatch.setattr(in_memory, "MAX_RESPONSES", 0)
    area = for_area(load_clean("demo-care-at-home-2026", demo_root), region=region or None)
    assert in_memory.for_report(area) is area  # stays on disk
    from_disk = _all_tables(demo_root, tmp_path / "disk", region, held=False)
    assert list(from_disk) == list(held) and len(held) > 20
    for name, frame in held.items():
        assert_frame_equal(frame, from_disk[name], check_exact=True)
