"""The cost chart of ``docs/performance.md`` (#22): validation's seconds, and its floor (a bare
read of the export), against the responses of each scenario, on log axes.

Drawn with Altair in the house theme and vl-convert (:mod:`pipelines.charts.render`, the
bundled fonts: the same SVG on any machine), from one or more JSON files that ``workbook
bench`` wrote; a scenario found in several files is taken from the latest run (``finished``).
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path
from typing import Any

import altair as alt
import polars as pl

from pipelines.bench.floors import figure_text
from pipelines.bench.scenarios import Scenario
from pipelines.errors import InputError

#: What is drawn, from which figure (``None``: the bound, 4 x the bare read).
MEASURES: dict[str, str | None] = {
    "validation": "validate_seconds",
    "bare read of the export": "bare_read_seconds",
    "bound: 4 × bare read (#22)": None,
}
#: #22's bound on validation: this many bare reads of the same export.
BOUND = 4
#: The range of responses the chart always covers (#22: 1k to 10M).
RESPONSES_SPAN = (1_000, 10_000_000)


def load_results(paths: list[Path]) -> dict[str, dict[str, float]]:
    """Every scenario's figures in the bench JSON files ``paths``; where a scenario is in
    several, the figures of the latest run (``finished``), else of the last file named."""
    runs: list[tuple[str, int, dict[str, Any]]] = []
    for order, path in enumerate(paths):
        try:
            written = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise InputError(f"{path} is not a bench result (JSON): {error}") from None
        if not isinstance(written, dict) or not isinstance(written.get("results"), dict):
            raise InputError(f"{path} is not a bench result: it has no 'results'")
        runs.append((str(written.get("finished", "")), order, written["results"]))
    merged: dict[str, dict[str, float]] = {}
    for _finished, _order, results in sorted(runs, key=lambda run: (run[0], run[1])):
        merged.update(results)
    return merged


def cost_frame(results: dict[str, dict[str, float]]) -> pl.DataFrame:
    """``scenario, responses, regions, measure, seconds``: one row per scenario and measure
    it has (theme-suggestion scenarios and scenarios without validation left out)."""
    rows = []
    for name, figures in results.items():
        scenario = Scenario.parse(name)
        if scenario.suggest or "validate_seconds" not in figures:
            continue
        responses, regions = scenario.responses, scenario.regions
        for measure, figure in MEASURES.items():
            if figure is None:
                value = figures.get("bare_read_seconds")
                value = None if value is None else BOUND * value
            else:
                value = figures.get(figure)
            if value is not None:
                rows.append((name, responses, regions, measure, float(value)))
    schema = {
        "scenario": pl.String,
        "responses": pl.Int64,
        "regions": pl.Int64,
        "measure": pl.String,
        "seconds": pl.Float64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row").sort("measure", "responses")


def alt_text(frame: pl.DataFrame) -> str:
    """The chart in words: what it shows, then each scenario's validation and bare read."""
    lines = []
    for name in frame.sort("responses", "regions")["scenario"].unique(maintain_order=True):
        of = frame.filter(pl.col("scenario") == name)
        seconds = dict(zip(of["measure"], of["seconds"], strict=True))
        responses, regions = of["responses"][0], of["regions"][0]
        validation = seconds["validation"]
        line = f"{responses:,} responses over {regions} regions: validation "
        line += f"{figure_text(validation)} s"
        if "bare read of the export" in seconds:
            bare = seconds["bare read of the export"]
            line += f", bare read {figure_text(bare)} s ({figure_text(validation / bare)} times)"
        lines.append(line)
    return (
        "Seconds to validate a synthetic survey export, and to read it bare (polars.read_csv, "
        "every column as text), against its number of responses, both axes logarithmic. "
        + "; ".join(lines)
        + "."
    )


def cost_chart(frame: pl.DataFrame) -> alt.LayerChart:
    """Seconds against responses, log axes, a line and points per measure (the bound dashed),
    one line per number of regions."""
    low = min(RESPONSES_SPAN[0], int(frame["responses"].min() or RESPONSES_SPAN[0]))
    high = max(RESPONSES_SPAN[1], int(frame["responses"].max() or RESPONSES_SPAN[1]))
    x = alt.X(
        "responses:Q",
        title="Responses",
        scale=alt.Scale(type="log", domain=[low, high], nice=False),
    )
    y = alt.Y("seconds:Q", title="Seconds", scale=alt.Scale(type="log"))
    colour = alt.Color(
        "measure:N", title=None, sort=list(MEASURES), legend=alt.Legend(labelLimit=260)
    )
    dash = alt.StrokeDash("measure:N", sort=list(MEASURES), legend=None)
    base = alt.Chart(alt.Data(values=frame.to_dicts())).encode(
        x=x, y=y, color=colour, detail="regions:N"
    )
    lines = base.mark_line().encode(strokeDash=dash)
    points = base.mark_point(filled=True, size=50).encode(
        shape=alt.Shape("regions:N", title="Regions"),
        tooltip=["scenario:N", "measure:N", alt.Tooltip("seconds:Q", format=".3g")],
    )
    return alt.layer(lines, points).properties(
        width=480,
        height=280,
        title="Validation's cost against responses, and its floor",
        description=alt_text(frame),
    )


def write_cost_chart(results: dict[str, dict[str, float]], out: Path) -> str:
    """Draw the cost chart of ``results`` into ``out`` (``.svg``, or ``.png`` at twice the
    size); its alt text. :class:`InputError` where no scenario has validation's figures."""
    from pipelines.charts.render import chart_svg, spec_json

    frame = cost_frame(results)
    if frame.is_empty():
        raise InputError("no scenario with validation's figures to draw")
    chart = cost_chart(frame)
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.suffix.lower() == ".png":
        import vl_convert as vlc

        out.write_bytes(vlc.vegalite_to_png(spec_json(chart), scale=2))
    else:
        out.write_text(with_alt(chart_svg(chart), alt_text(frame)), encoding="utf-8")
    return alt_text(frame)


def with_alt(svg: str, text: str) -> str:
    """The SVG as an image with ``text`` as its alternative: ``role="img"`` and an
    ``aria-label`` on the root element and a ``<title>`` first inside it (read out when the
    file is opened on its own; a page embedding it gives its own alt text)."""
    quoted = escape(text, quote=True)
    head, _, rest = svg.partition("<svg ")
    opening, _, body = rest.partition(">")
    return (
        f'{head}<svg role="img" aria-label="{quoted}" {opening}><title>{escape(text)}</title>{body}'
    )
