"""The order reports start in: the overview, then regions from the busiest to the quietest."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import polars as pl

from pipelines.report.outcomes import OVERVIEW, ReportTask
from pipelines.report.runner import longest_first, region_sizes

DEMO = "demo-care-at-home-2026"


def _task(region: str, slug: str) -> ReportTask:
    return ReportTask("c", region, slug, "restricted", 8, "run", "/tmp", "/tmp")


def test_region_sizes_are_the_clean_responses_per_region(demo_root: Path) -> None:
    clean = pl.read_parquet(demo_root / "data" / "clean" / DEMO / "responses.parquet")
    counted = dict(clean["region"].cast(pl.String).value_counts().iter_rows())
    assert region_sizes(DEMO, demo_root) == counted
    assert len(counted) == 9


def test_region_sizes_are_empty_before_validation(tmp_path: Path) -> None:
    assert region_sizes(DEMO, tmp_path) == {}


def test_overview_first_then_busiest_region_first() -> None:
    tasks = [_task("A", "a"), _task("B", "b"), _task("C", "c"), _task("", OVERVIEW)]
    order = longest_first(tasks, {"A": 10, "B": 300, "C": 20})
    assert [t.slug for t in order] == [OVERVIEW, "b", "c", "a"]
    assert [t.slug for t in tasks] == ["a", "b", "c", OVERVIEW]  # the run's own order kept


def test_unknown_sizes_keep_the_regions_in_order() -> None:
    tasks = [_task("A", "a"), _task("B", "b"), _task("", OVERVIEW)]
    assert [t.slug for t in longest_first(tasks, {})] == [OVERVIEW, "a", "b"]


def test_the_run_does_not_compile_an_iri_grammar_nothing_checks(tmp_path: Path) -> None:
    # jsonschema (under nbconvert and nbformat) would compile rfc3987-syntax's grammar on
    # import, about 1.5 s, before any worker starts; notebooks still validate without it.
    script = (
        "import os, sys\n"
        "from pipelines.report.runner import run_reports\n"
        "try:\n"
        "    run_reports('no-such-consultation', progress=False)\n"
        "except Exception as error:\n"
        "    print(type(error).__name__)\n"
        "import nbformat\n"
        "nbformat.validate(nbformat.read('notebooks/20_region_report.ipynb', as_version=4))\n"
        "print(sys.modules.get('rfc3987_syntax', 'absent'))\n"
    )
    project = Path(__file__).resolve().parents[1]
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=project,
        env={**os.environ, "WORKBOOK_ROOT": str(tmp_path)},
        check=True,
    )
    assert result.stdout.split() == ["InputError", "None"], result.stdout + result.stderr
