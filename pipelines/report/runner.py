"""``workbook report``: run the report notebooks with papermill, export them, write the index.

One runner owns execution. The run reads the settings and the regions, checks that the clean
data is ready (``workbook validate`` makes it: the runner never validates), plans the
suppression across every page (while the workers start their kernels), runs each region's
notebook in a worker process (``--jobs`` at a time, :mod:`~pipelines.report.workers`) into a
staging folder, promotes each report that executed and exported cleanly as it finishes
(:mod:`~pipelines.report.promote`; at the end instead where the pages already published
were made from other clean data or under other disclosure control), and writes the index
and manifest (:mod:`~pipelines.report.index`), with the pages for readers beside them
(:mod:`~pipelines.report.reader_pages`: Easy Read, About these statistics, ``--pdf``). A
failed region keeps its executed notebook (with the error) in ``executed/`` for audit, is
"not available" on the index (its status is in the manifest and the log), its earlier
page (if any) is marked out of date, and the command exits 1; the others carry on.

Ctrl-C (SIGINT) ends the workers and their kernels at once; the reports that had finished
are published with the index (:func:`keep_finished` says when they are not), and the run
ends with :class:`~pipelines.report.outcomes.RunInterrupted` saying what was published.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipelines.atomic import held_signals
from pipelines.consultation import load_consultation
from pipelines.errors import InputError
from pipelines.geography import load_regions, resolve_region
from pipelines.paths import ROOT, clean_dir, consultation_name, raw_dir, reports_dir
from pipelines.report.order import longest_first, region_sizes
from pipelines.report.outcomes import (
    OVERVIEW,
    ReportDone,
    ReportOutcome,
    ReportTask,
    RunInterrupted,
    RunResult,
    page_still_there,
    with_earlier,
)
from pipelines.report.pdf import require_pdf
from pipelines.report.promote import mark_stale, promote
from pipelines.report.workers import (
    Outcomes,
    connect,
    dask_outcomes,
    local_outcomes,
    one_blas_thread,
    start_pool,
    stop_workers,
)
from pipelines.settings import Settings, load_settings
from pipelines.store import stale_waves
from pipelines.unused_imports import skip_unused_imports

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

    from pipelines.consultation import Consultation

log = logging.getLogger(__name__)

#: A run's id: when it started, in UTC (``20261205T032143Z``).
RUN_ID_FORMAT = "%Y%m%dT%H%M%SZ"


def run_reports(
    consultation: str,
    regions: list[str] | None = None,
    disclosure: str | None = None,
    min_cell: int | None = None,
    jobs: int | None = None,
    root: Path | None = None,
    progress: bool = True,
    scheduler: str | None = None,
    warm: bool | None = None,
    prepare: Callable[[str, Path | None, Settings], None] | None = None,
    pdf: bool = False,
    on_report: Callable[[ReportDone], None] | None = None,
) -> RunResult:
    """Write every requested region's report, the overview and the index, from clean data
    that ``workbook validate`` made (stale or missing clean data: :class:`InputError`).

    ``prepare``: called with the consultation, ``root`` and the run's settings once the
    regions asked for are known and the settings logged, to make clean data that is missing
    or stale (the command passes :func:`pipelines.prepare.ensure_prepared`).

    ``scheduler``: a Dask distributed scheduler's address (``tcp://host:8786``) to run the
    reports on its workers instead of local processes (default: ``scheduler`` in
    config/workbook.yml, else local). ``warm``: reuse one warm kernel per worker (default
    ``warm_kernels``, true); false starts a new kernel for every report. ``pdf``: write
    each finished report as a PDF beside its page too (:mod:`~pipelines.report.pdf`).
    ``progress``: a progress bar on stderr; ``on_report``: told of each report as it
    finishes. Interrupted (Ctrl-C), the finished reports are published when
    :func:`keep_finished` allows; :class:`RunInterrupted` then says what was and was not.
    """
    one_blas_thread()  # before numpy loads: the plan's linear algebra runs beside the workers
    skip_unused_imports()  # index -> nbconvert -> jsonschema: pipelines.unused_imports
    consultation = consultation_name(consultation, root)
    from pipelines.report.index import earlier_reports

    settings = run_settings(disclosure, min_cell, jobs, scheduler, warm)
    if pdf:
        require_pdf()  # before any report is made: WeasyPrint without Pango stops the run
    folder = raw_dir(consultation, root)
    consultation_meta = load_consultation(folder)
    geography = load_regions(folder, root)
    every = geography["region"].unique(maintain_order=True).to_list()
    chosen = [resolve_region(r, geography) for r in regions] if regions else every
    log.info("settings: %s", json.dumps(settings.as_dict()))
    if prepare is not None:
        prepare(consultation, root, settings)
    require_prepared(consultation, root, settings)
    slugs = dict(geography.select("region", "region_slug").unique().iter_rows())
    client = connect(settings.scheduler) if settings.scheduler else None
    started = datetime.now(UTC)
    run_id = started.strftime(RUN_ID_FORMAT)
    tasks = report_tasks(consultation, chosen, slugs, not regions, settings, root, run_id)
    target = reports_dir(consultation, root)
    earlier = earlier_reports(target)
    try:
        outcomes, stopped = _plan_and_run(
            consultation, tasks, settings, root, progress, client, on_report, earlier
        )
    finally:
        if client is not None:
            client.close()
    outcomes = [page_still_there(o, earlier) for o in outcomes]
    listed = with_earlier(earlier, outcomes) if regions or stopped else outcomes
    if on_report is None:
        log_outcomes(outcomes)
    index = publish_run(
        target, consultation_meta, outcomes, listed, settings, run_id, started, root, pdf,
        interrupted=stopped is not None,
    )  # fmt: skip
    if stopped is not None:
        raise stopped
    return RunResult(index=index, outcomes=outcomes)


def _plan_and_run(
    consultation: str,
    tasks: list[ReportTask],
    settings: Settings,
    root: Path | None,
    progress: bool,
    client: Any,
    on_report: Callable[[ReportDone], None] | None,
    earlier: list[ReportOutcome],
) -> tuple[list[ReportOutcome], RunInterrupted | None]:
    """Plan the suppression across every page, decided once before any report starts, while
    the local workers start their kernels; then run the reports (:func:`_run_all`)."""
    from pipelines.report.plan import make_plan

    pool = None if client else start_pool(tasks, workers_for(settings.jobs, len(tasks)))
    try:
        make_plan(consultation, settings.disclosure, settings.min_cell, root)
        return _run_all(
            consultation, tasks, settings, root, progress, client, on_report, earlier, pool
        )
    except BaseException:
        if pool is not None:
            stop_workers(pool)  # the plan failed or was interrupted: no report starts
        raise


def publish_run(
    target: Path,
    meta: Consultation,
    outcomes: list[ReportOutcome],
    listed: list[ReportOutcome],
    settings: Settings,
    run_id: str,
    started: datetime,
    root: Path | None,
    pdf: bool,
    interrupted: bool,
) -> Path:
    """Put the run's pages for readers in place around the promoted reports: a failed
    report's earlier page marked out of date, the Easy Read pages (about.html and PDFs too,
    unless the run was interrupted: no time for them), the index and the manifest, written
    whole even on a second Ctrl-C. The index's path."""
    from pipelines.report.index import publication, write_index, write_manifest

    consultation = target.name
    with _uninterrupted():
        finished = datetime.now(UTC)
        details = publication(meta, finished)
        mark_stale_pages(target, outcomes, finished)
        if not interrupted:
            from pipelines.report.reader_pages import write_pages_for_readers

            jobs = workers_for(settings.jobs, len(outcomes))
            write_pages_for_readers(
                target, consultation, meta, outcomes, settings, run_id, details.published,
                root, pdf, jobs,
            )  # fmt: skip
        else:
            from pipelines.report.reader_pages import write_reader_pages

            write_reader_pages(target, meta, outcomes, details.published)
        index = write_index(
            target, consultation, details.title, listed, settings, run_id, finished, details
        )
        done = [o.region for o in outcomes]
        write_manifest(
            target, consultation, root, listed, settings, run_id, started, finished, done,
            interrupted=interrupted,
        )  # fmt: skip
    return index


