"""Faults: a run killed mid-way, two runs at once, an output folder that cannot be written."""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest

from pipelines import cli, paths
from pipelines.runlock import consultation_lock
from pipelines.sample import write_sample

WORKBOOK = str(Path(sys.executable).with_name("workbook"))


def workbook(root: Path, *args: str, **kwargs) -> subprocess.Popen[str]:
    env = {**os.environ, "WORKBOOK_ROOT": str(root)}
    return subprocess.Popen(
        [WORKBOOK, *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def test_a_second_run_on_the_same_consultation_is_refused(tiny: Path) -> None:
    with consultation_lock("tiny", root=tiny):
        process = workbook(tiny, "validate", "tiny")
        _, err = process.communicate(timeout=120)
        assert process.returncode == 2
        assert "in progress" in err and "pid" in err
        assert not (tiny / "data" / "clean" / "tiny").exists()
    process = workbook(tiny, "validate", "tiny")
    process.communicate(timeout=120)
    assert process.returncode == 0


def test_an_unwritable_output_folder_gives_a_clear_error(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(paths, "ROOT", tiny)
    assert cli.main(["-q", "validate", "tiny"]) == 0
    before = {p.name: p.read_bytes() for p in (tiny / "data" / "clean" / "tiny").glob("*.parquet")}

    def full_disk(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tiny / "data" / "clean"))

    monkeypatch.setattr("pipelines.validate.run.atomic_directory", full_disk)
    assert cli.main(["-q", "validate", "tiny"]) == 2
    err = capsys.readouterr().err
    assert "cannot write to" in err and "No space left on device" in err
    after = {p.name: p.read_bytes() for p in (tiny / "data" / "clean" / "tiny").glob("*.parquet")}
    assert after == before


@pytest.mark.slow
def test_a_run_killed_mid_region_leaves_the_last_reports_and_the_next_run_works(
    tmp_path: Path,
) -> None:
    regions = pl.DataFrame(
        {
            "region": ["North West", "North West", "London", "London"],
            "locality": ["Cumbria", "Lancashire", "Camden", "Hackney"],
        }
    )
    (tmp_path / "data" / "reference").mkdir(parents=True)
    regions.write_csv(tmp_path / "data" / "reference" / "regions.csv")
    shutil.copy(
        paths.ROOT / "data" / "reference" / "population.csv", tmp_path / "data" / "reference"
    )
    write_sample(tmp_path / "data" / "raw" / "k", responses=300, seed=5, regions=regions)
    first = workbook(tmp_path, "report", "k", "--jobs", "2", "--no-progress")
    first.communicate(timeout=600)
    assert first.returncode == 0
    out = tmp_path / "reports" / "k"
    good = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    second = workbook(
        tmp_path, "report", "k", "--jobs", "2", "--no-progress", start_new_session=True
    )
    deadline = time.monotonic() + 120
    while not list(out.glob(".staging-*/executed")) and time.monotonic() < deadline:
        time.sleep(0.2)
    time.sleep(2)  # inside a region's notebook
    os.killpg(second.pid, signal.SIGKILL)
    second.communicate(timeout=60)
    assert second.returncode == -signal.SIGKILL
    now = {
        p.relative_to(out): p.read_bytes()
        for p in out.rglob("*")
        if p.is_file() and ".staging-" not in str(p)
    }
    assert set(now) == set(good), "a killed run lost or left files among the published reports"
    # a report of the same clean data that finished before the kill is published as it
    # finished, whole: the same page but for the run it names
    changed = [page for page in good if now[page] != good[page]]
    assert all(page.name not in ("index.html", "manifest.json") for page in changed)
    assert all(_without_run(now[page]) == _without_run(good[page]) for page in changed), (
        "a killed run changed the published reports"
    )

    third = workbook(tmp_path, "report", "k", "--jobs", "2", "--no-progress")
    third.communicate(timeout=600)
    assert third.returncode == 0, "the lock or a stale staging folder blocked the next run"
    assert not list(out.glob(".staging-*"))


def _without_run(page: bytes) -> bytes:
    """A published file with the run's id, times and durations blanked (they name the run
    that made it, and how long its steps took), and notebook cell ids (papermill gives the
    cell of parameters it injects a new random id in every run)."""
    run = rb"\d{8}T\d{6}Z|\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"
    took = rb'"duration(_seconds)?": [0-9.e+-]+'
    cell = rb'"id": "[0-9a-f]{8}"'
    page = re.sub(cell, b'"id": <cell>', re.sub(run, b"<run>", page))
    return re.sub(took, b'"duration": <took>', page)


# --- the run lock dies with its owner, workers and kernels with the runner -------------------


def _hold_for(started, seconds: float) -> None:
    started.set()
    time.sleep(seconds)


def test_a_forked_child_does_not_keep_the_consultation_locked(tiny: Path) -> None:
    """Report workers are forked while the runner holds the lock: the lock must go when the
    runner does, whatever its workers do."""
    import multiprocessing

    fork = multiprocessing.get_context("fork")
    started = fork.Event()
    with consultation_lock("tiny", root=tiny):
        child = fork.Process(target=_hold_for, args=(started, 30))
        child.start()
        assert started.wait(30)
    try:
        with consultation_lock("tiny", root=tiny):
            pass  # taken again while the child (with its copy of the descriptors) lives
    finally:
        child.kill()
        child.join()


def _family(process) -> list:
    import psutil

    try:
        return process.children(recursive=True)
    except psutil.Error:
        return []


def _is_kernel(process) -> bool:
    import psutil

    try:
        return "ipykernel" in " ".join(process.cmdline())
    except psutil.Error:
        return False


@pytest.mark.slow
def test_kill_9_of_a_report_run_ends_its_workers_and_kernels_and_frees_the_lock(
    tmp_path: Path,
) -> None:
    import psutil

    from tests.conftest import two_region_project

    root = two_region_project(tmp_path, "k", seed=5)
    validate = workbook(root, "validate", "k")
    validate.communicate(timeout=300)
    assert validate.returncode == 0
    run = workbook(root, "report", "k", "--jobs", "2", "--no-progress", "--disclosure", "none")
    runner = psutil.Process(run.pid)
    family: list = []
    try:
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not any(map(_is_kernel, family)):
            time.sleep(0.2)
            family = _family(runner)
        assert any(map(_is_kernel, family)), "no kernel started"
        family = _family(runner)
        os.kill(run.pid, signal.SIGKILL)  # the runner alone, as `kill -9 <pid>` would
        run.wait(timeout=30)  # not communicate(): an orphan would hold its pipes open
        _, alive = psutil.wait_procs(family, timeout=20)
        assert not alive, f"outlived the runner: {[p.cmdline() for p in alive]}"
        with consultation_lock("k", root=root):
            pass  # no "in progress": nothing of the killed run holds the lock
    finally:
        for process in family:
            with contextlib.suppress(psutil.Error):
                process.kill()
        run.kill()
        run.communicate(timeout=30)


# --- pages of different profiles never mix unmarked ------------------------------------------


def test_restricted_with_a_min_cell_below_3_exits_2_and_writes_nothing(
    tiny: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setattr(paths, "ROOT", tiny)
    before = sorted(tiny.rglob("*"))
    for args in (["--min-cell", "1"], ["--min-cell", "2", "--disclosure", "restricted"]):
        assert cli.main(["-q", "report", "tiny", "--no-progress", *args]) == 2
        assert "min_cell" in capsys.readouterr().err
    assert sorted(tiny.rglob("*")) == before


def test_the_disclosure_wording_never_says_from_1_to_0() -> None:
    from pipelines.report.export import disclosure_summary, disclosure_text

    assert "counts from 1 to 9 shown as [c]" in disclosure_summary("restricted", 10)
    assert "counts from 1 to 2 are shown" in disclosure_text("restricted", 3)
    assert "counts of 1 are shown" in disclosure_text("restricted", 2)
    for min_cell in (1, 2, 3, 10):
        assert "1 to 0" not in disclosure_text("restricted", min_cell)
        assert "1 to 1 " not in disclosure_text("restricted", min_cell)
    assert "public" in disclosure_summary("public", 10)
    assert "not for circulation" in disclosure_summary("none", 10)


def _outcome(slug: str, region: str, disclosure: str, min_cell: int, status: str = "ok"):
    from pipelines.report.outcomes import ReportOutcome

    return ReportOutcome(slug, region, status, 1.0, "", disclosure, min_cell, "r1")


def _index_html(target: Path, outcomes, disclosure: str = "restricted") -> str:
    from datetime import UTC, datetime

    from pipelines.report.index import write_index
    from pipelines.settings import Settings

    target.mkdir(parents=True, exist_ok=True)
    for outcome in outcomes:
        (target / f"{outcome.slug}.html").write_text("page", encoding="utf-8")
    settings = Settings(disclosure=disclosure, min_cell=10)
    path = write_index(target, "c", "Title", outcomes, settings, "r2", datetime.now(UTC))
    return path.read_text(encoding="utf-8")


def test_the_index_says_when_its_pages_were_made_under_different_profiles(
    tmp_path: Path,
) -> None:
    """After a `--disclosure none` run and a restricted `--region` run, the index lists each
    page with its own profile, says at the top that they differ, and carries the
    not-for-circulation banner (some pages are exact)."""
    mixed = [
        _outcome("overview", "", "none", 10),
        _outcome("london", "London", "none", 10),
        _outcome("north-west", "North West", "restricted", 10),
    ]
    page = _index_html(tmp_path / "mixed", mixed)
    assert "not all made under the same disclosure control" in page
    assert page.index("mixed-disclosure") < page.index("<h2>Reports</h2>")
    assert "Not for circulation" in page.split("<main")[0]
    assert page.count("none (exact counts: not for circulation)") == 2
    assert page.count("restricted (counts from 1 to 9 shown as [c])") == 1

    min_cells = [_outcome("a", "A", "restricted", 10), _outcome("b", "B", "restricted", 5)]
    page = _index_html(tmp_path / "cells", min_cells)
    assert "not all made under the same disclosure control" in page
    assert "counts from 1 to 4 shown as [c]" in page

    same = [_outcome("overview", "", "restricted", 10), _outcome("a", "A", "restricted", 10)]
    page = _index_html(tmp_path / "same", same)
    assert "not all made" not in page and "Not for circulation" not in page
    assert "Disclosure control: restricted — counts from 1 to 9 are shown as [c]" in page


def test_the_manifest_records_each_page_s_profile_and_a_mix(tmp_path: Path) -> None:
    import json
    from datetime import UTC, datetime

    from pipelines.report.index import write_manifest
    from pipelines.settings import Settings

    clean = tmp_path / "data" / "clean" / "c"
    clean.mkdir(parents=True)
    ledger = {"inputs": [], "run_id": "v", "success": True, "tables": {}, "failures_by_rule": {}}
    (clean / "validation.json").write_text(json.dumps(ledger), encoding="utf-8")
    target = tmp_path / "reports" / "c"
    target.mkdir(parents=True)
    outcomes = [_outcome("overview", "", "none", 10), _outcome("a", "A", "restricted", 10)]
    for outcome in outcomes:
        (target / f"{outcome.slug}.html").write_text("page", encoding="utf-8")
    now = datetime.now(UTC)
    path = write_manifest(target, "c", tmp_path, outcomes, Settings(), "r2", now, now, ["A"])
    manifest = json.loads(path.read_text(encoding="utf-8"))
    assert [(r["file"], r["disclosure"], r["min_cell"]) for r in manifest["reports"]] == [
        ("overview.html", "none", 10),
        ("a.html", "restricted", 10),
    ]
    assert manifest["mixed_disclosure"] is True


def test_a_failed_report_is_listed_with_the_profile_of_thepage_still_there() -> None:
    from pipelines.report.outcomes import page_still_there

    earlier = [_outcome("a", "A", "none", 10)]
    failed = _outcome("a", "A", "restricted", 10, status="failed")
    assert page_still_there(failed, earlier).disclosure == "none"
    assert page_still_there(_outcome("a", "A", "restricted", 10), earlier).disclosure == (
        "restricted"
    )


def test_the_executed_notebook_does_not_record_the_staging_folder(tmp_path: Path) -> None:
    import json

    import nbformat

    from pipelines.report.workers import unstage_executed

    staging = tmp_path / "reports" / "c" / ".staging-20260101T000000Z-42"
    executed = staging / "executed" / "a.ipynb"
    executed.parent.mkdir(parents=True)
    nb = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(f'tables_dir = "{staging}/a/tables"\n')],
        metadata={"papermill": {"parameters": {"tables_dir": f"{staging}/a/tables"}}},
    )
    nbformat.write(nb, executed)
    unstage_executed(executed, staging, "reports/c")
    text = executed.read_text(encoding="utf-8")
    assert ".staging-" not in text and str(tmp_path) not in text
    parameters = json.loads(text)["metadata"]["papermill"]["parameters"]
    assert parameters["tables_dir"] == "reports/c/a/tables"


@pytest.mark.slow
def test_regions_named_like_runner_files_and_pages_of_two_profiles(tmp_path: Path) -> None:
    """Regions called "Index" and "Overview" and one in another script get pages of their own
    (index.html and overview.html stay the index and the overview); after a `--disclosure
    none` run and a restricted run of one region, every page says which profile made it, the
    manifest records each page's, the index says they differ; no executed notebook records
    the run's staging folder."""
    import json

    regions = pl.DataFrame(
        {
            "region": ["North West", "Index", "Overview", "東京都"],
            "locality": ["Cumbria", "Camden", "Leeds", "Shinjuku"],
        }
    )
    (tmp_path / "data" / "reference").mkdir(parents=True)
    regions.write_csv(tmp_path / "data" / "reference" / "regions.csv")
    shutil.copy(
        paths.ROOT / "data" / "reference" / "population.csv", tmp_path / "data" / "reference"
    )
    write_sample(tmp_path / "data" / "raw" / "m", responses=300, seed=5, regions=regions)
    first = workbook(
        tmp_path, "report", "m", "--jobs", "2", "--no-progress", "--disclosure", "none"
    )
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    out = tmp_path / "reports" / "m"
    pages = sorted(p.name for p in out.glob("*.html") if not p.stem.endswith("-easy-read"))
    assert (out / "about.html").is_file()
    pages.remove("about.html")
    assert pages == sorted(
        ["index.html", "overview.html", "north-west.html", "region-index.html",
         "region-overview.html", "area-ce76fe65.html"]
    )  # fmt: skip
    assert "Participation reports for m" in (out / "index.html").read_text(encoding="utf-8")
    assert "Overview: all regions" in (out / "overview.html").read_text(encoding="utf-8")

    second = workbook(tmp_path, "report", "m", "--region", "north-west", "--no-progress")
    _, err = second.communicate(timeout=600)
    assert second.returncode == 0, err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    made = {r["file"]: (r["disclosure"], r["min_cell"]) for r in manifest["reports"]}
    assert made["north-west.html"] == ("restricted", 10)
    assert made["overview.html"][0] == made["region-index.html"][0] == "none"
    assert manifest["mixed_disclosure"] is True
    index = (out / "index.html").read_text(encoding="utf-8")
    assert "not all made under the same disclosure control" in index
    assert "Not for circulation" in index
    restricted = (out / "north-west.html").read_text(encoding="utf-8")
    assert "Disclosure control: restricted (counts from 1 to 9 shown as [c])" in restricted
    assert "Not for circulation" not in restricted.split("<main")[0]
    exact = (out / "region-index.html").read_text(encoding="utf-8")
    assert "Disclosure control: none" in exact and "Not for circulation" in exact
    for executed in (out / "executed").glob("*.ipynb"):
        text = executed.read_text(encoding="utf-8")
        assert ".staging-" not in text and str(tmp_path) not in text, executed.name
        parameters = json.loads(text)["metadata"]["papermill"]["parameters"]
        assert parameters["tables_dir"] == f"reports/m/{executed.stem}/tables"
    assert not [p for p in out.rglob(".*")], "hidden files left in the reports"
