"""Export an executed notebook to one self-contained, script-free, sanitised HTML page."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import nbformat
import nh3
from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipelines.disclosure import PUBLIC_MAX_SUPPRESSED, PUBLIC_ROUNDING

TEMPLATES = Path(__file__).resolve().parent / "templates"

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "caption", "details", "summary", "code", "div", "em", "figcaption", "figure", "footer", "h1", "h2",
    "h3", "h4", "h5", "h6", "img", "li", "ol", "p", "section", "span", "strong", "table", "tbody",
    "td", "th", "thead", "tr", "ul", "br", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": {"class", "id"},
    "a": {"href"},
    "abbr": {"title"},
    "img": {"src", "alt"},
    "th": {"scope"},
    "div": {"role", "tabindex", "aria-labelledby", "aria-label"},
}


@cache
def _exporter():  # nbconvert is imported here, once per process, off the import path
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="workbook",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    return exporter


@cache
def _page():
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    return env.get_template("page.html.j2")


@cache
def report_css() -> str:
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def sanitise(body: str) -> str:
    """Keep only the markup reports use: no script, no event handler, no external URL.

    Links may be relative (the CSV files) or in-page; images only ``data:`` URIs.
    """

    def keep(tag: str, attribute: str, value: str) -> str | None:
        if tag == "img" and attribute == "src":
            return value if value.startswith("data:image/") else None
        if tag == "a" and attribute == "href":
            lowered = value.strip().lower()
            if lowered.startswith(
                ("http:", "https:", "//", "javascript:", "data:", "vbscript:", "mailto:")
            ):
                return None
            return value
        return value

    return nh3.clean(
        body,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"data"},
        attribute_filter=keep,
        link_rel=None,
        strip_comments=True,
    )


def page(body: str, title: str, banner: str = "", footer: str = "") -> str:
    """Wrap sanitised body HTML in the report page shell (CSP, styles, skip link)."""
    return _page().render(
        body=_Markup(body), title=title, css=_Markup(report_css()), banner=banner, footer=footer
    )


class _Markup(str):
    """Already-safe HTML for the page template."""

    def __html__(self) -> str:
        return str(self)


def _hidden_counts(min_cell: int) -> str:
    """The counts restricted hides, in words: "counts from 1 to 9" (min_cell 10)."""
    if min_cell <= 1:
        return "no counts"
    if min_cell == 2:
        return "counts of 1"
    return f"counts from 1 to {min_cell - 1}"


def disclosure_summary(profile: str, min_cell: int | None) -> str:
    """One line naming the disclosure control a page was made under, for its footer and the
    index: "restricted (counts from 1 to 9 shown as [c])"."""
    if profile == "restricted" and min_cell is not None:
        return f"restricted ({_hidden_counts(min_cell)} shown as [c])"
    if profile == "public":
        return (
            f"public (counts from 1 to {PUBLIC_MAX_SUPPRESSED} shown as [c], other counts "
            f"rounded to the nearest {PUBLIC_ROUNDING})"
        )
    if profile == "none":
        return "none (exact counts: not for circulation)"
    return "not recorded (made by an earlier version of the workbook)"


def disclosure_text(profile: str, min_cell: int | None) -> str:
    """The disclosure control a set of pages was made under, in a sentence (the index)."""
    if profile == "restricted" and min_cell is not None:
        return (
            f"restricted — {_hidden_counts(min_cell)} are shown as [c], with further cells "
            "hidden where a [c] could be worked out."
        )
    if profile == "public":
        return (
            f"public — counts from 1 to {PUBLIC_MAX_SUPPRESSED} are shown as [c]; other counts "
            f"are rounded to the nearest {PUBLIC_ROUNDING}."
        )
    if profile == "none":
        return "none — exact counts. Not for circulation."
    return disclosure_summary(profile, min_cell) + "."


ANCHOR_LINK = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.DOTALL)


def warm_up() -> None:
    """Load nbconvert, the templates and the sanitiser once, before the first report."""
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Warm-up")])
    notebook_to_html(notebook, title="warm-up")


def notebook_to_html(
    notebook: nbformat.NotebookNode, title: str, banner: str = "", footer: str = ""
) -> str:
    """The report page for an executed notebook."""
    body, _ = _exporter().from_notebook_node(notebook)
    return page(sanitise(ANCHOR_LINK.sub("", body)), title, banner=banner, footer=footer)
