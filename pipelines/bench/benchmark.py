"""``workbook bench``: time every stage on synthetic consultations of given sizes.

For each scenario (``<responses>x<regions>``) a scratch project tree is made under the work
folder; each stage runs in a process of its own (``pipelines.bench.stages``) so its peak
memory is its own: generate, validate (read, GX, clean), redaction of one 10 MB cell, one
region's analysis, one region's report, every report (regions, overview, index) and the
naive loop on a few regions. A scenario ``suggest:<comments>`` times theme suggestions
instead (#21): that many synthetic coded comments learnt and as many uncoded ones suggested
(``pipelines.bench.suggest_bench``). The figures are printed beside the targets in
``config/benchmark.yml`` (and :data:`DEFAULT_TARGETS` where it sets none) and written to JSON.
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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import yaml

from pipelines.errors import InputError
from pipelines.paths import CONFIG_DIR, ROOT

REFERENCE_REGIONS = 9
GIB = 1024.0
#: The prefix of a theme-suggestion scenario: ``suggest:<comments>``.
SUGGEST = "suggest:"


@dataclass(frozen=True)
class Scenario:
    """A synthetic consultation: how many responses, over how many regions; or, for
    ``suggest``, how many comments learnt from (and as many suggested for)."""

    responses: int
    regions: int
    suggest: bool = False

    @classmethod
    def parse(cls, text: str) -> Scenario:
        if text.lower().startswith(SUGGEST):
            count = text[len(SUGGEST) :]
            if not count.isdigit() or int(count) < 100:
                raise InputError(
                    f"a suggestion scenario is suggest:<comments>, at least 100, e.g. "
                    f"suggest:10000, not {text!r}"
                )
            return cls(int(count), 1, suggest=True)
        try:
            responses, regions = (int(part) for part in text.lower().split("x"))
        except ValueError:
            raise InputError(
                f"a scenario is <responses>x<regions>, e.g. 100000x9, not {text!r}"
            ) from None
        if responses < 1 or regions < 1:
            raise InputError(f"a scenario needs at least 1 response and 1 region: {text!r}")
        return cls(responses, regions)

    @property
    def name(self) -> str:
        return f"{SUGGEST}{self.responses}" if self.suggest else f"{self.responses}x{self.regions}"

    @property
    def consultation(self) -> str:
        if self.suggest:
            return f"bench-suggest-{self.responses}"
        return f"bench-{self.responses}-{self.regions}"


@dataclass(frozen=True)
class Target:
    figure: str
    responses: int | None = None
    at_most: float | None = None
    at_least: float | None = None

    def applies(self, scenario: Scenario) -> bool:
        return self.responses is None or self.responses == scenario.responses

    def met(self, value: float) -> bool:
        if self.at_most is not None:
            return value <= self.at_most
        return self.at_least is None or value >= self.at_least

    def describe(self) -> str:
        return f"<= {self.at_most:g}" if self.at_most is not None else f">= {self.at_least:g}"


def load_bench_config(path: Path | None = None) -> dict:
    return yaml.safe_load((path or CONFIG_DIR / "benchmark.yml").read_text(encoding="utf-8"))


#: Targets that apply where ``config/benchmark.yml`` names none for their figure: #21's
#: 10,000 comments learnt and suggested in 60 s or less.
DEFAULT_TARGETS: tuple[Target, ...] = (
    Target(figure="suggest_themes_seconds", responses=10000, at_most=60),
)


def targets_of(config: dict) -> list[Target]:
    """The configured targets, and each default target whose figure the file leaves out."""
    targets = [Target(**entry) for entry in config.get("targets", [])]
    named = {target.figure for target in targets}
    return targets + [target for target in DEFAULT_TARGETS if target.figure not in named]


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
    """Every figure of one scenario (seconds, GiB, ratios), into ``figures`` as they come, so
    a stage that fails (out of memory, say) leaves the figures before it."""
    root = scenario_tree(workdir, scenario)
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
    # one more region report, once the run is going: the overview (a report of every
    # region's data) is timed apart
    figures["marginal_seconds_per_report"] = (regional["seconds"] - baseline["seconds"]) / max(
        1, regional["reports"] - baseline["reports"]
    )
    figures["overview_seconds"] = every["seconds"] - regional["seconds"]
    if naive_regions:
        log(f"[{scenario.name}] the naive loop on {naive_regions} regions")
        naive = run_stage(root, "naive", name, "--region", "|".join(busiest[:naive_regions]))
        per_report = naive["seconds"] / naive["reports"]
        figures["naive_seconds_per_report"] = per_report
        figures["speedup_over_naive"] = per_report * every["reports"] / every["seconds"]


def format_table(
    results: dict[str, dict[str, float]],
    targets: list[Target],
    errors: dict[str, str] | None = None,
) -> str:
    """Figures down, scenarios across, each beside the target that applies (ok / MISS); a
    scenario that failed is named under the table with its error."""
    names = list(results)
    figures = list(dict.fromkeys(f for r in results.values() for f in r))
    rows = [["figure", *names, "target"]]
    for figure in figures:
        row, wanted = [figure], ""
        for scenario_name in names:
            value = results[scenario_name].get(figure)
            if value is None:
                row.append("-")
                continue
            text = f"{value:,.0f}" if figure == "reports" else f"{value:,.3g}"
            scenario = Scenario.parse(scenario_name)
            for target in targets:
                if target.figure == figure and target.applies(scenario):
                    text += " ok" if target.met(value) else " MISS"
                    wanted = target.describe() + (
                        f" at {target.responses:,}" if target.responses else ""
                    )
            row.append(text)
        rows.append([*row, wanted])
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)) for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    lines += [f"{name}: FAILED, {error}" for name, error in (errors or {}).items()]
    return "\n".join(lines)


def run_benchmark(
    scenarios: list[Scenario],
    workdir: Path,
    json_path: Path,
    naive_regions: int,
    reports: bool = True,
    keep: bool = False,
) -> tuple[str, bool]:
    """Run every scenario, write the JSON; the printed table, and whether every one ran."""
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
            if not keep:
                shutil.rmtree(workdir / scenario.consultation, ignore_errors=True)
    table = format_table(results, targets, errors)
    json_path.parent.mkdir(parents=True, exist_ok=True)
    json_path.write_text(
        json.dumps(
            {
                "finished": datetime.now(UTC).isoformat(timespec="seconds"),
                "machine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "platform": platform.platform(),
                    "bytecode_cache": stage_environment(workdir)["PYTHONPYCACHEPREFIX"],
                    "compile_seconds": round(compile_seconds, 1),
                },
                "results": results,
                "errors": errors,
                "targets": [t.__dict__ for t in targets],
            },
            indent=2,
        ),
        encoding="utf-8",
    )
    return table, not errors
