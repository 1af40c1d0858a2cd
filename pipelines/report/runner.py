"""``workbook report``: run the report notebooks with papermill, export them, write the index.

One runner owns execution. Each region's notebook runs in a worker process (``--jobs`` at a
time) into a staging folder; only a report that executed and exported cleanly replaces the
previous one. A failed region keeps its executed notebook (with the error) in ``executed/``
for audit, is marked in the index, and makes the command exit 1; the others carry on.
"""

from __future__ import annotations

import ctypes
import json
import logging
import os
import shutil
import signal
import sys
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.atomic import write_bytes_atomic
from pipelines.errors import InputError
from pipelines.geography import load_regions, resolve_region
from pipelines.paths import (
    NOTEBOOKS_DIR,
    ROOT,
    clean_dir,
    consultation_name,
    raw_dir,
    reference_dir,
    reports_dir,
)
from pipelines.settings import Settings, load_settings
from pipelines.validate.layout import stored_quote_depth
from pipelines.waves import previous_wave

log = logging.getLogger(__name__)

REGION_NOTEBOOK = NOTEBOOKS_DIR / "20_region_report.ipynb"
OVERVIEW_NOTEBOOK = NOTEBOOKS_DIR / "30_overview.ipynb"
OVERVIEW = "overview"


@dataclass(frozen=True)
class ReportTask:
    """One notebook to run: a region's report, or the overview (region empty)."""

    consultation: str
    region: str
    slug: str
    disclosure: str
    min_cell: int
    run_id: str
    staging: str
    root: str
    warm: bool = True

    @property
    def title(self) -> str:
        return self.region or "Overview: all regions"


@dataclass(frozen=True)
class ReportOutcome:
    slug: str
    region: str
    status: str  # "ok" or "failed"
    seconds: float
    error: str = ""
    #: The disclosure profile and min_cell the report's page was made under, and the run that
    #: made it (for a failed report: those of the earlier page still there, if any). Empty
    #: where not recorded (a manifest of an earlier version).
    disclosure: str = ""
    min_cell: int | None = None
    made_in: str = ""


@dataclass(frozen=True)
class RunResult:
    index: Path
    outcomes: list[ReportOutcome]

    @property
    def failed(self) -> list[ReportOutcome]:
        return [o for o in self.outcomes if o.status != "ok"]


def clean_is_stale(
    consultation: str, root: Path | None = None, quotes_per_theme: int | None = None
) -> bool:
    """True where clean data is missing, older than any raw input of the consultation, or
    without tallies of this version's format (written by an earlier version), or, given
    ``quotes_per_theme``, whose tallies keep fewer quote candidates than that needs."""
    folder = clean_dir(consultation, root)
    ledger = folder / "validation.json"
    depth = stored_quote_depth(folder)
    if not ledger.is_file() or depth is None:
        return True
    if quotes_per_theme is not None and quotes_per_theme > depth[0]:
        return True
    built = ledger.stat().st_mtime
    inputs = [p for p in raw_dir(consultation, root).iterdir() if p.is_file()]
    reference = list(reference_dir(root).glob("*.csv"))
    return any(p.stat().st_mtime > built for p in [*inputs, *reference])


def ensure_validated(consultation: str, root: Path | None, settings: Settings) -> None:
    """Validate the consultation (and its previous wave) where clean data is missing or stale."""
    for name in filter(None, [consultation, previous_wave(consultation, root)]):
        # reports quote this wave only: the previous one needs no deeper quote candidates
        quotes = settings.quotes_per_theme if name == consultation else None
        if clean_is_stale(name, root, quotes):
            # imported only when needed: 0.15 s before any worker could start
            from pipelines.validate.run import validate_consultation

            log.info(
                "validating %s (clean data missing, older than its inputs, or without the tallies reports need)",
                name,
            )
            summary = validate_consultation(name, root, settings)
            log.info(
                "%s: %d rows read, %d valid, %d quarantined",
                name,
                summary.rows_read,
                summary.rows_valid,
                summary.rows_quarantined,
            )


