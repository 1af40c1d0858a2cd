"""Promotion: a report made in the run's staging folder replaces the published one only
once it executed and exported cleanly.

Each part (the page, its tables, the executed notebook) moves into place atomically, so a
reader, or a run killed half-way, never sees a page without its tables. A failed report's
executed notebook (with the error) is still published for audit; its page and tables stay
as the last good run left them.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from markupsafe import escape

from pipelines.atomic import write_text_atomic
from pipelines.report.outcomes import ReportOutcome

#: The out-of-date notice put on an earlier page (one, however often its report fails).
STALE_ID = "out-of-date"
_STALE = re.compile(rf'\n<p class="notice" id="{STALE_ID}"[^>]*>.*?</p>', re.DOTALL)
_MAIN = '<main id="main">'


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


def mark_stale(page: Path, note: str) -> bool:
    """Say on an earlier page, at the top of its main content, that it is out of date
    (``note``, escaped); a notice already there is replaced, not repeated. False where the
    page is not one of the workbook's (no main content to mark)."""
    html = unmarked(page.read_text(encoding="utf-8"))
    if _MAIN not in html:
        return False
    notice = f'<p class="notice" id="{STALE_ID}" role="note"><strong>{escape(note)}</strong></p>'
    write_text_atomic(page, html.replace(_MAIN, f"{_MAIN}\n{notice}", 1))
    return True


def unmarked(html: str) -> str:
    """A page as it was before :func:`mark_stale` marked it."""
    return _STALE.sub("", html)
