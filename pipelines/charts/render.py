"""Static rendering: a chart as SVG through vl-convert, with no JavaScript and no network."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import altair as alt
import vl_convert as vlc

#: A font configuration that names no existing font folder (see the file).
BUNDLED_FONTS_ONLY = Path(__file__).resolve().with_name("bundled-fonts-only.conf")
#: The smallest chart with text: drawing it makes vl-convert load its font database.
_TEXT_CHART = json.dumps(
    {
        "data": {"values": [{"label": "Aa"}]},
        "mark": "text",
        "encoding": {"text": {"field": "label"}},
    }
)


def spec_json(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    """The chart's Vega-Lite JSON as Altair writes it (``chart.to_json()``: keys sorted), but
    without the indentation, which only costs time (json's C encoder does not indent): an
    Altair chart, or a spec dict from :mod:`pipelines.charts.vegalite`."""
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    return json.dumps(spec, sort_keys=True, ensure_ascii=False)


#: The name a chart shape gives its datasets, by position (not a name Altair or Vega-Lite
#: gives: theirs are ``data-<hash>``, ``empty`` and ``data_<n>``).
_SHAPE_PREFIX = "workbook_dataset_"

#: Compiled chart shapes (:func:`_compiled`), at most :data:`_COMPILED_MAX`, oldest out first:
#: they hold no rows, so a warm report kernel keeps them from one report to the next
#: (:data:`pipelines.report.kernel_state.KEPT_CACHES`). Read by :func:`vega_spec` only,
#: which copies what it changes.
_COMPILED: dict[str, dict[str, Any] | None] = {}
_COMPILED_MAX = 512


def chart_svg(chart: alt.TopLevelMixin | dict[str, Any]) -> str:
    """The chart as a standalone SVG document, its text measured with vl-convert's bundled
    fonts (see :func:`use_bundled_fonts`): Vega-Lite compiled to Vega once per chart shape
    (:func:`vega_spec`), then drawn."""
    spec = chart if isinstance(chart, dict) else chart.to_dict(validate=False)
    # as JSON text: given a dict, vl-convert can change a number's last digit on the way in
    return vlc.vega_to_svg(json.dumps(vega_spec(spec), ensure_ascii=False))


def vega_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """The Vega-Lite ``spec`` compiled to Vega, as ``vl_convert.vegalite_to_vega`` would.

    A run's reports draw the same few dozen chart shapes with each area's rows (77 shapes in
    the demo's 381 charts), and compiling is about a fifth of drawing one. So the spec is
    compiled once per shape: its named datasets are renamed by position and their rows left
    out, that shape is compiled (:func:`_compiled`, on its first rows), and the compiled
    data's rows are swapped for this chart's. Vega-Lite does not read a named dataset's rows
    when it compiles; a spec whose compiled form does not carry each dataset as one entry
    of rows is compiled whole, as before. The SVG is byte-identical either way (tested).
    """
    datasets = spec.get("datasets")
    if not datasets or not all(isinstance(rows, list) for rows in datasets.values()):
        return vlc.vegalite_to_vega(spec_json(spec))
    names = {name: f"{_SHAPE_PREFIX}{index}" for index, name in enumerate(datasets)}
    shape = spec_json({key: value for key, value in spec.items() if key != "datasets"})
    for name, placeholder in names.items():
        shape = shape.replace(json.dumps(name, ensure_ascii=False), json.dumps(placeholder))
    rows = {names[name]: values for name, values in datasets.items()}
    compiled = _compiled(shape, rows)
    if compiled is None:
        return vlc.vegalite_to_vega(spec_json(spec))
    data = [
        {**entry, "values": rows[entry["name"]]} if entry.get("name") in rows else entry
        for entry in compiled["data"]
    ]
    return {**compiled, "data": data}


def _compiled(shape: str, rows: dict[str, Any]) -> dict[str, Any] | None:
    """The chart ``shape`` (spec JSON without datasets) compiled to Vega with the ``rows`` it
    is first drawn with, kept with each dataset's rows emptied; None if that Vega does not
    hold each dataset as exactly one entry of rows (no other rows could be swapped in)."""
    if shape in _COMPILED:
        return _COMPILED[shape]
    spec = json.loads(shape)
    spec["datasets"] = rows
    vega = vlc.vegalite_to_vega(json.dumps(spec, ensure_ascii=False))
    entries = [entry.get("name") for entry in vega.get("data", []) if "values" in entry]
    kept = None
    if sorted(entries) == sorted(rows):  # kept without the rows: they are always swapped
        data = [
            {**entry, "values": []} if entry.get("name") in rows else entry
            for entry in vega["data"]
        ]
        kept = {**vega, "data": data}
    if len(_COMPILED) >= _COMPILED_MAX:
        del _COMPILED[next(iter(_COMPILED))]
    _COMPILED[shape] = kept
    return kept


def without_title(spec: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The chart's title text, and the spec without any title (at the top or in a layer).

    A report page shows the title as HTML text (a heading or a line above the image): a
    phone then wraps it instead of cutting it, and a screen reader hears it once.
    """
    found: list[str] = []

    def strip(part: dict[str, Any]) -> dict[str, Any]:
        title = part.get("title")
        if title is not None:
            found.append(title.get("text", "") if isinstance(title, dict) else str(title))
        kept = {k: v for k, v in part.items() if k != "title"}
        if "layer" in kept:
            kept["layer"] = [strip(layer) for layer in kept["layer"]]
        return kept

    untitled = strip(spec)
    return (found[0] if found else ""), untitled


#: A phone-width chart: the plot's width and the longest axis label, in px, so the whole
#: chart is about 330 px wide and a 360 px screen shows it at full size, text included.
NARROW_PLOT = 150
NARROW_LABELS = 120
#: On a phone a diverging bar's segment carries its percentage only where it is at least
#: 15 points wide (about 40 px), so no two labels overlap; the legend, alt text and table
#: keep every value.
NARROW_SEGMENT_TEXT = "datum.end - datum.start >= 15"


def narrow(spec: dict[str, Any]) -> dict[str, Any]:
    """The same chart drawn for a phone: a narrower plot, shorter axis labels and titles (cut
    with an ellipsis; the alt text and the table keep them whole), legends in two columns."""
    phone = json.loads(json.dumps(spec))
    rows = [
        layer["encoding"]["y"]
        for layer in phone.get("layer", [])
        if "y" in layer.get("encoding", {})
    ]
    labelled = not rows or any(y.get("axis", {}) is not None for y in rows)
    if "width" in phone:  # a chart without row labels (a Likert bar) takes their room too
        plot = NARROW_PLOT if labelled else NARROW_PLOT + NARROW_LABELS
        phone["width"] = min(int(phone["width"]), plot)
    for layer in phone.get("layer", []):  # only segments wide enough for their text keep it
        if layer.get("encoding", {}).get("text", {}).get("field") == "segment_text":
            layer.setdefault("transform", []).append({"filter": NARROW_SEGMENT_TEXT})
    axis = phone.setdefault("config", {}).setdefault("axis", {})
    axis["labelLimit"] = min(int(axis.get("labelLimit", NARROW_LABELS)), NARROW_LABELS)
    axis["titleLimit"] = NARROW_PLOT + NARROW_LABELS
    phone["config"].setdefault("legend", {}).update(columns=2, labelLimit=NARROW_LABELS)
    _narrow_legends(phone)
    return phone


def _narrow_legends(part: Any) -> None:
    """Legends a layer sets itself: at most two columns, labels cut to the phone's limit."""
    if isinstance(part, dict):
        legend = part.get("legend")
        if isinstance(legend, dict):
            legend["columns"] = min(int(legend.get("columns", 2)), 2)
            legend["labelLimit"] = NARROW_LABELS
        for value in part.values():
            _narrow_legends(value)
    elif isinstance(part, list):
        for value in part:
            _narrow_legends(value)


def use_bundled_fonts() -> None:
    """Make vl-convert measure chart text with the fonts it bundles, not the machine's.

    vl-convert loads its font database once per process, on the first chart with text, from
    the fontconfig file in ``FONTCONFIG_FILE`` (else the system's, then every system font
    folder). Given :data:`BUNDLED_FONTS_ONLY`, it loads no system font, and:

    * a chart's layout no longer depends on the machine: the theme's Arial is Liberation Sans
      everywhere, not Arial on one machine and Liberation Sans on another;
    * charts draw about twice as fast: vl-convert opens and maps a system font's file again
      for every glyph it measures (about 2,000 times for one chart with labels), but reads its
      bundled fonts from memory. On a machine whose system Liberation Sans is the bundled one,
      the SVG is byte-identical either way (tested).

    Called once, when this module is imported: it draws one small chart with
    ``FONTCONFIG_FILE`` set to that file, then restores the caller's value (a subprocess
    started by another thread in those few milliseconds would inherit the setting). Limits:

    * text in a script Liberation Sans does not cover (Chinese, Arabic, emoji) is measured
      without a font, so such a label may be given the wrong width: chart labels come from
      ``consultation.yml`` and the reference data, Latin script in every consultation so far;
    * a caller's own ``FONTCONFIG_FILE`` no longer reaches vl-convert (add a folder of fonts
      with ``vl_convert.register_font_directory`` instead);
    * a process that drew a chart with vl-convert before importing this module keeps the
      fonts it loaded then.
    """
    if not BUNDLED_FONTS_ONLY.is_file():
        raise FileNotFoundError(f"{BUNDLED_FONTS_ONLY} is missing: reinstall the workbook")
    previous = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(BUNDLED_FONTS_ONLY)
    try:
        vlc.vegalite_to_svg(_TEXT_CHART)
    finally:
        if previous is None:
            del os.environ["FONTCONFIG_FILE"]
        else:
            os.environ["FONTCONFIG_FILE"] = previous


use_bundled_fonts()
