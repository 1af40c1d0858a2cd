"""Report building blocks: escaping, sanitising, CSV safety and chart specs."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.charts import figures
from pipelines.charts.theme import PALETTE, THEME_NAME
from pipelines.disclosure import TableSpec, control
from pipelines.report import html
from pipelines.report.easy_read import read_published
from pipelines.report.export import page, sanitise
from pipelines.report.publish import neutralise_formulas, table_csv

HOSTILE = (
    '<script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) & "quotes"'
)


def test_fragments_escape_every_string_from_the_data() -> None:
    for fragment in (
        html.paragraph(HOSTILE),
        html.heading(3, HOSTILE),
        html.bullet_list([HOSTILE]),
        html.stat_cards([(HOSTILE, HOSTILE)]),
        html.figure("<svg/>", HOSTILE, HOSTILE, "a.csv", HOSTILE),
        html.data_table(pl.DataFrame({"theme": [HOSTILE]}), {"theme": (HOSTILE, "text")}, HOSTILE),
    ):
        assert "<script>" not in fragment and "<img src=x" not in fragment
        assert "&lt;script&gt;" in fragment


def test_sanitise_removes_what_could_run_or_call_out() -> None:
    dirty = (
        '<p onclick="x()">a</p><script>alert(1)</script><a href="javascript:alert(1)">j</a>'
        '<a href="https://example.org/x">out</a><img src="https://example.org/t.png" alt="t">'
        '<img src="data:image/svg+xml;base64,AAAA" alt="ok"><a href="london/tables/x.csv">csv</a>'
        "<style>body{}</style><iframe src='x'></iframe>"
    )
    clean = sanitise(dirty)
    for bad in ("onclick", "<script", "javascript:", "https://", "<iframe", "<style"):
        assert bad not in clean
    assert 'href="london/tables/x.csv"' in clean and "data:image/svg+xml" in clean


def test_page_shell_forbids_scripts_and_prints() -> None:
    shell = page("<p>x</p>", title="T <b>", banner="Not for circulation")
    assert "default-src 'none'" in shell and "@media print" in shell
    assert "<title>T &lt;b&gt;</title>" in shell and 'lang="en-GB"' in shell
    assert "Not for circulation" in shell


def test_csv_cells_that_would_run_as_formulas_are_neutralised() -> None:
    frame = pl.DataFrame(
        {"theme": ["=1+1", "+44 call", "-x", "@SUM(A1)", "fine"], "n": [1, 2, 3, 4, 5]}
    )
    assert neutralise_formulas(frame, ["theme"])["theme"].to_list() == [
        "'=1+1",
        "'+44 call",
        "'-x",
        "'@SUM(A1)",
        "fine",
    ]
    controlled = control("t", frame, TableSpec(count="n"), "none")
    text = table_csv(controlled).decode("utf-8")
    assert text.startswith("\ufeff") and "'=1+1" in text and "\n" in text


def test_a_page_made_from_the_csvs_shows_words_without_the_formula_guard(tmp_path: Path) -> None:
    """The Easy Read page reads the published CSVs: a theme "=cmd..." is guarded with a
    ``'`` in the CSV (for spreadsheets) but shown as written on the page."""
    frame = pl.DataFrame({"theme": ["=cmd|' /C calc'!A0", "+44 call", "fine"], "n": [20, 20, 20]})
    controlled = control("themes_q3", frame, TableSpec(count="n"), "none")
    (tmp_path / "themes_q3.csv").write_bytes(table_csv(controlled))
    shown = read_published(tmp_path)["themes_q3"]["theme"].to_list()
    assert shown == ["=cmd|' /C calc'!A0", "+44 call", "fine"]


def test_full_width_formulas_and_invisible_characters_do_not_reach_a_csv() -> None:
    rlo, zwsp = "\u202e", "\u200b"
    frame = pl.DataFrame(
        {
            "theme": ["\uff1dHYPERLINK(1)", "\uff0b1", "\uff20SUM", f"{rlo}evil{zwsp}.exe"],
            "n": [20, 20, 20, 20],
        }
    )
    text = table_csv(control("t", frame, TableSpec(count="n"), "none")).decode("utf-8")
    assert "'\uff1dHYPERLINK(1)" in text and "'\uff0b1" in text and "'\uff20SUM" in text
    assert rlo not in text and zwsp not in text and "evil.exe" in text


def test_page_text_loses_bidirectional_overrides_and_zero_width_characters() -> None:
    fragment = html.paragraph("North\u200b West \u202egnp.exe\u202c")
    assert "\u200b" not in fragment and "\u202e" not in fragment and "North West" in fragment


def test_bar_chart_spec() -> None:
    frame = pl.DataFrame(
        {
            "label": ["A", "B", "C"],
            "percent": [60.0, None, 40.0],
            "shown": ["60% (6)", "[c]", "40% (4)"],
        }
    )
    spec = figures.bar_chart(
        frame, "label", "percent", "shown", "A leads", "% of responses"
    ).to_dict()
    bars, labels = spec["layer"]
    assert bars["mark"]["type"] == "bar" and bars["encoding"]["y"]["type"] == "nominal"
    assert labels["mark"]["type"] == "text" and labels["encoding"]["text"]["field"] == "shown"
    assert labels["encoding"]["x"]["field"] == "text_x"  # [c] rows keep a label at zero
    values = next(iter(spec["datasets"].values()))
    assert [v["text_x"] for v in values] == [60.0, 0.0, 40.0]
    assert bars["title"]["text"] == "A leads"


def test_likert_chart_diverges_around_the_middle() -> None:
    frame = pl.DataFrame(
        {"label": ["SD", "D", "N", "A", "SA"], "percent": [10.0, 20.0, 30.0, 25.0, 15.0]}
    )
    spec = figures.diverging_likert(frame, "40% agree").to_dict()
    values = next(iter(spec["datasets"].values()))
    starts = {v["label"]: v["start"] for v in values if "label" in v}
    assert starts["SD"] == -45.0 and starts["N"] == -15.0 and starts["SA"] == 40.0


def test_house_theme_is_registered_and_active() -> None:
    import altair as alt

    assert alt.theme.active == THEME_NAME
    config = alt.theme.get()()["config"]
    assert config["range"]["category"] == list(PALETTE)
