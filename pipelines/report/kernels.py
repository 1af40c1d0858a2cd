"""Warm kernels: one started IPython kernel per worker, reused for region after region.

A new kernel per notebook costs seconds (start-up, ``import altair``, vl-convert's first
render); a warm kernel pays that once. Between notebooks the kernel is put back to the
baseline it recorded after warming up (:mod:`pipelines.report.kernel_state`), so nothing from
one region can reach the next. A kernel whose reset reports a problem, whose notebook failed
or which died is shut down and a new one started before the next region.

papermill runs each notebook on the kernel through ``km=`` (papermill passes it on to
nbclient, which then neither starts nor shuts the kernel down).
"""

from __future__ import annotations

import atexit
import logging
import os
import signal
import sys
import threading
from dataclasses import dataclass, field
from functools import cache
from multiprocessing.util import Finalize
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

log = logging.getLogger(__name__)

KERNEL_NAME = "python3"
#: The kernel's own start-up and shutdown chatter is noise in a scheduled job's log. No
#: input history: kernels running side by side shared IPython's history database, and one
#: that lost a race printed "Session/line number was not unique in database" into the next
#: cell's output (a report's, or the reset's).
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL", "--HistoryManager.enabled=False"]
STARTUP_TIMEOUT = 120
WARM_UP = "__import__('pipelines.report.kernel_state').report.kernel_state.warm_up()"
SAVE_ONCE_ENGINE = "workbook-save-once"
RESTORE = "print(__import__('pipelines.report.kernel_state').report.kernel_state.restore())"


class KernelNotClean(RuntimeError):
    """The kernel could not be put back to its baseline."""


