"""Where the reports execute: worker processes (local, or on a Dask cluster), each running
one notebook at a time with papermill and exporting it to a page, never raising.

A worker starts once (:func:`start_worker`: it dies with the runner, imports what every
report needs and starts a warm kernel), then runs :func:`run_task` for each report it is
given. The runner gets each report's outcome as it finishes, from :func:`local_outcomes` or
:func:`dask_outcomes`, in whatever order the reports finish.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import os
import signal
import sys
import time
import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any

from pipelines.atomic import write_bytes_atomic
from pipelines.errors import InputError
from pipelines.paths import NOTEBOOKS_DIR, ROOT
from pipelines.report.outcomes import OVERVIEW, ReportOutcome, ReportTask
from pipelines.unused_imports import skip_unused_imports

log = logging.getLogger(__name__)

REGION_NOTEBOOK = NOTEBOOKS_DIR / "20_region_report.ipynb"
OVERVIEW_NOTEBOOK = NOTEBOOKS_DIR / "30_overview.ipynb"
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PR_SET_PDEATHSIG = 1
#: The signal that ends a worker and its kernels at once. Not SIGTERM or SIGINT: papermill's
#: notebook client takes those over while a notebook runs (and resets them after it).
STOP_WORKER = signal.SIGUSR1
#: How long the runner waits for stopped workers before it kills them outright.
STOP_GRACE_SECONDS = 1.0

Outcomes = Iterator[tuple[ReportTask, ReportOutcome]]


def _browser_title(task: ReportTask) -> str:
    """The page's title in the browser's title bar: the consultation's title and the area,
    as its h1 reads (never the folder id)."""
    from pipelines.report.sections.title import page_title

    return page_title(task.consultation_title or task.consultation, task.region)


def run_task(task: ReportTask) -> ReportOutcome:
    """Execute one report notebook with papermill and export it; never raises.

    On a warm kernel (``task.warm``) where it can, else on a new kernel of its own.
    """
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
        (staging / f"{task.slug}.html").write_text(report_page(nb, task), encoding="utf-8")
    except Exception as error:  # a failed region must not stop the others: record it
        message = short_error(error)
        return ReportOutcome(
            task.slug, task.region, "failed", time.perf_counter() - started, message, **made
        )
    return ReportOutcome(task.slug, task.region, "ok", time.perf_counter() - started, **made)


def report_page(notebook: Any, task: ReportTask) -> str:
    """The published page of an executed report notebook: the one way from a notebook to a
    report's HTML (``workbook report`` and ``workbook export`` both come here)."""
    from pipelines.report.export import disclosure_summary, notebook_to_html

    banner = "Not for circulation: no disclosure control" if task.disclosure == "none" else ""
    run = f" · run {task.run_id}" if task.run_id else ""
    footer = (
        f"{task.title} · {task.consultation}{run} · Disclosure control: "
        f"{disclosure_summary(task.disclosure, task.min_cell)}"
    )
    return notebook_to_html(notebook, title=_browser_title(task), banner=banner, footer=footer)


def export_executed(notebook: Path, out: Path | None = None, root: Path | None = None) -> Path:
    """``workbook export``: the page ``workbook report`` makes of a report notebook that was
    run with plain papermill (same export, banner, title and footer: one code path,
    :func:`~pipelines.report.workers.report_page`), written atomically to ``out`` (default:
    ``reports/<consultation>/<slug>.html`` for a notebook in ``executed/``, else beside it).

    A notebook that is not an executed report notebook, or that stopped with an error, is
    an :class:`InputError` and nothing is written.
    """
    import nbformat

    from pipelines.atomic import write_text_atomic

    if not notebook.is_file():
        raise InputError(f"No notebook at {notebook}: give the executed .ipynb papermill wrote")
    try:
        executed = nbformat.read(notebook, as_version=4)
    except Exception as error:  # nbformat raises several kinds for a file that is no notebook
        raise InputError(f"{notebook} is not a notebook ({error})") from error
    failed = notebook_error(executed)
    if failed:
        raise InputError(
            f"{notebook} stopped with an error ({failed}): no page written; fix it and run "
            "the notebook again"
        )
    task = executed_task(notebook, executed, root)
    page = out or (
        notebook.parent.parent / f"{task.slug}.html"
        if notebook.parent.name == "executed"
        else notebook.with_suffix(".html")
    )
    write_text_atomic(page, report_page(executed, task))
    return page


