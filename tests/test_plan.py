"""The run's disclosure plan (pipelines/report/plan.py): made once, stored, shared by every
report however it is run, and carried into the wave comparison."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from pipelines.report import plan as run_plan
from pipelines.report.plan import open_report
from pipelines.report.publish import DISCLOSURE_NOTE
from pipelines.report.tables import publish_tables

DEMO, BEFORE = "demo-care-at-home-2026", "demo-care-at-home-2025"


@pytest.fixture(scope="module")
def demo(demo_root: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the validated demo of its own (these tests delete and rewrite plans)."""
    root = tmp_path_factory.mktemp("plan")
    shutil.copytree(demo_root / "data", root / "data")
    return root


def test_the_plan_is_made_once_and_read_back(demo: Path, monkeypatch) -> None:
    first = run_plan.make_plan(DEMO, "restricted", 10, demo)
    stored = run_plan.plan_path(DEMO, "restricted", 10, demo)
    assert stored.is_file() and first.hidden, "the demo needs cells hidden across reports"

    def never(*_args, **_kwargs):
        raise AssertionError("a stored plan for the same clean data is read, not made again")

    monkeypatch.setattr(run_plan, "record_run", never)
    assert run_plan.make_plan(DEMO, "restricted", 10, demo).hidden == first.hidden


def test_a_plan_from_other_clean_data_is_made_again(demo: Path) -> None:
    stored = run_plan.plan_path(DEMO, "restricted", 10, demo)
    run_plan.make_plan(DEMO, "restricted", 10, demo)
    saved = json.loads(stored.read_text())
    saved["fingerprint"] = "made from other data"
    saved["hidden"] = {}
    stored.write_text(json.dumps(saved))
    assert run_plan.make_plan(DEMO, "restricted", 10, demo).hidden, "not the stale empty plan"


def test_a_report_opened_as_papermill_opens_it_applies_the_plan(demo: Path, tmp_path: Path):
    plan = run_plan.make_plan(DEMO, "restricted", 10, demo)
    region, tables = next((area, tables) for area, tables in plan.hidden.items() if area and tables)
    table_id, rows = next(iter(tables.items()))
    report = open_report(DEMO, region, "restricted", 10, str(tmp_path), root=demo)
    assert report.plan is not None and report.plan.fingerprint == plan.fingerprint
    controlled = publish_tables(report)[table_id]
    keys = run_plan.row_keys(controlled.frame)
    mask = controlled.suppressed[controlled.suppressed.columns[0]].to_list()
    hidden = {k for k, h in zip(keys, mask, strict=True) if h}
    assert set(rows) <= hidden
    assert (tmp_path / DISCLOSURE_NOTE).read_text().startswith("Disclosure control of every")


def test_the_previous_wave_s_hidden_groups_stay_hidden_in_the_wave_comparison(demo: Path):
    before = run_plan.make_plan(BEFORE, "restricted", 10, demo)
    now = run_plan.make_plan(DEMO, "restricted", 10, demo)
    checked = 0
    for area, tables in before.hidden.items():
        earlier = set(tables.get("participation_by_group", []))
        if earlier:
            assert earlier <= set(now.hidden.get(area, {}).get("change_by_group", [])), area
            checked += 1
    assert checked, "the demo's previous wave hides some group somewhere"