class _TrackedKernelManager(AsyncKernelManager):
    """A kernel manager that remembers the clients nbclient makes, so each run's are closed."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.opened: list[Any] = []

    def client(self, **kwargs: Any) -> Any:
        kc = super().client(**kwargs)
        self.opened.append(kc)
        return kc

    def close_clients(self) -> None:
        for kc in self.opened:
            kc.stop_channels()
        self.opened.clear()


@dataclass
class WarmKernel:
    """A started kernel for one project root, warmed up and reset between notebooks."""

    root: str
    cwd: str
    km: _TrackedKernelManager = field(init=False)
    kc: Any = field(default=None, init=False)
    runs: int = field(default=0, init=False)
    #: a notebook ran since the last reset: reset before the next one
    dirty: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.km = _TrackedKernelManager(kernel_name=KERNEL_NAME)
        env = {**os.environ, "WORKBOOK_ROOT": self.root}
        run_sync(self.km.start_kernel)(extra_arguments=KERNEL_ARGUMENTS, cwd=self.cwd, env=env)
        try:
            self.kc = self._start_client()
            self._run_code(WARM_UP)
        except Exception:
            self.shutdown()
            raise

    def _start_client(self) -> Any:
        """The one client every cell of this kernel runs through, for the kernel's whole life.

        A new client per notebook (nbclient's default) waits about 0.2 s for its IOPub channel
        to connect (jupyter_client's ``wait_for_ready``), twice per report (reset, notebook).
        """
        kc = AsyncKernelManager.client(self.km)  # not tracked: closed with the kernel
        kc.start_channels()
        try:
            run_sync(kc.wait_for_ready)(timeout=STARTUP_TIMEOUT)
        except Exception:
            kc.stop_channels()
            raise
        kc.allow_stdin = False
        return kc

    def _run_code(self, source: str) -> str:
        """Run one cell on the kernel (not recorded in any report); its printed output."""
        import nbformat
        from nbclient import NotebookClient

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        client = NotebookClient(
            nb, km=self.km, kernel_name=KERNEL_NAME, startup_timeout=STARTUP_TIMEOUT
        )
        client.kc = self.kc
        try:
            client.execute()
        finally:
            self.km.close_clients()
        outputs = nb.cells[0].get("outputs", [])
        return "".join(o.get("text", "") for o in outputs if o.get("output_type") == "stream")

    def reset(self) -> None:
        """Back to the baseline, or :class:`KernelNotClean`."""
        status = self._run_code(RESTORE).strip()
        if status != "clean":
            raise KernelNotClean(status)
        self.dirty = False

    def execute(self, notebook: Path, output: Path, parameters: dict[str, Any]) -> Any:
        """Run ``notebook`` with papermill on this kernel; the executed notebook node."""
        import papermill

        if self.dirty:
            self.reset()
        self.runs += 1
        self.dirty = True
        try:
            return papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                engine_name=_save_once_engine(),
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                log_output=False,
                km=self.km,
                kc=self.kc,
                startup_timeout=STARTUP_TIMEOUT,
            )
        finally:
            self.km.close_clients()

    def alive(self) -> bool:
        return bool(run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception as error:  # already gone: nothing to stop
            log.debug("kernel shutdown: %s", error)
        finally:
            if self.kc is not None:
                self.kc.stop_channels()
            self.km.close_clients()


@cache
def _save_once_engine() -> str:
    """A papermill engine that writes the executed notebook once, not after every cell, and
    runs it through the warm kernel's own client (``kc=``).

    papermill's default engine rewrites the whole notebook (every SVG in it) at the start and
    end of each cell: about 35 writes per report. This one leaves the write to papermill's
    own at the end (or, when a cell failed, to its error banner); only when execution itself
    stops (a dead kernel, a timeout) does it write the notebook so far, for audit.
    """
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, NotebookExecutionManager, papermill_engines
    from papermill.log import logger
    from papermill.utils import merge_kwargs, remove_args

    class SaveOnceManager(NotebookExecutionManager):
        def save(self, **kwargs: Any) -> None:
            if sys.exc_info()[1] is not None:
                super().save(**kwargs)

    class SaveOnceEngine(NBClientEngine):
        @classmethod
        def execute_notebook(
            cls,
            nb: Any,
            kernel_name: str,
            output_path: str | None = None,
            progress_bar: bool = True,
            log_output: bool = False,
            autosave_cell_every: int = 30,
            **kwargs: Any,
        ) -> Any:
            nb_man = SaveOnceManager(
                nb,
                output_path=output_path,
                progress_bar=progress_bar,
                log_output=log_output,
                autosave_cell_every=autosave_cell_every,
            )
            nb_man.notebook_start()
            try:
                cls.execute_managed_notebook(nb_man, kernel_name, log_output=log_output, **kwargs)
            finally:
                nb_man.cleanup_pbar()
                nb_man.notebook_complete()
            return nb_man.nb

        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man: Any,
            kernel_name: str,
            log_output: bool = False,
            stdout_file: Any = None,
            stderr_file: Any = None,
            start_timeout: int = 60,
            execution_timeout: int | None = None,
            kc: Any = None,
            **kwargs: Any,
        ) -> Any:
            # as NBClientEngine's, with the kernel client handed over instead of a new one
            kwargs = remove_args(["input_path"], **kwargs)
            safe_kwargs = remove_args(["timeout", "startup_timeout"], **kwargs)
            final_kwargs = merge_kwargs(
                safe_kwargs,
                timeout=execution_timeout if execution_timeout else kwargs.get("timeout"),
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            client = PapermillNotebookClient(nb_man, **final_kwargs)
            client.kc = kc
            return client.execute()

    papermill_engines.register(SAVE_ONCE_ENGINE, SaveOnceEngine)
    return SAVE_ONCE_ENGINE


#: One warm kernel per worker thread (a Dask worker may run tasks on several threads).
_kernels: dict[int, WarmKernel] = {}
_lock = threading.Lock()


def warm_kernel(root: str, cwd: str) -> WarmKernel:
    """This thread's warm kernel for ``root``, back at its baseline: started (and warmed
    up) if there is none, or if the one there is dead or cannot be reset."""
    key = threading.get_ident()
    kernel = _kernels.get(key)
    if kernel is not None and (kernel.root != root or kernel.cwd != cwd or not kernel.alive()):
        discard_kernel()
        kernel = None
    if kernel is not None and kernel.dirty:
        try:
            kernel.reset()
        except KernelNotClean as error:
            log.warning("a new kernel: the last one could not be reset (%s)", error)
            discard_kernel()
            kernel = None
    if kernel is None:
        _stop_kernels_at_exit()
        kernel = _started(root, cwd)
        with _lock:
            _kernels[key] = kernel
    return kernel


def _started(root: str, cwd: str, attempts: int = 2) -> WarmKernel:
    """A new warm kernel. A start that fails (the ports jupyter_client chose were taken by
    another process before the kernel bound them, so it never answers) is tried again on
    new ports, once: a busy machine should not fail a report for a kernel that never ran."""
    for attempt in range(1, attempts + 1):
        try:
            return WarmKernel(root, cwd)
        except RuntimeError as error:
            if attempt == attempts:
                raise
            log.warning("a kernel did not start (%s): starting another", error)
    raise AssertionError("unreachable")


@cache
def _stop_kernels_at_exit() -> None:
    """Once per process: stop the kernels when it exits, as a script (``atexit``) or as a
    worker process (multiprocessing's finalisers). A worker killed outright leaves its
    kernels to notice: an IPython kernel exits when its parent process is gone."""
    atexit.register(shutdown_all)
    Finalize(None, shutdown_all, exitpriority=10)


def discard_kernel() -> None:
    """Shut this thread's kernel down; the next region starts a new one."""
    with _lock:
        kernel = _kernels.pop(threading.get_ident(), None)
    if kernel is not None:
        kernel.shutdown()


def kill_all() -> None:
    """Kill every kernel of this process at once, from a signal handler (no event loop, no
    locks): each kernel leads a process group of its own (jupyter_client starts it in a new
    session), so the group is killed, children and all."""
    for kernel in list(_kernels.values()):
        pid = getattr(getattr(kernel.km, "provisioner", None), "pid", None)
        if not pid:
            continue
        for kill, target in ((os.killpg, pid), (os.kill, pid)):
            try:
                kill(target, signal.SIGKILL)
                break
            except (ProcessLookupError, PermissionError):
                continue


def shutdown_all() -> None:
    """Stop every warm kernel of this process (at worker exit)."""
    with _lock:
        kernels = list(_kernels.values())
        _kernels.clear()
    for kernel in kernels:
        kernel.shutdown()
