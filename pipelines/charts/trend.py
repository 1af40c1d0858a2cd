"""The trend over the waves of a series: responses by stakeholder group in each wave, one
line with points per group, as a Vega-Lite dict (as :mod:`pipelines.charts.vegalite`).

A suppressed count arrives as a null: it has no point, and its group's line stops there and
starts again at the next shown count (each unbroken run of shown counts is a segment of its
own), so a ``[c]`` is never drawn as zero nor bridged by a line. Each group has a colour and
a point shape of its own, named in the legend: colour is never the only carrier of meaning.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from pipelines.charts.theme import PALETTE
from pipelines.charts.vegalite import WIDTH, Spec, _chart, _data, _field

#: Point shapes, one per group with the colour (five shapes against six colours: every pair
#: differs for thirty groups).
SHAPES: tuple[str, ...] = ("circle", "square", "diamond", "triangle-up", "triangle-down")
HEIGHT = 260


def trend_frame(frame: pl.DataFrame, group: str, value: str) -> pl.DataFrame:
    """The chart's points: the rows with a shown ``value``, each with ``segment``, the
    unbroken run of shown values of its ``group`` it belongs to (a hidden value ends one).

    ``frame``: one row per wave and group, in wave order.
    """
    return (
        frame.with_columns(
            pl.col(value).is_null().cum_sum().over(group).alias("_gaps"),
        )
        .with_columns(
            pl.format("{}#{}", pl.col(group), pl.col("_gaps")).alias("segment"),
        )
        .filter(pl.col(value).is_not_null())
        .drop("_gaps")
    )


def group_styles(groups: list[str]) -> tuple[list[str], list[str]]:
    """Each group's colour and point shape, in order."""
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(groups))]
    shapes = [SHAPES[i % len(SHAPES)] for i in range(len(groups))]
    return colours, shapes


def trend_chart(
    frame: pl.DataFrame,
    wave: str,
    group: str,
    value: str,
    shown: str,
    title: str,
    axis_title: str,
    waves: list[str],
) -> Spec:
    """Lines with points of ``value`` by ``wave`` (ordered as ``waves``), one per ``group``.

    ``frame``: one row per wave and group (``value`` null where suppressed, ``shown`` the
    text a reader sees: the count or ``[c]``). The groups keep the frame's order.
    """
    groups = frame[group].unique(maintain_order=True).to_list()
    colours, shapes = group_styles(groups)
    points = trend_frame(frame, group, value)
    x = {
        "axis": {"labelAngle": 0},
        "field": wave,
        "sort": waves,
        "title": None,
        "type": "ordinal",
    }
    y = {
        "axis": {"grid": True, "tickMinStep": 1},
        "field": value,
        "scale": {"zero": True},
        "title": axis_title,
        "type": "quantitative",
    }
    colour: dict[str, Any] = {
        "field": group,
        "legend": {"columns": 2, "labelLimit": 240, "orient": "bottom"},
        "scale": {"domain": groups, "range": colours},
        "sort": groups,
        "title": None,
        "type": "nominal",
    }
    shape = {**colour, "scale": {"domain": groups, "range": shapes}}
    tooltip = [
        _field(group, "nominal"),
        _field(wave, "nominal"),
        _field(shown, "nominal", title=axis_title),
    ]
    heading = {"text": title}
    lines = {
        "mark": {"type": "line", "strokeWidth": 2},
        "encoding": {"color": colour, "detail": _field("segment", "nominal"), "x": x, "y": y},
        "title": heading,
    }
    marks = {
        "mark": {"type": "point", "filled": True, "size": 70},
        "encoding": {"color": colour, "shape": shape, "tooltip": tooltip, "x": x, "y": y},
        "title": heading,
    }
    datasets: dict[str, Any] = {}
    data = _data(points, datasets)
    return _chart([lines, marks], datasets, WIDTH, HEIGHT, data)
