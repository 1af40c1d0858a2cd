"""The title block: the consultation and area, who runs it, and when it was open."""

from __future__ import annotations

from pipelines.report import html
from pipelines.report import wording as words
from pipelines.report.html import Fragment
from pipelines.report.publish import Report


def render(report: Report) -> Fragment:
    """The page's heading (a region's name, or "all regions" for the overview), and a
    warning when the report has no disclosure control."""
    data = report.data
    c = data.consultation
    heading = f"{c.title}: {data.area.name}" if report.area else f"{c.title}: all regions"
    parts = [
        html.heading(1, heading),
        html.paragraph(words.lede(c.owner, c.opened, c.closed), css="lede"),
    ]
    if report.profile == "none":
        parts.append(
            html.notice(
                "Not for circulation: no disclosure control. Exact counts, including small numbers."
            )
        )
    return html.join(parts)
