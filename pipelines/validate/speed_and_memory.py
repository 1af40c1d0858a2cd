"""What keeps validation quick and its memory bounded, kept out of the run order: a clock
per stage (where the time goes), Great Expectations imported and input files hashed in
background threads while polars reads, and freed memory handed back to the system."""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib
import threading
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.unused_imports import skip_unused_imports
from pipelines.validate.gx_suites import RuleResult, SuiteRunner

#: An export bigger than this (about 2.5 million responses of the bench's shape) keeps its
#: answers, comments and raw fields on disk until they are written (:mod:`pipelines.ingest.spill`):
#: held, they are about 2.7 GiB at ten million responses; smaller exports are quicker held.
SPILL_OVER_BYTES = 1 << 30


class StageClock:
    """Wall-clock seconds per named stage. Stages nest: an inner stage pauses the outer one,
    so every second is counted once."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {
            "read": 0.0,
            "validate": 0.0,
            "clean": 0.0,
            "aggregate": 0.0,
        }
        self._open: list[str] = []
        self._since = time.perf_counter()

    def _credit(self) -> None:
        now = time.perf_counter()
        if self._open:
            name = self._open[-1]
            self.seconds[name] = self.seconds.get(name, 0.0) + now - self._since
        self._since = now

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._credit()
        self._open.append(name)
        try:
            yield
        finally:
            self._credit()
            self._open.pop()


class TimedSuiteRunner:
    """A :class:`SuiteRunner` whose suite runs count as the "validate" stage."""

    def __init__(self, runner: SuiteRunner, clock: StageClock) -> None:
        self.runner = runner
        self.clock = clock

    def run(self, name: str, frame: pl.DataFrame, parameters: dict[str, Any]) -> list[RuleResult]:
        with self.clock.stage("validate"):
            return self.runner.run(name, frame, parameters)


def import_gx_in_background() -> threading.Thread:
    """Start importing Great Expectations (several seconds) while polars reads the files,
    without the IRI grammar jsonschema would compile for it (:mod:`pipelines.unused_imports`:
    about 1.3 s of CPU with the interpreter's lock held, beside the read)."""
    skip_unused_imports()
    thread = threading.Thread(
        target=importlib.import_module, args=("great_expectations",), daemon=True
    )
    thread.start()
    return thread


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Digests:
    """SHA-256 of input files, worked out in a background thread while validation goes on
    (hashlib lets other threads run: hashing a large export overlaps Great Expectations)."""

    def __init__(self, paths: Iterable[Path]) -> None:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook-sha256")
        self._pending = {path: pool.submit(sha256, path) for path in paths}
        pool.shutdown(wait=False)

    def __call__(self, path: Path) -> str:
        pending = self._pending.get(path)
        return pending.result() if pending is not None else sha256(path)


def release_freed_memory() -> None:
    """Hand memory freed by pandas and Great Expectations back to the system (glibc keeps
    it for reuse otherwise: over a gigabyte after a 10-million-row uniqueness check)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to hand back
        ctypes.CDLL("libc.so.6").malloc_trim(0)
