"""scripts/report_text.py, the tool that proves a refactor leaves the reports as they were:
what it keeps (what a reader sees or hears) and what it blanks (run ids and times only)."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from report_text import page_text, write_report_text  # noqa: E402

PAGE = """<html><head><style>.x { color: red }</style><title>North West</title></head>
<body><h1>Summary</h1><img alt="Bar chart. Online: 64% (510)" src="data:,">
<p aria-label="Chart: most people responded online">  Most people
   responded online </p><script>ignored()</script>
<footer>Report run 20261204T212156Z, produced 04 December 2026 21:22 UTC</footer></body></html>"""


def test_page_text_keeps_what_a_reader_sees_and_hears() -> None:
    text = page_text(PAGE).splitlines()
    assert "Summary" in text
    assert "[alt=Bar chart. Online: 64% (510)]" in text
    assert "[aria-label=Chart: most people responded online]" in text
    assert "Most people responded online" in text  # whitespace as a reader sees it
    assert not any("color" in line or "ignored" in line for line in text)


def test_only_run_ids_and_times_are_blanked() -> None:
    assert "Report run RUNID, produced WHEN" in page_text(PAGE)
    assert page_text(PAGE.replace("20261204T212156Z", "20261205T000000Z")) == page_text(PAGE)
    assert page_text(PAGE.replace("(510)", "(511)")) != page_text(PAGE)


def test_write_report_text_flattens_pages_and_tables(tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    (reports / "c" / "north-west" / "tables").mkdir(parents=True)
    (reports / "c" / "north-west.html").write_text(PAGE, encoding="utf-8")
    (reports / "c" / "north-west" / "tables" / "t.csv").write_bytes(b"\xef\xbb\xbfa,b\n1,[c]\n")
    (reports / "c" / "north-west" / "tables" / "DISCLOSURE.txt").write_text("restricted\n")
    out = tmp_path / "out"
    assert write_report_text(reports, out) == 3
    assert sorted(p.name for p in out.iterdir()) == [
        "c__north-west.html.txt",
        "c__north-west__tables__DISCLOSURE.txt",
        "c__north-west__tables__t.csv",
    ]
    assert (out / "c__north-west__tables__t.csv").read_bytes() == b"\xef\xbb\xbfa,b\n1,[c]\n"
