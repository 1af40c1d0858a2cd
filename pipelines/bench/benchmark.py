"""``workbook bench``: time every stage on synthetic consultations of given sizes.

For each scenario (``<responses>x<regions>``) a scratch project tree is made under the work
folder; each stage runs in a process of its own (``pipelines.bench.stages``) so its peak
memory is its own: generate, validate (read, GX, clean), redaction of one 10 MB cell, one
region's analysis, one region's report, every report (regions, overview, index) and the
naive loop on a few regions. A scenario ``suggest:<comments>`` times theme suggestions
instead (#21): that many synthetic coded comments learnt and as many uncoded ones suggested
(``pipelines.bench.suggest_bench``). The figures are printed beside the targets in
``config/benchmark.yml`` (:mod:`pipelines.bench.scenarios`), each stage's figure over its
floor (:mod:`pipelines.bench.floors`), and written to JSON, with a chart of validation's
cost against responses (:mod:`pipelines.bench.cost_chart`).
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from pipelines.bench.floors import add_ratios, floors_description
from pipelines.bench.scenarios import SUGGEST, Scenario, Target, load_bench_config, targets_of
from pipelines.bench.table import format_table
from pipelines.paths import ROOT

__all__ = ["Scenario", "Target", "format_table", "load_bench_config", "run_benchmark", "targets_of"]

REFERENCE_REGIONS = 9
GIB = 1024.0


def bench_suggestions(
    workdir: Path, scenario: Scenario, figures: dict[str, float], log=print
) -> None:
    """Theme suggestions: N synthetic coded comments learnt (cross-validation and final
    models) and N uncoded ones suggested, in a process of its own."""
    root = scenario_tree(workdir, scenario)
    log(f"[{scenario.name}] learning from {scenario.responses:,} comments, suggesting as many")
    timed = run_stage(
        root, "suggest", scenario.consultation, "--responses", str(scenario.responses)
    )
    figures["suggest_themes_seconds"] = timed["seconds"]
    figures["suggest_cross_validation_seconds"] = timed["cross_validation_seconds"]
    figures["suggest_final_models_seconds"] = timed["final_models_seconds"]
    figures["suggest_uncoded_seconds"] = timed["suggest_seconds"]
    figures["suggest_peak_rss_gib"] = max(timed["peak_rss_mib"], timed["peak_child_rss_mib"]) / GIB


#: Compiled modules for the stages' processes: a machine that sets PYTHONDONTWRITEBYTECODE
#: would otherwise recompile every import in every process (``import great_expectations``
#: 20-30 s instead of about 7), which measures the machine's setting, not the workbook.
BYTECODE_CACHE = Path(sys.prefix) / "pycache"


def stage_environment(root: Path) -> dict[str, str]:
    env = {**os.environ, "WORKBOOK_ROOT": str(root)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.setdefault("PYTHONPYCACHEPREFIX", str(BYTECODE_CACHE))
    return env


def compile_environment(folders: list[Path] | None = None) -> float:
    """Compile every module of Python, the environment and the project into :data:`BYTECODE_CACHE`
    (as the stages see it), before any scenario and untimed; its seconds.

    Python compiles a module the first time it is imported and keeps the result, so in a new
    clone the first scenario would otherwise time that once-only work: Great Expectations 11.6
    s instead of 5.7, one region's report 10.3 s instead of 6 (1,000 responses over 9 regions,
    a new clone's first scenario and then the same scenario again). The standard library is
    included: with a cache prefix set, Python does not use its own ``__pycache__``. Modules
    already compiled are skipped, so a second bench spends a few seconds here.
    """
    paths = sysconfig.get_paths()
    code = Path(__file__).resolve().parents[1]  # pipelines/, wherever WORKBOOK_ROOT points
    libraries = {paths[name] for name in ("stdlib", "platstdlib", "purelib", "platlib")}
    targets = folders or sorted({*map(Path, libraries), code})
    started = time.perf_counter()
    subprocess.run(
        # test suites (the standard library's own among them) are never imported by a stage
        [sys.executable, "-m", "compileall", "-q", "-j", "0", "-x", r"[/\\]tests?[/\\]"]
        + [str(target) for target in targets],
        env=stage_environment(ROOT),
        capture_output=True,  # a few packages ship files that are not Python 3: not ours
        check=False,
    )
    return time.perf_counter() - started


def run_stage(root: Path, stage: str, consultation: str, *options: str) -> dict:
    """One stage in a new process against ``root``; its JSON line as a dict."""
    result = subprocess.run(
        [sys.executable, "-m", "pipelines.bench.stages", stage, consultation, *options],
        env=stage_environment(root),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        killed = f" (killed by signal {-result.returncode})" if result.returncode < 0 else ""
        raise RuntimeError(f"stage {stage} failed{killed}: {result.stderr.strip()[-1500:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def scenario_tree(workdir: Path, scenario: Scenario) -> Path:
    """A fresh project tree for the scenario, with the reference geography and population."""
    root = workdir / scenario.consultation
    shutil.rmtree(root, ignore_errors=True)
    (root / "data" / "raw").mkdir(parents=True)
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    return root


def busiest_regions(root: Path, consultation: str, count: int) -> list[str]:
    """The regions with most valid responses, most first (the worst case for one region)."""
    responses = root / "data" / "clean" / consultation / "responses.parquet"
    ranked = (
        pl.scan_parquet(responses)
        .group_by(pl.col("region").cast(pl.String))
        .len()
        .sort(["len", "region"], descending=[True, False])
        .collect()
    )
    return ranked["region"].head(count).to_list()


def bench_scenario(
    workdir: Path,
    scenario: Scenario,
    naive_regions: int,
    reports: bool,
    figures: dict[str, float],
    log=print,
) -> None:
    """Every figure of one scenario (seconds, GiB, floors), into ``figures`` as they come,
    so a stage that fails (out of memory, say) leaves the figures before it."""
    root = scenario_tree(workdir, scenario)
    name = scenario.consultation
    bench_validation(root, scenario, figures, log)

    log(f"[{scenario.name}] redacting one 10 MB cell")
    figures["redact_10mb_cell_seconds"] = run_stage(root, "redact", name, "--cell-mb", "10")[
        "seconds"
    ]

    everywhere = busiest_regions(root, name, scenario.regions)  # every region, busiest first
    busiest = everywhere[: max(2, naive_regions)]
    log(f"[{scenario.name}] analysing {busiest[0]}")
    figures["analyse_seconds"] = run_stage(root, "analyse", name, "--region", busiest[0])["seconds"]
    if not reports:
        return
    bench_report_floors(root, scenario, busiest[0], figures, log)
    bench_reports(root, scenario, everywhere, busiest, figures, log)
    if naive_regions:
        log(f"[{scenario.name}] the naive loop on {naive_regions} regions")
        naive = run_stage(root, "naive", name, "--region", "|".join(busiest[:naive_regions]))
        per_report = naive["seconds"] / naive["reports"]
        figures["naive_seconds_per_report"] = per_report
        figures["speedup_over_naive"] = (
            per_report * figures["reports"] / figures["report_all_seconds"]
        )


def bench_validation(root: Path, scenario: Scenario, figures: dict[str, float], log=print) -> None:
    """Generate the export, validate it (read, GX, clean, tallies) and read it bare: the
    validation's floor, after it, so that a floor that fails costs no figure of its own."""
    name = scenario.consultation
    regions = [] if scenario.regions == REFERENCE_REGIONS else ["--regions", str(scenario.regions)]
    log(f"[{scenario.name}] generating {scenario.responses:,} responses")
    generated = run_stage(root, "generate", name, "--responses", str(scenario.responses), *regions)
    figures["generate_seconds"] = generated["seconds"]

    log(f"[{scenario.name}] validating")
    validated = run_stage(root, "validate", name)
    figures["validate_seconds"] = validated["seconds"]
    for stage, seconds in validated["stages"].items():  # read, validate (GX), clean
        figures[f"validate_{'gx' if stage == 'validate' else stage}_seconds"] = seconds
    figures["validate_peak_rss_gib"] = validated["peak_rss_mib"] / GIB

    log(f"[{scenario.name}] reading the export bare (the floor)")
    bare = floor_stage(root, "bare_read", name, log=log)
    if bare is not None:
        figures["bare_read_seconds"] = bare["seconds"]
        figures["bare_read_peak_rss_gib"] = bare["peak_rss_mib"] / GIB
        figures["export_mb"] = bare["export_mb"]


