"""One function per chart. Each takes a tidy, disclosure-controlled frame and returns a chart.

Suppressed values arrive as nulls with a ``shown`` text column (``[c]``), so a bar is never
drawn for a suppressed count, and every bar carries a direct label: colour is never the only
carrier of meaning.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from pipelines.charts.theme import DIVERGING, MUTED, PALETTE

WIDTH = 520
ROW_HEIGHT = 26


def _height(rows: int) -> int:
    return max(ROW_HEIGHT * rows, 60)


def bar_frame(frame: pl.DataFrame, value: str) -> pl.DataFrame:
    """The bar chart's data: ``frame`` with ``text_x``, where each bar's label sits (a
    suppressed value has no bar; its [c] label sits at zero so the row is not blank)."""
    return frame.with_columns(pl.col(value).fill_null(0).alias("text_x"))


def bar_chart(
    frame: pl.DataFrame,
    category: str,
    value: str,
    shown: str,
    title: str,
    axis_title: str,
    sort: list[str] | None = None,
) -> alt.LayerChart:
    """Horizontal bars of ``value`` by ``category`` with the ``shown`` text at each bar's end.

    ``sort`` fixes the category order (e.g. a Likert scale); by default largest first.
    """
    order: list[str] | str = sort if sort is not None else "-x"
    frame = bar_frame(frame, value)
    base = alt.Chart(frame, title=alt.Title(title)).encode(
        y=alt.Y(f"{category}:N", sort=order, title=None),
        x=alt.X(
            f"{value}:Q", title=axis_title, axis=alt.Axis(tickMinStep=1, tickCount=8, grid=True)
        ),
        tooltip=[alt.Tooltip(f"{category}:N"), alt.Tooltip(f"{shown}:N", title=axis_title)],
    )
    bars = base.mark_bar(color=PALETTE[0])
    labels = base.mark_text(align="left", dx=4).encode(
        text=alt.Text(f"{shown}:N"), x=alt.X("text_x:Q")
    )
    return (bars + labels).properties(width=WIDTH, height=_height(frame.height))


def likert_frame(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[str], list[str] | None]:
    """The diverging Likert chart's data (each segment's ``start`` and ``end``, its text and
    text colour), the scale's labels, and its colours (None unless a 5-point scale)."""
    labels = frame["label"].to_list()
    n = len(labels)
    middle = n // 2 if n % 2 else None
    percents = [p or 0.0 for p in frame["percent"].to_list()]
    negative = sum(percents[: n // 2]) + (percents[middle] / 2 if middle is not None else 0)
    starts, start = [], -negative
    for p in percents:
        starts.append(start)
        start += p
    colours = list(DIVERGING) if n == 5 else None
    dark = {labels[0], labels[-1]} if colours else set()
    data = frame.with_columns(
        pl.Series("start", starts),
        (pl.Series("start", starts) + pl.Series("p", percents)).alias("end"),
        pl.lit("Answers").alias("row"),
        pl.Series("segment_text", [f"{p:.0f}%" for p in percents]),
        pl.Series("text_colour", ["white" if lab in dark else "black" for lab in labels]),
    )
    return data, labels, colours


#: Likert segments narrower than this (in %) carry no text.
LIKERT_TEXT_MIN = 8


def diverging_likert(frame: pl.DataFrame, title: str) -> alt.LayerChart:
    """A diverging stacked bar: the scale's first answers left of zero, its last answers
    right, a middle answer split across zero. Segments of 8% or more carry their
    percentage, in a colour that contrasts with the segment; the legend names every answer.

    ``frame``: ``label, percent`` in scale order (first = most negative).
    """
    data, labels, colours = likert_frame(frame)
    scale = alt.Scale(domain=labels, range=colours) if colours else alt.Scale(domain=labels)
    base = alt.Chart(data, title=alt.Title(title)).encode(y=alt.Y("row:N", title=None, axis=None))
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        x=alt.X(
            "start:Q",
            title=f"% of respondents (← {labels[0]} · {labels[-1]} →)",
            scale=alt.Scale(domain=[-100, 100]),
            axis=alt.Axis(labelExpr="abs(datum.value)"),
        ),
        x2="end:Q",
        color=alt.Color(
            "label:N",
            scale=scale,
            sort=labels,
            title=None,
            legend=alt.Legend(orient="bottom", columns=3),
        ),
        order=alt.Order("start:Q"),
        tooltip=[alt.Tooltip("label:N"), alt.Tooltip("shown:N", title="Share")],
    )
    text = (
        alt.Chart(data.filter(pl.col("percent").fill_null(0) >= LIKERT_TEXT_MIN))
        .mark_text(fontWeight="bold")
        .encode(
            y=alt.Y("row:N", axis=None),
            x=alt.X("mid:Q"),
            text=alt.Text("segment_text:N"),
            color=alt.Color("text_colour:N", scale=None),
        )
        .transform_calculate(mid="(datum.start + datum.end) / 2")
    )
    rule = alt.Chart(pl.DataFrame({"x": [0]})).mark_rule(color=MUTED).encode(x=alt.X("x:Q"))
    return (bars + text + rule).properties(width=WIDTH, height=60)


def representation_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The representation chart's data: ``frame`` with ``text_x``, where the verdict sits
    (after the interval, or at the axis start where there is none)."""
    return frame.with_columns(pl.coalesce("ci_high", pl.lit(0.0)).alias("text_x"))


def representation_chart(frame: pl.DataFrame, title: str) -> alt.LayerChart:
    """Ratio of respondent share to population share (1 = as in the population), with the
    95% interval, one row per category, and the finding written beside each row.

    ``frame``: ``label, ratio, ci_low, ci_high, verdict``; a row with no ratio (suppressed,
    or no population figure) keeps its place and shows its verdict at the axis start.
    """
    labels = frame["label"].to_list()
    frame = representation_frame(frame)
    base = alt.Chart(frame, title=alt.Title(title)).encode(
        y=alt.Y("label:N", sort=labels, title=None)
    )
    interval = base.mark_rule(strokeWidth=3, color=PALETTE[1]).encode(
        x=alt.X(
            "ci_low:Q",
            title="Respondent share ÷ population share (1 = in proportion)",
            axis=alt.Axis(tickCount=6),
        ),
        x2="ci_high:Q",
    )
    point = base.mark_point(shape="diamond", size=120, color=PALETTE[0]).encode(
        x=alt.X("ratio:Q"),
        tooltip=[
            alt.Tooltip("label:N"),
            alt.Tooltip("ratio:Q", format=".2f"),
            alt.Tooltip("verdict:N"),
        ],
    )
    verdict = base.mark_text(align="left", dx=8).encode(
        x=alt.X("text_x:Q"), text=alt.Text("verdict:N")
    )
    one = (
        alt.Chart(pl.DataFrame({"x": [1.0]}))
        .mark_rule(color=MUTED, strokeDash=[4, 4])
        .encode(x=alt.X("x:Q"))
    )
    return (one + interval + point + verdict).properties(
        width=WIDTH - 120, height=_height(frame.height)
    )


def heatmap_layout(
    frame: pl.DataFrame, row: str, column: str, value: str
) -> tuple[list[object], list[object], float]:
    """The heatmap's row order, column order (the frame's) and the value above which a
    cell's label is white (half the largest)."""
    rows_order = frame[row].unique(maintain_order=True).to_list()
    columns = frame[column].unique(maintain_order=True).to_list()
    return rows_order, columns, (frame[value].max() or 1) / 2


def heatmap(
    frame: pl.DataFrame, row: str, column: str, shown: str, value: str, title: str
) -> alt.LayerChart:
    """A grid of counts (e.g. group × locality), darker = more, every cell labelled; rows and
    columns keep the frame's order (the consultation's groups, the geography's places)."""
    rows_order, columns, threshold = heatmap_layout(frame, row, column, value)
    base = alt.Chart(frame, title=alt.Title(title)).encode(
        y=alt.Y(f"{row}:N", title=None, sort=rows_order),
        x=alt.X(f"{column}:N", title=None, sort=columns, axis=alt.Axis(labelAngle=-30)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(f"{value}:Q", scale=alt.Scale(scheme="blues"), legend=None),
        tooltip=[
            alt.Tooltip(f"{row}:N"),
            alt.Tooltip(f"{column}:N"),
            alt.Tooltip(f"{shown}:N", title="Responses"),
        ],
    )
    labels = base.mark_text().encode(
        text=alt.Text(f"{shown}:N"),
        color=alt.ColorValue(
            **alt.condition(alt.datum[value] > threshold, alt.value("white"), alt.value("black"))
        ),
    )
    return (cells + labels).properties(width=WIDTH, height=_height(len(rows_order)))