def run_task(task: ReportTask) -> ReportOutcome:
    """Execute one report notebook with papermill and export it; never raises.

    On a warm kernel (``task.warm``) where it can, else on a new kernel of its own.
    """
    from pipelines.report.export import disclosure_summary, notebook_to_html

    started = time.perf_counter()
    staging = Path(task.staging)
    executed = staging / "executed" / f"{task.slug}.ipynb"
    tables = staging / task.slug / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    executed.parent.mkdir(parents=True, exist_ok=True)
    notebook = OVERVIEW_NOTEBOOK if task.slug == OVERVIEW else REGION_NOTEBOOK
    parameters = _parameters(task, tables)
    made = {"disclosure": task.disclosure, "min_cell": task.min_cell, "made_in": task.run_id}
    try:
        try:
            if task.warm:
                nb = _execute_warm(task, notebook, executed, parameters)
            else:
                nb = _execute_fresh(task, notebook, executed, parameters)
        finally:
            unstage_executed(executed, staging, f"reports/{task.consultation}")
        banner = "Not for circulation: no disclosure control" if task.disclosure == "none" else ""
        footer = (
            f"{task.title} · {task.consultation} · run {task.run_id} · Disclosure control: "
            f"{disclosure_summary(task.disclosure, task.min_cell)}"
        )
        page = notebook_to_html(
            nb, title=f"{task.title} – {task.consultation}", banner=banner, footer=footer
        )
        (staging / f"{task.slug}.html").write_text(page, encoding="utf-8")
    except Exception as error:  # a failed region must not stop the others: record it
        message = _short_error(error)
        return ReportOutcome(
            task.slug, task.region, "failed", time.perf_counter() - started, message, **made
        )
    return ReportOutcome(task.slug, task.region, "ok", time.perf_counter() - started, **made)


def unstage_executed(executed: Path, staging: Path, published: str) -> None:
    """The executed notebook as it will be published: every mention of the run's staging
    folder (the ``tables_dir`` parameter, a path in an error) becomes ``published``, the
    report folder relative to the project root (``reports/<consultation>``), so the audit
    copy neither leaks the machine's paths nor points at a folder that is gone."""
    if not executed.is_file():
        return
    text = executed.read_bytes()
    new = text
    for form in {str(staging), json.dumps(str(staging), ensure_ascii=False)[1:-1]}:
        new = new.replace(form.encode("utf-8"), published.encode("utf-8"))
    if new != text:
        write_bytes_atomic(executed, new)


def _parameters(task: ReportTask, tables: Path) -> dict[str, object]:
    parameters: dict[str, object] = {
        "consultation": task.consultation,
        "disclosure": task.disclosure,
        "min_cell": task.min_cell,
        "tables_dir": str(tables),
        "run_id": task.run_id,
    }
    if task.slug != OVERVIEW:
        parameters["region"] = task.region
    return parameters


def _execute_warm(
    task: ReportTask, notebook: Path, executed: Path, parameters: dict[str, object]
) -> Any:
    """Run on this worker's warm kernel; after a failure the kernel is replaced (and a
    kernel that cannot be reset is replaced before the report: :func:`kernels.warm_kernel`)."""
    from pipelines.report import kernels

    try:
        return kernels.warm_kernel(task.root, str(ROOT)).execute(notebook, executed, parameters)
    except Exception:
        kernels.discard_kernel()  # a failed notebook or a dead kernel never runs the next one
        raise


def _execute_fresh(
    task: ReportTask, notebook: Path, executed: Path, parameters: dict[str, object]
) -> Any:
    """Run on a new kernel started for this notebook alone (and shut down after it)."""
    import papermill

    from pipelines.report import kernels

    env_root = os.environ.get("WORKBOOK_ROOT")
    os.environ["WORKBOOK_ROOT"] = task.root
    try:
        return papermill.execute_notebook(
            str(notebook),
            str(executed),
            parameters=parameters,
            kernel_name="python3",
            progress_bar=False,
            log_output=False,
            cwd=str(ROOT),
            # errors in the notebook are still caught and kept in the executed notebook
            extra_arguments=kernels.KERNEL_ARGUMENTS,
        )
    finally:
        if env_root is None:
            os.environ.pop("WORKBOOK_ROOT", None)
        else:
            os.environ["WORKBOOK_ROOT"] = env_root


BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def start_worker(warm: bool, root: str, parent: int | None = None) -> None:
    """Worker start-up: die with the runner, the runner's own imports, and a warm kernel,
    before the first region.

    Never raises (a pool whose initialiser fails is broken): a kernel that cannot start here
    is tried again, and reported, by the first region.
    """
    if parent is not None:
        die_with_parent(parent)
    # one report per core already: BLAS threads in each kernel would only fight over the same
    # cores (numpy's eigh in disclosure control ran 50x slower under load with them)
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")
    from pipelines.report import kernel_state

    kernel_state.skip_unused_imports()  # before papermill -> nbformat -> jsonschema (~3 s)
    import papermill  # noqa: F401  (imported once per worker, not per region)

    from pipelines.report import export, kernels

    export.warm_up()
    if warm:
        try:
            kernels.warm_kernel(root, str(ROOT))
        except Exception as error:
            log.warning("could not start a warm kernel yet: %s", _short_error(error))


PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """Make this worker (and its kernels) end when the runner ``parent`` ends, however it
    ends (``kill -9`` included): Linux sends the worker SIGTERM when its parent dies
    (``prctl(PR_SET_PDEATHSIG)``), and the worker's SIGTERM handler kills its kernels before
    it exits. Elsewhere the kernels still notice a dead parent (ipykernel's parent poller)."""
    signal.signal(signal.SIGTERM, _end_worker)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError) as error:
            log.warning("workers will not end with the runner: %s", error)
    if os.getppid() != parent:  # the runner died before the line above
        _end_worker(signal.SIGTERM, None)


def _end_worker(signum: int, _frame: object) -> None:
    from pipelines.report import kernels

    kernels.kill_all()
    os._exit(128 + signum)


def _short_error(error: Exception) -> str:
    text = getattr(error, "evalue", None) or str(error) or type(error).__name__
    name = getattr(error, "ename", None) or type(error).__name__
    return f"{name}: {text}".strip()[:500]


def _promote(outcome: ReportOutcome, staging: Path, target: Path) -> None:
    """Move a finished report (page, tables, executed notebook) into place, each atomically."""
    executed = staging / "executed" / f"{outcome.slug}.ipynb"
    if executed.exists():
        (target / "executed").mkdir(parents=True, exist_ok=True)
        os.replace(executed, target / "executed" / f"{outcome.slug}.ipynb")
    if outcome.status != "ok":
        return
    tables_new = staging / outcome.slug / "tables"
    tables_old = target / outcome.slug / "tables"
    tables_old.parent.mkdir(parents=True, exist_ok=True)
    retired = target / outcome.slug / f".tables.old-{os.getpid()}"
    if tables_old.exists():
        os.replace(tables_old, retired)
    os.replace(tables_new, tables_old)
    shutil.rmtree(retired, ignore_errors=True)
    os.replace(staging / f"{outcome.slug}.html", target / f"{outcome.slug}.html")


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
) -> RunResult:
    """Validate if needed, then write every requested region's report, the overview and index.

    ``scheduler``: a Dask distributed scheduler's address (``tcp://host:8786``) to run the
    reports on its workers instead of local processes (default: ``scheduler`` in
    config/workbook.yml, else local). ``warm``: reuse one warm kernel per worker (default
    ``warm_kernels``, true); false starts a new kernel for every report.
    """
    from pipelines.consultation import load_consultation
    from pipelines.report import kernel_state

    # index -> nbconvert -> jsonschema would compile an IRI grammar, 1.6 s a run, for a format
    # checker no notebook, report or expectation suite here uses
    kernel_state.skip_unused_imports()
    consultation = consultation_name(consultation, root)
    from pipelines.report.index import write_index, write_manifest

    settings = load_settings().with_overrides(
        disclosure=disclosure, min_cell=min_cell, jobs=jobs, scheduler=scheduler, warm_kernels=warm
    )
    if settings.disclosure not in ("restricted", "public", "none"):
        raise InputError(
            f"--disclosure must be restricted, public or none, not {settings.disclosure!r}"
        )
    if settings.min_cell < 1:
        raise InputError("--min-cell must be 1 or more")
    folder = raw_dir(consultation, root)
    consultation_meta = load_consultation(folder)
    geography = load_regions(folder, root)
    chosen = (
        [resolve_region(r, geography) for r in regions]
        if regions
        else geography["region"].unique(maintain_order=True).to_list()
    )
    log.info("settings: %s", json.dumps(settings.as_dict()))
    client = connect(settings.scheduler) if settings.scheduler else None
    started = datetime.now(UTC)
    run_id = started.strftime("%Y%m%dT%H%M%SZ")
    try:
        ensure_validated(consultation, root, settings)
        # suppression across every page, decided once before any report starts
        from pipelines.report.plan import make_plan

        make_plan(consultation, settings.disclosure, settings.min_cell, root)
        slugs = dict(geography.select("region", "region_slug").unique().iter_rows())
        outcomes, target = _run_all(
            consultation, chosen, slugs, regions, settings, root, run_id, progress, client
        )
    finally:
        if client is not None:
            client.close()
    finished = datetime.now(UTC)
    earlier = _earlier_reports(target)
    outcomes = [_page_still_there(o, earlier) for o in outcomes]
    listed = _with_earlier(earlier, outcomes) if regions else outcomes
    index = write_index(
        target, consultation, consultation_meta.title, listed, settings, run_id, finished
    )
    write_manifest(
        target,
        consultation,
        root,
        listed,
        settings,
        run_id,
        started,
        finished,
        [o.region for o in outcomes],
    )
    return RunResult(index=index, outcomes=outcomes)


