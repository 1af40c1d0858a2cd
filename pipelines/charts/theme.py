"""The house theme: the Government Analysis Function's accessible palette, readable type."""

from __future__ import annotations

import altair as alt

#: Analysis Function categorical palette (contrast-checked against white; use in this order).
PALETTE: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
#: Sequential blues for ordered scales, dark = more.
DIVERGING: tuple[str, ...] = ("#801650", "#C48BA7", "#BFBFBF", "#6F9FC9", "#12436D")
#: Diverging scales of other sizes, from the same ends (first = most negative).
DIVERGING_BY_SIZE: dict[int, tuple[str, ...]] = {
    2: ("#801650", "#12436D"),
    3: ("#801650", "#BFBFBF", "#12436D"),
    4: ("#801650", "#C48BA7", "#6F9FC9", "#12436D"),
    5: DIVERGING,
    6: ("#801650", "#A8507C", "#D3A7BD", "#A9C4DE", "#6F9FC9", "#12436D"),
    7: ("#801650", "#A8507C", "#D3A7BD", "#BFBFBF", "#A9C4DE", "#6F9FC9", "#12436D"),
}
TEXT = "#0B0C0C"
MUTED = "#505A5F"
FONT = "Arial, Helvetica, sans-serif"
THEME_NAME = "workbook"


@alt.theme.register(THEME_NAME, enable=False)
def workbook_theme() -> alt.theme.ThemeConfig:
    """Big readable type, no chart junk, the accessible palette, left-aligned titles."""
    return {
        "config": {
            "font": FONT,
            "background": "#FFFFFF",
            "view": {"stroke": None, "continuousWidth": 520, "continuousHeight": 300},
            "title": {
                "anchor": "start",
                "fontSize": 16,
                "fontWeight": "bold",
                "color": TEXT,
                "offset": 12,
            },
            "axis": {
                "labelFontSize": 13,
                "titleFontSize": 13,
                "labelColor": TEXT,
                "titleColor": TEXT,
                "gridColor": "#E5E5E5",
                "domainColor": MUTED,
                "tickColor": MUTED,
                "labelLimit": 260,
            },
            "legend": {
                "labelFontSize": 13,
                "titleFontSize": 13,
                "orient": "bottom",
                "labelColor": TEXT,
            },
            "range": {"category": list(PALETTE), "ordinal": list(DIVERGING)},
            "bar": {"color": PALETTE[0]},
            "text": {"fontSize": 13, "color": TEXT},
            "point": {"color": PALETTE[0], "filled": True, "size": 80},
        }
    }


def enable_theme() -> None:
    """Make the house theme the active Altair theme (idempotent)."""
    alt.theme.enable(THEME_NAME)
