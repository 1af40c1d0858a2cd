"""A report as a PDF, beside its page (``workbook report --pdf``), with WeasyPrint.

WeasyPrint lays the page out with its print stylesheet (``@media print`` and ``@page`` in
report.css): A4, charts and table rows kept whole. It needs Pango, which
``scripts/install-pdf-libraries.sh`` (``make pdf-libs``, run by ``make test``) installs
where it is missing. Where the page sets no ``@page`` rule of its own, A4 with margins and
page numbers is used.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from pipelines.errors import InputError

#: Used only where the page has no @page rule: A4, margins, the page number at the foot.
DEFAULT_PAGE = """
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font-size: 9pt; } }
"""
#: Whatever the page's own rule says, the paper is A4.
A4 = "@page { size: A4; }"
PAGE_RULE = re.compile(r"@page\b")


def require_pdf() -> None:
    """Stop before any report is made where WeasyPrint cannot load (Pango missing)."""
    # the stylesheet is the browsers' too: WeasyPrint warns of every screen-only property
    # and logs each step of every PDF; its errors still show
    for name in ("weasyprint", "weasyprint.progress"):
        logging.getLogger(name).setLevel(logging.ERROR)
    try:
        import weasyprint  # noqa: F401
    except OSError as error:
        raise InputError(
            f"--pdf needs the Pango library, which WeasyPrint could not load ({error}): "
            "run `make pdf-libs` (scripts/install-pdf-libraries.sh) or install libpango-1.0-0 "
            "and libpangoft2-1.0-0"
        ) from error


def write_pdf(page: Path, pdf: Path | None = None) -> Path:
    """``<slug>.pdf`` beside ``<slug>.html`` (written to a temporary name, then moved into
    place, so a reader never opens half a PDF). Links resolve against the page's folder."""
    require_pdf()
    from weasyprint import CSS, HTML

    pdf = pdf or page.with_suffix(".pdf")
    text = page.read_text(encoding="utf-8")
    rules = A4 if PAGE_RULE.search(text) else DEFAULT_PAGE
    partial = pdf.with_name(f"{pdf.stem}.partial-{os.getpid()}.pdf")
    try:
        HTML(string=text, base_url=str(page.parent)).write_pdf(
            partial, stylesheets=[CSS(string=rules)]
        )
        os.replace(partial, pdf)
    finally:
        partial.unlink(missing_ok=True)
    return pdf
