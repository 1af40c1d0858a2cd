"""Golden tables: every contract table of the demo at three levels, as published.

The demo is validated into a scratch tree; each report level (the whole consultation, a
region, a locality) has its tables published (``publish_tables``, no chart drawn), and each
is compared with ``tests/golden/<level>/<table-id>.csv`` (restricted profile, min_cell 10).
A deliberate change to the numbers is accepted by regenerating the goldens:
``WORKBOOK_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py`` and reviewing
the diff.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.disclosure import Controlled
from pipelines.fields import MONITORING_FIELDS
from pipelines.report.plan import open_report
from pipelines.report.tables import publish_tables

GOLDEN = Path(__file__).parent / "golden"
LEVELS = {
    "consultation": ("", ""),
    "region": ("north-west", ""),
    "locality": ("north-west", "Manchester"),
}
QUESTIONS = [f"question_q{i}" for i in (1, 2, 4, 5, 6, 7, 8)] + ["themes_q3", "themes_q9"]
CONTRACT = {
    "participation_by_group", "participation_by_channel", "attendance_by_group",
    "attendance_by_event", "actions_by_status", *QUESTIONS,
    *(f"representation_{d}" for d in MONITORING_FIELDS),
}  # fmt: skip


def build_tables(
    root: Path,
    tmp: Path,
    region: str,
    locality: str,
    consultation: str = "demo-care-at-home-2026",
    profile: str = "restricted",
) -> Mapping[str, Controlled]:
    """Every table of one report, published (no section drawn)."""
    report = open_report(consultation, region, profile, 10, str(tmp), root=root, locality=locality)
    return publish_tables(report)


@pytest.fixture(scope="module", params=list(LEVELS))
def level(
    request: pytest.FixtureRequest, demo_root: Path, tmp_path_factory: pytest.TempPathFactory
):
    region, locality = LEVELS[request.param]
    tables = build_tables(demo_root, tmp_path_factory.mktemp(request.param), region, locality)
    return request.param, tables


def test_every_contract_table_is_produced(level) -> None:
    name, tables = level
    place = "participation_by_region" if name == "consultation" else "participation_by_locality"
    assert CONTRACT | {place} <= set(tables)


def test_tables_match_the_golden_copies(level) -> None:
    name, tables = level
    folder = GOLDEN / name
    if os.environ.get("WORKBOOK_UPDATE_GOLDEN"):
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob("*.csv"):
            old.unlink()
        for table_id, table in tables.items():
            table.published().write_csv(folder / f"{table_id}.csv")
    assert {p.stem for p in folder.glob("*.csv")} == set(tables)
    for table_id, table in sorted(tables.items()):
        expected = pl.read_csv(folder / f"{table_id}.csv", infer_schema=False)
        actual = table.published()
        try:
            assert_frame_equal(actual, expected, check_dtypes=False)
        except AssertionError as error:
            raise AssertionError(
                f"{name}/{table_id} differs from its golden copy: {error}"
            ) from None


def test_goldens_say_something(level) -> None:
    """Guard against goldens that are all [c] or all zero: the demo must carry real figures."""
    name, tables = level
    by_group = tables["participation_by_group"].frame
    assert by_group["responses"].drop_nulls().sum() > 0
    assert any(table.any_suppressed() for table in tables.values()), "no [c] at all: suspicious"