def _run_all(
    consultation: str,
    chosen: list[str],
    slugs: dict[str, str],
    regions: list[str] | None,
    settings: Settings,
    root: Path | None,
    run_id: str,
    progress: bool,
    client: Any,
) -> tuple[list[ReportOutcome], Path]:
    """Run every report into a staging folder, then promote the finished ones."""

    target = reports_dir(consultation, root)
    target.mkdir(parents=True, exist_ok=True)
    staging = target / f".staging-{run_id}-{os.getpid()}"
    staging.mkdir()
    project_root = str((root or ROOT).resolve())
    tasks = [
        ReportTask(
            consultation,
            region,
            slugs[region],
            settings.disclosure,
            settings.min_cell,
            run_id,
            str(staging),
            project_root,
            settings.warm_kernels,
        )
        for region in chosen
    ]
    if not regions:
        tasks.append(
            ReportTask(
                consultation,
                "",
                OVERVIEW,
                settings.disclosure,
                settings.min_cell,
                run_id,
                str(staging),
                project_root,
                settings.warm_kernels,
            )
        )
    queue = longest_first(tasks, region_sizes(consultation, root))
    try:
        if client is not None:
            outcomes = _execute(tasks, _dask_outcomes(client, queue), progress)
        else:
            workers = max(1, min(settings.jobs or os.cpu_count() or 1, len(tasks)))
            outcomes = _execute(tasks, _local_outcomes(queue, workers), progress)
        for outcome in outcomes:
            _promote(outcome, staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return outcomes, target


def region_sizes(consultation: str, root: Path | None = None) -> dict[str, int]:
    """Valid responses per region, from the clean responses file's region slices (no rows
    read); empty where the file does not say (then every region counts the same)."""
    from pipelines.analysis.load import stored_region_rows

    responses = clean_dir(consultation, root) / "responses.parquet"
    if not responses.is_file():
        return {}
    slices = stored_region_rows(responses) or {}
    return {region: rows for region, (_first, rows) in slices.items()}


def longest_first(tasks: list[ReportTask], sizes: dict[str, int]) -> list[ReportTask]:
    """The order to start the reports in: the overview (every region's data) first, then
    regions from the most responses to the fewest, so no worker is left with a long report
    while the others are idle at the end of the run. Ties keep the tasks' order."""

    def weight(task: ReportTask) -> float:
        return float("inf") if task.slug == OVERVIEW else sizes.get(task.region, 0)

    return sorted(tasks, key=weight, reverse=True)


def _earlier_reports(target: Path) -> list[ReportOutcome]:
    """The reports the last manifest lists, each with the profile its page was made under
    (empty where that manifest, of an earlier version, did not record it)."""
    manifest = target / "manifest.json"
    if not manifest.is_file():
        return []
    return [
        ReportOutcome(
            slug=r["file"].removesuffix(".html"),
            region=r["region"] or "",
            status=r["status"],
            seconds=r["duration_seconds"],
            error=r.get("error") or "",
            disclosure=r.get("disclosure") or "",
            min_cell=r.get("min_cell"),
            made_in=r.get("made_in") or "",
        )
        for r in json.loads(manifest.read_text(encoding="utf-8"))["reports"]
    ]


def _page_still_there(outcome: ReportOutcome, earlier: list[ReportOutcome]) -> ReportOutcome:
    """A failed report leaves the earlier page in place: it is that page's profile that the
    index and manifest must show."""
    if outcome.status == "ok":
        return outcome
    before = next((o for o in earlier if o.slug == outcome.slug), None)
    if before is None:
        return outcome
    return replace(
        outcome, disclosure=before.disclosure, min_cell=before.min_cell, made_in=before.made_in
    )


def _with_earlier(
    earlier: list[ReportOutcome], outcomes: list[ReportOutcome]
) -> list[ReportOutcome]:
    """This run's outcomes plus the reports an earlier run left (for a --region run), so the
    index still links every report that exists."""
    done = {o.slug for o in outcomes}
    return [o for o in earlier if o.slug not in done] + outcomes


Outcomes = Iterator[tuple[ReportTask, ReportOutcome]]


def _execute(tasks: list[ReportTask], outcomes: Outcomes, progress: bool) -> list[ReportOutcome]:
    """Collect the outcomes as they finish (with a progress bar), in the tasks' order."""
    from tqdm import tqdm

    done: dict[str, ReportOutcome] = {}
    bar = tqdm(
        total=len(tasks), desc="reports", unit="report", disable=not progress, file=sys.stderr
    )
    for task, outcome in outcomes:
        done[task.slug] = outcome
        bar.set_postfix_str(f"{task.title}: {outcome.status}")
        bar.update()
    bar.close()
    return [done[t.slug] for t in tasks]


def _died(task: ReportTask) -> ReportOutcome:
    """The worker itself died (or was lost): still a per-region failure."""
    return ReportOutcome(task.slug, task.region, "failed", 0.0, traceback.format_exc(limit=1))


def _local_outcomes(tasks: list[ReportTask], workers: int) -> Outcomes:
    """Local worker processes, each with its own warm kernel (the default)."""
    warm = any(t.warm for t in tasks)
    with ProcessPoolExecutor(
        max_workers=workers, initializer=start_worker, initargs=(warm, tasks[0].root, os.getpid())
    ) as pool:
        futures = {pool.submit(run_task, task): task for task in tasks}
        for future in as_completed(futures):
            task = futures[future]
            try:
                yield task, future.result()
            except Exception:
                yield task, _died(task)


def connect(address: str) -> Any:
    """A Dask distributed client for the scheduler at ``address``; exit 2 if unreachable."""
    from distributed import Client

    try:
        return Client(address, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError) as error:
        raise InputError(
            f"Cannot reach the Dask scheduler at {address!r} ({error}): check --scheduler "
            "or `scheduler` in config/workbook.yml"
        ) from error


def _dask_outcomes(client: Any, tasks: list[ReportTask]) -> Outcomes:
    """Tasks on a Dask cluster's workers; each worker keeps warm kernels between tasks (and
    between runs). ``pure=False``: a report is never taken from Dask's cache of results."""
    from distributed import as_completed as dask_completed

    futures = client.map(
        run_task, tasks, pure=False, key=[f"report-{t.run_id}-{t.slug}" for t in tasks]
    )
    by_key = {f.key: task for f, task in zip(futures, tasks, strict=True)}
    with client.as_current():
        for future in dask_completed(futures):
            task = by_key[future.key]
            try:
                yield task, future.result()
            except Exception:
                yield task, _died(task)
