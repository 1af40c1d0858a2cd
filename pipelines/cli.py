"""The ``workbook`` command: ``init``, ``sample``, ``validate``, ``report``, ``export``
(data-contract.md) and ``bench``.

Exit codes: 0 done (quarantined rows are not a failure); 1 some reports failed, the others
were written and the index says which; 2 unusable input or arguments, nothing written;
130 interrupted (Ctrl-C): one line says what was published and what was not; 143 stopped by
SIGTERM (a scheduler's stop, a CI timeout, ``kill``), handled as Ctrl-C is.

Written for a terminal and for a log file alike: a progress bar only where stdout and
stderr are terminals, else one line per report; log lines start ``workbook:``.
"""

from __future__ import annotations

import argparse
import errno
import logging
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines import paths
from pipelines.atomic import all_kept_since, listed, put_in_place_mark, put_in_place_since
from pipelines.errors import EXIT_OK, EXIT_SOME_REPORTS_FAILED, EXIT_UNUSABLE_INPUT, InputError
from pipelines.paths import ROOT, consultation_name
from pipelines.runlock import consultation_lock

if TYPE_CHECKING:
    from pipelines.report.outcomes import ReportDone

log = logging.getLogger("workbook")

#: The exit code of a run stopped by Ctrl-C (SIGINT): 128 + 2, as shells report it.
EXIT_INTERRUPTED = 130
#: The exit code of a run stopped by SIGTERM: 128 + 15, as shells report it.
EXIT_TERMINATED = 143

DEMO = "demo-care-at-home-2026"
#: Errors that mean "the output folder cannot take this write": read-only, full, no access.
UNWRITABLE = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT}


class _Parser(argparse.ArgumentParser):
    def error(
        self, message: str
    ) -> None:  # argparse's own exit code is 2 too; keep the contract explicit
        self.print_usage(sys.stderr)
        print(f"workbook: error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_UNUSABLE_INPUT)


def workbook_version() -> str:
    """The installed workbook's version (pyproject.toml's), "unknown" where not installed."""
    try:
        return version("participation-workbook")
    except PackageNotFoundError:
        return "unknown"


def add_global_flags(parser: argparse.ArgumentParser, after_subcommand: bool) -> None:
    """Flags every command takes, before or after its name (``workbook -q report x`` and
    ``workbook report x -q``). After it they default to "not given", so that a flag given
    before the name is not undone."""
    unset = {"default": argparse.SUPPRESS} if after_subcommand else {}
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="only warnings and errors", **unset
    )
    parser.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar: one line per report instead (the default where the output "
        "is not a terminal: a log file, cron, CI)",
        **unset,
    )


