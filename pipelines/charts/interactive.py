"""The one switch between interactive charts (JupyterLab) and static SVG (reports, exports).

Every chart is defined once, as a Vega-Lite dict of :mod:`pipelines.charts.vegalite` in the
house theme, and shown in a notebook as the Altair chart :mod:`pipelines.charts.figures` makes
from it. Only how it is *displayed* changes:

* :func:`use_interactive_charts` — Altair's ``jupyter`` renderer (``JupyterChart``, an
  anywidget) in offline mode: vega, vega-lite 6 and vega-embed are bundled by vl-convert and
  sent to the browser through the kernel, so nothing is fetched from a CDN and JupyterLab's
  own Vega-Lite renderer (v3–v5 only) is not involved. Tooltips work, a click (or a legend
  entry) highlights a category, and the vega-embed actions menu is off (its "Open in Vega
  Editor" would send the chart's data to an outside site).
* :func:`use_static_charts` — Altair's ``svg`` renderer: the same vl-convert SVG the reports
  embed (:func:`pipelines.charts.render.chart_svg`), with no JavaScript at all.

``with chart_mode("static"): ...`` switches for a block and switches back.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Literal

import altair as alt

from pipelines.charts.theme import enable_theme

Mode = Literal["interactive", "static"]
MODES: tuple[Mode, ...] = ("interactive", "static")
#: vega-embed options for interactive charts: no actions menu (it links to outside sites).
EMBED_OPTIONS: dict[str, object] = {"actions": False}
#: Opacity of the categories that are not selected, while a selection is active.
FADED = 0.3
#: The selection added to a chart by :func:`explorable` (one per chart).
SELECTION = "pick"

_mode: Mode | None = None


def use_interactive_charts() -> None:
    """Show charts as interactive, offline widgets (tooltips, click to highlight).

    Needs ``anywidget`` in the environment; the first chart of a kernel costs about 3 s
    while vl-convert bundles the JavaScript.
    """
    global _mode
    try:
        import anywidget  # noqa: F401  (the JupyterChart widget is built on it)
    except ImportError as error:  # pragma: no cover - the environment always has it
        raise ImportError(
            "interactive charts need the anywidget package in the project environment"
        ) from error
    enable_theme()
    alt.renderers.enable("jupyter", offline=True, embed_options=EMBED_OPTIONS)
    _mode = "interactive"


def use_static_charts() -> None:
    """Show charts as static SVG, exactly as the exported reports draw them."""
    global _mode
    enable_theme()
    alt.renderers.enable("svg")
    _mode = "static"


def current_mode() -> Mode | None:
    """``"interactive"``, ``"static"``, or None before either switch was used."""
    return _mode


def use_charts(mode: Mode) -> None:
    """Switch to ``mode`` (``"interactive"`` or ``"static"``)."""
    if mode not in MODES:
        raise ValueError(f"chart mode must be one of {', '.join(MODES)}, not {mode!r}")
    (use_interactive_charts if mode == "interactive" else use_static_charts)()


@contextmanager
def chart_mode(mode: Mode) -> Iterator[None]:
    """Charts shown inside the ``with`` block use ``mode``; the previous mode comes back after."""
    global _mode
    before = _mode
    use_charts(mode)
    try:
        yield
    finally:
        if before is None:
            alt.renderers.enable("default")
            _mode = None
        else:
            use_charts(before)


def _mark_type(chart: alt.Chart) -> str:
    """The chart's mark type (``"bar"``), whether its mark is a name, a dict or a mark
    definition."""
    mark = chart.mark
    if isinstance(mark, str):
        return mark
    spec = mark.to_dict(validate=False) if hasattr(mark, "to_dict") else mark
    return str(spec.get("type", "")) if isinstance(spec, dict) else str(spec)


def _channel(channel: object) -> dict:
    """A channel as Vega-Lite JSON (``"label:N"`` → ``{"field": "label", "type": "nominal"}``;
    a dict, as in a chart made from a spec, is that already)."""
    if isinstance(channel, dict):
        return channel
    if channel is None or channel is alt.Undefined or not hasattr(channel, "to_dict"):
        return {}
    try:
        spec = channel.to_dict(validate=False)
    except Exception:  # a channel Altair cannot describe without its data: no selection
        return {}
    return spec if isinstance(spec, dict) else {}


def _category_field(channel: object, kinds: tuple[str, ...] = ("nominal", "ordinal")) -> str | None:
    """The field of a channel that shows a category (nominal or ordinal), or None."""
    spec = _channel(channel)
    field = spec.get("field")
    return field if isinstance(field, str) and spec.get("type") in kinds else None


def _has_selection(chart: object) -> bool:
    params = getattr(chart, "params", alt.Undefined)
    if params is alt.Undefined or not params:
        return False
    return any(getattr(p, "name", None) == SELECTION for p in params)


def explorable(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart with a highlight selection: click a bar, cell or point (or a legend entry)
    and the other categories fade. Nothing else changes, so with no selection — and in
    static SVG, where nothing can be clicked — the chart is drawn exactly as in a report.

    The selection goes on the first bar, rect or point layer that encodes a category
    (its colour field where colour shows a category, else its ``y`` field); a chart without such a layer
    is returned unchanged.
    """
    layers = list(chart.layer) if isinstance(chart, alt.LayerChart) else [chart]
    if any(_has_selection(layer) for layer in layers):
        return chart  # already explorable
    for position, layer in enumerate(layers):
        if not isinstance(layer, alt.Chart) or _mark_type(layer) not in ("bar", "rect", "point"):
            continue
        encoding = layer.encoding
        colour = _category_field(getattr(encoding, "color", None))
        category = colour or _category_field(getattr(encoding, "y", None))
        if category is None:
            continue
        pick = alt.selection_point(
            name=SELECTION,
            fields=[category],
            on="click",
            clear="dblclick",
            bind="legend" if colour else alt.Undefined,
        )
        picked = layer.add_params(pick).encode(
            opacity=alt.condition(pick, alt.value(1.0), alt.value(FADED))
        )
        if not isinstance(chart, alt.LayerChart):
            return picked
        result = chart.copy(deep=False)
        result.layer = [*layers[:position], picked, *layers[position + 1 :]]
        return result
    return chart


def show(chart: alt.TopLevelMixin) -> None:
    """Display ``chart`` with a highlight selection, in the current mode (static SVG if no
    mode was chosen, so a chart never silently needs the internet)."""
    from IPython.display import display

    if _mode is None:
        use_static_charts()
    display(explorable(chart))
