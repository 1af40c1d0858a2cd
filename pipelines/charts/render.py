"""Static rendering: a chart as SVG through vl-convert, with no JavaScript and no network."""

from __future__ import annotations

import altair as alt
import vl_convert as vlc


def chart_svg(chart: alt.TopLevelMixin) -> str:
    """The chart as a standalone SVG document (fonts are vl-convert's bundled ones)."""
    return vlc.vegalite_to_svg(chart.to_json(validate=False))
