"""Paths anchored to the project root, never to the working directory."""

from __future__ import annotations

import os
from pathlib import Path

#: The project root: the folder holding ``pipelines/``. ``WORKBOOK_ROOT`` overrides it,
#: so tests and scheduled jobs can point the workbook at another tree of data.
ROOT = Path(os.environ.get("WORKBOOK_ROOT") or Path(__file__).resolve().parents[1]).resolve()

CONFIG_DIR = Path(__file__).resolve().parents[1] / "config"
EXPECTATIONS_DIR = Path(__file__).resolve().parents[1] / "expectations"
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1] / "notebooks"


def data_dir(root: Path | None = None) -> Path:
    return (root or ROOT) / "data"


def raw_dir(consultation: str, root: Path | None = None) -> Path:
    return data_dir(root) / "raw" / consultation


def clean_dir(consultation: str, root: Path | None = None) -> Path:
    return data_dir(root) / "clean" / consultation


def reference_dir(root: Path | None = None) -> Path:
    return data_dir(root) / "reference"


def reports_dir(consultation: str, root: Path | None = None) -> Path:
    return (root or ROOT) / "reports" / consultation
