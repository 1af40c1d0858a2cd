"""A free-text question: how many wrote, the themes their comments were coded into, and
quotes from people who agreed to be quoted."""

from __future__ import annotations

import polars as pl

from pipelines.consultation import Question
from pipelines.disclosure import SUPPRESSED, Controlled
from pipelines.report import answer_words, html
from pipelines.report import wording as words
from pipelines.report.facts import Facts
from pipelines.report.html import Fragment
from pipelines.report.publish import Report
from pipelines.report.sections.common import bar_figure, count

THEMES = {
    "theme": ("Theme", "text"),
    "count": ("People", "count"),
    "pct_respondents": ("% of respondents", "percent"),
    "pct_mentions": ("% of mentions", "percent"),
}


def free_text(
    report: Report, table: Controlled | None, facts: Facts, question: Question
) -> Fragment:
    """``table``: the question's themes (None: the comments were not coded)."""
    parts = [
        html.paragraph(f"{count(report, facts.answered[question.id])} people wrote an answer.")
    ]
    if table is None:
        parts.append(
            html.paragraph("The comments have not been coded into themes, so no themes are shown.")
        )
        return html.join(parts)
    if table.frame.height == 0:
        parts.append(html.paragraph("No coded comments for this area."))
        return html.join(parts)
    frame = words.shown_column(table, "pct_respondents", "percent", "count")
    title = answer_words.themes_title(frame)
    caption = f"Themes in answers to: {question.title}"
    parts.append(
        bar_figure(
            report, table.table_id, frame, "theme", "pct_respondents", title,
            "% of coded comments", name=f"Themes in answers to {question.title}: {title}",
            table=html.data_table(table, THEMES, caption, report.href(table.table_id)),
        )
    )  # fmt: skip
    shown = set(frame.filter(pl.col("shown") != SUPPRESSED)["theme"].to_list())
    quotes = facts.quotes[question.id].filter(pl.col("theme").is_in(list(shown)))
    if quotes.height:
        parts += _quotes(quotes)
    return html.join(parts)


def _quotes(quotes: pl.DataFrame) -> list[Fragment]:
    """The quotes of shown themes, each with its theme, and how they were cleaned."""
    blocks = [
        f"<blockquote><p>{html.text(row['text'])}</p><footer>Theme: {html.text(row['theme'])}</footer></blockquote>"
        for row in quotes.iter_rows(named=True)
    ]
    return [
        html.heading(4, "In their own words"),
        Fragment("".join(blocks)),
        html.paragraph(
            "Quotes are from people who agreed to be quoted. Contact details, identifying "
            "numbers, dates of birth, addresses and names have been removed.",
            css="small",
        ),
    ]
