"""One benchmark stage in a process of its own, so its peak memory is its own.

``python -m pipelines.bench.stages <stage> <consultation> [options]`` runs one stage against
the project tree in ``WORKBOOK_ROOT`` and prints one JSON line: the stage's seconds (imports
and start-up left out where the stage says so) and the peak resident memory of the process
and of the largest process it started (report workers, kernels).
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from collections.abc import Callable

import polars as pl

from pipelines.store.clean_data import CleanData


def region_analysis(data: CleanData) -> dict[str, pl.DataFrame]:
    """Every analysis table of one area, as its report computes them (no disclosure, no
    charts): participation, each question, representation and themes."""
    from pipelines.analysis import participation, questions, representation, themes
    from pipelines.fields import MONITORING_FIELDS

    place = "locality" if data.area.region else "region"
    tables = {
        "participation_by_group": participation.participation_by_group(data),
        "participation_by_channel": participation.participation_by_channel(data),
        "participation_by_group_and_place": participation.participation_by_group_and_place(
            data, place
        ),
    }
    for question in data.consultation.questions:
        if question.type in ("single", "likert"):
            tables[f"question_{question.id}"] = questions.single_choice(data, question)
        elif question.type == "multi":
            tables[f"question_{question.id}"] = questions.multi_choice(data, question)
        elif question.type == "number":
            tables[f"question_{question.id}"] = questions.number_summary(data, question)
        else:
            tables[f"themes_{question.id}"] = themes.themes(data, question.id)
    for dimension in MONITORING_FIELDS:
        tables[f"representation_{dimension}"] = representation.representation(data, dimension)
    return tables


def _generate(args: argparse.Namespace) -> dict[str, object]:
    from pipelines.paths import raw_dir
    from pipelines.sample import write_sample

    started = time.perf_counter()
    write_sample(raw_dir(args.consultation), responses=args.responses, regions=args.regions)
    return {"seconds": time.perf_counter() - started}


def trust_export_size(consultation: str) -> int:
    """Raise ``max_file_bytes`` in this process to the size of the consultation's biggest raw
    file, and return that size: the bench's exports are synthetic and trusted, and at 10M
    responses (about 4 GB) the export is over the 2 GiB cap a real one is held to. Every
    other cap stays as ``config/workbook.yml`` sets it."""
    from dataclasses import replace

    from pipelines import settings
    from pipelines.paths import raw_dir

    biggest = max(p.stat().st_size for p in raw_dir(consultation).iterdir() if p.is_file())
    configured = settings._limits_of  # every reader's input_limits() goes through it
    settings._limits_of = lambda path, mtime_ns: replace(
        configured(path, mtime_ns),
        max_file_bytes=max(biggest, configured(path, mtime_ns).max_file_bytes),
    )
    return biggest


def _validate(args: argparse.Namespace) -> dict[str, object]:
    from pipelines.prepare import prepare_consultation

    trust_export_size(args.consultation)
    started = time.perf_counter()
    summary = prepare_consultation(args.consultation)
    return {
        "seconds": time.perf_counter() - started,
        "stages": summary.stage_seconds,
        "rows_read": summary.rows_read,
        "rows_valid": summary.rows_valid,
    }


def _analyse(args: argparse.Namespace) -> dict[str, object]:
    """One region's data read as its report reads it (the tallies prepare stored for it:
    its rows are read only where none were stored), then every analysis table of its report."""
    from pipelines.analysis.in_memory import for_report
    from pipelines.store.clean_data import for_area, load_clean

    started = time.perf_counter()
    area = for_report(for_area(load_clean(args.consultation), region=args.region))
    tables = region_analysis(area)
    return {"seconds": time.perf_counter() - started, "tables": len(tables)}


def _report(args: argparse.Namespace) -> dict[str, object]:
    """``run_reports`` for the regions asked (default: every one, the overview and the
    index). ``seconds`` from its call; ``first_report_seconds`` and
    ``first_published_seconds`` (:mod:`pipelines.bench.first_report`) from this process's
    start, as a run of ``workbook report`` is timed from the command."""
    from pipelines.bench.first_report import FirstReportWatch, process_age
    from pipelines.geography import load_regions
    from pipelines.paths import raw_dir, reports_dir

    commanded = time.perf_counter() - process_age()
    slugs = load_regions(raw_dir(args.consultation))["region_slug"].unique().to_list()
    pages = frozenset(f"{slug}.html" for slug in slugs)
    with FirstReportWatch(reports_dir(args.consultation), pages, commanded) as watch:
        from pipelines.report.runner import run_reports

        started = time.perf_counter()
        result = run_reports(
            args.consultation,
            regions=args.region.split("|") if args.region else None,
            progress=False,
            warm=not args.fresh_kernels,
        )
        seconds = time.perf_counter() - started
    return {
        "seconds": seconds,
        "reports": len(result.outcomes),
        "failed": len(result.failed),
        **watch.figures(),
    }


def _naive(args: argparse.Namespace) -> dict[str, object]:
    from pipelines.bench.naive import naive_reports
    from pipelines.paths import ROOT

    regions = args.region.split("|")
    out = ROOT / "reports" / args.consultation / "naive"
    return {"seconds": naive_reports(args.consultation, regions, out), "reports": len(regions)}


#: What the 10 MB cell of the redaction stage is made of, 200 KB of each in turn: runs that
#: make a backtracking pattern try every position, and text dense with details.
REDACTION_UNITS: tuple[str, ...] = (
    "a",
    "a@",
    "1",
    ".",
    " ",
    "a.",
    "a dot a at ",
    "1 ",
    "Dr Aa ",
    "12 Aa ",
    "born 1",
    "\u200b",
    "jo.bloggs@nhs.net, ",
    "07700 900123, ",
    "QQ 12 34 56 C, ",
    "SW1A 1AA, ",
    "12 Acacia Avenue, ",
    "bit.ly/x1 ",
    "The carers were kind and on time; my name is Jo Bloggs. ",
    "Thanks to Sharon, Julie Smith's team and Holly on Rose Ward. ",
)


def redaction_cell(size: int) -> str:
    """A cell of ``size`` characters made of :data:`REDACTION_UNITS`, 200 KB each in turn."""
    block = 200_000
    parts: list[str] = []
    length = 0
    while length < size:
        unit = REDACTION_UNITS[len(parts) % len(REDACTION_UNITS)]
        part = unit * (min(block, size - length) // len(unit) or 1)
        parts.append(part)
        length += len(part)
    return "".join(parts)[:size]


def _redact(args: argparse.Namespace) -> dict[str, object]:
    """Redaction of one cell of ``--cell-mb`` megabytes (issue #15: linear time on any input)."""
    from pipelines.redact import RedactionLog, redact

    cell = redaction_cell(int(args.cell_mb * 1_000_000))
    log = RedactionLog()
    started = time.perf_counter()
    redact(cell, log)
    return {"seconds": time.perf_counter() - started, "removed": sum(log.counts.values())}


def _suggest(args: argparse.Namespace) -> dict[str, object]:
    """Theme suggestions (#21): ``--responses`` coded comments learnt, as many suggested."""
    from pipelines.bench.suggest_bench import time_suggestions

    return dict(time_suggestions(args.responses))


def _bare_read(args: argparse.Namespace) -> dict[str, object]:
    """The validation's floor (#22): the export read bare, every column as text."""
    from pipelines.bench.floor_stages import bare_read, export_path

    return bare_read(export_path(args.consultation))


def _chart(args: argparse.Namespace) -> dict[str, object]:
    """A report's floor (#22): one typical chart of ``--region``'s report drawn, warm."""
    from pipelines.bench.floor_stages import chart_drawn, typical_chart

    return chart_drawn(typical_chart(args.consultation, args.region), args.repeat)


def _kernel(args: argparse.Namespace) -> dict[str, object]:
    """A report's other floor (#22): one kernel started and ready, as the workers start it."""
    from pipelines.bench.floor_stages import kernels_started

    return kernels_started(args.repeat)


STAGES: dict[str, Callable[[argparse.Namespace], dict[str, object]]] = {
    "bare_read": _bare_read,
    "chart": _chart,
    "kernel": _kernel,
    "generate": _generate,
    "validate": _validate,
    "analyse": _analyse,
    "report": _report,
    "naive": _naive,
    "redact": _redact,
    "suggest": _suggest,
}


def peak_rss_mib() -> dict[str, float]:
    """Peak resident memory of this process and of its largest child so far (MiB)."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {"peak_rss_mib": round(own, 1), "peak_child_rss_mib": round(children, 1)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.bench.stages")
    parser.add_argument("stage", choices=sorted(STAGES))
    parser.add_argument("consultation")
    parser.add_argument("--responses", type=int, default=1000)
    parser.add_argument("--regions", type=int, default=None, help="K made-up regions")
    parser.add_argument("--region", default="", help="a region, or several '|'-separated")
    parser.add_argument("--fresh-kernels", action="store_true")
    parser.add_argument("--cell-mb", type=float, default=10.0, help="redact: the cell's size")
    parser.add_argument("--repeat", type=int, default=1, help="chart: draws; kernel: starts")
    args = parser.parse_args(argv)
    outcome = STAGES[args.stage](args)
    print(json.dumps({**outcome, **peak_rss_mib()}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