def notebook_error(notebook: Any) -> str:
    """The first error an executed notebook holds ("AssertionError: ..."); empty if none."""
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "error":
                return f"{output.get('ename', 'Error')}: {output.get('evalue', '')}"
    return ""


def executed_task(path: Path, notebook: Any, root: Path | None = None) -> ReportTask:
    """The report an executed notebook made, from its parameters (those papermill injected
    over the notebook's defaults): the same task the runner would have given it."""
    import ast

    import papermill

    from pipelines.consultation import load_consultation
    from pipelines.geography import load_regions, resolve_region
    from pipelines.paths import consultation_name, raw_dir

    defaults = {
        name: ast.literal_eval(spec["default"])
        for name, spec in papermill.inspect_notebook(str(path)).items()
    }
    injected = (notebook.metadata.get("papermill") or {}).get("parameters") or {}
    parameters = {**defaults, **injected}
    if "consultation" not in parameters:
        raise InputError(f"{path} is not a report notebook run with papermill (no parameters)")
    consultation = consultation_name(str(parameters["consultation"]), root)
    folder = raw_dir(consultation, root)
    region, slug = "", OVERVIEW
    if "region" in defaults:
        geography = load_regions(folder, root)
        region = resolve_region(str(parameters["region"]), geography)
        slug = dict(geography.select("region", "region_slug").unique().iter_rows())[region]
    return ReportTask(
        consultation,
        region,
        slug,
        str(parameters.get("disclosure", "restricted")),
        int(parameters.get("min_cell", 10)),
        str(parameters.get("run_id", "")),
        "",
        str((root or ROOT).resolve()),
        consultation_title=load_consultation(folder).title,
    )


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
    """The notebook's parameters: the overview has no region."""
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


def start_worker(warm: bool, root: str, parent: int | None = None) -> None:
    """Worker start-up: die with the runner, the runner's own imports, and a warm kernel,
    before the first region.

    Never raises (a pool whose initialiser fails is broken): a kernel that cannot start here
    is tried again, and reported, by the first region.
    """
    # Ctrl-C reaches the terminal's whole foreground process group: a worker leaves it, so
    # that only the runner is interrupted and decides what stops (it ends the workers itself
    # with STOP_WORKER); a worker never dies half-way through a report with a traceback
    with contextlib.suppress(OSError):
        os.setpgid(0, 0)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if parent is not None:
        die_with_parent(parent)
    one_blas_thread()
    skip_unused_imports()  # before papermill -> nbformat -> jsonschema
    import papermill  # noqa: F401  (imported once per worker, not per region)

    from pipelines.report import export, kernels

    export.warm_up()
    if warm:
        try:
            kernels.warm_kernel(root, str(ROOT))
        except Exception as error:
            log.warning("could not start a warm kernel yet: %s", short_error(error))


def one_blas_thread() -> None:
    """One BLAS thread for this process and those it starts, if numpy is not loaded yet: one
    report per core already, so BLAS threads in a kernel, or in the runner making the
    disclosure plan beside the workers, would only fight over the same cores (numpy's eigh
    in disclosure control ran 50x slower under load with them)."""
    for name in BLAS_THREADS:
        os.environ.setdefault(name, "1")


def die_with_parent(parent: int) -> None:
    """Make this worker (and its kernels) end when the runner ``parent`` ends, however it
    ends (``kill -9`` included): Linux sends the worker SIGTERM when its parent dies
    (``prctl(PR_SET_PDEATHSIG)``), and the worker's SIGTERM handler kills its kernels before
    it exits. Elsewhere the kernels still notice a dead parent (ipykernel's parent poller).

    The signal is :data:`STOP_WORKER` (SIGTERM too while no notebook runs: the notebook
    client replaces its handler during a run)."""
    signal.signal(signal.SIGTERM, _end_worker)
    signal.signal(STOP_WORKER, _end_worker)
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, STOP_WORKER, 0, 0, 0)
        except (OSError, AttributeError) as error:
            log.warning("workers will not end with the runner: %s", error)
    if os.getppid() != parent:  # the runner died before the line above
        _end_worker(STOP_WORKER, None)


