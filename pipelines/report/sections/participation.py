"""Who took part: by stakeholder group, by place, by channel, group x place, and the change
since the previous wave, or, with three waves or more, the trend over every wave."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from pipelines.charts import trend, vegalite
from pipelines.disclosure import SUPPRESSED, Controlled
from pipelines.labels import code_label
from pipelines.report import html, wave_words
from pipelines.report import wording as words
from pipelines.report.html import Fragment
from pipelines.report.publish import Report
from pipelines.report.sections.common import bar_figure, chart_figure, source_note, with_label

SHARE = "% of responses"


def render(report: Report, tables: Mapping[str, Controlled]) -> Fragment:
    """By group, by place (localities in a region's report, regions in the overview), by
    channel, group x place, and the change since the previous wave (with three waves or
    more, the trend over every wave instead); each chart under its finding, with its table
    one click away, and one source note for the section."""
    place = "locality" if "participation_by_locality" in tables else "region"
    groups = words.shown_column(tables["participation_by_group"], "percent", "percent", "responses")
    places = words.shown_column(
        tables[f"participation_by_{place}"], "percent", "percent", "responses"
    )
    return html.join(
        [
            bar_figure(
                report, "participation_by_group", groups, "label", "percent",
                words.group_title(groups), SHARE, heading=3,
                table=_shares(report, tables["participation_by_group"], "label", "Responses by stakeholder group"),
            ),
            bar_figure(
                report, f"participation_by_{place}", places, place, "percent",
                words.place_title(places, place), SHARE, heading=3,
                table=_shares(report, tables[f"participation_by_{place}"], place, f"Responses by {place}"),
            ),
            *_channels(report, tables),
            *_grid(report, tables.get(f"participation_by_group_and_{place}"), place),
            _waves(report, tables),
            source_note(report),
        ]
    )  # fmt: skip


def _shares(report: Report, table: Controlled, label: str, caption: str) -> Fragment:
    """A chart's data: responses and their share, by ``label``."""
    columns = {
        label: (caption.rsplit(" by ", 1)[-1].capitalize(), "text"),
        "responses": ("Responses", "count"),
        "percent": (SHARE, "percent"),
    }
    return html.data_table(table, columns, caption, report.href(table.table_id))


def _channels(report: Report, tables: Mapping[str, Controlled]) -> list[Fragment]:
    """By how people responded: nothing where the consultation did not map ``channel``."""
    if "participation_by_channel" not in tables:
        return []
    channels = words.shown_column(
        tables["participation_by_channel"], "percent", "percent", "responses"
    ).with_columns(
        pl.col("channel")
        .map_elements(lambda c: code_label("channels", c), return_dtype=pl.String)
        .alias("channel_label")
    )
    table = tables["participation_by_channel"]
    labelled = with_label(table, channels, "channel_label")
    return [
        bar_figure(
            report, "participation_by_channel", channels, "channel_label", "percent",
            words.channel_title(channels), SHARE, heading=3,
            table=_shares(report, labelled, "channel_label", "Responses by how people responded"),
        ),
    ]  # fmt: skip


def _grid(report: Report, grid: Controlled | None, place: str) -> list[Fragment]:
    """The group x place grid as a heatmap and as a wide table (None: an area without any
    ``place``, said in one line)."""
    heading = html.heading(3, f"Stakeholder groups in each {place}")
    if grid is None:
        return [
            heading,
            html.paragraph(
                f"This area has no {place} recorded, so there is no breakdown by {place}."
            ),
        ]
    frame = words.shown_column(grid, "responses", "count").with_columns(
        pl.col("responses").fill_null(0).alias("_value")
    )
    if not frame.height:
        return [heading]
    chart = vegalite.heatmap(
        frame, "label", place, "shown", "_value", f"Responses by group and {place}"
    )
    alt = f"Grid of responses by stakeholder group and {place}; the figures are in the table that follows."
    wide = grid.published().pivot(
        on=place, index="label", values="responses", aggregate_function="first"
    )
    columns = {c: (c if c != "label" else "Group", "text") for c in wide.columns}
    caption = f"Responses by group and {place}"
    mark = html.suppressed_mark(report.profile, report.min_cell)
    table = html.data_table(wide, columns, caption, report.href(grid.table_id), mark=mark)
    return [heading, chart_figure(report, chart, alt, grid.table_id, caption, table=table)]


def _waves(report: Report, tables: Mapping[str, Controlled]) -> Fragment:
    """The trend over every wave where it was published (three waves or more), with the
    change since the previous wave one click away; else the change, shown open."""
    if "responses_by_wave" not in tables:
        return _wave_change(tables.get("change_by_group"), report)
    parts = [_trend(report, tables["responses_by_wave"])]
    if "change_by_group" in tables:
        parts.append(_change_table(tables["change_by_group"], report, folded=True))
    return html.join(parts)


def _trend(report: Report, table: Controlled) -> Fragment:
    """Responses by group in each wave, a line per group, under its finding; the table one
    click away; a note where a ``[c]`` leaves a point out."""
    shown = words.shown_column(table, "responses", "count")
    when = wave_words.wave_dates(shown["opened"].unique(maintain_order=True).to_list())
    frame = shown.with_columns(
        pl.col("opened").replace_strict(list(when), list(when.values())).alias("when")
    )
    order = list(when.values())
    title = wave_words.trend_title(frame, order)
    chart = trend.trend_chart(
        frame, "when", "label", "responses", "shown", title, "Responses", order
    )
    columns = {
        "when": ("Wave", "text"),
        "label": ("Group", "text"),
        "responses": ("Responses", "count"),
    }
    caption = "Responses by group in each wave"
    data = html.data_table(
        with_label(table, frame, "when"), columns, caption, report.href(table.table_id)
    )
    gaps = (
        "A count shown as [c] has no point: its line stops there."
        if (frame["shown"] == SUPPRESSED).any()
        else ""
    )
    return chart_figure(
        report, chart, wave_words.trend_alt(title, frame, order), table.table_id, caption, gaps,
        table=data, heading=3,
    )  # fmt: skip


def _wave_change(change: Controlled | None, report: Report) -> Fragment:
    """Responses by group in this wave and the previous one (None: no previous wave)."""
    parts = [html.heading(3, "Change since the previous wave")]
    if change is None:
        parts.append(
            html.paragraph(
                "This is the first wave of this consultation series, so there is nothing to compare with yet."
            )
        )
        return html.join(parts)
    parts.append(_change_table(change, report, folded=False))
    return html.join(parts)


def _change_table(change: Controlled, report: Report, folded: bool) -> Fragment:
    """This wave's and the previous wave's responses by group, and the change."""
    columns = {
        "label": ("Group", "text"),
        "previous": ("Previous wave", "count"),
        "responses": ("This wave", "count"),
        "change": ("Change", "count"),
        "change_percent": ("Change (%)", "decimal"),
    }
    return html.data_table(
        change,
        columns,
        "Responses by group, this wave and the previous one",
        report.href("change_by_group"),
        folded=folded,
    )
