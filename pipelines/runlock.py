"""One run at a time per consultation: an OS lock that dies with the run that holds it.

The lock is ``flock`` on ``data/clean/.<consultation>.lock``. Such a lock belongs to the open
file, and the kernel drops it when the last descriptor of that file is closed: when the
process dies (SIGKILL included). A forked child (a report worker) would get a copy of the
descriptor and keep the consultation locked after the run was killed, so every forked child
closes its copy at once (``os.register_at_fork``), and the descriptor is close-on-exec, so no
started program (a kernel) gets one. Only the process that took the lock holds it.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

from pipelines.errors import InputError
from pipelines.paths import clean_dir, data_dir, reports_dir

#: Descriptors of the locks this process holds (closed in every forked child).
_held: set[int] = set()


def _close_in_child() -> None:
    for fd in list(_held):
        with suppress(OSError):
            os.close(fd)
    _held.clear()


os.register_at_fork(after_in_child=_close_in_child)


def lock_path(consultation: str, root: Path | None = None) -> Path:
    name = clean_dir(consultation, root).name  # refuses anything but a plain name
    return data_dir(root) / "clean" / f".{name}.lock"


@contextmanager
def consultation_lock(consultation: str, root: Path | None = None) -> Iterator[None]:
    """Hold the consultation's lock, or raise InputError saying who holds it."""
    path = lock_path(consultation, root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip()
            raise InputError(
                f"Another workbook run on {consultation} is in progress "
                f"({holder or 'another process'}). "
                "Wait for it to finish, then run again; nothing was written."
            ) from None
        _held.add(fd)
        os.ftruncate(fd, 0)
        os.pwrite(
            fd, f"pid {os.getpid()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S} UTC".encode(), 0
        )
        remove_stale_staging(consultation, root)
        yield
    finally:
        _held.discard(fd)
        os.close(fd)


def remove_stale_staging(consultation: str, root: Path | None = None) -> list[Path]:
    """Staging and scratch folders a killed run left behind (safe to remove: we hold the
    lock)."""
    name = clean_dir(consultation, root).name
    stale = [
        *_children(
            data_dir(root) / "clean", rf"\.{re.escape(name)}\.(tmp-\w+|old-\d+|scratch-\w+)"
        ),
        *_children(reports_dir(name, root), r"\.staging-.+"),
    ]
    for folder in stale:
        shutil.rmtree(folder, ignore_errors=True)
    return stale


def _children(folder: Path, pattern: str) -> list[Path]:
    """Entries of ``folder`` whose whole name matches ``pattern`` (no glob: a consultation's
    name may hold ``*`` or ``[``, and ``a``'s staging must not match ``a.tmp-b``'s)."""
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if re.fullmatch(pattern, p.name)]
