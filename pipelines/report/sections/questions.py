"""What people said: each question as the right chart and table, and for free text the
themes and quotes."""

from __future__ import annotations

from collections.abc import Mapping

from pipelines.charts import vegalite
from pipelines.consultation import Question
from pipelines.disclosure import Controlled
from pipelines.report import answer_words, html
from pipelines.report import wording as words
from pipelines.report.facts import Facts
from pipelines.report.html import Fragment
from pipelines.report.publish import Report
from pipelines.report.sections.common import bar_figure, chart_figure, count
from pipelines.report.sections.themes import free_text, quotes_note, shown_quotes

ANSWERS = {
    "label": ("Answer", "text"),
    "count": ("People", "count"),
    "percent": ("% of respondents", "percent"),
}
OPTIONS = {
    "label": ("Option", "text"),
    "count": ("People", "count"),
    "pct_respondents": ("% of respondents", "percent"),
    "pct_mentions": ("% of mentions", "percent"),
}
GRID = {
    "item_label": ("Item", "text"),
    "label": ("Answer", "text"),
    "count": ("People", "count"),
    "percent": ("% of those who answered the item", "percent"),
}
RANKING = {
    "label": ("Option", "text"),
    "ranked": ("People who ranked it", "count"),
    "mean_rank": ("Mean rank", "decimal"),
    "pct_first": ("% who ranked it first", "percent"),
}
NUMBER = {
    "answered": ("People who answered", "count"),
    "median": ("Median", "decimal"),
    "lower_quartile": ("Lower quartile", "decimal"),
    "upper_quartile": ("Upper quartile", "decimal"),
    "mean": ("Mean", "decimal"),
}


def render(report: Report, tables: Mapping[str, Controlled], facts: Facts) -> Fragment:
    """Each question under its own heading; how quotes were chosen is said once, after
    the last question, where any quote is shown."""
    parts = []
    quoted = False
    for question in report.data.consultation.questions:
        parts.append(html.heading(3, question.title))
        parts.append(_question(report, tables, facts, question))
        if question.type == "free_text":
            themes = tables.get(f"themes_{question.id}")
            quoted = quoted or shown_quotes(themes, facts, question).height > 0
    if quoted:
        parts.append(quotes_note())
    return html.join(parts)


def _question(
    report: Report, tables: Mapping[str, Controlled], facts: Facts, question: Question
) -> Fragment:
    table_id = f"question_{question.id}"
    if question.type == "likert":
        return _likert(report, tables[table_id], facts, question)
    if question.type == "single":
        return _single(report, tables[table_id], facts, question)
    if question.type == "multi":
        return _multi(report, tables[table_id], facts.respondents[question.id], question)
    if question.type == "grid":
        return _grid(report, tables[table_id], question)
    if question.type == "ranking":
        return _ranking(report, tables[table_id], question)
    if question.type == "number":
        caption = f"Summary of answers to: {question.title}"
        return html.data_table(
            tables[table_id], NUMBER, caption, report.href(table_id), folded=False
        )
    return free_text(report, tables.get(f"themes_{question.id}"), facts, question)


def _likert(report: Report, table: Controlled, facts: Facts, question: Question) -> Fragment:
    frame = words.shown_column(table, "percent", "percent", "count")
    title = answer_words.likert_title(table)
    chart = vegalite.diverging_likert(frame, title)
    alt = words.bars_alt(title, frame, "label")
    mean = facts.mean_scores[question.id]
    return html.join(
        [
            chart_figure(
                report,
                chart,
                alt,
                table.table_id,
                f"{question.title}: {title}",
                table=_answer_table(report, table, question),
            ),
            html.paragraph(answer_words.mean_score_text(table, mean, report.profile)),
            _differences(report, facts, question),
        ]
    )


def _single(report: Report, table: Controlled, facts: Facts, question: Question) -> Fragment:
    frame = words.shown_column(table, "percent", "percent", "count")
    title = answer_words.single_title(frame)
    figure = bar_figure(
        report, table.table_id, frame, "label", "percent", title, "% of respondents",
        sort=frame["label"].to_list(), name=f"{question.title}: {title}",
        table=_answer_table(report, table, question),
    )  # fmt: skip
    return html.join([figure, _differences(report, facts, question)])


def _multi(report: Report, table: Controlled, respondents: int, question: Question) -> Fragment:
    frame = words.shown_column(table, "pct_respondents", "percent", "count")
    title = answer_words.multi_title(frame)
    caption = f"Options chosen: {question.title}"
    figure = bar_figure(
        report, table.table_id, frame, "label", "pct_respondents", title,
        "% of respondents (people could choose more than one)", name=f"{question.title}: {title}",
        table=html.data_table(table, OPTIONS, caption, report.href(table.table_id)),
    )  # fmt: skip
    return html.join(
        [figure, html.paragraph(answer_words.multi_base_text(count(report, respondents)))]
    )


def _grid(report: Report, table: Controlled, question: Question) -> Fragment:
    """A grid: one diverging bar per item, and the table of every item's answers."""
    frame = words.shown_column(table, "percent", "percent", "count")
    title = answer_words.grid_title(table)
    chart = vegalite.diverging_grid(frame, title)
    caption = f"Answers to each item of: {question.title}"
    return html.join(
        [
            chart_figure(
                report, chart, answer_words.grid_alt(title, frame), table.table_id,
                f"{question.title}: {title}",
                table=html.data_table(table, GRID, caption, report.href(table.table_id)),
            ),
        ]
    )  # fmt: skip


def _ranking(report: Report, table: Controlled, question: Question) -> Fragment:
    """A ranking: mean rank by option (with the share who ranked it first), and its table."""
    frame = answer_words.ranking_shown(table)
    title = answer_words.ranking_title(table)
    chart = vegalite.ranking_chart(frame, title)
    caption = f"Ranks given: {question.title}"
    return html.join(
        [
            chart_figure(
                report, chart, words.bars_alt(title, frame, "label"), table.table_id,
                f"{question.title}: {title}",
                table=html.data_table(table, RANKING, caption, report.href(table.table_id)),
            ),
            html.paragraph(answer_words.ranking_base_text()),
        ]
    )  # fmt: skip


def _answer_table(report: Report, table: Controlled, question: Question) -> Fragment:
    caption = f"Answers to: {question.title}"
    return html.data_table(table, ANSWERS, caption, report.href(table.table_id))


def _differences(report: Report, facts: Facts, question: Question) -> Fragment:
    """Whether stakeholder groups answered differently, said once: the chi-square test in
    words (:func:`answer_words.differences_text`), then, where the test finds a difference,
    the groups that differ in words and as a small table."""
    result = facts.differences[question.id]
    groups = report.data.consultation.groups
    parts = [html.paragraph(answer_words.differences_text(result, groups), css="small")]
    if not result.tested or result.p_value is None or result.p_value >= 0.05:
        return parts[0]
    notes = answer_words.difference_notes(result.table, groups, question, report.min_cell)
    if notes:
        parts.append(html.bullet_list(notes, css="small"))
        frame = answer_words.differences_frame(result.table, groups, question, report.min_cell)
        caption = f"Groups that answered differently: {question.title}"
        parts.append(html.data_table(frame, answer_words.DIFFERENCE_COLUMNS, caption))
    return html.join(parts)