def build_parser() -> argparse.ArgumentParser:
    """The command line: one subcommand per job, each with its own arguments, and the
    global flags accepted before or after the subcommand."""
    parser = _Parser(
        prog="workbook",
        description="Validate, analyse and report consultation and engagement data.",
    )
    add_global_flags(parser, after_subcommand=False)
    parser.add_argument("--version", action="version", version=f"%(prog)s {workbook_version()}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _init_arguments(sub)
    _validate_arguments(sub)
    _report_arguments(sub)
    _export_arguments(sub)
    _sample_arguments(sub)
    _bench_arguments(sub)
    _suggest_arguments(sub)
    for command in sub.choices.values():
        add_global_flags(command, after_subcommand=True)
    return parser


def _suggest_arguments(sub: argparse._SubParsersAction) -> None:
    suggest = sub.add_parser(
        "suggest-themes",
        help="learn a consultation's themes from its coded comments and suggest themes for the "
        "rest (offline; for an analyst to review)",
    )
    suggest.add_argument(
        "consultation", help="a folder name under data/raw/ (or a path to such a folder)"
    )
    suggest.add_argument(
        "--question",
        action="append",
        metavar="ID",
        help="a free-text question id (repeatable); default: every free-text question",
    )


def _init_arguments(sub: argparse._SubParsersAction) -> None:
    init = sub.add_parser(
        "init", help="draft a consultation.yml from a survey tool's export, for you to check"
    )
    init.add_argument(
        "export",
        help="the export in its consultation's folder: data/raw/<consultation>/responses.csv",
    )


def _validate_arguments(sub: argparse._SubParsersAction) -> None:
    validate = sub.add_parser(
        "validate", help="check a consultation's raw files and write its clean data"
    )
    validate.add_argument(
        "consultation", help="a folder name under data/raw/ (or a path to such a folder)"
    )


def _report_arguments(sub: argparse._SubParsersAction) -> None:
    report = sub.add_parser("report", help="write the region reports, the overview and the index")
    report.add_argument(
        "consultation", help="a folder name under data/raw/ (or a path to such a folder)"
    )
    report.add_argument(
        "--region",
        action="append",
        metavar="NAME",
        help="a region name or slug (repeatable); default: all, plus overview and index",
    )
    report.add_argument(
        "--disclosure",
        choices=["restricted", "public", "none"],
        help="disclosure control profile (default: restricted)",
    )
    report.add_argument(
        "--min-cell",
        type=int,
        metavar="N",
        help="smallest count shown under restricted (default 10)",
    )
    report.add_argument(
        "--jobs",
        type=int,
        metavar="N",
        help="reports run at once; 0: one per CPU core (default: `jobs` in config/workbook.yml)",
    )
    report.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run the reports on a Dask distributed cluster, e.g. tcp://host:8786 "
        "(default: `scheduler` in config/workbook.yml, else local worker processes)",
    )
    report.add_argument(
        "--fresh-kernels",
        action="store_true",
        help="start a new kernel for every report instead of reusing warm ones (slower)",
    )
    report.add_argument(
        "--pdf",
        action="store_true",
        help="also write each report as an A4 PDF beside its page (<region>.pdf, overview.pdf)",
    )


def _export_arguments(sub: argparse._SubParsersAction) -> None:
    export = sub.add_parser(
        "export",
        help="turn a report notebook executed with plain papermill into its report page",
        description="Write the page `workbook report` would write for this executed report "
        "notebook (20_region_report or 30_overview run with papermill): the same export, "
        "styles, banner and footer. The notebook's tables must be where its tables_dir put "
        "them (default: reports/<consultation>/<region>/tables).",
    )
    export.add_argument("notebook", type=Path, help="the executed notebook (.ipynb)")
    export.add_argument(
        "--out",
        type=Path,
        metavar="PAGE",
        help="the page to write (default: reports/<consultation>/<region-slug>.html for a "
        "notebook in reports/<consultation>/executed/, else beside the notebook)",
    )


def _sample_arguments(sub: argparse._SubParsersAction) -> None:
    sample = sub.add_parser("sample", help="generate a realistic synthetic consultation folder")
    sample.add_argument("--out", type=Path, help=f"output folder (default data/raw/{DEMO})")
    sample.add_argument(
        "--responses",
        type=int,
        default=6000,
        metavar="N",
        help="number of responses (default 6000)",
    )
    sample.add_argument(
        "--seed", type=int, default=2026, metavar="N", help="random seed (default 2026)"
    )
    sample.add_argument(
        "--year", type=int, default=2026, metavar="YYYY", help="the wave's year (default 2026)"
    )
    sample.add_argument(
        "--regions",
        type=int,
        metavar="K",
        help="K made-up regions of 3 localities, written as the folder's own regions.csv and "
        "population.csv (default: data/reference's geography)",
    )


def _bench_arguments(sub: argparse._SubParsersAction) -> None:
    from pipelines.bench.arguments import add_bench_parser

    add_bench_parser(sub)


