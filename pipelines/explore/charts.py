"""The reports' charts of protected tables, for notebooks: labels, never codes, on every
axis and bar, and the value axis titled by what the table counts."""

from __future__ import annotations

import altair as alt
import polars as pl

from pipelines.charts import figures
from pipelines.charts.interactive import explorable
from pipelines.disclosure import Controlled
from pipelines.labels import code_label

#: Columns that hold codes, and the kind of label (config/labels.yml) each code reads as.
CODED = {"status": "statuses", "channel": "channels", "ladder_rung": "ladder_rungs"}
#: The value axis of a percentage, by the count it is a share of (the reports' words).
SHARE_OF = {
    "responses": "% of responses",
    "attendees": "% of attendees",
    "actions": "% of actions",
    "reached": "% of reached",
    "count": "% of respondents",
}
#: The value axis of a count, by the count column.
COUNT_OF = {
    "responses": "Responses",
    "attendees": "People at events",
    "actions": "Actions",
    "reached": "People reached",
    "count": "Respondents",
    "respondents": "Respondents",
}


def value_axis_title(value: str, count: str | None, kind: str) -> str:
    """The value axis's title for a chart of ``value``: the share of what ``count`` counts,
    or the count itself."""
    if kind == "count":
        return COUNT_OF.get(value, value.replace("_", " ").capitalize())
    if value == "pct_mentions":
        return "% of mentions"
    return SHARE_OF.get(count or "", "% of respondents")


def labelled(frame: pl.DataFrame, category: str) -> tuple[pl.DataFrame, str]:
    """``frame`` with a ``<category>_label`` column where ``category`` holds codes (an
    action's status, a channel, a ladder rung), and the column a chart should show."""
    kind = CODED.get(category)
    if kind is None:
        return frame, category
    label = f"{category}_label"
    return frame.with_columns(
        pl.col(category)
        .cast(pl.String)
        .map_elements(lambda code: code_label(kind, code), return_dtype=pl.String)
        .alias(label)
    ), label


def _shown(table: Controlled, value: str, kind: str, count: str | None) -> pl.DataFrame:
    from pipelines.report.wording import shown_column

    return shown_column(table, value, kind, count)


def bar_chart(
    table: Controlled,
    category: str,
    value: str = "percent",
    count: str | None = None,
    *,
    title: str,
    axis_title: str | None = None,
    kind: str = "percent",
    sort: list[str] | None = None,
) -> alt.LayerChart:
    """The reports' bar chart of a protected table: one bar per ``category`` (its label where
    it holds codes), each labelled (``"41% (1,234)"``, or ``[c]``), largest first unless
    ``sort`` is given.

    ``count``: the count shown in brackets and the base of the percentage (default: the
    table's count column: responses, attendees, actions ...); ``kind``: how ``value`` is
    written (``"percent"``, ``"count"``); ``axis_title``: default from the base
    (``"% of attendees"`` for attendance, never "% of responses" for what is not responses).
    """
    count = count or _count_column(table)
    frame, shown_as = labelled(_shown(table, value, kind, count), category)
    axis = axis_title or value_axis_title(value, count, kind)
    return explorable(figures.bar_chart(frame, shown_as, value, "shown", title, axis, sort=sort))


def _count_column(table: Controlled) -> str | None:
    """The table's count column: the first of the known counts it has."""
    return next((c for c in COUNT_OF if c in table.frame.columns), None)


def likert_chart(table: Controlled, title: str) -> alt.LayerChart:
    """The reports' diverging bar of a protected Likert question table
    (``questions.single_choice`` of a ``likert`` question, with ``specs.QUESTION``)."""
    return explorable(figures.diverging_likert(_shown(table, "percent", "percent", "count"), title))


def heatmap_chart(
    table: Controlled, column: str = "locality", row: str = "label", *, title: str
) -> alt.LayerChart:
    """The reports' grid of a protected group × place table
    (``participation.participation_by_group_and_place``): ``[c]`` where the report hides a
    cell."""
    frame = _shown(table, "responses", "count", None).with_columns(
        pl.col("responses").fill_null(0).alias("_value")
    )
    return explorable(figures.heatmap(frame, row, column, "shown", "_value", title))


def representation_chart(table: Controlled, title: str) -> alt.LayerChart:
    """The reports' "who is missing" chart of a protected representation table
    (``representation.representation``): each stated category's share of respondents
    against its share of the population, with the 95% interval and the finding beside it."""
    from pipelines.report.wording import representation_chart_frame

    frame = representation_chart_frame(table, table.table_id.removeprefix("representation_"))
    return explorable(figures.representation_chart(frame, title))
