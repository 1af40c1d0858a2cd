"""Chart text is measured with vl-convert's bundled fonts, not the machine's
(:func:`pipelines.charts.render.use_bundled_fonts`).

vl-convert loads its fonts once per process, so each drawing runs in a new process. The
system fonts are Debian's fonts-liberation, which ``make test`` installs with the browser.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SYSTEM_LIBERATION = Path("/usr/share/fonts/truetype/liberation")
needs_system_liberation = pytest.mark.skipif(
    not (SYSTEM_LIBERATION / "LiberationMono-Regular.ttf").exists()
    or any(Path("/usr/share/fonts").rglob("[Aa]rial*")),
    reason="needs the system's Liberation fonts (scripts/install-browser.sh installs them) "
    "and no Arial",
)

DRAW = """
import json, sys
if sys.argv[1] == "workbook":
    from pipelines.charts.render import chart_svg as draw
else:
    import vl_convert
    draw = lambda spec: vl_convert.vegalite_to_svg(json.dumps(spec))
values = [{"group": "Carers and family members", "n": 3}, {"group": "People who use services", "n": 5}]
spec = {
    "data": {"values": values},
    "mark": "bar",
    "encoding": {
        "y": {"field": "group", "type": "nominal"},
        "x": {"field": "n", "type": "quantitative"},
    },
    "config": {"font": sys.argv[2]},
}
sys.stdout.write(draw(spec))
"""


def _svg(drawn_by: str, font: str, env: dict[str, str] | None = None) -> str:
    """A labelled bar chart in ``font``, drawn in a new process by the workbook's
    ``chart_svg`` or by vl-convert directly."""
    return subprocess.run(
        [sys.executable, "-c", DRAW, drawn_by, font],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout


@needs_system_liberation
def test_a_font_only_the_machine_has_is_not_used() -> None:
    # Liberation Mono is a system font here, not one vl-convert bundles: drawn directly, the
    # labels are measured in it (so the chart differs from Liberation Sans's); drawn by the
    # workbook, they cannot be.
    direct = _svg("vl-convert", "Liberation Mono")
    assert direct != _svg("vl-convert", "Liberation Sans").replace(
        "Liberation Sans", "Liberation Mono"
    )
    assert _svg("workbook", "Liberation Mono") != direct


@needs_system_liberation
def test_the_themes_font_draws_the_same_chart_as_before() -> None:
    # The theme's Arial is Liberation Sans either way: this machine's copy is the one
    # vl-convert bundles, so loading fewer fonts changes no byte of the chart.
    theme_font = "Arial, Helvetica, sans-serif"
    assert _svg("workbook", theme_font) == _svg("vl-convert", theme_font)


@pytest.mark.parametrize("callers", [None, "/etc/fonts/somebody-elses.conf"])
def test_the_callers_fontconfig_setting_is_left_as_it_was(callers: str | None) -> None:
    env = {key: value for key, value in os.environ.items() if key != "FONTCONFIG_FILE"}
    if callers is not None:
        env["FONTCONFIG_FILE"] = callers
    seen = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, pipelines.charts.render; print(os.environ.get('FONTCONFIG_FILE'))",
        ],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout.strip()
    assert seen == str(callers)
