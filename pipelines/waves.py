"""Waves of a repeated survey: consultations that share a ``series`` in consultation.yml."""

from __future__ import annotations

from pathlib import Path

import yaml

from pipelines import yamlfile
from pipelines.paths import data_dir


def previous_wave(consultation_id: str, root: Path | None = None) -> str | None:
    """The consultation of the same series that opened most recently before this one."""
    raw = data_dir(root) / "raw"
    this = _meta(raw / consultation_id)
    if not this or not this.get("series"):
        return None
    earlier = []
    for folder in sorted(p for p in raw.iterdir() if p.is_dir() and p.name != consultation_id):
        meta = _meta(folder)
        if (
            meta
            and meta.get("series") == this["series"]
            and str(meta.get("opened")) < str(this.get("opened"))
        ):
            earlier.append((str(meta.get("opened")), folder.name))
    return max(earlier)[1] if earlier else None


def _meta(folder: Path) -> dict | None:
    path = folder / "consultation.yml"
    if not path.is_file():
        return None
    try:
        meta = yamlfile.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError:
        return None
    return meta if isinstance(meta, dict) else None
