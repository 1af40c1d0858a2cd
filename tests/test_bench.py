"""``workbook bench``: scenarios, targets, the printed table, and a small run end to end."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from pipelines.bench.benchmark import (
    Scenario,
    Target,
    format_table,
    load_bench_config,
    stage_environment,
    targets_of,
)
from pipelines.bench.floors import FLOORS, add_ratios
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
    listed = targets_of(load_bench_config())
    targets = {(t.figure, t.responses, t.regions): t for t in listed}
    assert len(targets) == len(listed), "one target per figure and scenario size"
    # #22's, where they tighten #8's
    assert targets["validate_seconds", 1_000_000, None].at_most == 10
    assert targets["validate_over_bare_read", 1_000_000, None].at_most == 4
    assert targets["validate_over_bare_read", 10_000_000, None].at_most == 4
    assert targets["validate_peak_rss_gib", 10_000_000, None].at_most == 4
    assert targets["marginal_seconds_per_report", None, None].at_most == 0.5
    assert targets["report_all_seconds", 100_000, 300].at_most == 90
    assert targets["first_report_seconds", None, None].at_most == 5
    # #8's that #22 leaves as they were
    assert targets["validate_seconds", 10_000_000, None].at_most == 240
    assert targets["analyse_seconds", 10_000_000, None].at_most == 0.5
    assert targets["speedup_over_naive", None, None].at_least == 8


def test_a_target_for_a_number_of_regions_applies_to_that_scenario_only() -> None:
    target = Target("report_all_seconds", responses=100_000, regions=300, at_most=90)
    assert target.applies(Scenario(100_000, 300))
    assert not target.applies(Scenario(100_000, 9)) and not target.applies(Scenario(1000, 300))
    assert target.where() == "<= 90 at 100,000x300"
    table = format_table(
        {"100000x300": {"report_all_seconds": 120.0}, "100000x9": {"report_all_seconds": 120.0}},
        [target],
    )
    line = next(x for x in table.splitlines() if x.startswith("report_all_seconds"))
    assert line.split()[1:4] == ["120", "MISS", "120"], line


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
    assert "25 MISS" in validate and "3" in validate and "<= 10 at 1,000,000" in validate
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
                 "validate_peak_rss_gib", "analyse_seconds", "bare_read_seconds",
                 "bare_read_peak_rss_gib", "export_mb", "validate_over_bare_read"):  # fmt: skip
        assert figures[name] > 0, name
    assert "validate_seconds" in result.stdout and "300x2" in result.stdout
    assert "each stage against its floor" in result.stdout
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


# --- floors, ratios and the cost chart (#22) ------------------------------------------------

FLOORED = {
    "validate_seconds": 8.0,
    "validate_read_seconds": 3.0,
    "bare_read_seconds": 2.0,
    "validate_peak_rss_gib": 1.0,
    "bare_read_peak_rss_gib": 0.5,
    "export_mb": 100.0,
    "marginal_seconds_per_report": 0.6,
    "chart_seconds": 0.03,
    "kernel_start_seconds": 1.2,
}


def test_each_ratio_is_its_figure_over_its_own_floor() -> None:
    figures = dict(FLOORED)
    add_ratios(figures)
    assert figures["validate_over_bare_read"] == pytest.approx(4.0)
    assert figures["validate_read_over_bare_read"] == pytest.approx(1.5)
    assert figures["validate_peak_over_bare_read_peak"] == pytest.approx(2.0)
    # 1 GiB of peak memory over a 100 MB export: bytes over bytes
    assert figures["validate_peak_over_export"] == pytest.approx(1024**3 / 100e6)
    assert figures["marginal_over_chart"] == pytest.approx(20.0)
    assert figures["marginal_over_kernel_start"] == pytest.approx(0.5)
    assert {f.ratio for f in FLOORS} <= set(figures)


def test_no_ratio_without_its_floor_or_over_a_zero_floor() -> None:
    figures = {"validate_seconds": 8.0, "bare_read_seconds": 0.0, "chart_seconds": 0.03}
    add_ratios(figures)
    assert set(figures) == {"validate_seconds", "bare_read_seconds", "chart_seconds"}


def test_the_floors_table_shows_figure_floor_and_ratio_and_misses_over_the_bound() -> None:
    over = {**FLOORED, "validate_seconds": 18.0}  # 9x the bare read
    under = {**FLOORED, "validate_seconds": 6.0}  # 3x
    results = {"1000000x9": over, "10000000x9": under, "1000x9": dict(FLOORED)}
    for figures in results.values():
        add_ratios(figures)
    table = format_table(results, targets_of(load_bench_config()))
    main, _, floors = table.partition("each stage against its floor")
    assert "validate_over_bare_read" not in main, "ratios are printed beside their floors"
    assert "bare_read_seconds" in main and "kernel_start_seconds" in main
    validate = next(x for x in floors.splitlines() if x.startswith("validate "))
    assert "validate_seconds" in validate and "bare_read_seconds" in validate
    assert "18 s / 2 s = 9x MISS" in validate
    assert "6 s / 2 s = 3x ok" in validate
    assert "8 s / 2 s = 4x " in validate + " " and "4x ok" not in validate  # no target at 1,000
    assert "<= 4 at 1,000,000; <= 4 at 10,000,000" in validate
    memory = [x for x in floors.splitlines() if x.startswith("validate: peak memory")]
    assert any("1 GiB / 100 MB = 10.7x" in x for x in memory), memory
    marginal = [x for x in floors.splitlines() if x.startswith("report (marginal)")]
    assert any("0.6 s / 0.03 s = 20x" in x for x in marginal)
    assert any("0.6 s / 1.2 s = 0.5x" in x for x in marginal)


def _fake_stage(root: Path, name: str, consultation: str, *options: str) -> dict:
    """Every stage's JSON line, as the stage processes print them, with round figures."""
    peak = {"peak_rss_mib": 512.0, "peak_child_rss_mib": 256.0}
    return {
        "generate": {"seconds": 1.0},
        "validate": {"seconds": 8.0, "stages": {"read": 3.0, "validate": 2.0}, **peak},
        "bare_read": {"seconds": 2.0, "export_mb": 100.0, **peak},
        "redact": {"seconds": 0.5},
        "analyse": {"seconds": 0.2},
        "chart": {"seconds": 0.03},
        "kernel": {"seconds": 1.2},
        "report": {
            "seconds": 10.0,
            "reports": 10,
            "failed": 0,
            "first_report_seconds": 4.0,
            **peak,
        },
    }[name]


