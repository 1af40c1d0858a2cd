"""Write what a reader gets from a run's reports as plain files, so two runs can be diffed.

A change meant to keep the reports as they are (a refactor) is proved by running the demo
before and after, writing each with this script, and diffing the two folders: an empty diff
means every page's visible text (alt text, aria labels and titles included) and every table
CSV and DISCLOSURE.txt are identical. Run ids and times are blanked; nothing else is.

    .venv/bin/python scripts/report_text.py reports /tmp/before
    # ... change the code, run the reports again ...
    .venv/bin/python scripts/report_text.py reports /tmp/after
    diff -r /tmp/before /tmp/after
"""

from __future__ import annotations

import re
import sys
from html.parser import HTMLParser
from pathlib import Path

RUN_ID = re.compile(r"\d{8}T\d{6}Z")
WHEN = re.compile(r"\d{2} [A-Z][a-z]+ \d{4} \d{2}:\d{2} UTC")
SPOKEN = ("alt", "aria-label", "title")


class _Text(HTMLParser):
    """The text a reader sees or hears: text nodes outside style and script, one a line,
    and the attributes a screen reader reads, as ``[name=value]``."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        self.lines += [f"[{name}={value}]" for name, value in attrs if name in SPOKEN and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.lines.append(" ".join(data.split()))


def page_text(html: str) -> str:
    """A page's reader-facing text, one piece a line, run ids and times blanked."""
    parser = _Text()
    parser.feed(html)
    text = "\n".join(parser.lines) + "\n"
    return WHEN.sub("WHEN", RUN_ID.sub("RUNID", text))


def write_report_text(reports: Path, out: Path) -> int:
    """Every page's text and every table file under ``reports``, flattened into ``out``
    (``a/b.html`` -> ``a__b.html.txt``); returns the number of files written."""
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    for path in sorted(reports.rglob("*.html")):
        name = str(path.relative_to(reports)).replace("/", "__") + ".txt"
        (out / name).write_text(page_text(path.read_text(encoding="utf-8")), encoding="utf-8")
        written += 1
    for path in sorted([*reports.rglob("*.csv"), *reports.rglob("DISCLOSURE.txt")]):
        (out / str(path.relative_to(reports)).replace("/", "__")).write_bytes(path.read_bytes())
        written += 1
    return written


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: report_text.py <reports folder> <output folder>")
    count = write_report_text(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"{count} files written to {sys.argv[2]}")
