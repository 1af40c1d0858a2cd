"""Where the reports execute: worker processes (local, or on a Dask cluster), each running
one notebook at a time with papermill and exporting it to a page, never raising.

A worker starts once (:func:`start_worker`: it dies with the runner, imports what every
report needs and starts a warm kernel), then runs :func:`run_task` for each report it is
given. The runner gets each report's outcome as it finishes, from :func:`local_outcomes` or
:func:`dask_outcomes`, in whatever order the reports finish.
"""

from __future__ import annotations

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

log = logging.getLogger(__name__)

REGION_NOTEBOOK = NOTEBOOKS_DIR / "20_region_report.ipynb"
OVERVIEW_NOTEBOOK = NOTEBOOKS_DIR / "30_overview.ipynb"
BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
PR_SET_PDEATHSIG = 1

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
        page = notebook_to_html(nb, title=_browser_title(task), banner=banner, footer=footer)
        (staging / f"{task.slug}.html").write_text(page, encoding="utf-8")
    except Exception as error:  # a failed region must not stop the others: record it
        message = short_error(error)
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
            log.warning("could not start a warm kernel yet: %s", short_error(error))


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
    """SIGTERM in a worker: kill its kernels, then leave at once."""
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


def local_outcomes(tasks: list[ReportTask], workers: int) -> Outcomes:
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


def dask_outcomes(client: Any, tasks: list[ReportTask]) -> Outcomes:
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