def _end_worker(signum: int, _frame: object) -> None:
    """STOP_WORKER (or SIGTERM) in a worker: kill its kernels, then leave at once."""
    from pipelines.report import kernels

    kernels.kill_all()
    os._exit(128 + signum)


def short_error(error: Exception) -> str:
    """An error in one line for the index and manifest: its name and message (a notebook's
    error keeps the name and value the kernel raised)."""
    text = getattr(error, "evalue", None) or str(error) or type(error).__name__
    name = getattr(error, "ename", None) or type(error).__name__
    return f"{name}: {text}".strip()[:500]


def _died(task: ReportTask) -> ReportOutcome:
    """The worker itself died (or was lost): still a per-region failure."""
    return ReportOutcome(task.slug, task.region, "failed", 0.0, traceback.format_exc(limit=1))


def start_pool(tasks: list[ReportTask], workers: int) -> ProcessPoolExecutor:
    """Local worker processes for ``tasks``, started now: each begins its start-up (imports,
    a warm kernel: :func:`start_worker`) at once, so the runner can make the disclosure plan
    meanwhile and the first report starts on a warm kernel."""
    warm = any(t.warm for t in tasks)
    pool = ProcessPoolExecutor(
        max_workers=workers, initializer=start_worker, initargs=(warm, tasks[0].root, os.getpid())
    )
    for _ in range(workers):  # a pool starts its processes with the first task it is given
        pool.submit(_started)
    return pool


def _started() -> None:
    """A worker's first task: nothing beyond its start-up."""


def local_outcomes(
    tasks: list[ReportTask], workers: int, pool: ProcessPoolExecutor | None = None
) -> Outcomes:
    """Local worker processes, each with its own warm kernel (the default); ``pool``: one
    already started for these tasks (:func:`start_pool`)."""
    if pool is None:
        pool = start_pool(tasks, workers)
    try:
        futures = {pool.submit(run_task, task): task for task in tasks}
        for future in as_completed(futures):
            task = futures[future]
            try:
                yield task, future.result()
            except Exception:
                yield task, _died(task)
    except BaseException:  # Ctrl-C, or the runner stopped listening: end the reports now
        stop_workers(pool)
        raise
    pool.shutdown()


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers at once, not after their current report: each is sent
    :data:`STOP_WORKER`, kills its kernels and exits (:func:`_end_worker`); one still there
    after :data:`STOP_GRACE_SECONDS` is killed. Reports not started are dropped."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for process in processes:
        if process.pid is not None and process.is_alive():
            with contextlib.suppress(ProcessLookupError):
                os.kill(process.pid, STOP_WORKER)
    pool.shutdown(wait=False, cancel_futures=True)
    deadline = time.monotonic() + STOP_GRACE_SECONDS
    for process in processes:
        process.join(timeout=max(0.0, deadline - time.monotonic()))
        if process.is_alive():
            process.kill()
            process.join(timeout=STOP_GRACE_SECONDS)


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


def dask_outcomes(client: Any, tasks: list[ReportTask]) -> Outcomes:
    """Tasks on a Dask cluster's workers; each worker keeps warm kernels between tasks (and
    between runs). ``pure=False``: a report is never taken from Dask's cache of results."""
    from distributed import as_completed as dask_completed

    futures = client.map(
        run_task, tasks, pure=False, key=[f"report-{t.run_id}-{t.slug}" for t in tasks]
    )
    by_key = {f.key: task for f, task in zip(futures, tasks, strict=True)}
    try:
        with client.as_current():
            for future in dask_completed(futures):
                task = by_key[future.key]
                try:
                    yield task, future.result()
                except Exception:
                    yield task, _died(task)
    except BaseException:  # Ctrl-C: the cluster's workers drop this run's reports
        client.cancel(futures)
        raise
