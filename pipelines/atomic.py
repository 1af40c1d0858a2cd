"""Atomic writes: build outputs in a temporary folder beside the target, then swap them in.

A run that fails or is killed part-way leaves the previous outputs as they were; what it
had already put in place is recorded (:func:`put_in_place_since`), so that an interrupted
command can say what it changed.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import count
from pathlib import Path

#: The outputs this process has put in place lately, numbered in order: a folder swapped in
#: whole (:func:`atomic_directory`) or a file renamed or linked into place. Bounded, so a
#: long-lived process (a JupyterLab kernel) does not keep every path it ever wrote.
_PUT_IN_PLACE: deque[tuple[int, Path]] = deque(maxlen=4096)
_NUMBERS = count(1)


def _put_in_place(path: Path) -> None:
    _PUT_IN_PLACE.append((next(_NUMBERS), path))


def put_in_place_mark() -> int:
    """The number of the last output put in place so far (0: none)."""
    return _PUT_IN_PLACE[-1][0] if _PUT_IN_PLACE else 0


def put_in_place_since(mark: int) -> list[Path]:
    """The outputs put in place after :func:`put_in_place_mark` gave ``mark`` (the latest
    :data:`_PUT_IN_PLACE` keeps: see :func:`all_kept_since`), in order."""
    return [path for number, path in _PUT_IN_PLACE if number > mark]


def all_kept_since(mark: int) -> bool:
    """Whether every output put in place since ``mark`` is still in the record."""
    return not _PUT_IN_PLACE or _PUT_IN_PLACE[0][0] <= mark + 1


#: At most this many outputs are named by :func:`listed`.
LISTED = 4


def listed(written: list[Path], root: Path) -> str:
    """Outputs put in place, as paths relative to ``root``, each once, the first few named:
    those still there and not inside a folder named (a file written in a staging folder,
    since swapped in with it, is not named again). Empty if none is left to name."""
    kept = [path for path in dict.fromkeys(written) if path.exists()]
    folders = [path for path in kept if path.is_dir()]
    kept = [path for path in kept if not any(f in path.parents for f in folders)]
    names = []
    for path in kept:
        try:
            names.append(str(path.relative_to(root)))
        except ValueError:
            names.append(str(path))
    shown = ", ".join(names[:LISTED])
    more = len(names) - LISTED
    return f"{shown} and {more} more" if more > 0 else shown


@contextmanager
def held_signals() -> Iterator[None]:
    """Ctrl-C and SIGTERM held off while outputs are put in place, then acted on: one that
    comes meanwhile is raised again, to the handler before, as soon as the block ends (so
    a stop never falls between two renames, nor between a rename and its record). Off the
    main thread, where signals cannot be handled, nothing is held."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    # a handler installed outside Python (getsignal: None) could not be put back: left alone
    held = [s for s in (signal.SIGINT, signal.SIGTERM) if signal.getsignal(s) is not None]
    previous = {signum: signal.signal(signum, lambda got, _: caught.append(got)) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if caught:
            signal.raise_signal(caught[0])


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _usual_mode(path: Path, directory: bool = False) -> None:
    """tempfile creates private (0600/0700) files; outputs get the usual umask-based mode."""
    os.chmod(path, (0o777 if directory else 0o666) & ~_umask())


@contextmanager
def atomic_directory(target: Path) -> Iterator[Path]:
    """Yield an empty staging folder; on success it replaces ``target`` whole."""
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=target.parent))
    _usual_mode(staging, directory=True)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    retired = target.parent / f".{target.name}.old-{os.getpid()}"
    with held_signals():  # a Ctrl-C between the two renames would leave no target at all
        if target.exists():
            os.replace(target, retired)
        os.replace(staging, target)
        _put_in_place(target)
        shutil.rmtree(retired, ignore_errors=True)


def write_text_atomic(path: Path, text: str) -> None:
    """Write a UTF-8 text file through a temporary sibling and an atomic rename."""
    write_bytes_atomic(path, text.encode("utf-8"))


def write_bytes_atomic(path: Path, data: bytes) -> None:
    """Write a file through a temporary sibling and an atomic rename (never half-written)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        _usual_mode(Path(temporary))
        with held_signals():
            os.replace(temporary, path)
            _put_in_place(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_text_new(path: Path, text: str) -> None:
    """Write a new UTF-8 text file whole, never over an existing one (or a link): the
    finished temporary file is hard-linked into place, which fails if the name is taken.
    Raises FileExistsError if it is."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(text.encode("utf-8"))
        _usual_mode(Path(temporary))
        with held_signals():
            os.link(temporary, path)
            _put_in_place(path)
    finally:
        Path(temporary).unlink(missing_ok=True)
