"""Static rendering: a chart as SVG through vl-convert, with no JavaScript and no network."""

from __future__ import annotations

import json
from typing import Any

import altair as alt
import vl_convert as vlc


def spec_json(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    """The chart's Vega-Lite JSON, as Altair writes it (``chart.to_json()``): an Altair chart,
    or a spec dict from :mod:`pipelines.charts.vegalite`."""
    if isinstance(chart, dict):
        return json.dumps(chart, indent=2, sort_keys=True, ensure_ascii=False)
    return chart.to_json(validate=False)


def chart_svg(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    """The chart as a standalone SVG document (fonts are vl-convert's bundled ones)."""
    return vlc.vegalite_to_svg(spec_json(chart))