def test_a_run_records_every_floor_and_ratio_with_the_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.bench import benchmark

    monkeypatch.setattr(benchmark, "run_stage", _fake_stage)
    monkeypatch.setattr(benchmark, "compile_environment", lambda: 0.0)
    monkeypatch.setattr(benchmark, "busiest_regions", lambda root, name, count: ["A", "B"])
    out = tmp_path / "bench.json"
    table, complete = benchmark.run_benchmark([Scenario(1000, 9)], tmp_path / "work", out, 0)
    assert complete
    written = json.loads(out.read_text(encoding="utf-8"))
    figures = written["results"]["1000x9"]
    assert figures["bare_read_seconds"] == 2.0 and figures["export_mb"] == 100.0
    assert figures["bare_read_peak_rss_gib"] == pytest.approx(0.5)
    assert figures["chart_seconds"] == 0.03 and figures["kernel_start_seconds"] == 1.2
    assert figures["first_report_seconds"] == 4.0
    assert figures["validate_over_bare_read"] == pytest.approx(4.0)
    assert {f["ratio"] for f in written["floors"]} == {f.ratio for f in FLOORS}
    assert {"cpus", "memory_gib", "python", "platform", "load_average"} <= set(written["machine"])
    assert "8 s / 2 s = 4x" in table
    assert not (tmp_path / "bench-cost.svg").exists(), "one size: no chart unless asked"


def test_a_floor_that_fails_leaves_the_stage_it_is_for(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.bench import benchmark

    def stage(root: Path, name: str, consultation: str, *options: str) -> dict:
        if name == "bare_read":
            raise RuntimeError("stage bare_read failed (killed by signal 9): ")
        return _fake_stage(root, name, consultation, *options)

    monkeypatch.setattr(benchmark, "run_stage", stage)
    monkeypatch.setattr(benchmark, "compile_environment", lambda: 0.0)
    monkeypatch.setattr(benchmark, "busiest_regions", lambda root, name, count: ["A", "B"])
    out = tmp_path / "bench.json"
    _table, complete = benchmark.run_benchmark([Scenario(1000, 9)], tmp_path / "w", out, 0)
    figures = json.loads(out.read_text(encoding="utf-8"))["results"]["1000x9"]
    assert complete and figures["validate_seconds"] == 8.0 and "report_all_seconds" in figures
    assert "bare_read_seconds" not in figures and "validate_over_bare_read" not in figures


def _bench_json(path: Path, finished: str, results: dict[str, dict[str, float]]) -> Path:
    path.write_text(json.dumps({"finished": finished, "results": results}), encoding="utf-8")
    return path


def test_the_cost_chart_has_every_scenarios_point(tmp_path: Path) -> None:
    from pipelines.bench.benchmark import chart_from

    older = _bench_json(
        tmp_path / "a.json",
        "2026-12-01T00:00:00+00:00",
        {"1000x9": {"validate_seconds": 99.0}, "100000x300": {"validate_seconds": 12.0}},
    )
    newer = _bench_json(
        tmp_path / "b.json",
        "2026-12-05T00:00:00+00:00",
        {
            "1000x9": {"validate_seconds": 5.0, "bare_read_seconds": 0.01},
            "1000000x9": {"validate_seconds": 19.5, "bare_read_seconds": 2.0},
            "suggest:10000": {"suggest_themes_seconds": 40.0},
        },
    )
    svg_path = tmp_path / "docs" / "cost.svg"
    said = chart_from([newer, older], svg_path)  # the latest run wins, not the last named
    svg = svg_path.read_text(encoding="utf-8")
    points = {
        (name, measure)
        for name, measure in (
            ("1000x9", "validation"),
            ("1000x9", "bare read of the export"),
            ("1000000x9", "validation"),
            ("1000000x9", "bare read of the export"),
            ("100000x300", "validation"),
        )
    }
    for name, measure in points:
        assert f"measure: {measure}; " in svg and f"scenario: {name}; " in svg, (name, measure)
    labels = [x for x in svg.split('aria-label="') if "; scenario: " in x.split('"')[0]]
    assert len(labels) == len(points) + 2, "and the bound (4x the bare read) at each bare read"
    assert "scenario: 1000x9; seconds: 5.00" in svg and "seconds: 99" not in svg
    assert "suggest" not in svg
    assert svg.startswith('<svg role="img" aria-label="Seconds to validate')
    assert f"chart: {svg_path}" in said and "1,000,000 responses over 9 regions" in said


def test_the_cost_chart_is_drawn_unasked_only_when_two_sizes_ran(tmp_path: Path) -> None:
    from pipelines.bench.benchmark import default_chart

    json_path = tmp_path / "benchmark.json"
    one = {"1000x9": {"validate_seconds": 1.0}, "1000x300": {"validate_seconds": 2.0}}
    assert default_chart(one, json_path) is None
    two = {**one, "100000x9": {"validate_seconds": 3.0}}
    assert default_chart(two, json_path) == tmp_path / "benchmark-cost.svg"


def test_bench_json_that_is_not_a_result_is_named(tmp_path: Path) -> None:
    from pipelines.bench.cost_chart import load_results

    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError, match="bad.json"):
        load_results([bad])