#: Warm draws of the typical chart and kernel starts timed for the reports' floors (medians).
CHART_DRAWS = 10
KERNEL_STARTS = 3


def bench_report_floors(
    root: Path, scenario: Scenario, region: str, figures: dict[str, float], log=print
) -> None:
    """The reports' floors: one typical chart of ``region``'s report drawn warm, and one
    kernel started and ready (medians of :data:`CHART_DRAWS` and :data:`KERNEL_STARTS`)."""
    name = scenario.consultation
    log(f"[{scenario.name}] drawing one chart, starting one kernel (the floors)")
    chart = floor_stage(
        root, "chart", name, "--region", region, "--repeat", str(CHART_DRAWS), log=log
    )
    if chart is not None:
        figures["chart_seconds"] = chart["seconds"]
    kernel = floor_stage(root, "kernel", name, "--repeat", str(KERNEL_STARTS), log=log)
    if kernel is not None:
        figures["kernel_start_seconds"] = kernel["seconds"]


def floor_stage(root: Path, stage: str, consultation: str, *options: str, log=print) -> dict | None:
    """A floor's stage, as :func:`run_stage`; where it fails, a line saying so and None: the
    stage it is a floor for keeps its figures."""
    try:
        return run_stage(root, stage, consultation, *options)
    except RuntimeError as error:
        log(f"the floor {stage} was not measured: {error}")
        return None


