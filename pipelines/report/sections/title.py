"""The title block: the report's title, whether it may be published, when it was published,
who to contact, who ran the consultation and when; and the page's contents list."""

from __future__ import annotations

import datetime as dt

from pipelines.consultation import Consultation
from pipelines.report import html
from pipelines.report import wording as words
from pipelines.report.html import Fragment
from pipelines.report.publish import Report

#: The banner on every page made under the restricted profile (small counts hidden, but
#: figures not rounded as the public profile rounds them).
NOT_FOR_PUBLICATION = "Not for publication: restricted version for internal use."
#: The sections of a region's page, and of the overview, as the notebooks head them (##).
REGION_SECTIONS = (
    "Who took part",
    "Events and the ladder of participation",
    "Who is missing",
    "What people said",
    "What we did",
    "About these statistics",
)
OVERVIEW_SECTIONS = ("Regions side by side", *REGION_SECTIONS)


def page_title(consultation_title: str, area_name: str = "") -> str:
    """The report's title, for its h1 and the browser's title bar: the consultation and the
    region ("all regions" for the overview)."""
    return f"{consultation_title}: {area_name or 'all regions'}"


def publication_banner(profile: str) -> str:
    """The banner a page made under ``profile`` carries: "Not for publication" under the
    restricted profile, nothing under public (the page shell already marks "none" as not for
    circulation)."""
    return NOT_FOR_PUBLICATION if profile == "restricted" else ""


def published_on(consultation: Consultation, today: dt.date | None = None) -> dt.date:
    """The publication date: ``published`` in consultation.yml, else the day of the run."""
    return consultation.published or today or dt.datetime.now(dt.UTC).date()


def render(report: Report, today: dt.date | None = None) -> Fragment:
    """The page's heading (a region's name, or "all regions" for the overview), the banner
    where the page is not for publication, the publication date and the contact."""
    data = report.data
    c = data.consultation
    parts = []
    banner = publication_banner(report.profile)
    if banner:
        parts.append(html.banner(banner))
    parts.append(html.heading(1, page_title(c.title, data.area.name if report.area else "")))
    meta = [f"Published {html.govuk_date(published_on(c, today))}"]
    if c.contact.strip():
        meta.append(f"Contact: {c.contact.strip()}")
    parts += [
        html.paragraph(" · ".join(meta), css="meta"),
        html.paragraph(words.lede(c.owner, c.opened, c.closed), css="lede"),
    ]
    if report.profile == "none":
        parts.append(
            html.notice(
                "Not for circulation: no disclosure control. Exact counts, including small numbers."
            )
        )
    return html.join(parts)


def contents(overview: bool = False) -> Fragment:
    """The contents list: a link to each section's heading (the ids nbconvert gives the
    notebooks' ``##`` headings: the words, spaces as hyphens)."""
    names = OVERVIEW_SECTIONS if overview else REGION_SECTIONS
    return html.contents_list([(name.replace(" ", "-"), name) for name in names])
