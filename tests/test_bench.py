"""``workbook bench``: scenarios, targets, the printed table, and a small run end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.bench.benchmark import Scenario, Target, format_table, load_bench_config, targets_of
from pipelines.bench.stages import region_analysis
from pipelines.errors import InputError
from pipelines.fields import MONITORING_FIELDS
from pipelines.store.clean_data import for_area, load_clean

WORKBOOK = str(Path(sys.executable).with_name("workbook"))


def test_scenarios_parse_and_name_their_consultation() -> None:
    scenario = Scenario.parse("100000x300")
    assert (scenario.responses, scenario.regions) == (100_000, 300)
    assert scenario.consultation == "bench-100000-300" and scenario.name == "100000x300"
    for bad in ("100000", "ax9", "0x9", "10x0", "1x2x3"):
        with pytest.raises(InputError):
            Scenario.parse(bad)


def test_targets_apply_to_their_size_only_and_judge_both_ways() -> None:
    at_1m = Target("validate_seconds", responses=1_000_000, at_most=20)
    assert at_1m.applies(Scenario(1_000_000, 9)) and not at_1m.applies(Scenario(1000, 9))
    assert at_1m.met(19.9) and not at_1m.met(20.1)
    speed = Target("speedup_over_naive", at_least=8)
    assert speed.applies(Scenario(1000, 300)) and speed.met(8) and not speed.met(7.9)


def test_the_configured_targets_are_the_issues() -> None:
    targets = {(t.figure, t.responses): t for t in targets_of(load_bench_config())}
    assert targets["validate_seconds", 1_000_000].at_most == 20
    assert targets["validate_seconds", 10_000_000].at_most == 240
    assert targets["validate_peak_rss_gib", 10_000_000].at_most == 12
    assert targets["analyse_seconds", 10_000_000].at_most == 0.5
    assert targets["marginal_seconds_per_report", None].at_most == 1
    assert targets["speedup_over_naive", None].at_least == 8


def test_the_table_marks_each_figure_against_its_target() -> None:
    table = format_table(
        {
            "1000000x9": {"validate_seconds": 25.0, "speedup_over_naive": 9.0},
            "1000x9": {"validate_seconds": 3.0},
        },
        targets_of(load_bench_config()),
    )
    lines = table.splitlines()
    assert lines[0].split() == ["figure", "1000000x9", "1000x9", "target"]
    validate = next(line for line in lines if line.startswith("validate_seconds"))
    assert "25 MISS" in validate and "3" in validate and "<= 20 at 1,000,000" in validate
    speed = next(line for line in lines if line.startswith("speedup_over_naive"))
    assert speed.split()[1:4] == ["9", "ok", "-"]


def test_region_analysis_computes_every_table_of_a_region(demo_root: Path) -> None:
    data = for_area(load_clean("demo-care-at-home-2026", demo_root), region="north-west")
    tables = region_analysis(data)
    expected = {"participation_by_group", "participation_by_channel", "themes_q3"} | {
        f"representation_{d}" for d in MONITORING_FIELDS
    }
    assert expected <= set(tables)
    assert (
        tables["participation_by_group"]["responses"].sum()
        == data.responses.select("response_id").collect().height
    )


def test_a_small_bench_runs_end_to_end(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    result = subprocess.run(
        [WORKBOOK, "bench", "--scenario", "300x2", "--no-reports", "--workdir",
         str(tmp_path / "work"), "--json", str(out)],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    figures = json.loads(out.read_text(encoding="utf-8"))["results"]["300x2"]
    for name in ("generate_seconds", "validate_seconds", "validate_gx_seconds",
                 "validate_peak_rss_gib", "analyse_seconds"):  # fmt: skip
        assert figures[name] > 0, name
    assert "validate_seconds" in result.stdout and "300x2" in result.stdout
    assert not (tmp_path / "work" / "bench-300-2").exists(), "scratch tree left behind"
    bad = subprocess.run([WORKBOOK, "bench", "--scenario", "lots"], capture_output=True, text=True)
    assert bad.returncode == 2 and "scenario" in bad.stderr


def test_a_failing_stage_keeps_the_figures_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.bench import benchmark

    def stage(root: Path, name: str, consultation: str, *options: str) -> dict:
        if name == "validate":
            raise RuntimeError("stage validate failed (killed by signal 9): ")
        return {"seconds": 1.5}

    monkeypatch.setattr(benchmark, "run_stage", stage)
    monkeypatch.setattr(benchmark, "compile_environment", lambda: 0.0)
    out = tmp_path / "bench.json"
    table, complete = benchmark.run_benchmark([Scenario(10, 9)], tmp_path / "work", out, 0)
    assert not complete
    assert "10x9: FAILED, stage validate failed (killed by signal 9)" in table
    written = json.loads(out.read_text(encoding="utf-8"))
    assert written["results"]["10x9"] == {"generate_seconds": 1.5}
    assert "killed by signal 9" in written["errors"]["10x9"]


def test_modules_are_compiled_into_the_stages_cache_before_timing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.bench import benchmark

    package = tmp_path / "package"
    package.mkdir()
    (package / "module.py").write_text("ANSWER = 42\n", encoding="utf-8")
    cache = tmp_path / "cache"
    monkeypatch.setenv("PYTHONPYCACHEPREFIX", str(cache))
    benchmark.compile_environment([package])
    compiled = (
        cache / package.relative_to(package.anchor) / f"module.{sys.implementation.cache_tag}.pyc"
    )
    assert compiled.is_file()
    assert not (package / "__pycache__").exists(), "compiled beside the source, not in the cache"
