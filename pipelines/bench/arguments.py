"""``workbook bench``'s arguments (the command itself: ``pipelines.cli``)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_bench_parser(sub: argparse._SubParsersAction) -> None:
    """The ``bench`` subcommand and its options, on the command's subparsers."""
    bench = sub.add_parser(
        "bench",
        help="time every stage on synthetic consultations and print the figures",
        description="Build synthetic consultations, time each stage (generate, validate, "
        "analyse one region, report one region, report all, the naive papermill + nbconvert "
        "loop) in processes of their own, print seconds and peak memory beside the targets "
        "in config/benchmark.yml, each stage beside its floor (a bare read of the export, one "
        "chart drawn, one kernel started) and the ratio, and write them to JSON. See "
        "docs/performance.md.",
    )
    bench.add_argument(
        "--scenario",
        action="append",
        metavar="NxK|suggest:N",
        help="N responses over K regions (9: the reference geography), or suggest:N (N "
        "comments learnt and suggested, #21); repeatable; default: scenarios in "
        "config/benchmark.yml",
    )
    bench.add_argument(
        "--naive-regions",
        type=int,
        metavar="N",
        help="regions to time the naive loop on (0: skip; default in config/benchmark.yml)",
    )
    bench.add_argument("--no-reports", action="store_true", help="stop after the analysis")
    bench.add_argument("--workdir", type=Path, help="scratch folder (default: a new temp folder)")
    bench.add_argument("--keep", action="store_true", help="keep each scenario's scratch tree")
    bench.add_argument("--json", type=Path, help="where to write the figures "
                       "(default reports/benchmark.json)")  # fmt: skip
    bench.add_argument(
        "--chart",
        type=Path,
        metavar="SVG|PNG",
        help="draw validation's seconds and the bare read against responses here (e.g. "
        "docs/performance-cost.svg); default: beside the JSON when two sizes or more ran",
    )
    bench.add_argument(
        "--from",
        dest="chart_from",
        type=Path,
        nargs="+",
        metavar="JSON",
        help="draw the chart (--chart, default docs/performance-cost.svg) from these bench "
        "results instead of running scenarios; a scenario in several: the latest run's",
    )
