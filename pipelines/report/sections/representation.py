"""Who is missing: the respondent profile against the population, field by field."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from pipelines.charts import vegalite
from pipelines.disclosure import Controlled
from pipelines.fields import MONITORING_FIELDS
from pipelines.labels import category_label, dimension_label
from pipelines.report import html
from pipelines.report import wording as words
from pipelines.report.facts import Facts
from pipelines.report.html import Fragment
from pipelines.report.publish import Report
from pipelines.report.sections.common import anchor, chart_figure, source_note

COLUMNS = {
    "respondents": ("Respondents", "count"),
    "respondent_share": ("Share of respondents", "share"),
    "population_share": ("Share of population", "share"),
    "ratio": ("Ratio", "ratio"),
    "ci_low": ("95% interval from", "ratio"),
    "ci_high": ("to", "ratio"),
    "flag": ("Flag", "text"),
}


def render(report: Report, tables: Mapping[str, Controlled], facts: Facts) -> Fragment:
    """For each monitoring field: the chart and the flagged categories in words (where there
    are population figures) and the table; then, once for every field, the counts kept out of
    the shares. A field the consultation did not map has no table, so nothing here; with
    none, one line says so."""
    parts = []
    apart = []
    for dimension in MONITORING_FIELDS:
        if f"representation_{dimension}" not in tables:
            continue
        table = tables[f"representation_{dimension}"]
        parts += _dimension(report, table, dimension, dimension in facts.with_population)
        counted = _apart(report, table, dimension)
        if counted:
            apart.append(f"{dimension_label(dimension).lower()} ({counted})")
    if not parts:
        return html.paragraph(
            "This consultation recorded no equality monitoring questions (such as age, sex or ethnic group), so there is no respondent profile to compare with the population."
        )
    if apart:  # said once for every field, not under each chart
        note = f"Counted apart and left out of the shares: {'; '.join(apart)}."
        parts.append(html.paragraph(note, css="small"))
    return html.join([*parts, source_note(report, "valid responses and population estimates")])


def _labelled(report: Report, table: Controlled, dimension: str) -> pl.DataFrame:
    """The table's frame with ``label``: each category as a reader knows it."""
    own = report.data.consultation.categories
    return table.frame.with_columns(
        pl.col("category")
        .map_elements(lambda c: category_label(dimension, c, own), return_dtype=pl.String)
        .alias("label")
    )


def _apart(report: Report, table: Controlled, dimension: str) -> str:
    """The counts kept out of the shares ("Prefer not to say: 24, Not answered: 26")."""
    return words.apart_text(table, _labelled(report, table, dimension)).replace("; ", ", ")


def _dimension(
    report: Report, table: Controlled, dimension: str, with_population: bool
) -> list[Fragment]:
    name = dimension_label(dimension)
    own = report.data.consultation.categories
    labelled = _labelled(report, table, dimension)
    parts = [html.heading(3, name, anchor(f"{name} respondents"))]
    data = html.data_table(
        with_labels(table, labelled),
        {"label": (name, "text")} | COLUMNS,
        f"{name}: respondents and population",
        report.href(table.table_id),
        folded=with_population,
    )
    if with_population:
        parts += _comparison(report, table, labelled, dimension, data)
    else:
        parts.append(
            html.paragraph(
                f"There are no population figures for {name.lower()} in this area, so the respondent profile is shown without a comparison."
            )
        )
        parts.append(data)
    ages = report.data.consultation.population_ages
    if dimension == "age_band" and ages:
        labels = [category_label("age_band", c, own) for c in ages]
        note = words.ages_note(ages, labels)
        if note:
            parts.append(html.paragraph(note, css="small"))
    return parts


def _comparison(
    report: Report, table: Controlled, labelled: pl.DataFrame, dimension: str, data: Fragment
) -> list[Fragment]:
    """The chart of shares and the flagged categories, in sentences."""
    name = dimension_label(dimension)
    stated = labelled.filter(~pl.col("category").is_in(list(words.APART)))
    own = report.data.consultation.categories
    sentences = words.flagged_sentences(dimension, stated, own)
    parts = []
    chart_frame = words.representation_chart_frame(table, dimension, own)
    if chart_frame.height:
        title = (
            sentences[0]
            if sentences
            else f"{name}: respondents broadly in line with the population"
        )
        alt = f"Chart of respondent share against population share by {name.lower()}. " + " ".join(
            sentences[1:] or ["The figures are in the table that follows."]
        )
        chart = vegalite.representation_chart(chart_frame, title)
        parts.append(
            chart_figure(report, chart, alt, table.table_id, f"{name}: {title}", table=data)
        )
    else:
        parts.append(data)
    if sentences[1:]:  # the first is the chart's title
        parts.append(html.bullet_list(sentences[1:]))
    elif not sentences:
        parts.append(
            html.paragraph(
                f"By {name.lower()}, no category is clearly under- or over-represented, given the uncertainty that the numbers carry."
            )
        )
    return parts


def with_labels(table: Controlled, labelled: pl.DataFrame) -> Controlled:
    """The controlled table with a display label column (same rows, same mask)."""
    mask = table.suppressed.with_columns(pl.lit(False).alias("label"))
    return Controlled(table.table_id, labelled, mask, table.profile, table.min_cell)
