"""The report's chart dicts (pipelines.charts.vegalite) are exactly the Altair charts' specs
(pipelines.charts.figures): on hand-made frames and on every chart of the demo's reports."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import polars as pl
import pytest

from pipelines.charts import figures, vegalite
from pipelines.charts.render import chart_svg, spec_json
from pipelines.report import sections
from pipelines.report.publish import open_report

CHARTS = ("bar_chart", "diverging_likert", "representation_chart", "heatmap")


def assert_same_spec(name: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    """The dict of ``vegalite.<name>`` is Altair's spec of ``figures.<name>``, to the byte
    of the JSON that vl-convert draws (Altair's ``to_json`` but for indentation)."""
    spec = getattr(vegalite, name)(*args, **kwargs)
    chart = getattr(figures, name)(*args, **kwargs)
    assert spec_json(spec) == spec_json(chart)
    assert json.loads(spec_json(spec)) == json.loads(chart.to_json(validate=False))
    assert spec_json(spec) == json.dumps(json.loads(chart.to_json()), ensure_ascii=False)
    return spec


BARS = pl.DataFrame(
    {
        "group": ["a", "b", "c"],
        "label": ["A “quoted”", "B", "C"],
        "responses": [6, None, 4],
        "percent": [60.0, None, 40.0],
        "shown": ["60% (6)", "[c]", "40% (4)"],
    }
)


def test_bar_chart_with_a_suppressed_bar_and_either_order() -> None:
    spec = assert_same_spec("bar_chart", BARS, "label", "percent", "shown", "A", "% of responses")
    assert spec["layer"][0]["encoding"]["y"]["sort"] == "-x"
    assert_same_spec("bar_chart", BARS, "label", "percent", "shown", "A", "%", sort=["C", "B", "A"])
    assert_same_spec("bar_chart", BARS.clear(), "label", "percent", "shown", "None", "%")


@pytest.mark.parametrize("points", [5, 4, 3])
def test_likert_of_any_length_with_small_and_suppressed_segments(points: int) -> None:
    percents = [5.0, None, 30.0, 25.0, 40.0][:points]
    frame = pl.DataFrame(
        {
            "label": [f"point {i}" for i in range(points)],
            "percent": percents,
            "shown": [f"{p}%" if p is not None else "[c]" for p in percents],
        }
    )
    assert_same_spec("diverging_likert", frame, "Most agreed")


def test_representation_chart_with_missing_ratios() -> None:
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
    assert_same_spec("representation_chart", frame, "X are under-represented")


def test_heatmap_keeps_the_frames_order() -> None:
    frame = pl.DataFrame(
        {
            "label": ["B", "B", "A", "A"],
            "locality": ["Y", "X", "Y", "X"],
            "shown": ["3", "[c]", "12", "0"],
            "_value": [3, 0, 12, 0],
        }
    )
    spec = assert_same_spec("heatmap", frame, "label", "locality", "shown", "_value", "Grid")
    assert spec["layer"][0]["encoding"]["y"]["sort"] == ["B", "A"]


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
    spec = assert_same_spec("bar_chart", frame, "label", "percent", "shown", "T", "%")
    rows = next(iter(spec["datasets"].values()))
    assert rows[0]["day"] == "2026-03-01T00:00:00" and rows[1]["day"] is None


def test_the_dict_draws_the_same_svg() -> None:
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
        def build(*args: Any, **kwargs: Any) -> dict[str, Any]:
            drawn.append(name)
            return assert_same_spec(name, *args, **kwargs)

        return build

    monkeypatch.setattr(sections, "vegalite", SimpleNamespace(**{n: checked(n) for n in CHARTS}))
    monkeypatch.setattr(sections, "chart_svg", lambda spec: json.dumps(spec)[:10])
    report = open_report(
        "demo-care-at-home-2026", region, profile, 10, str(tmp_path), root=demo_root,
        locality=locality,
    )  # fmt: skip
    sections.who_took_part(report, place="locality" if region else "region")
    sections.events(report)
    sections.who_is_missing(report)
    sections.what_people_said(report)
    sections.what_we_did(report)
    assert set(drawn) == set(CHARTS) and len(drawn) >= 15
