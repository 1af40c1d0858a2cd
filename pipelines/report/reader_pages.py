"""The pages a run writes for readers beside the reports: each report's Easy Read summary,
the consultation's "About these statistics" page, and (``--pdf``) each report as a PDF.

They are written after the reports are promoted, from what was published: an Easy Read
page reads its report's CSV files, so it shows nothing its report does not. A report that
failed in this run gets no new page, and the index does not link its old ones.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.consultation import Consultation
from pipelines.report.easy_read import write_easy_read
from pipelines.report.html import govuk_date
from pipelines.report.outcomes import ReportOutcome
from pipelines.report.pdf import write_pdf
from pipelines.report.sections.title import (  # one wording on every page
    NOT_FOR_PUBLICATION,
    published_on,
)

if TYPE_CHECKING:
    from pipelines.settings import Settings

log = logging.getLogger(__name__)

NOT_FOR_CIRCULATION = "Not for circulation: no disclosure control"
ABOUT_PAGE = "about.html"


def publication_date(consultation: Consultation, run_finished: datetime) -> str:
    """The publication date readers see: ``published`` from consultation.yml, else the date
    of the run (the report's own rule, :func:`title.published_on`)."""
    return govuk_date(published_on(consultation, run_finished.date()))


def reader_banner(profiles: set[str]) -> str:
    """The banner of a page made under these profiles: not for circulation where any is
    exact (``none``), not for publication where any is restricted, none when public."""
    if "none" in profiles:
        return NOT_FOR_CIRCULATION
    if "restricted" in profiles:
        return NOT_FOR_PUBLICATION
    return ""


def easy_read_name(slug: str) -> str:
    """The Easy Read page of a report: ``<slug>-easy-read.html``."""
    return f"{slug}-easy-read.html"


def write_reader_pages(
    target: Path,
    consultation: Consultation,
    outcomes: list[ReportOutcome],
    published: str,
    pdf: bool = False,
    jobs: int = 1,
) -> None:
    """Each finished report's Easy Read page (and PDF with ``pdf``). The old Easy Read page
    and PDF of a report made again are removed first, so none outlives its report; a page
    that cannot be written is logged and left out (the index then says it is not available).
    """
    for outcome in outcomes:
        if outcome.status != "ok":
            continue
        banner = reader_banner({outcome.disclosure})
        easy, paper = target / easy_read_name(outcome.slug), target / f"{outcome.slug}.pdf"
        easy.unlink(missing_ok=True)
        paper.unlink(missing_ok=True)  # rewritten below with --pdf; never older than its page
        _written(
            f"the Easy Read page of {outcome.slug}",
            lambda o=outcome, b=banner: write_easy_read(
                target, o.slug, o.region, consultation, published, b
            ),
        )
    if pdf:
        write_pdfs([target / f"{o.slug}.html" for o in outcomes if o.status == "ok"], jobs)


def write_pdfs(pages: list[Path], jobs: int) -> None:
    """Each page's PDF beside it, ``jobs`` at a time in worker processes (a region's PDF
    takes seconds of layout); a PDF that fails is logged and left out."""
    if jobs <= 1 or len(pages) <= 1:
        for page in pages:
            _written(page.with_suffix(".pdf").name, lambda p=page: write_pdf(p))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    spawn = multiprocessing.get_context("spawn")  # no fork of a process with threads
    with ProcessPoolExecutor(max_workers=min(jobs, len(pages)), mp_context=spawn) as pool:
        futures = {page: pool.submit(write_pdf, page) for page in pages}
        for page, future in futures.items():
            _written(page.with_suffix(".pdf").name, future.result)


def _written(what: str, write: Callable[[], Path]) -> None:
    """Write one page; where it fails, log why and carry on (a bug in one reader page must
    not cost the run its index, which then says the page is not available)."""
    try:
        write()
    except Exception:
        log.exception("%s could not be written", what)


def write_about(
    target: Path,
    consultation: str,
    meta: Consultation,
    profile: str,
    min_cell: int,
    run_id: str,
    published: str,
    root: Path | None = None,
) -> Path:
    """``about.html``: how the figures were made (data quality, small numbers, definitions,
    where the numbers came from), once per run for the whole consultation; every report's
    About section links to it."""
    from pipelines.atomic import write_text_atomic
    from pipelines.report.export import page, sanitise
    from pipelines.report.html import Fragment, join, paragraph
    from pipelines.report.sections.about import about_page, load_validation

    body = join(
        [
            about_page(meta, load_validation(consultation, root), profile, min_cell, run_id),
            paragraph(f"Published {published}."),
            Fragment('<p><a href="index.html">Every report of this consultation</a></p>'),
        ]
    )
    html = page(
        sanitise(body),
        title=f"About these statistics – {meta.title}",
        banner=reader_banner({profile}),
        footer=f"{meta.title} · published {published}",
    )
    path = target / ABOUT_PAGE
    write_text_atomic(path, html)
    return path


def write_pages_for_readers(
    target: Path,
    consultation: str,
    meta: Consultation,
    outcomes: list[ReportOutcome],
    settings: Settings,
    run_id: str,
    published: str,
    root: Path | None,
    pdf: bool,
    jobs: int,
) -> None:
    """Each finished report's Easy Read page (and PDF, ``jobs`` at a time), and about.html
    for this run; where about.html cannot be written the old one goes too (the index then
    links none), and the run carries on."""
    write_reader_pages(target, meta, outcomes, published, pdf, jobs)
    (target / ABOUT_PAGE).unlink(missing_ok=True)
    try:
        write_about(
            target, consultation, meta, settings.disclosure, settings.min_cell, run_id,
            published, root,
        )  # fmt: skip
    except Exception:  # a bug here must not cost the run its index
        log.exception("about.html could not be written")
