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
#: The kernel's own start-up and shutdown chatter is noise in a scheduled job's log.
KERNEL_ARGUMENTS = ["--IPKernelApp.log_level=CRITICAL"]
STARTUP_TIMEOUT = 120
WARM_UP = "__import__('pipelines.report.kernel_state').report.kernel_state.warm_up()"
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
    runs: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self.km = _TrackedKernelManager(kernel_name=KERNEL_NAME)
        env = {**os.environ, "WORKBOOK_ROOT": self.root}
        run_sync(self.km.start_kernel)(extra_arguments=KERNEL_ARGUMENTS, cwd=self.cwd, env=env)
        try:
            self._run_code(WARM_UP)
        except Exception:
            self.shutdown()
            raise

    def _run_code(self, source: str) -> str:
        """Run one cell on the kernel (not recorded in any report); its printed output."""
        import nbformat
        from nbclient import NotebookClient

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
        client = NotebookClient(
            nb, km=self.km, kernel_name=KERNEL_NAME, startup_timeout=STARTUP_TIMEOUT
        )
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

    def execute(self, notebook: Path, output: Path, parameters: dict[str, Any]) -> Any:
        """Run ``notebook`` with papermill on this kernel; the executed notebook node."""
        import papermill

        if self.runs:
            self.reset()
        self.runs += 1
        try:
            return papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=KERNEL_NAME,
                progress_bar=False,
                log_output=False,
                km=self.km,
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
            self.km.close_clients()


#: One warm kernel per worker thread (a Dask worker may run tasks on several threads).
_kernels: dict[int, WarmKernel] = {}
_lock = threading.Lock()


def warm_kernel(root: str, cwd: str) -> WarmKernel:
    """This thread's warm kernel for ``root``, started (and warmed up) if there is none."""
    key = threading.get_ident()
    kernel = _kernels.get(key)
    if kernel is not None and (kernel.root != root or kernel.cwd != cwd or not kernel.alive()):
        discard_kernel()
        kernel = None
    if kernel is None:
        _stop_kernels_at_exit()
        kernel = WarmKernel(root, cwd)
        with _lock:
            _kernels[key] = kernel
    return kernel


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


def shutdown_all() -> None:
    """Stop every warm kernel of this process (at worker exit)."""
    with _lock:
        kernels = list(_kernels.values())
        _kernels.clear()
    for kernel in kernels:
        kernel.shutdown()