def test_the_bare_read_stage_returns_seconds_peak_and_the_exports_size(tmp_path: Path) -> None:
    export = tmp_path / "data" / "raw" / "tiny" / "responses.csv"
    export.parent.mkdir(parents=True)
    export.write_text('id,age,said\n1,034,yes\n2,,"a, b"\n', encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.bench.stages", "bare_read", "tiny"],
        env=stage_environment(tmp_path), capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    line = json.loads(result.stdout.strip().splitlines()[-1])
    assert line["seconds"] > 0 and line["peak_rss_mib"] > 0
    assert (line["rows"], line["columns"]) == (2, 3)
    assert line["export_mb"] == pytest.approx(export.stat().st_size / 1e6)


def test_the_bare_read_reads_every_column_as_text(tmp_path: Path) -> None:
    from pipelines.bench.floor_stages import bare_read

    export = tmp_path / "responses.csv"
    export.write_text("id,age\n1,034\n2,7\n", encoding="utf-8")
    assert bare_read(export)["rows"] == 2
    assert pl.read_csv(export, infer_schema=False).dtypes == [pl.String, pl.String]


def test_one_chart_of_a_report_is_timed_after_a_first_draw(demo_root: Path) -> None:
    from pipelines.bench.floor_stages import chart_drawn, typical_chart

    spec = typical_chart("demo-care-at-home-2026", "North West", demo_root)
    assert "title" not in spec, "drawn as the report draws it: the title is the page's text"
    drawn = chart_drawn(spec, 2)
    assert drawn["draws"] == 2 and drawn["seconds"] > 0 and drawn["first_seconds"] > 0


def test_the_first_report_is_seen_staged_then_published(tmp_path: Path) -> None:
    from pipelines.bench.first_report import FirstReportWatch

    folder = tmp_path / "reports" / "c"
    folder.mkdir(parents=True)
    (folder / "london.html").write_text("an earlier run's page", encoding="utf-8")
    (folder / "overview.html").write_text("not a region", encoding="utf-8")
    watch = FirstReportWatch(folder, frozenset({"london.html", "north-west.html"}), 0.0)
    watch.look()
    assert watch.figures() == {}, "a page from an earlier run is not this run's"
    staging = folder / ".staging-20261205T000000Z-1"
    staging.mkdir()
    (staging / "overview.html").write_text("x", encoding="utf-8")
    watch.look()
    assert watch.figures() == {}, "the overview is not a region report"
    (staging / "north-west.html").write_text("x", encoding="utf-8")
    watch.look()
    assert set(watch.figures()) == {"first_report_seconds"}
    (staging / "north-west.html").replace(folder / "north-west.html")
    watch.look()
    figures = watch.figures()
    assert figures["first_published_seconds"] >= figures["first_report_seconds"]


def test_a_run_in_a_thread_is_watched_to_its_end(tmp_path: Path) -> None:
    from pipelines.bench.first_report import FirstReportWatch

    with FirstReportWatch(tmp_path, frozenset({"london.html"}), 0.0) as watch:
        (tmp_path / "london.html").write_text("x", encoding="utf-8")
    assert set(watch.figures()) == {"first_report_seconds", "first_published_seconds"}


def test_the_first_report_is_timed_from_the_start_of_the_process() -> None:
    from pipelines.bench.first_report import process_age

    if not Path("/proc/self/stat").is_file():
        pytest.skip("no /proc: the age is 0 where the system does not say")
    assert process_age() > 0, "this process started before now"


def test_one_kernel_is_started_as_the_workers_start_theirs() -> None:
    from pipelines.bench.floor_stages import kernels_started

    started = kernels_started(1)
    assert started["seconds"] > 0 and len(started["starts"]) == 1


def test_the_bench_trusts_its_own_export_past_the_file_size_cap(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 10M export (about 4 GB) is over the 2 GiB cap a real one is held to: the validate
    stage raises that cap, in its own process, to the export's size, and no other cap."""
    from pipelines import settings
    from pipelines.bench import stages
    from pipelines.ingest.read import check_file_size

    folder = tmp_path / "data" / "raw" / "bench-big"
    folder.mkdir(parents=True)
    export = folder / "responses.csv"
    export.write_bytes(b"x" * 5000)
    monkeypatch.setenv("WORKBOOK_ROOT", str(tmp_path))
    monkeypatch.setattr("pipelines.paths.ROOT", tmp_path)
    small = settings.InputLimits(max_file_bytes=100, max_cell_chars=7)
    monkeypatch.setattr(settings, "_limits_of", lambda path, mtime_ns: small)
    with pytest.raises(InputError, match="max_file_bytes"):
        check_file_size(export)

    assert stages.trust_export_size("bench-big") == 5000
    check_file_size(export)  # now within the cap
    assert settings.input_limits().max_file_bytes == 5000
    assert settings.input_limits().max_cell_chars == 7
