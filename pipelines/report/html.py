"""Safe HTML fragments for reports: every string from the data is escaped here.

A :class:`Fragment` is HTML that this module built; anything else given to these functions
is treated as text and escaped. Notebooks display fragments (they have ``_repr_html_``), so
the exported report holds exactly this markup and nothing a respondent typed can run.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from html import escape

import polars as pl

from pipelines.disclosure import SUPPRESSED, Controlled
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


def figure(svg: str, alt: str, caption: str, csv_href: str | None, name: str) -> Fragment:
    """A chart as a data-URI SVG image with its text alternative and a link to its data.

    The chart keeps a readable size on a phone: its frame scrolls sideways (and can take
    keyboard focus to do so) rather than shrinking the text. ``name`` names that scrollable
    region for screen readers, so it must differ from every other chart's on the page.
    """
    data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
    link = f' <a href="{text(csv_href)}">Download the data (CSV)</a>' if csv_href else ""
    return Fragment(
        '<figure class="chart">'
        f'<div class="chart-frame" role="region" tabindex="0" aria-label="{text("Chart: " + name)}">'
        f'<img src="data:image/svg+xml;base64,{data}" alt="{text(alt)}"></div>'
        f"<figcaption>{text(caption)}{link}</figcaption></figure>"
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
        return f"{value.day} {value:%b %Y}"
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
) -> Fragment:
    """A table with a caption, column headers and ``[c]`` where a value is suppressed.

    ``columns`` maps column -> (header, kind) where kind is count, percent, share, ratio,
    decimal or text.
    """
    frame = table.frame if isinstance(table, Controlled) else table
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
            cells.append(f"<{tag}{num}>{text(shown)}</{tag.split()[0]}>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    link = f' <a href="{text(csv_href)}">Download the data (CSV)</a>' if csv_href else ""
    ident = _ident("t", caption, csv_href)
    return Fragment(
        f'<div class="table-wrap" role="region" tabindex="0" aria-labelledby="{ident}">'
        f'<table><caption id="{ident}">{text(caption)}{link}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )
