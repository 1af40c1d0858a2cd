"""What every section draws with: a chart with its finding, its data one click away, and
the section's one source note."""

from __future__ import annotations

import re
from typing import Any

import polars as pl

from pipelines.charts import vegalite
from pipelines.charts.render import chart_svg, narrow, without_title
from pipelines.disclosure import Controlled
from pipelines.report import html
from pipelines.report import wording as words
from pipelines.report.html import Fragment
from pipelines.report.publish import Report


def note(report: Report, source: str = "valid responses", people: bool = True) -> str:
    """The source note of a section of this report (:func:`wording.source_note`)."""
    data = report.data
    return words.source_note(
        data.consultation.title, data.area.name, report.profile, report.min_cell, source, people
    )


def source_note(report: Report, source: str = "valid responses", people: bool = True) -> Fragment:
    """A section's one source note, said once at its end rather than under every chart."""
    return html.paragraph(note(report, source, people), css="source")


def count(report: Report, value: int) -> str:
    """A count of people as this report's profile shows it."""
    return words.count_text(value, report.profile, report.min_cell)


def anchor(title: str) -> str:
    """An element id from a heading's words ("Who took part" -> "who-took-part")."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60] or "section"


def chart_figure(
    report: Report,
    spec: dict[str, Any],
    alt: str,
    table_id: str,
    name: str,
    caption: str = "",
    table: Fragment | None = None,
    heading: int | None = None,
) -> Fragment:
    """A drawn chart whose finding (the spec's title) is HTML text, not part of the image.

    ``heading``: the finding becomes a heading of that level (the chart leads its part of
    the section) instead of a line above the image. The title is taken out of ``alt`` so a
    screen reader hears it once; ``alt`` keeps the values. ``table``: the chart's data, one
    click away; without it the figure links to the table's CSV, named ``name``.
    """
    title, untitled = without_title(spec)
    alt = alt.replace(f" {title}.", "", 1) if title else alt
    svg, phone = chart_svg(untitled), chart_svg(narrow(untitled))
    parts = []
    if heading is not None and title:
        parts.append(html.heading(heading, title, anchor(title)))
    shown_title = "" if heading is not None else title
    parts.append(
        html.figure(
            svg, alt, caption, report.href(table_id), name, shown_title, table, phone_svg=phone
        )
    )
    return html.join(parts)


def bar_figure(
    report: Report,
    table_id: str,
    frame: pl.DataFrame,
    category: str,
    value: str,
    title: str,
    axis: str,
    sort: list[str] | None = None,
    name: str | None = None,
    caption: str | None = None,
    table: Fragment | None = None,
    heading: int | None = None,
) -> Fragment:
    """A bar chart of ``frame`` (which has ``shown``, :func:`wording.shown_column`)."""
    chart = vegalite.bar_chart(frame, category, value, "shown", title, axis, sort=sort)
    alt = words.bars_alt(title, frame, category)
    return chart_figure(
        report, chart, alt, table_id, name or title, caption or "", table=table, heading=heading
    )


def with_label(table: Controlled, labelled: pl.DataFrame, column: str) -> Controlled:
    """``table`` with ``labelled``'s display column ``column`` added (same rows, same mask;
    a label is never suppressed), for a table that shows labels rather than codes."""
    frame = table.frame.with_columns(labelled[column])
    mask = table.suppressed.with_columns(pl.lit(False).alias(column))
    return Controlled(table.table_id, frame, mask, table.profile, table.min_cell)


def with_source_note(
    report: Report, section: Fragment, source: str = "valid responses", people: bool = True
) -> Fragment:
    """A section rendered elsewhere, followed by its one source note."""
    return html.join([section, source_note(report, source, people)])