@contextlib.contextmanager
def _uninterrupted() -> Iterator[None]:
    """Ignore Ctrl-C (and SIGTERM) while the run ends: its pages, index and manifest put in
    place, or its workers closed after a stop. A stop then would leave an index that lists
    other pages than those there, and the run ends within a second anyway, so one that comes
    meanwhile is dropped, not acted on afterwards (as :func:`pipelines.atomic.held_signals`
    does for a page published while reports still run)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held = (signal.SIGINT, signal.SIGTERM)  # SIGTERM: the command stops on it as on Ctrl-C
    previous = {signum: signal.signal(signum, signal.SIG_IGN) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


def mark_stale_pages(target: Path, outcomes: list[ReportOutcome], run_finished: datetime) -> None:
    """A report that failed in this run leaves its earlier page (and Easy Read page) in
    place: each says on the page itself that it is out of date (the index says so too)."""
    from pipelines.report.reader_pages import easy_read_name

    for o in outcomes:
        if o.status == "ok":
            continue
        for name in (f"{o.slug}.html", easy_read_name(o.slug)):
            if (target / name).is_file():
                mark_stale(target / name, stale_note(o, run_finished))


def stale_note(outcome: ReportOutcome, run_finished: datetime) -> str:
    """What an out-of-date page says about itself, in the reader's words: when the reports
    were updated without it, and when it was made (from the run that made it)."""
    from pipelines.report.html import govuk_date

    made = ""
    with contextlib.suppress(ValueError):
        made_on = datetime.strptime(outcome.made_in, RUN_ID_FORMAT).date()
        made = f" It shows the figures as they were on {govuk_date(made_on)}."
    return (
        "Out of date: this report could not be made again when the reports were updated on "
        f"{govuk_date(run_finished.date())}.{made} The index lists the reports that are up "
        "to date."
    )


def log_outcomes(outcomes: list[ReportOutcome]) -> None:
    """How each report went, in the log (readers see only whether a report is available)."""
    for o in outcomes:
        if o.status == "ok":
            log.info("report %s: ok in %.1f s", o.slug, o.seconds)
        else:
            log.warning("report %s: %s after %.1f s: %s", o.slug, o.status, o.seconds, o.error)


def run_settings(
    disclosure: str | None,
    min_cell: int | None,
    jobs: int | None,
    scheduler: str | None,
    warm: bool | None,
) -> Settings:
    """config/workbook.yml with this run's choices over it; a profile or min_cell that cannot
    be used is an :class:`InputError` (:meth:`Settings.with_overrides` checks the pair)."""
    settings = load_settings().with_overrides(
        disclosure=disclosure, min_cell=min_cell, jobs=jobs, scheduler=scheduler, warm_kernels=warm
    )
    if settings.min_cell < 1:
        raise InputError("--min-cell must be 1 or more")
    return settings


def require_prepared(consultation: str, root: Path | None, settings: Settings) -> None:
    """Stop before anything is written where the clean data of the consultation (or of its
    previous wave, which its reports compare with) is missing or stale: the runner reads
    clean data, ``workbook validate`` makes it."""
    stale = stale_waves(consultation, root, settings)
    if stale:
        raise InputError(
            f"The clean data of {stale[0]} is missing, older than its raw files, or without "
            f"the tallies reports need: run `workbook validate {stale[0]}` first"
        )


def report_tasks(
    consultation: str,
    chosen: list[str],
    slugs: dict[str, str],
    overview: bool,
    settings: Settings,
    root: Path | None,
    run_id: str,
) -> list[ReportTask]:
    """A task for every chosen region, in the order asked for, then the overview if wanted;
    the staging folder is left empty, for :func:`_run_all` to fill in."""
    project_root = str((root or ROOT).resolve())
    title = load_consultation(raw_dir(consultation, root)).title
    regions = [(region, slugs[region]) for region in chosen] + (
        [("", OVERVIEW)] if overview else []
    )
    return [
        ReportTask(
            consultation,
            region,
            slug,
            settings.disclosure,
            settings.min_cell,
            run_id,
            "",
            project_root,
            settings.warm_kernels,
            title,
        )
        for region, slug in regions
    ]


def _run_all(
    consultation: str,
    tasks: list[ReportTask],
    settings: Settings,
    root: Path | None,
    progress: bool,
    client: Any,
    on_report: Callable[[ReportDone], None] | None,
    earlier: list[ReportOutcome],
    pool: ProcessPoolExecutor | None = None,
) -> tuple[list[ReportOutcome], RunInterrupted | None]:
    """Run every report into a staging folder and promote the finished ones: each as it
    finishes where the pages already published may stand beside it (:func:`keep_finished`
    with nothing finished yet: the first run, or pages of the same clean data and
    disclosure control), else all at the end; when the run is interrupted, those
    :func:`keep_finished` allows (with what was published and what was not, to raise once
    the index is written). ``pool``: local workers already started for ``tasks``."""
    target = reports_dir(consultation, root)
    target.mkdir(parents=True, exist_ok=True)
    staging = target / f".staging-{tasks[0].run_id}-{os.getpid()}"
    staging.mkdir()
    tasks = [replace(task, staging=str(staging)) for task in tasks]
    queue = longest_first(tasks, region_sizes(consultation, root))
    promoted: set[str] = set()
    early = not keep_finished(consultation, root, settings, earlier, set())

    def publish_now(outcome: ReportOutcome) -> None:
        # a Ctrl-C while the page is put in place stops the run just after it (never
        # between its files, and never dropped)
        if early:
            with held_signals():
                promote(outcome, staging, target)
                promoted.add(outcome.slug)

    try:
        if client is not None:
            outcomes = dask_outcomes(client, queue)
        else:
            outcomes = local_outcomes(queue, workers_for(settings.jobs, len(tasks)), pool)
        done, interrupted = _collect(tasks, outcomes, progress, on_report, target, publish_now)
        with _uninterrupted():
            finished = [done[t.slug] for t in tasks if t.slug in done]
            stopped = None
            if interrupted:
                held_back = ""
                if done:
                    held_back = keep_finished(consultation, root, settings, earlier, set(done))
                published = [] if held_back else finished
                stopped = RunInterrupted(
                    consultation,
                    [t.title for t in tasks if t.slug in done and not held_back],
                    [t.title for t in tasks if t.slug not in done or held_back],
                    held_back,
                )
                finished = published
            for outcome in finished:
                if outcome.slug not in promoted:
                    promote(outcome, staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    if stopped is not None and not finished:
        raise stopped  # nothing to publish: the index and manifest stay as they were
    return finished, stopped


def workers_for(jobs: int, reports: int) -> int:
    """Worker processes for a run: ``jobs``, 0 meaning one per CPU core; never more than
    there are reports, never fewer than one."""
    return max(1, min(jobs or os.cpu_count() or 1, reports))


def keep_finished(
    consultation: str,
    root: Path | None,
    settings: Settings,
    earlier: list[ReportOutcome],
    finished: set[str],
) -> str:
    """Whether the reports an interrupted run finished may be published beside the pages
    the last run left: each finished one is complete (its page, tables and notebook made),
    and they are consistent with those pages only if those were made from the same clean
    data and under the same disclosure control. Empty: keep them; else why not."""
    from pipelines.report.index import earlier_validation

    target = reports_dir(consultation, root)
    staying = [
        o for o in earlier if o.slug not in finished and (target / f"{o.slug}.html").is_file()
    ]
    if not staying:
        return ""
    validation = json.loads(
        (clean_dir(consultation, root) / "validation.json").read_text(encoding="utf-8")
    )
    if earlier_validation(target) != validation.get("run_id"):
        return (
            "the reports already published were made from other clean data, and the two "
            "sets would not add up side by side"
        )

    def profile(disclosure: str, min_cell: int | None) -> tuple[str, int | None]:
        return disclosure, min_cell if disclosure == "restricted" else None

    ours = profile(settings.disclosure, settings.min_cell)
    if {profile(o.disclosure, o.min_cell) for o in staying} != {ours}:
        return (
            "the reports already published were made under other disclosure control, and "
            "the two sets could not be compared"
        )
    return ""


def _collect(
    tasks: list[ReportTask],
    outcomes: Outcomes,
    progress: bool,
    on_report: Callable[[ReportDone], None] | None,
    target: Path,
    publish: Callable[[ReportOutcome], None] = lambda _outcome: None,
) -> tuple[dict[str, ReportOutcome], bool]:
    """Collect the outcomes as they finish (each handed to ``publish`` first, then shown
    with a progress bar, or told to ``on_report``), by slug; and whether the run was
    interrupted (Ctrl-C) before every report finished."""
    from tqdm import tqdm

    done: dict[str, ReportOutcome] = {}
    bar = tqdm(
        total=len(tasks), desc="reports", unit="report", disable=not progress, file=sys.stderr
    )
    try:
        for task, outcome in outcomes:
            done[task.slug] = outcome
            publish(outcome)
            bar.set_postfix_str(f"{task.title}: {outcome.status}")
            bar.update()
            if on_report is not None:
                executed = target / "executed" / f"{task.slug}.ipynb"
                on_report(ReportDone(len(done), len(tasks), task.title, outcome, executed))
    except KeyboardInterrupt:
        close = getattr(outcomes, "close", None)
        if close is not None:
            with _uninterrupted():
                close()  # the workers and their kernels end now, not after their report
        return done, True
    finally:
        bar.close()
    return done, False
