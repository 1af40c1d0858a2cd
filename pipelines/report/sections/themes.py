"""A free-text question: how many wrote, and the themes their comments were coded into as
one compact list, largest first, each theme with its share and up to two quotes from people
who agreed to be quoted (the quotes illustrate the theme they sit under)."""

from __future__ import annotations

import polars as pl

from pipelines.consultation import Question
from pipelines.disclosure import SUPPRESSED, Controlled
from pipelines.report import answer_words, html
from pipelines.report import wording as words
from pipelines.report.facts import Facts
from pipelines.report.html import Fragment
from pipelines.report.publish import Report
from pipelines.report.sections.common import count

THEMES = {
    "theme": ("Theme", "text"),
    "count": ("People", "count"),
    "pct_respondents": ("% of respondents", "percent"),
    "pct_mentions": ("% of mentions", "percent"),
}
#: Said once, at the end of the section, wherever a quote is shown.
QUOTES_NOTE = (
    "In their own words: quotes are from people who agreed to be quoted, each shown under "
    "the theme its comment was coded with. Contact details, identifying numbers, dates of "
    "birth, addresses and names have been removed."
)


def free_text(
    report: Report, table: Controlled | None, facts: Facts, question: Question
) -> Fragment:
    """``table``: the question's themes (None: the comments were not coded)."""
    wrote = f"{count(report, facts.answered[question.id])} people wrote an answer."
    if table is None:
        return html.paragraph(
            f"{wrote} The comments have not been coded into themes, so no themes are shown."
        )
    if table.frame.height == 0:
        return html.paragraph(f"{wrote} No coded comments for this area.")
    frame = words.shown_column(table, "pct_respondents", "percent", "count")
    caption = f"Themes in answers to: {question.title}"
    return html.join(
        [
            html.paragraph(
                f"{wrote} Each theme’s share is of the people whose comments were coded; "
                "a comment can have more than one theme."
            ),
            Fragment(f'<p class="chart-title">{html.text(answer_words.themes_title(frame))}</p>'),
            theme_list(frame, shown_quotes(table, facts, question), report),
            html.data_table(table, THEMES, caption, report.href(table.table_id)),
        ]
    )


def shown_quotes(table: Controlled | None, facts: Facts, question: Question) -> pl.DataFrame:
    """``theme, text``: the question's quotes whose theme is shown (never under a ``[c]``)."""
    quotes = facts.quotes.get(question.id)
    if table is None or quotes is None:
        return pl.DataFrame(schema={"theme": pl.String, "text": pl.String})
    frame = words.shown_column(table, "pct_respondents", "percent", "count")
    shown = frame.filter(pl.col("shown") != SUPPRESSED)["theme"].to_list()
    return quotes.filter(pl.col("theme").is_in(shown))


def theme_list(frame: pl.DataFrame, quotes: pl.DataFrame, report: Report) -> Fragment:
    """The themes in the table's order (largest first, ``[c]`` last), each with its share
    and count as shown and, under it, its quotes: never a quote under another theme."""
    mark = html.suppressed_mark(report.profile, report.min_cell)
    items = []
    for theme, shown in zip(frame["theme"], frame["shown"], strict=True):
        share = mark if shown == SUPPRESSED else html.text(shown)
        said = quotes.filter(pl.col("theme") == theme)["text"].to_list()
        blocks = "".join(f"<blockquote><p>{html.text(t)}</p></blockquote>" for t in said)
        items.append(
            f'<li><p class="theme-name"><strong>{html.text(theme)}</strong> '
            f'<span class="theme-share">{share}</span></p>'
            + (f'<div class="theme-quotes">{blocks}</div>' if blocks else "")
            + "</li>"
        )
    return Fragment(f'<ul class="themes">{"".join(items)}</ul>')


def quotes_note() -> Fragment:
    """How the quotes were chosen and cleaned: said once per section."""
    return html.paragraph(QUOTES_NOTE, css="small")
