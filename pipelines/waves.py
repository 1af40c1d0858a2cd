"""Waves of a repeated survey: consultations that share a ``series`` in consultation.yml."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml

from pipelines import yamlfile
from pipelines.paths import consultations, data_dir

log = logging.getLogger(__name__)


def earlier_waves(consultation_id: str, root: Path | None = None) -> list[str]:
    """Every consultation of the same series that opened before this one, earliest first.

    Waves are consultations whose consultation.yml shares a ``series``, ordered by
    ``opened``. Every other folder's consultation.yml is read for its ``series``: one that
    cannot be read (not UTF-8, not YAML, too large) is skipped with a warning, never a
    failure of this one.
    """
    raw = data_dir(root) / "raw"
    this = _meta(raw / consultation_id)
    if not this or not this.get("series"):
        return []
    earlier = []
    for name in consultations(root):  # plain-named folders only: never a hidden one
        if name == consultation_id:
            continue
        folder = raw / name
        meta = _meta(folder)
        if (
            meta
            and meta.get("series") == this["series"]
            and str(meta.get("opened")) < str(this.get("opened"))
        ):
            earlier.append((str(meta.get("opened")), folder.name))
    return [name for _, name in sorted(earlier)]


def previous_wave(consultation_id: str, root: Path | None = None) -> str | None:
    """The consultation of the same series that opened most recently before this one (the
    last of :func:`earlier_waves`); None for the first wave or a consultation in no series."""
    earlier = earlier_waves(consultation_id, root)
    return earlier[-1] if earlier else None


def _meta(folder: Path) -> dict | None:
    path = folder / "consultation.yml"
    try:
        if not path.is_file():
            return None
        if path.stat().st_size > yamlfile.MAX_YAML_BYTES:
            raise ValueError(f"larger than {yamlfile.MAX_YAML_BYTES:,} bytes")
        meta = yamlfile.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError, yaml.YAMLError) as error:
        log.warning("%s skipped while looking for earlier waves: %s", path, error)
        return None
    return meta if isinstance(meta, dict) else None
