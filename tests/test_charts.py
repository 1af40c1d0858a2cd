"""Each chart is defined once, as a Vega-Lite dict (pipelines.charts.vegalite): its encodings,
sorts and colour domains are checked here on hand-made frames, and the Altair chart made from
it for JupyterLab (pipelines.charts.figures) has exactly its spec, on those frames and on
every chart of the demo's reports."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl
import pytest

from pipelines.charts import figures, vegalite
from pipelines.charts.render import chart_svg, spec_json
from pipelines.charts.theme import DIVERGING, MUTED, PALETTE, workbook_theme
from pipelines.charts.vegalite import luminance
from pipelines.report.facts import gather_facts
from pipelines.report.plan import open_report
from pipelines.report.sections import (
    actions,
    common,
    events,
    participation,
    questions,
    representation,
)
from pipelines.report.tables import publish_tables

CHARTS = ("bar_chart", "diverging_likert", "representation_chart", "heatmap")


def assert_derived(spec: dict[str, Any], chart: alt.LayerChart) -> None:
    """The Altair chart's spec, validated against Vega-Lite's schema, is the dict, to the
    byte of the JSON that vl-convert draws (Altair's ``to_json`` but for indentation)."""
    assert isinstance(chart, alt.LayerChart)
    assert all(isinstance(layer, alt.Chart) for layer in chart.layer)
    assert chart.to_dict() == json.loads(spec_json(spec))
    assert spec_json(chart) == spec_json(spec)
    assert spec_json(spec) == json.dumps(json.loads(chart.to_json()), ensure_ascii=False)


def build(name: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The dict of ``vegalite.<name>``, checked against ``figures.<name>``'s Altair chart."""
    spec = getattr(vegalite, name)(*args, **kwargs)
    assert_derived(spec, getattr(figures, name)(*args, **kwargs))
    return spec


def rows(spec: dict[str, Any], data: dict[str, str]) -> list[dict[str, Any]]:
    """The rows of a layer's (or the chart's) named dataset."""
    return spec["datasets"][data["name"]]


BARS = pl.DataFrame(
    {
        "group": ["a", "b", "c"],
        "label": ["A “quoted”", "B", "C"],
        "responses": [6, None, 4],
        "percent": [60.0, None, 40.0],
        "shown": ["60% (6)", "[c]", "40% (4)"],
    }
)


def test_every_chart_is_in_the_house_theme() -> None:
    spec = build("bar_chart", BARS, "label", "percent", "shown", "A", "% of responses")
    assert spec["config"] == workbook_theme()["config"]
    assert spec["$schema"] == alt.SCHEMA_URL


def test_bar_chart_labels_every_bar_largest_first() -> None:
    spec = build("bar_chart", BARS, "label", "percent", "shown", "A leads", "% of responses")
    bars, labels = spec["layer"]
    assert bars["mark"] == {"type": "bar", "color": PALETTE[0]}
    assert bars["encoding"]["y"] == {
        "field": "label",
        "sort": "-x",
        "title": None,
        "type": "nominal",
    }
    x = bars["encoding"]["x"]
    assert (x["field"], x["type"], x["title"]) == ("percent", "quantitative", "% of responses")
    assert bars["encoding"]["tooltip"][1] == {
        "field": "shown",
        "title": "% of responses",
        "type": "nominal",
    }
    assert labels["mark"]["type"] == "text"
    assert labels["encoding"]["text"] == {"field": "shown", "type": "nominal"}
    assert labels["encoding"]["x"] == {"field": "text_x", "type": "quantitative"}
    assert labels["encoding"]["y"] == bars["encoding"]["y"]
    assert bars["title"] == labels["title"] == {"text": "A leads"}
    # a suppressed bar is not drawn, its [c] sits at zero
    assert [(r["percent"], r["text_x"]) for r in rows(spec, spec["data"])] == [
        (60.0, 60.0),
        (None, 0.0),
        (40.0, 40.0),
    ]
    assert (spec["width"], spec["height"]) == (vegalite.WIDTH, 3 * vegalite.ROW_HEIGHT)


def test_bar_chart_keeps_a_given_order_and_draws_an_empty_frame() -> None:
    order = ["C", "B", "A “quoted”"]
    spec = build("bar_chart", BARS, "label", "percent", "shown", "A", "%", sort=order)
    assert all(layer["encoding"]["y"]["sort"] == order for layer in spec["layer"])
    empty = build("bar_chart", BARS.clear(), "label", "percent", "shown", "None", "%")
    assert empty["height"] == 60 and rows(empty, empty["data"]) == []


def likert(points: int) -> pl.DataFrame:
    percents = ([5.0, None, 30.0, 25.0, 40.0] + [10.0] * 5)[:points]
    return pl.DataFrame(
        {
            "label": [f"point {i}" for i in range(points)],
            "percent": percents,
            "shown": [f"{p}%" if p is not None else "[c]" for p in percents],
        }
    )


def test_five_point_likert_diverges_in_the_scales_colours() -> None:
    spec = build("diverging_likert", likert(5), "Most agreed")
    bars, text, rule = spec["layer"]
    labels = [f"point {i}" for i in range(5)]
    colour = bars["encoding"]["color"]
    assert (colour["field"], colour["type"], colour["sort"]) == ("label", "nominal", labels)
    assert colour["scale"] == {"domain": labels, "range": list(DIVERGING)}
    x = bars["encoding"]["x"]
    assert (x["field"], x["type"], x["scale"]) == ("start", "quantitative", {"domain": [-100, 100]})
    assert x["title"] == "% of respondents (← point 0 · point 4 →)"
    assert bars["encoding"]["x2"] == {"field": "end"}
    assert bars["encoding"]["order"] == {"field": "start", "type": "quantitative"}
    # negative side: 5 + 0 + 30/2 = 20, so the scale starts at -20
    starts = {r["label"]: (r["start"], r["end"]) for r in rows(spec, bars["data"])}
    assert starts["point 0"] == (-20.0, -15.0) and starts["point 4"] == (40.0, 80.0)
    # only segments of 8% or more carry text, white on the dark ends
    shown = {r["label"]: r["text_colour"] for r in rows(spec, text["data"])}
    assert shown == {"point 2": "black", "point 3": "black", "point 4": "white"}
    assert text["encoding"]["color"] == {"field": "text_colour", "scale": None, "type": "nominal"}
    assert rule["mark"] == {"type": "rule", "color": MUTED}
    assert rows(spec, rule["data"]) == [{"x": 0}]


@pytest.mark.parametrize("points", [4, 3])
def test_other_likert_scales_name_every_answer_in_order(points: int) -> None:
    spec = build("diverging_likert", likert(points), "Most agreed")
    colour = spec["layer"][0]["encoding"]["color"]
    labels = [f"point {i}" for i in range(points)]
    assert colour["scale"]["domain"] == labels and colour["sort"] == labels
    # a diverging scale of its own size, its ends the five-point scale's ends
    assert colour["scale"]["range"][0] == DIVERGING[0]
    assert colour["scale"]["range"][-1] == DIVERGING[-1]


@pytest.mark.parametrize("points", [2, 3, 4, 5, 6, 7, 9])
def test_every_segment_label_contrasts_with_its_segment(points: int) -> None:
    """WCAG 1.4.3: a segment's percentage is white or black, whichever contrasts more; on
    these colours that is at least 4.5:1 (black on the old navy was 1.9:1)."""
    spec = build("diverging_likert", likert(points), "Most agreed")
    bars, text = spec["layer"][0], spec["layer"][1]
    colours = dict(zip(bars["encoding"]["color"]["scale"]["domain"],
                       bars["encoding"]["color"]["scale"]["range"], strict=True))  # fmt: skip
    for row in rows(spec, text["data"]):
        background = luminance(colours[row["label"]])
        ink = 1.0 if row["text_colour"] == "white" else 0.0
        lighter, darker = max(background, ink), min(background, ink)
        assert (lighter + 0.05) / (darker + 0.05) >= 4.5, row


def test_representation_chart_keeps_rows_without_a_ratio() -> None:
    frame = pl.DataFrame(
        {
            "category": ["x", "y", "z"],
            "ratio": [0.5, None, 1.4],
            "ci_low": [0.3, None, 1.1],
            "ci_high": [0.7, None, 1.8],
            "_hidden": [False, True, False],
            "label": ["X", "Y", "Z"],
            "verdict": ["under-represented", "[c] too few to show", "over-represented"],
        }
    )
    spec = build("representation_chart", frame, "X are under-represented")
    one, interval, point, verdict = spec["layer"]
    assert rows(spec, one["data"]) == [{"x": 1.0}] and one["mark"]["strokeDash"] == [4, 4]
    y = {"field": "label", "sort": ["X", "Y", "Z"], "title": None, "type": "nominal"}
    assert interval["encoding"]["y"] == point["encoding"]["y"] == verdict["encoding"]["y"] == y
    assert interval["encoding"]["x"]["field"] == "ci_low"
    assert interval["encoding"]["x2"] == {"field": "ci_high"}
    assert point["encoding"]["x"] == {"field": "ratio", "type": "quantitative"}
    assert verdict["encoding"]["text"] == {"field": "verdict", "type": "nominal"}
    assert [r["text_x"] for r in rows(spec, verdict["data"])] == [0.7, 0.0, 1.8]
    assert spec["width"] == vegalite.WIDTH - 120


def test_heatmap_keeps_the_frames_order() -> None:
    frame = pl.DataFrame(
        {
            "label": ["B", "B", "A", "A"],
            "locality": ["Y", "X", "Y", "X"],
            "shown": ["3", "[c]", "12", "0"],
            "_value": [3, 0, 12, 0],
        }
    )
    spec = build("heatmap", frame, "label", "locality", "shown", "_value", "Grid")
    cells, labels = spec["layer"]
    assert cells["encoding"]["y"] == {
        "field": "label",
        "sort": ["B", "A"],
        "title": None,
        "type": "nominal",
    }
    assert cells["encoding"]["x"]["sort"] == ["Y", "X"]
    assert cells["encoding"]["x"]["type"] == "nominal"
    assert cells["encoding"]["color"] == {
        "field": "_value",
        "legend": None,
        "scale": {"scheme": "blues"},
        "type": "quantitative",
    }
    # labels are white above half the largest count
    assert labels["encoding"]["color"]["condition"] == {
        "test": "(datum['_value'] > 6.0)",
        "value": "white",
    }
    assert spec["height"] == 60


def test_values_write_dates_as_altair_does() -> None:
    frame = pl.DataFrame(
        {
            "label": ["A", "B"],
            "percent": [1.5, 2.0],
            "shown": ["1", "2"],
            "day": [dt.date(2026, 3, 1), None],
            "at": [dt.datetime(2026, 3, 1, 9, 30), dt.datetime(2026, 3, 2)],
        }
    )
    spec = build("bar_chart", frame, "label", "percent", "shown", "T", "%")
    data = rows(spec, spec["data"])
    assert data[0]["day"] == "2026-03-01T00:00:00" and data[1]["day"] is None


def test_the_dict_and_the_altair_chart_draw_the_same_svg() -> None:
    spec = vegalite.bar_chart(BARS, "label", "percent", "shown", "A", "% of responses")
    chart = figures.bar_chart(BARS, "label", "percent", "shown", "A", "% of responses")
    assert chart_svg(spec) == chart_svg(chart)


@pytest.mark.parametrize(
    ("region", "locality", "profile"),
    [("", "", "restricted"), ("north-west", "", "restricted"), ("london", "", "public"),
     ("north-west", "Manchester", "none")],
)  # fmt: skip
def test_every_chart_of_the_demo_reports(
    demo_root: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    region: str,
    locality: str,
    profile: str,
) -> None:
    drawn: list[str] = []

    def checked(name: str):
        builder = getattr(vegalite, name)

        def checked_build(*args: Any, **kwargs: Any) -> dict[str, Any]:
            drawn.append(name)
            spec = builder(*args, **kwargs)
            assert_derived(spec, figures.altair_chart(spec))
            return spec

        return checked_build

    for name in CHARTS:
        monkeypatch.setattr(vegalite, name, checked(name))
    monkeypatch.setattr(common, "chart_svg", lambda spec: json.dumps(spec)[:10])
    report = open_report(
        "demo-care-at-home-2026", region, profile, 10, str(tmp_path), root=demo_root,
        locality=locality,
    )  # fmt: skip
    tables, facts = publish_tables(report), gather_facts(report)
    participation.render(report, tables)
    events.render(report, tables)
    representation.render(report, tables, facts)
    questions.render(report, tables, facts)
    actions.render(report, tables, facts)
    assert set(drawn) == set(CHARTS) and len(drawn) >= 15


def test_a_chart_shape_is_compiled_once_and_drawn_as_vl_convert_draws_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import vl_convert as vlc

    from pipelines.charts import render

    monkeypatch.setattr(render, "_COMPILED", {})
    compiled: list[str] = []
    compile_whole = vlc.vegalite_to_vega

    def counted(spec: str) -> dict[str, Any]:
        compiled.append(spec)
        return compile_whole(spec)

    monkeypatch.setattr(render.vlc, "vegalite_to_vega", counted)
    other = BARS.with_columns(pl.Series("percent", [12.345678901234567, 70.1, None]))
    specs = [
        vegalite.bar_chart(frame, "label", "percent", "shown", "A", "%")
        for frame in (BARS.clear(), BARS, other, BARS.head(1))
    ] + [vegalite.diverging_likert(likert(points), "Most agreed") for points in (5, 3)]
    for spec in specs:
        assert chart_svg(spec) == vlc.vegalite_to_svg(spec_json(spec))
        assert chart_svg(render.narrow(spec)) == vlc.vegalite_to_svg(spec_json(render.narrow(spec)))
    # the two three-bar charts share a shape, wide and narrow, and so do the empty and the
    # one-bar charts (the least height); every other chart differs
    assert len(compiled) == len(render._COMPILED) == 2 * len(specs) - 4
    # what is kept holds no area's rows
    for vega in render._COMPILED.values():
        assert vega is not None
        assert all(not entry.get("values") for entry in vega["data"] if "values" in entry)
    assert "A “quoted”" not in json.dumps(render._COMPILED, ensure_ascii=False)


def test_a_chart_without_named_datasets_is_compiled_whole() -> None:
    import vl_convert as vlc

    from pipelines.charts import render

    inline = {
        "data": {"values": [{"a": "x", "n": 3}]},
        "mark": "bar",
        "encoding": {
            "y": {"field": "a", "type": "nominal"},
            "x": {"field": "n", "type": "quantitative"},
        },
    }
    assert chart_svg(inline) == vlc.vegalite_to_svg(json.dumps(inline))
    assert not any('"a": "x"' in key for key in render._COMPILED)
