"""What every section draws with: a chart as a figure with its caption and data link."""

from __future__ import annotations

from typing import Any

import polars as pl

from pipelines.charts import vegalite
from pipelines.charts.render import chart_svg
from pipelines.report import html
from pipelines.report import wording as words
from pipelines.report.html import Fragment
from pipelines.report.publish import Report


def note(report: Report, source: str = "valid responses", people: bool = True) -> str:
    """The caption under a chart of this report (:func:`wording.source_note`)."""
    data = report.data
    return words.source_note(
        data.consultation.title, data.area.name, report.profile, report.min_cell, source, people
    )


def count(report: Report, value: int) -> str:
    """A count of people as this report's profile shows it."""
    return words.count_text(value, report.profile, report.min_cell)


def chart_figure(
    report: Report, spec: dict[str, Any], alt: str, table_id: str, name: str, caption: str = ""
) -> Fragment:
    """A drawn chart with its text alternative, caption and a link to its table's CSV."""
    return html.figure(chart_svg(spec), alt, caption or note(report), report.href(table_id), name)


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
) -> Fragment:
    """A bar chart of ``frame`` (which has ``shown``, :func:`wording.shown_column`)."""
    chart = vegalite.bar_chart(frame, category, value, "shown", title, axis, sort=sort)
    alt = words.bars_alt(title, frame, category)
    return chart_figure(report, chart, alt, table_id, name or title, caption or "")
