"""Charts: one function per chart over tidy, disclosure-controlled frames, one house theme.

Each chart is defined once, as a Vega-Lite dict (:mod:`pipelines.charts.vegalite`), which the
reports draw as SVG (:mod:`pipelines.charts.render`) and notebooks show as the Altair chart
made from it (:mod:`pipelines.charts.figures`, :mod:`pipelines.charts.interactive`).
"""

from pipelines.charts.theme import enable_theme

enable_theme()
