"""Charts made from the one Vega-Lite definition can be explored in JupyterLab
(:func:`pipelines.charts.interactive.explorable`): a click or a legend entry highlights a
category, and nothing else about the chart changes."""

from __future__ import annotations

from typing import Any

import altair as alt
import polars as pl

from pipelines.charts import figures
from pipelines.charts.interactive import FADED, SELECTION, explorable

BARS = pl.DataFrame({"label": ["A", "B"], "percent": [60.0, None], "shown": ["60% (6)", "[c]"]})
LIKERT = pl.DataFrame(
    {
        "label": ["SD", "D", "N", "A", "SA"],
        "percent": [10.0, 20.0, 30.0, 25.0, 15.0],
        "shown": ["10%", "20%", "30%", "25%", "15%"],
    }
)
HIGHLIGHT = {"condition": {"param": SELECTION, "value": 1.0}, "value": FADED}


def explored(chart: alt.LayerChart) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The explorable chart's one selection and its layers, as Vega-Lite."""
    spec = explorable(chart).to_dict()
    (selection,) = spec["params"]
    return selection, spec["layer"]


def without_highlight(layers: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The layers as they were before the highlight was added."""
    plain = [dict(layer) for layer in layers]
    for layer in plain:
        layer.pop("name", None)
        layer["encoding"] = {k: v for k, v in layer["encoding"].items() if k != "opacity"}
    return plain


def test_a_bar_chart_highlights_the_clicked_bar_and_changes_nothing_else() -> None:
    chart = figures.bar_chart(BARS, "label", "percent", "shown", "A", "%")
    selection, layers = explored(chart)
    assert selection["name"] == SELECTION and "bind" not in selection
    assert selection["select"] == {
        "type": "point",
        "fields": ["label"],
        "on": "click",
        "clear": "dblclick",
    }
    assert selection["views"] == [layers[0]["name"]]
    assert layers[0]["encoding"]["opacity"] == HIGHLIGHT
    assert "opacity" not in layers[1]["encoding"]
    assert without_highlight(layers) == chart.to_dict()["layer"]


def test_a_likert_chart_highlights_from_its_legend() -> None:
    selection, layers = explored(figures.diverging_likert(LIKERT, "Most agreed"))
    assert selection["bind"] == "legend" and selection["select"]["fields"] == ["label"]
    assert [layer["mark"]["type"] for layer in layers] == ["bar", "text", "rule"]
    assert layers[0]["encoding"]["opacity"] == HIGHLIGHT


def test_a_heatmap_highlights_a_row() -> None:
    frame = pl.DataFrame(
        {"label": ["B", "A"], "locality": ["Y", "X"], "shown": ["1", "2"], "_value": [1, 2]}
    )
    selection, layers = explored(
        figures.heatmap(frame, "label", "locality", "shown", "_value", "Grid")
    )
    assert selection["select"]["fields"] == ["label"]
    assert layers[0]["mark"]["type"] == "rect" and layers[0]["encoding"]["opacity"] == HIGHLIGHT


def test_a_chart_is_made_explorable_once() -> None:
    chart = explorable(figures.bar_chart(BARS, "label", "percent", "shown", "A", "%"))
    assert explorable(chart) is chart


def test_an_analysts_own_altair_chart_is_explorable_too() -> None:
    chart = alt.Chart(BARS).mark_bar().encode(y="label:N", x="percent:Q")
    spec = explorable(chart).to_dict()
    assert spec["params"][0]["select"]["fields"] == ["label"]
    assert spec["encoding"]["opacity"] == HIGHLIGHT
