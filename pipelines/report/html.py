"""Safe HTML fragments for reports: every string from the data is escaped here.

A :class:`Fragment` is HTML that this module built; anything else given to these functions
is treated as text and escaped. Notebooks display fragments (they have ``_repr_html_``), so
the exported report holds exactly this markup and nothing a respondent typed can run.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from html import escape

import polars as pl

from pipelines.disclosure import PUBLIC_MAX_SUPPRESSED, SUPPRESSED, Controlled
from pipelines.textnorm import strip_invisible

NUM = ' class="num"'


class Fragment(str):
    """A piece of trusted HTML built by this module."""

    def _repr_html_(self) -> str:
        return str(self)


def text(value: object) -> str:
    """Escape any value for HTML text or attribute context."""
    return escape(strip_invisible("" if value is None else str(value)), quote=True)


def join(parts: Iterable[str]) -> Fragment:
    return Fragment("\n".join(parts))


def heading(level: int, title: str, anchor: str | None = None) -> Fragment:
    ident = f' id="{text(anchor)}"' if anchor else ""
    return Fragment(f"<h{level}{ident}>{text(title)}</h{level}>")


def paragraph(body: str, css: str | None = None) -> Fragment:
    cls = f' class="{text(css)}"' if css else ""
    return Fragment(f"<p{cls}>{text(body)}</p>")


def bullet_list(items: Sequence[str], css: str | None = None) -> Fragment:
    cls = f' class="{text(css)}"' if css else ""
    return Fragment(f"<ul{cls}>" + "".join(f"<li>{text(i)}</li>" for i in items) + "</ul>")


def notice(body: str) -> Fragment:
    return Fragment(f'<p class="notice"><strong>{text(body)}</strong></p>')


def figure(
    svg: str,
    alt: str,
    caption: str,
    csv_href: str | None,
    name: str,
    title: str = "",
    table: Fragment | None = None,
    phone_svg: str = "",
) -> Fragment:
    """A chart as a data-URI SVG image that scales to the screen, with its text alternative.

    ``phone_svg``: the chart drawn narrow, shown instead on a narrow screen (the stylesheet
    shows one image at a time, so a screen reader meets one).

    ``title`` (the chart's finding) is HTML text above the image, so a phone never cuts it and
    a screen reader hears it once (the image's ``alt`` gives the values); leave it empty when a
    heading just above already says it. ``table``: the chart's data (:func:`data_table`), put
    one click away in a closed :func:`details` widget; without it, a link to the CSV named
    ``name``. ``caption``: a note under the chart (the source note is said once per section).
    """
    head = f'<p class="chart-title">{text(title)}</p>' if title else ""
    images = _svg_image(svg, alt, "chart-wide" if phone_svg else "")
    if phone_svg:
        images += _svg_image(phone_svg, alt, "chart-phone")
    if table is not None:
        data_part = str(table)
    elif csv_href:
        data_part = f'<p class="download">{download_link(csv_href, name)}</p>'
    else:
        data_part = ""
    note = f"<figcaption>{text(caption)}</figcaption>" if caption else ""
    return Fragment(f'<figure class="chart">{head}{images}{note}{data_part}</figure>')


def _svg_image(svg: str, alt: str, css: str) -> str:
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    cls = f' class="{css}"' if css else ""
    return f'<img{cls} src="data:image/svg+xml;base64,{data}" alt="{text(alt)}">'


def download_link(href: str, name: str) -> Fragment:
    """A link whose words name what it downloads: "Download ‘Responses by group’ (CSV)"."""
    return Fragment(f'<a href="{text(href)}">Download ‘{text(name)}’ (CSV)</a>')


def details(summary: str, body: str) -> Fragment:
    """A closed disclosure widget (no script): ``summary`` names what opening it shows."""
    return Fragment(f"<details><summary>{text(summary)}</summary>{body}</details>")


def govuk_date(day: dt.date) -> str:
    """A date as GOV.UK writes it: "1 July 2026" (no leading zero, the month in full)."""
    return f"{day.day} {day:%B %Y}"


def suppressed_mark(profile: str, min_cell: int) -> Fragment:
    """``[c]`` as an abbreviation a screen reader and a hover can expand."""
    if profile == "public":
        min_cell = PUBLIC_MAX_SUPPRESSED + 1
    meaning = (
        f"suppressed: fewer than {min_cell} people, or hidden so such a count cannot be worked out"
        if min_cell > 1
        else "suppressed"
    )
    return Fragment(f'<abbr title="{text(meaning)}">{text(SUPPRESSED)}</abbr>')


def banner(body: str) -> Fragment:
    """A full-width warning at the top of a page ("Not for publication")."""
    return Fragment(f'<div class="banner" role="note"><strong>{text(body)}</strong></div>')


def contents_list(entries: Sequence[tuple[str, str]]) -> Fragment:
    """The page's contents: (anchor id, heading) pairs as in-page links."""
    items = "".join(f'<li><a href="#{text(a)}">{text(h)}</a></li>' for a, h in entries)
    return Fragment(
        '<div class="contents" role="navigation" aria-labelledby="contents-heading">'
        f'<h2 id="contents-heading">Contents</h2><ol>{items}</ol></div>'
    )


def _ident(prefix: str, *parts: object) -> str:
    """A stable id for an element, from what it shows (for aria-labelledby)."""
    digest = hashlib.sha1("|".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}-{digest[:10]}"


def stat_cards(items: Sequence[tuple[str, str]]) -> Fragment:
    """Headline figures: (figure, what it counts) pairs."""
    cards = "".join(
        f'<div class="stat"><span class="stat-value">{text(v)}</span><span class="stat-label">{text(k)}</span></div>'
        for v, k in items
    )
    return Fragment(f'<div class="stats">{cards}</div>')


def format_number(value: object, kind: str = "count") -> str:
    """Counts with thousands separators, percentages to whole numbers, ratios to 2 places."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, dt.date):
        return govuk_date(value)
    if kind == "percent":
        return f"{float(value):.0f}%"  # type: ignore[arg-type]
    if kind == "share":
        return f"{float(value) * 100:.0f}%"  # type: ignore[arg-type]
    if kind == "ratio":
        return f"{float(value):.2f}"  # type: ignore[arg-type]
    if kind == "decimal":
        return f"{float(value):.1f}"  # type: ignore[arg-type]
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"  # type: ignore[call-overload]


def data_table(
    table: Controlled | pl.DataFrame,
    columns: dict[str, tuple[str, str]],
    caption: str,
    csv_href: str | None = None,
    folded: bool = True,
    row_links: Mapping[str, str] | None = None,
    mark: Fragment | None = None,
) -> Fragment:
    """A table with a caption, column headers and ``[c]`` (an abbreviation) where a value is
    suppressed, followed by a link to its CSV named by the caption.

    ``columns`` maps column -> (header, kind) where kind is count, percent, share, ratio,
    decimal or text. ``folded``: the table is a chart's data, so it sits in a closed
    :func:`details` widget; a table that is the content itself (a log, a list of events)
    passes False and is shown open. ``row_links``: a row's first cell -> the page it links to.
    ``mark``: how ``[c]`` reads in a plain frame (:func:`suppressed_mark` of its profile).
    """
    frame = table.frame if isinstance(table, Controlled) else table
    if isinstance(table, Controlled):
        mark = suppressed_mark(table.profile, table.min_cell)
    elif mark is None:
        mark = Fragment(f'<abbr title="suppressed">{SUPPRESSED}</abbr>')
    hidden = {
        c: (
            table.is_suppressed(c).to_list()
            if isinstance(table, Controlled)
            else [False] * frame.height
        )
        for c in columns
    }
    head = "".join(
        f'<th scope="col"{NUM if kind != "text" else ""}>{text(header)}</th>'
        for header, kind in columns.values()
    )
    rows = []
    for i, row in enumerate(frame.select(list(columns)).iter_rows()):
        cells = []
        for j, (name, (_, kind)) in enumerate(columns.items()):
            shown = SUPPRESSED if hidden[name][i] else format_number(row[j], kind)
            tag = 'th scope="row"' if j == 0 else "td"
            num = ' class="num"' if kind != "text" else ""
            cell = mark if shown == SUPPRESSED else text(shown)
            if j == 0 and row_links and shown in row_links:
                cell = f'<a href="{text(row_links[shown])}">{cell}</a>'
            cells.append(f"<{tag}{num}>{cell}</{tag.split()[0]}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    link = f'<p class="download">{download_link(csv_href, caption)}</p>' if csv_href else ""
    ident = _ident("t", caption, csv_href)
    body = (
        f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{ident}">'
        f'<table><caption id="{ident}">{text(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>{link}"
    )
    return details(f"Table: {caption}", body) if folded else Fragment(body)
