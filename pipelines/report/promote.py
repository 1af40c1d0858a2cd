"""Promotion: a report made in the run's staging folder replaces the published one only
once it executed and exported cleanly.

Each part (the page, its tables, the executed notebook) moves into place atomically, so a
reader, or a run killed half-way, never sees a page without its tables. A failed report's
executed notebook (with the error) is still published for audit; its page and tables stay
as the last good run left them.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from pipelines.report.outcomes import ReportOutcome


def promote(outcome: ReportOutcome, staging: Path, target: Path) -> None:
    """Move a finished report (page, tables, executed notebook) into place, each atomically."""
    executed = staging / "executed" / f"{outcome.slug}.ipynb"
    if executed.exists():
        (target / "executed").mkdir(parents=True, exist_ok=True)
        os.replace(executed, target / "executed" / f"{outcome.slug}.ipynb")
    if outcome.status != "ok":
        return
    tables_new = staging / outcome.slug / "tables"
    tables_old = target / outcome.slug / "tables"
    tables_old.parent.mkdir(parents=True, exist_ok=True)
    retired = target / outcome.slug / f".tables.old-{os.getpid()}"
    if tables_old.exists():
        os.replace(tables_old, retired)
    os.replace(tables_new, tables_old)
    shutil.rmtree(retired, ignore_errors=True)
    os.replace(staging / f"{outcome.slug}.html", target / f"{outcome.slug}.html")
