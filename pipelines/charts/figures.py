"""The report's charts as Altair charts, for JupyterLab: each made from its one definition,
the Vega-Lite dict of :mod:`pipelines.charts.vegalite`, never written again.

A chart here has the same spec as the report's (``chart.to_dict()`` is the dict, tested), so
it looks the same; Altair's objects only add what a notebook needs: display, and methods
such as ``encode`` and ``add_params`` (:func:`pipelines.charts.interactive.explorable`
uses them). The reports never build one.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from pipelines.charts import vegalite
from pipelines.charts.vegalite import Spec


def altair_chart(spec: Spec) -> alt.LayerChart:
    """The layered chart ``spec`` as an Altair chart whose layers are Altair charts too (so
    that ``encode`` and ``add_params`` work on them).

    The spec's parts are handed to Altair's constructors as they are, not through
    ``from_dict``, which would match every part, data rows included, against Vega-Lite's
    schema one by one (slow); Altair checks the whole spec against the schema once, when
    the chart is displayed (``to_dict``).
    """
    layers = [
        alt.Chart(encoding=alt.FacetedEncoding(**layer["encoding"]), **_without(layer, "encoding"))
        for layer in spec["layer"]
    ]
    return alt.LayerChart(layer=layers, **_without(spec, "layer", "$schema"))


def _without(spec: Spec, *keys: str) -> Spec:
    """``spec`` without ``keys``."""
    return {key: value for key, value in spec.items() if key not in keys}


def bar_chart(
    frame: pl.DataFrame,
    category: str,
    value: str,
    shown: str,
    title: str,
    axis_title: str,
    sort: list[str] | None = None,
) -> alt.LayerChart:
    """:func:`pipelines.charts.vegalite.bar_chart` as an Altair chart."""
    return altair_chart(
        vegalite.bar_chart(frame, category, value, shown, title, axis_title, sort=sort)
    )


def diverging_likert(frame: pl.DataFrame, title: str) -> alt.LayerChart:
    """:func:`pipelines.charts.vegalite.diverging_likert` as an Altair chart."""
    return altair_chart(vegalite.diverging_likert(frame, title))


def representation_chart(frame: pl.DataFrame, title: str) -> alt.LayerChart:
    """:func:`pipelines.charts.vegalite.representation_chart` as an Altair chart."""
    return altair_chart(vegalite.representation_chart(frame, title))


def heatmap(
    frame: pl.DataFrame, row: str, column: str, shown: str, value: str, title: str
) -> alt.LayerChart:
    """:func:`pipelines.charts.vegalite.heatmap` as an Altair chart."""
    return altair_chart(vegalite.heatmap(frame, row, column, shown, value, title))


def diverging_grid(frame: pl.DataFrame, title: str) -> alt.LayerChart:
    """:func:`pipelines.charts.vegalite.diverging_grid` as an Altair chart."""
    return altair_chart(vegalite.diverging_grid(frame, title))


def ranking_chart(frame: pl.DataFrame, title: str) -> alt.LayerChart:
    """:func:`pipelines.charts.vegalite.ranking_chart` as an Altair chart."""
    return altair_chart(vegalite.ranking_chart(frame, title))
