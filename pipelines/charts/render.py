"""Static rendering: a chart as SVG through vl-convert, with no JavaScript and no network."""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import vl_convert as vlc


def spec_json(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    """The chart's Vega-Lite JSON as Altair writes it (``chart.to_json()``: keys sorted), but
    without the indentation, which only costs time (json's C encoder does not indent): an
    Altair chart, or a spec dict from :mod:`pipelines.charts.vegalite`."""
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    return json.dumps(spec, sort_keys=True, ensure_ascii=False)


def chart_svg(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    """The chart as a standalone SVG document (fonts are vl-convert's bundled ones)."""
    return vlc.vegalite_to_svg(spec_json(chart))