class _UserWords(logging.Formatter):
    """Log lines in the user's words: ``12:00:01 workbook: <message>`` (``warning:`` or
    ``error:`` before a message that is one), never the module that wrote it."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s workbook: %(message)s", datefmt="%H:%M:%S")

    def formatMessage(self, record: logging.LogRecord) -> str:  # noqa: N802 (logging's name)
        line = super().formatMessage(record)
        if record.levelno >= logging.WARNING:
            head, _, message = line.partition("workbook: ")
            line = f"{head}workbook: {record.levelname.lower()}: {message}"
        return line


def configure_logging(quiet: bool) -> None:
    """One handler on stderr, in the user's words; libraries' chatter kept to warnings."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_UserWords())
    logging.basicConfig(
        level=logging.WARNING if quiet else logging.INFO, handlers=[handler], force=True
    )
    for noisy in ("papermill", "great_expectations", "py.warnings", "traitlets"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    configure_logging(args.quiet)
    stopped: list[int] = []
    done_before = put_in_place_mark()
    try:
        with _sigterm_as_ctrl_c(stopped):
            return COMMANDS[args.command](args)
    except KeyboardInterrupt as stop:
        code = _interrupted(stop, args.command, done_before)
        return EXIT_TERMINATED if signal.SIGTERM in stopped else code
    except InputError as error:
        print(f"workbook: {error}", file=sys.stderr)
        return EXIT_UNUSABLE_INPUT
    except OSError as error:
        if error.errno not in UNWRITABLE:
            raise
        where = error.filename or "the output folder"
        print(
            f"workbook: cannot write to {where}: {error.strerror}. Check the folder's "
            "permissions and free space; earlier outputs were left as they were.",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE_INPUT


@contextmanager
def _sigterm_as_ctrl_c(stopped: list[int]) -> Iterator[None]:
    """SIGTERM (Airflow's kill, a CI job's timeout, ``kill``) stops a command as Ctrl-C
    does: the same clean stop and one line, then exit 143 (the signal is noted in
    ``stopped``). The handler before is put back after (main may run inside another
    program, a test say); off the main thread, signals cannot be handled, so nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, _frame: object) -> None:
        stopped.append(signum)
        raise KeyboardInterrupt

    before = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, before)


#: Commands whose every write goes through :mod:`pipelines.atomic`, so that an interrupted
#: one can say what it had written (``bench`` writes its files directly).
WRITES_RECORDED = frozenset({"init", "sample", "validate", "report", "export", "suggest-themes"})


def _interrupted(stop: KeyboardInterrupt, command: str, mark: int) -> int:
    """Ctrl-C: one line saying what was published (a report run says which reports) and
    what the command had put in place before the stop (each whole), exit 130."""
    from pipelines.report.outcomes import RunInterrupted

    written = put_in_place_since(mark)
    if isinstance(stop, RunInterrupted):
        reports = paths.reports_dir(stop.consultation)
        clean = listed([p for p in written if not p.is_relative_to(reports)], paths.ROOT)
        line = stop.line() + (f" Written in full before the stop: {clean}." if clean else "")
    elif command not in WRITES_RECORDED:
        line = "interrupted: what it had written before the stop is left as it is."
    elif named := listed(written, paths.ROOT):
        earlier = "" if all_kept_since(mark) else " (and earlier outputs)"
        line = (
            f"interrupted after writing {named}{earlier} in full; nothing else was changed: "
            "the other outputs already there are as they were."
        )
    else:
        line = (
            "interrupted before anything was written: the outputs already there are as they were."
        )
    print(f"workbook: {line}", file=sys.stderr, flush=True)
    return EXIT_INTERRUPTED


def _init(args: argparse.Namespace) -> int:
    from pipelines.draft import draft_consultation

    drafted = draft_consultation(args.export)
    print(
        f"{drafted.path} drafted: {drafted.questions} questions, {drafted.dropped} columns "
        "not mapped (listed at its end)"
    )
    if drafted.regions is not None:
        print(f"{drafted.regions} written: the consultation's own regions, to check")
    print("Read every '# check:' comment and correct what is wrong, then run:")
    print(f"  {drafted.next_command}")
    return EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from pipelines.prepare import prepare_consultation

    name = consultation_name(args.consultation)
    with consultation_lock(name):
        summary = prepare_consultation(name)
    print(
        f"{name}: {summary.rows_read} responses read, {summary.rows_valid} valid, "
        f"{summary.rows_quarantined} quarantined"
    )
    for rule, count in summary.failures_by_rule.items():
        print(f"  {rule}: {count}")
    print(f"clean data: {summary.clean_dir}")
    print(f"data docs (analysts only): {summary.data_docs}")
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from pipelines.prepare import ensure_prepared
    from pipelines.report.runner import run_reports, run_settings

    name = consultation_name(args.consultation)
    bar = not args.no_progress and sys.stdout.isatty() and sys.stderr.isatty()
    if args.jobs is not None and args.jobs < 0:
        raise InputError("--jobs must be 0 (one per CPU core) or more")
    # a profile and min_cell that do not go together (restricted with --min-cell 2): exit 2
    # before the lock is taken or anything is read (run_reports makes the settings again)
    run_settings(
        args.disclosure,
        args.min_cell,
        args.jobs,
        args.scheduler,
        False if args.fresh_kernels else None,
    )
    with consultation_lock(name):
        result = run_reports(
            name,
            regions=args.region,
            disclosure=args.disclosure,
            min_cell=args.min_cell,
            jobs=args.jobs,
            progress=bar,
            scheduler=args.scheduler,
            warm=False if args.fresh_kernels else None,
            prepare=ensure_prepared,  # clean data missing or stale: validate first
            pdf=args.pdf,
            on_report=None if bar else _print_line,
        )
    if bar:  # a log of the run is the lines; after a bar, the failures are said here
        for outcome in result.failed:
            print(f"FAILED {outcome.region or 'overview'}: {outcome.error}", file=sys.stderr)
    ok = len(result.outcomes) - len(result.failed)
    print(f"{ok} of {len(result.outcomes)} reports written")
    print(f"index: {result.index}")
    return EXIT_SOME_REPORTS_FAILED if result.failed else EXIT_OK


def _print_line(done: ReportDone) -> None:
    """One line per report as it finishes, on stdout (a log file reads it line by line)."""
    print(done.line(), flush=True)


def _export(args: argparse.Namespace) -> int:
    from pipelines.report.workers import export_executed

    page = export_executed(args.notebook, args.out)
    print(f"report page: {page}")
    return EXIT_OK


def _sample(args: argparse.Namespace) -> int:
    from pipelines.sample import write_sample

    if args.responses < 1:
        raise InputError("--responses must be 1 or more")
    if args.regions is not None and args.regions < 1:
        raise InputError("--regions must be 1 or more")
    out = args.out or ROOT / "data" / "raw" / DEMO
    write_sample(
        out, responses=args.responses, seed=args.seed, year=args.year, regions=args.regions
    )
    print(f"sample consultation written to {out}")
    return EXIT_OK


def _bench(args: argparse.Namespace) -> int:
    import shutil
    import tempfile

    from pipelines.bench.benchmark import Scenario, chart_from, load_bench_config, run_benchmark

    if args.chart_from:
        print(chart_from(args.chart_from, args.chart or ROOT / "docs" / "performance-cost.svg"))
        return EXIT_OK
    config = load_bench_config()
    scenarios = [Scenario.parse(s) for s in (args.scenario or config["scenarios"])]
    naive = config["naive_regions"] if args.naive_regions is None else args.naive_regions
    if naive < 0:
        raise InputError("--naive-regions must be 0 or more")
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="workbook-bench-"))
    json_path = args.json or ROOT / "reports" / "benchmark.json"
    try:
        table, complete = run_benchmark(
            scenarios, workdir, json_path, naive, not args.no_reports, args.keep, args.chart
        )
    finally:
        if args.workdir is None and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    print(table)
    print(f"figures: {json_path}")
    return EXIT_OK if complete else EXIT_SOME_REPORTS_FAILED


def _suggest_themes(args: argparse.Namespace) -> int:
    from pipelines.suggest.command import suggest_themes, summary_lines

    name = consultation_name(args.consultation)
    with consultation_lock(name):
        summary = suggest_themes(name, args.question)
    print("\n".join(summary_lines(summary)))
    return EXIT_OK


COMMANDS = {
    "init": _init,
    "validate": _validate,
    "report": _report,
    "export": _export,
    "sample": _sample,
    "bench": _bench,
    "suggest-themes": _suggest_themes,
}

if __name__ == "__main__":
    raise SystemExit(main())
