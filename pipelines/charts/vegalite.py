"""The report's charts as plain Vega-Lite dicts, for drawing many charts quickly.

Each function here builds exactly the spec that Altair writes for the chart of the same name
in :mod:`pipelines.charts.figures` (``chart.to_dict()``: the house theme's config, data as
named datasets, the same encodings), from the same data, without building Altair's objects:
Altair copies and validates its objects as a chart is put together, about 15 ms a chart,
which is a sixth of a region report's time. ``figures`` stays the readable definition and
the one used interactively; ``tests/test_charts.py`` holds every function here to
``figures``' spec, so a change to one that is not made to the other fails the tests.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import altair as alt
import polars as pl

from pipelines.charts.figures import (
    LIKERT_TEXT_MIN,
    ROW_HEIGHT,
    WIDTH,
    bar_frame,
    heatmap_layout,
    likert_frame,
    representation_frame,
)
from pipelines.charts.theme import MUTED, PALETTE, workbook_theme

Spec = dict[str, Any]
ISO_DATE = "%Y-%m-%dT%H:%M:%S"


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
    rows = values(frame)
    name = dataset_name(rows)
    datasets[name] = rows
    return {"name": name}


def _chart(layers: list[Spec], datasets: dict[str, Any], width: int, height: int) -> Spec:
    return {
        "config": workbook_theme()["config"],
        "layer": layers,
        "height": height,
        "width": width,
        "$schema": alt.SCHEMA_URL,
        "datasets": datasets,
    }


def _height(rows: int) -> int:
    return max(ROW_HEIGHT * rows, 60)


def _field(name: str, kind: str, **options: Any) -> Spec:
    return {"field": name, **options, "type": kind}


def bar_chart(
    frame: pl.DataFrame,
    category: str,
    value: str,
    shown: str,
    title: str,
    axis_title: str,
    sort: list[str] | None = None,
) -> Spec:
    """:func:`pipelines.charts.figures.bar_chart` as a dict."""
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
    spec = _chart([bars, labels], datasets, WIDTH, _height(frame.height))
    return {"config": spec.pop("config"), "layer": spec.pop("layer"), "data": data, **spec}


def diverging_likert(frame: pl.DataFrame, title: str) -> Spec:
    """:func:`pipelines.charts.figures.diverging_likert` as a dict."""
    data, labels, colours = likert_frame(frame)
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
            "tooltip": [_field("label", "nominal"), _field("shown", "nominal", title="Share")],
            "x": {
                "axis": {"labelExpr": "abs(datum.value)"},
                "field": "start",
                "scale": {"domain": [-100, 100]},
                "title": f"% of respondents (← {labels[0]} · {labels[-1]} →)",
                "type": "quantitative",
            },
            "x2": {"field": "end"},
            "y": {"axis": None, "field": "row", "title": None, "type": "nominal"},
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
            "y": {"axis": None, "field": "row", "type": "nominal"},
        },
        "transform": [{"calculate": "(datum.start + datum.end) / 2", "as": "mid"}],
    }
    rule = {
        "data": _data(pl.DataFrame({"x": [0]}), datasets),
        "mark": {"type": "rule", "color": MUTED},
        "encoding": {"x": _field("x", "quantitative")},
    }
    return _chart([bars, text, rule], datasets, WIDTH, 60)


def representation_chart(frame: pl.DataFrame, title: str) -> Spec:
    """:func:`pipelines.charts.figures.representation_chart` as a dict."""
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


def heatmap(frame: pl.DataFrame, row: str, column: str, shown: str, value: str, title: str) -> Spec:
    """:func:`pipelines.charts.figures.heatmap` as a dict."""
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
    spec = _chart([cells, labels], datasets, WIDTH, _height(len(rows_order)))
    return {"config": spec.pop("config"), "layer": spec.pop("layer"), "data": data, **spec}
