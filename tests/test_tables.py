"""Every table of a report from one function (pipelines.report.tables.publish_tables): a
read-only mapping, one fixed order, and suppression across tables decided there."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.report.headline_counts import ATTENDEES as HEADLINE_ATTENDEES
from pipelines.report.headline_counts import PREVIOUS as HEADLINE_PREVIOUS
from pipelines.report.headline_counts import RESPONSES as HEADLINE_RESPONSES
from pipelines.report.plan import open_report, record_run
from pipelines.report.publish import DISCLOSURE_NOTE
from pipelines.report.tables import hidden_keys, publish_tables

DEMO = "demo-care-at-home-2026"


@pytest.fixture(scope="module")
def region(demo_root: Path, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("tables")
    report = open_report(DEMO, "north-west", "restricted", 10, str(folder), root=demo_root)
    return report, publish_tables(report), folder


def test_the_mapping_is_read_only_and_every_table_is_written(region) -> None:
    _, tables, folder = region
    with pytest.raises(TypeError):
        tables["participation_by_group"] = tables["participation_by_channel"]  # type: ignore[index]
    assert {p.stem for p in folder.glob("*.csv")} == set(tables)
    assert (folder / DISCLOSURE_NOTE).is_file()


def test_the_order_is_fixed_whatever_is_asked_first(
    region, demo_root: Path, tmp_path: Path
) -> None:
    _, tables, _ = region
    order = list(tables)
    assert order[0] == "participation_by_group" and order[-1] == "you_said_we_did"
    again = open_report(DEMO, "north-west", "restricted", 10, str(tmp_path), root=demo_root)
    assert list(publish_tables(again)) == order


def test_grid_and_people_reached_hide_what_the_one_way_tables_hid(region) -> None:
    _, tables, _ = region
    groups = hidden_keys(tables["participation_by_group"])
    places = hidden_keys(tables["participation_by_locality"], key="locality")
    grid = tables["participation_by_group_and_locality"]
    hidden_in_grid = [
        h
        for g, p, h in zip(
            grid.frame["group"],
            grid.frame["locality"],
            grid.is_suppressed("responses"),
            strict=True,
        )
        if g in groups or p in places
    ]
    assert all(hidden_in_grid)
    reached = tables["people_reached_by_group"]
    attended = hidden_keys(tables["attendance_by_group"])
    assert groups | attended <= hidden_keys(reached)


def test_the_plan_records_each_report_in_the_order_it_publishes(region, demo_root: Path) -> None:
    _, tables, _ = region
    records = record_run(DEMO, ["North West"], "restricted", 10, demo_root)
    regional = [r.table_id for r in records if r.area == "North West"]
    headline = [HEADLINE_RESPONSES, HEADLINE_ATTENDEES, HEADLINE_PREVIOUS]  # then its single counts
    assert regional == [*tables, *headline]
    assert [r.table_id for r in records if r.area == ""][0] == "participation_by_group"
