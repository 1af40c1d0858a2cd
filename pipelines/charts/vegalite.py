"""The report's charts, each defined once, as Vega-Lite dicts.

One function per chart. Each takes a tidy, disclosure-controlled frame and returns the chart's
Vega-Lite spec, exactly as Altair would write it (``chart.to_dict()``: the house theme's
config, data as named datasets), so that vl-convert draws it as SVG for the reports
(:func:`pipelines.charts.render.chart_svg`) without building Altair's objects, which copy and
validate themselves as a chart is put together. The Altair charts for JupyterLab
(:mod:`pipelines.charts.figures`) are made from these dicts, never written again.

Suppressed values arrive as nulls with a ``shown`` text column (``[c]``), so a bar is never
drawn for a suppressed count, and every bar carries a direct label: colour is never the only
carrier of meaning.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import altair as alt
import polars as pl

from pipelines.charts.theme import DIVERGING_BY_SIZE, MUTED, PALETTE, workbook_theme

Spec = dict[str, Any]
ISO_DATE = "%Y-%m-%dT%H:%M:%S"
WIDTH = 520
ROW_HEIGHT = 26
#: Likert segments narrower than this (in %) carry no text.
LIKERT_TEXT_MIN = 8


def values(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The frame's rows as Altair puts them in a spec (dates and times as ISO text)."""
    columns: list[pl.Expr] = []
    for name, dtype in frame.schema.items():
        if dtype == pl.Date:
            columns.append(pl.col(name).cast(pl.Datetime).dt.to_string(ISO_DATE))
        elif isinstance(dtype, pl.Datetime):
            zone = "%z" if dtype.time_zone is not None else ""
            columns.append(pl.col(name).dt.to_string(f"{ISO_DATE}%.f{zone}"))
        else:
            columns.append(pl.col(name))
    return frame.select(columns).rows(named=True)


def dataset_name(rows: list[dict[str, Any]]) -> str:
    """Altair's name for a dataset: a hash of its rows."""
    if rows == [{}]:
        return "empty"
    text = json.dumps(rows, sort_keys=True, default=str)
    return "data-" + hashlib.sha256(text.encode()).hexdigest()[:32]


def _data(frame: pl.DataFrame, datasets: dict[str, list[dict[str, Any]]]) -> Spec:
    """A reference to ``frame``'s rows, added to ``datasets`` under Altair's name for them."""
    rows = values(frame)
    name = dataset_name(rows)
    datasets[name] = rows
    return {"name": name}


def _chart(
    layers: list[Spec], datasets: dict[str, Any], width: int, height: int, data: Spec | None = None
) -> Spec:
    """A layered chart in the house theme; ``data`` is the layers' shared data, if any."""
    shared = {} if data is None else {"data": data}
    return {
        "config": workbook_theme()["config"],
        "layer": layers,
        **shared,
        "height": height,
        "width": width,
        "$schema": alt.SCHEMA_URL,
        "datasets": datasets,
    }


def _height(rows: int) -> int:
    """A chart's height for ``rows`` rows (never under 60 px)."""
    return max(ROW_HEIGHT * rows, 60)


def _field(name: str, kind: str, **options: Any) -> Spec:
    """An encoding of field ``name`` as ``kind`` (``"nominal"``, ``"quantitative"``)."""
    return {"field": name, **options, "type": kind}


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
) -> Spec:
    """Horizontal bars of ``value`` by ``category`` with the ``shown`` text at each bar's end.

    ``sort`` fixes the category order (e.g. a Likert scale); by default largest first.
    """
    frame = bar_frame(frame, value)
    order: list[str] | str = sort if sort is not None else "-x"
    y = _field(category, "nominal", sort=order, title=None)
    tooltip = [_field(category, "nominal"), _field(shown, "nominal", title=axis_title)]
    heading = {"text": title}
    x = {
        "axis": {"grid": True, "tickCount": 8, "tickMinStep": 1},
        "field": value,
        "title": axis_title,
        "type": "quantitative",
    }
    bars = {
        "mark": {"type": "bar", "color": PALETTE[0]},
        "encoding": {"tooltip": tooltip, "x": x, "y": y},
        "title": heading,
    }
    labels = {
        "mark": {"type": "text", "align": "left", "dx": 4},
        "encoding": {
            "text": _field(shown, "nominal"),
            "tooltip": tooltip,
            "x": _field("text_x", "quantitative"),
            "y": y,
        },
        "title": heading,
    }
    datasets: dict[str, Any] = {}
    data = _data(frame, datasets)
    return _chart([bars, labels], datasets, WIDTH, _height(frame.height), data)


def luminance(colour: str) -> float:
    """WCAG relative luminance of a ``#RRGGBB`` colour."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def text_on(colour: str) -> str:
    """White or black, whichever contrasts more with ``colour`` (a segment's label)."""
    light = luminance(colour)
    return "white" if (1.05 / (light + 0.05)) > ((light + 0.05) / 0.05) else "black"


def likert_frame(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[str], list[str] | None]:
    """The diverging Likert chart's data (each segment's ``start`` and ``end``, its text and
    text colour), the scale's labels, and its colours (a diverging scale of its size, or
    the palette for a scale over seven points)."""
    labels = frame["label"].to_list()
    n = len(labels)
    middle = n // 2 if n % 2 else None
    percents = [p or 0.0 for p in frame["percent"].to_list()]
    negative = sum(percents[: n // 2]) + (percents[middle] / 2 if middle is not None else 0)
    starts, start = [], -negative
    for p in percents:
        starts.append(start)
        start += p
    colours = list(DIVERGING_BY_SIZE.get(n, ())) or [PALETTE[i % len(PALETTE)] for i in range(n)]
    data = frame.with_columns(
        pl.Series("start", starts),
        (pl.Series("start", starts) + pl.Series("p", percents)).alias("end"),
        pl.lit("Answers").alias("row"),
        pl.Series("segment_text", [f"{p:.0f}%" for p in percents]),
        pl.Series("text_colour", [text_on(colour) for colour in colours]),
    )
    return data, labels, colours


def diverging_likert(frame: pl.DataFrame, title: str) -> Spec:
    """A diverging stacked bar: the scale's first answers left of zero, its last answers
    right, a middle answer split across zero. Segments of 8% or more carry their
    percentage, in a colour that contrasts with the segment; the legend names every answer.

    ``frame``: ``label, percent`` in scale order (first = most negative).
    """
    data, labels, colours = likert_frame(frame)
    y = {"axis": None, "field": "row", "title": None, "type": "nominal"}
    return _diverging(data, labels, colours, title, y, 60)


def _diverging(
    data: pl.DataFrame,
    labels: list[str],
    colours: list[str] | None,
    title: str,
    y: Spec,
    height: int,
    tooltip: tuple[Spec, ...] = (),
) -> Spec:
    """The layers of a diverging stacked bar chart (:func:`likert_frame`'s ``data``): the
    segments, their percentages and the rule at zero; ``y`` places each segment's row."""
    datasets: dict[str, Any] = {}
    scale: Spec = {"domain": labels, "range": colours} if colours else {"domain": labels}
    bars = {
        "data": _data(data, datasets),
        "mark": {"type": "bar", "stroke": "white", "strokeWidth": 1},
        "encoding": {
            "color": {
                "field": "label",
                "legend": {"columns": 3, "orient": "bottom"},
                "scale": scale,
                "sort": labels,
                "title": None,
                "type": "nominal",
            },
            "order": _field("start", "quantitative"),
            "tooltip": [
                *tooltip,
                _field("label", "nominal"),
                _field("shown", "nominal", title="Share"),
            ],
            "x": {
                "axis": {"labelExpr": "abs(datum.value)"},
                "field": "start",
                "scale": {"domain": [-100, 100]},
                "title": f"% of respondents (← {labels[0]} · {labels[-1]} →)",
                "type": "quantitative",
            },
            "x2": {"field": "end"},
            "y": y,
        },
        "title": {"text": title},
    }
    text = {
        "data": _data(data.filter(pl.col("percent").fill_null(0) >= LIKERT_TEXT_MIN), datasets),
        "mark": {"type": "text", "fontWeight": "bold"},
        "encoding": {
            "color": {"field": "text_colour", "scale": None, "type": "nominal"},
            "text": _field("segment_text", "nominal"),
            "x": _field("mid", "quantitative"),
            "y": {key: value for key, value in y.items() if key != "title"},
        },
        "transform": [{"calculate": "(datum.start + datum.end) / 2", "as": "mid"}],
    }
    rule = {
        "data": _data(pl.DataFrame({"x": [0]}), datasets),
        "mark": {"type": "rule", "color": MUTED},
        "encoding": {"x": _field("x", "quantitative")},
    }
    return _chart([bars, text, rule], datasets, WIDTH, height)


def grid_frame(frame: pl.DataFrame) -> tuple[pl.DataFrame, list[str], list[str] | None]:
    """The diverging grid chart's data: each item's segments placed as
    :func:`likert_frame` places one Likert answer's (centred on the scale's middle point),
    one row per item (``row``: its label), in the items' order."""
    parts = []
    labels: list[str] = []
    colours: list[str] | None = None
    for _, item in frame.group_by("item", maintain_order=True):
        data, labels, colours = likert_frame(item)
        parts.append(data.with_columns(pl.col("item_label").alias("row")))
    return pl.concat(parts), labels, colours


def diverging_grid(frame: pl.DataFrame, title: str) -> Spec:
    """Stacked diverging bars, one per grid item, labelled with the item: the scale's first
    answers left of zero, its last answers right, a middle answer split across zero (as
    :func:`diverging_likert`). Segments of 8% or more carry their percentage; a suppressed
    one is not drawn; the legend names every answer.

    ``frame``: ``item, item_label, label, percent, shown``, each item's rows in scale order.
    """
    data, labels, colours = grid_frame(frame)
    rows = data["row"].unique(maintain_order=True).to_list()
    y = {"axis": {"labelLimit": 200}, "field": "row", "sort": rows, "title": None}
    y["type"] = "nominal"
    item = _field("row", "nominal", title="Item")
    return _diverging(data, labels, colours, title, y, _height(len(rows)) + 40, (item,))


def ranking_chart(frame: pl.DataFrame, title: str) -> Spec:
    """A ranking's mean rank by option, most preferred (lowest mean) first, each bar
    labelled with its mean rank and the share who ranked it first (``shown``).

    ``frame``: ``label, mean_rank, shown``; a suppressed mean rank has no bar.
    """
    ordered = frame.sort("mean_rank", nulls_last=True, maintain_order=True)
    axis = "Mean rank (1 = ranked first: a shorter bar is preferred)"
    return bar_chart(
        frame, "label", "mean_rank", "shown", title, axis, sort=ordered["label"].to_list()
    )


def representation_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """The representation chart's data: ``frame`` with ``text_x``, where the verdict sits
    (after the interval, or at the axis start where there is none)."""
    return frame.with_columns(pl.coalesce("ci_high", pl.lit(0.0)).alias("text_x"))


def representation_chart(frame: pl.DataFrame, title: str) -> Spec:
    """Ratio of respondent share to population share (1 = as in the population), with the
    95% interval, one row per category, and the finding written beside each row.

    ``frame``: ``label, ratio, ci_low, ci_high, verdict``; a row with no ratio (suppressed,
    or no population figure) keeps its place and shows its verdict at the axis start.
    """
    labels = frame["label"].to_list()
    frame = representation_frame(frame)
    datasets: dict[str, Any] = {}
    one = {
        "data": _data(pl.DataFrame({"x": [1.0]}), datasets),
        "mark": {"type": "rule", "color": MUTED, "strokeDash": [4, 4]},
        "encoding": {"x": _field("x", "quantitative")},
    }
    data = _data(frame, datasets)
    y = _field("label", "nominal", sort=labels, title=None)
    heading = {"text": title}
    interval = {
        "data": data,
        "mark": {"type": "rule", "color": PALETTE[1], "strokeWidth": 3},
        "encoding": {
            "x": {
                "axis": {"tickCount": 6},
                "field": "ci_low",
                "title": "Respondent share ÷ population share (1 = in proportion)",
                "type": "quantitative",
            },
            "x2": {"field": "ci_high"},
            "y": y,
        },
        "title": heading,
    }
    point = {
        "data": data,
        "mark": {"type": "point", "color": PALETTE[0], "shape": "diamond", "size": 120},
        "encoding": {
            "tooltip": [
                _field("label", "nominal"),
                _field("ratio", "quantitative", format=".2f"),
                _field("verdict", "nominal"),
            ],
            "x": _field("ratio", "quantitative"),
            "y": y,
        },
        "title": heading,
    }
    verdict = {
        "data": data,
        "mark": {"type": "text", "align": "left", "dx": 8},
        "encoding": {
            "text": _field("verdict", "nominal"),
            "x": _field("text_x", "quantitative"),
            "y": y,
        },
        "title": heading,
    }
    return _chart([one, interval, point, verdict], datasets, WIDTH - 120, _height(frame.height))


def heatmap_layout(
    frame: pl.DataFrame, row: str, column: str, value: str
) -> tuple[list[object], list[object], float]:
    """The heatmap's row order, column order (the frame's) and the value above which a
    cell's label is white (half the largest)."""
    rows_order = frame[row].unique(maintain_order=True).to_list()
    columns = frame[column].unique(maintain_order=True).to_list()
    return rows_order, columns, (frame[value].max() or 1) / 2


def heatmap(frame: pl.DataFrame, row: str, column: str, shown: str, value: str, title: str) -> Spec:
    """A grid of counts (e.g. group × locality), darker = more, every cell labelled; rows and
    columns keep the frame's order (the consultation's groups, the geography's places)."""
    rows_order, columns, threshold = heatmap_layout(frame, row, column, value)
    y = _field(row, "nominal", sort=rows_order, title=None)
    x = {"axis": {"labelAngle": -30}, **_field(column, "nominal", sort=columns, title=None)}
    heading = {"text": title}
    cells = {
        "mark": {"type": "rect"},
        "encoding": {
            "color": {
                "field": value,
                "legend": None,
                "scale": {"scheme": "blues"},
                "type": "quantitative",
            },
            "tooltip": [
                _field(row, "nominal"),
                _field(column, "nominal"),
                _field(shown, "nominal", title="Responses"),
            ],
            "x": x,
            "y": y,
        },
        "title": heading,
    }
    labels = {
        "mark": {"type": "text"},
        "encoding": {
            "color": {
                "condition": {"test": f"(datum[{value!r}] > {threshold!r})", "value": "white"},
                "value": "black",
            },
            "text": _field(shown, "nominal"),
            "x": x,
            "y": y,
        },
        "title": heading,
    }
    datasets: dict[str, Any] = {}
    data = _data(frame, datasets)
    return _chart([cells, labels], datasets, WIDTH, _height(len(rows_order)), data)
