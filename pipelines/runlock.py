"""One run at a time per consultation: an advisory lock, released even if the run is killed.

``fcntl.flock`` locks belong to the open file, so the kernel drops them when the process
dies (SIGKILL included): a killed run never leaves the consultation locked.
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from pipelines.errors import InputError
from pipelines.paths import data_dir, reports_dir


def lock_path(consultation: str, root: Path | None = None) -> Path:
    return data_dir(root) / "clean" / f".{consultation}.lock"


@contextmanager
def consultation_lock(consultation: str, root: Path | None = None) -> Iterator[None]:
    """Hold the consultation's lock, or raise InputError saying who holds it."""
    path = lock_path(consultation, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = open(path, "a+", encoding="utf-8")  # noqa: SIM115 - held for the run
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise InputError(
                f"Another workbook run on {consultation} is in progress ({holder}). "
                "Wait for it to finish, then run again; nothing was written."
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC")
        handle.flush()
        remove_stale_staging(consultation, root)
        yield
    finally:
        handle.close()


def remove_stale_staging(consultation: str, root: Path | None = None) -> list[Path]:
    """Staging folders a killed run left behind (safe to remove: we hold the lock)."""
    stale = [
        *(data_dir(root) / "clean").glob(f".{consultation}.tmp-*"),
        *(data_dir(root) / "clean").glob(f".{consultation}.old-*"),
        *reports_dir(consultation, root).glob(".staging-*"),
    ]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale
