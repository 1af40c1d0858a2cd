"""Faults: a run killed mid-way, two runs at once, an output folder that cannot be written."""

from __future__ import annotations

import errno
import os
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
    assert now == good, "a killed run changed the published reports"

    third = workbook(tmp_path, "report", "k", "--jobs", "2", "--no-progress")
    third.communicate(timeout=600)
    assert third.returncode == 0, "the lock or a stale staging folder blocked the next run"
    assert not list(out.glob(".staging-*"))