def bench_reports(
    root: Path,
    scenario: Scenario,
    everywhere: list[str],
    busiest: list[str],
    figures: dict[str, float],
    log=print,
) -> None:
    """One region's report, every report, the marginal cost of one more, and when the first
    report reached the disk."""
    name = scenario.consultation
    log(f"[{scenario.name}] reporting {busiest[0]}")
    one = run_stage(root, "report", name, "--region", busiest[0])
    # the baseline for the marginal cost starts as many workers as the full run (one per
    # core, at most one per report), so worker and kernel start-up cancel out
    workers = min(os.cpu_count() or 1, scenario.regions + 1)
    baseline = one
    if workers > 1 and len(busiest) >= workers:
        log(f"[{scenario.name}] reporting {', '.join(busiest[:workers])}")
        baseline = run_stage(root, "report", name, "--region", "|".join(busiest[:workers]))
    log(f"[{scenario.name}] reporting every region (no overview)")
    regional = run_stage(root, "report", name, "--region", "|".join(everywhere))
    log(f"[{scenario.name}] reporting every region, the overview and the index")
    every = run_stage(root, "report", name)
    if any(run["failed"] for run in (one, baseline, regional, every)):
        raise RuntimeError(f"{every['failed']} reports failed in bench scenario {scenario.name}")
    figures["report_one_seconds"] = one["seconds"]
    figures["report_all_seconds"] = every["seconds"]
    figures["reports"] = every["reports"]
    figures["report_peak_rss_gib"] = max(every["peak_rss_mib"], every["peak_child_rss_mib"]) / GIB
    for first in ("first_report_seconds", "first_published_seconds"):
        if first in every:
            figures[first] = every[first]
    # one more region report, once the run is going: the overview (a report of every
    # region's data) is timed apart
    figures["marginal_seconds_per_report"] = (regional["seconds"] - baseline["seconds"]) / max(
        1, regional["reports"] - baseline["reports"]
    )
    figures["overview_seconds"] = every["seconds"] - regional["seconds"]


def run_benchmark(
    scenarios: list[Scenario],
    workdir: Path,
    json_path: Path,
    naive_regions: int,
    reports: bool = True,
    keep: bool = False,
    chart: Path | None = None,
) -> tuple[str, bool]:
    """Run every scenario, write the JSON (and the cost chart: to ``chart``, or beside the
    JSON where the run covers two sizes or more); the printed table, and whether every
    scenario ran."""
    config = load_bench_config()
    targets = targets_of(config)
    results: dict[str, dict[str, float]] = {}
    errors: dict[str, str] = {}
    print("compiling the environment's modules (once, untimed)", flush=True)
    compile_seconds = compile_environment()
    for scenario in scenarios:
        results[scenario.name] = {}
        try:
            if scenario.suggest:
                bench_suggestions(workdir, scenario, results[scenario.name])
            else:
                bench_scenario(workdir, scenario, naive_regions, reports, results[scenario.name])
        except RuntimeError as error:
            errors[scenario.name] = str(error)
        finally:
            add_ratios(results[scenario.name])
            if not keep:
                shutil.rmtree(workdir / scenario.consultation, ignore_errors=True)
    table = format_table(results, targets, errors)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    written = {
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine_description(workdir, compile_seconds),
        "results": results,
        "errors": errors,
        "targets": [t.__dict__ for t in targets],
        "floors": floors_description(),
    }
    json_path.write_text(json.dumps(written, indent=2), encoding="utf-8")
    chart = chart or default_chart(results, json_path)
    if chart is not None:
        table += "\n" + draw_cost_chart(results, chart)
    return table, not errors


def machine_description(workdir: Path, compile_seconds: float) -> dict[str, object]:
    """What the figures were measured on: cores, memory, processor, Python, the system,
    how loaded it was when the run finished (other users' work moves every figure)."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") if os.name == "posix" else 0
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(memory / 1024**3, 1),
        "processor": processor_name(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "load_average": [round(x, 2) for x in os.getloadavg()] if hasattr(os, "getloadavg") else [],
        "bytecode_cache": stage_environment(workdir)["PYTHONPYCACHEPREFIX"],
        "compile_seconds": round(compile_seconds, 1),
    }


def processor_name() -> str:
    """The processor's model name (Linux: /proc/cpuinfo), else what ``platform`` says."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor()


def default_chart(results: dict[str, dict[str, float]], json_path: Path) -> Path | None:
    """Where the cost chart goes unasked: beside the JSON (``<json>-cost.svg``) where two
    or more sizes were validated, else nowhere."""
    sizes = {
        Scenario.parse(name).responses
        for name, figures in results.items()
        if not name.startswith(SUGGEST) and "validate_seconds" in figures
    }
    return json_path.with_name(f"{json_path.stem}-cost.svg") if len(sizes) >= 2 else None


def draw_cost_chart(results: dict[str, dict[str, float]], out: Path) -> str:
    """The cost chart of ``results`` written to ``out``; the line saying where, and its alt
    text."""
    from pipelines.bench.cost_chart import write_cost_chart

    alt = write_cost_chart(results, out)
    return f"chart: {out}\nalt text: {alt}"


def chart_from(paths: list[Path], out: Path) -> str:
    """The cost chart drawn from bench JSON files already written (``--from``), no run."""
    from pipelines.bench.cost_chart import load_results

    return draw_cost_chart(load_results(paths), out)
