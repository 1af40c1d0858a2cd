"""Paths anchored to the project root, never to the working directory.

A consultation is named by its folder under ``data/raw``, and that name becomes a folder
under ``data/clean`` and ``reports``: :func:`consultation_name` turns what a person typed
into such a name (or refuses it), and every path helper here refuses anything else, so no
name can reach outside those folders (``..``, ``/abs/path``, ``a/b``, ``.hidden``).
"""

from __future__ import annotations

import os
import unicodedata
from pathlib import Path

from pipelines.errors import InputError

#: The project root: the folder holding ``pipelines/``. ``WORKBOOK_ROOT`` overrides it,
#: so tests and scheduled jobs can point the workbook at another tree of data.
ROOT = Path(os.environ.get("WORKBOOK_ROOT") or Path(__file__).resolve().parents[1]).resolve()

CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
EXPECTATIONS_DIR = Path(__file__).resolve().parents[1] / "expectations"
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"

#: The longest consultation name, in UTF-8 bytes: room for the lock and staging folders'
#: prefixes and suffixes within a file system's 255-byte name limit.
MAX_NAME_BYTES = 120

WHAT_A_NAME_IS = (
    "a consultation is named by its folder under data/raw: one folder name (no '/', no '..', "
    "not starting with '.', no control characters), or a path to a folder directly in data/raw"
)


def data_dir(root: Path | None = None) -> Path:
    return (root or ROOT) / "data"


def name_problem(name: str) -> str | None:
    """Why ``name`` is not a plain folder name (None: it is one)."""
    if not name:
        return "it is empty"
    if name in (".", ".."):
        return f"{name!r} is a path, not a name"
    if "/" in name or "\\" in name or os.sep in name:
        return "it contains a path separator"
    if name.startswith("."):
        return "it starts with '.' (a hidden folder)"
    bad = [c for c in name if unicodedata.category(c) in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp")]
    if bad:
        return f"it contains control or invisible characters ({', '.join(map(ascii, bad[:3]))})"
    if name != name.strip():
        return "it starts or ends with a space"
    if len(name.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        return f"it is longer than {MAX_NAME_BYTES} bytes"
    return None


def _plain(name: str) -> str:
    """``name`` if it is a plain folder name; else InputError (defence in depth: every path
    helper calls this, so even a caller that skipped :func:`consultation_name` cannot write
    outside ``data/clean/<name>`` or ``reports/<name>``)."""
    if not isinstance(name, str):
        raise InputError(f"Not a consultation name: {name!r} ({WHAT_A_NAME_IS})")
    problem = name_problem(name)
    if problem:
        raise InputError(f"Not a consultation name: {name!r}: {problem} ({WHAT_A_NAME_IS})")
    return name


def raw_dir(consultation: str, root: Path | None = None) -> Path:
    return data_dir(root) / "raw" / _plain(consultation)


def clean_dir(consultation: str, root: Path | None = None) -> Path:
    return data_dir(root) / "clean" / _plain(consultation)


def reference_dir(root: Path | None = None) -> Path:
    return data_dir(root) / "reference"


def reports_dir(consultation: str, root: Path | None = None) -> Path:
    return (root or ROOT) / "reports" / _plain(consultation)


def consultations(root: Path | None = None) -> list[str]:
    """The consultations there are: the plain-named folders in ``data/raw``."""
    raw = data_dir(root) / "raw"
    if not raw.is_dir():
        return []
    return sorted(p.name for p in raw.iterdir() if p.is_dir() and name_problem(p.name) is None)


def consultation_name(text: str, root: Path | None = None, must_exist: bool = True) -> str:
    """The consultation a person named: a folder name under ``data/raw``, or a path to a
    folder directly in ``data/raw`` (``data/raw/x``, ``./data/raw/x/``, ``/abs/.../data/raw/x``)
    reduced to its name. Anything else, or (``must_exist``) a folder that is not there, is an
    InputError that says what a name is and lists the consultations there are.

    The one door from a typed name to the file system: ``workbook validate``/``report``,
    :func:`pipelines.prepare.prepare_consultation` (and the validation it runs), the report
    notebooks and :mod:`pipelines.explore` all go through it.
    """
    raw = data_dir(root) / "raw"
    name = text
    if isinstance(text, str) and text and ("/" in text or os.sep in text) and "\0" not in text:
        name = _name_from_path(text, raw) or text
    problem = name_problem(name) if isinstance(name, str) else "it is not text"
    if problem is None and (not must_exist or (raw / name).is_dir()):
        return name
    reason = problem or f"there is no folder {raw / name}"
    known = consultations(root)
    choices = ", ".join(known) if known else f"none yet (add a folder to {raw})"
    raise InputError(
        f"Not a consultation: {text!r}: {reason}. A {WHAT_A_NAME_IS[2:]}. "
        f"Consultations in {raw}: {choices}"
    )


def _name_from_path(text: str, raw: Path) -> str | None:
    """The folder name where ``text`` is a path to a folder directly in ``raw`` (relative to
    the working directory or to the project root; as written, or after following links);
    else None."""
    path = Path(text).expanduser()
    root = raw.parent.parent
    for candidate in (path, path if path.is_absolute() else root / path):
        try:
            written = Path(os.path.abspath(candidate))  # lexical: '..' folded, links kept
            real = candidate.resolve()
            raw_written = Path(os.path.abspath(raw))
            raw_real = raw.resolve()
        except (OSError, RuntimeError, ValueError):
            continue
        if written.parent == raw_written and written.name:
            return written.name
        if real.parent == raw_real and real.name:
            return real.name
    return None
