"""The figures a report's words need beside its published tables.

A few sentences rest on numbers that are no table of their own: the headline counts (the
area's responses, people at events, the previous wave's total, as the run's disclosure plan
shows them: :mod:`pipelines.report.headline_counts`), a Likert question's mean score, the chi-square test of each choice question,
the quotes, how long people waited to hear back. :func:`gather_facts` asks the analyses for
them once, so the section renderers call no analysis.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from pipelines.analysis import actions as act
from pipelines.analysis import aggregates as agg
from pipelines.analysis import questions as qs
from pipelines.analysis import themes as th
from pipelines.analysis.questions import Crosstab
from pipelines.report.headline_counts import HeadlineCounts, headline_counts
from pipelines.report.publish import Report
from pipelines.report.tables import compared_fields
from pipelines.store.quotes import excerpt

#: A report shows at most this many quotes per theme, whatever ``quotes_per_theme`` asks.
MAX_QUOTES_PER_THEME = 2


@dataclass(frozen=True)
class Feedback:
    """How people heard back about the actions (``act.feedback_lag``'s one row)."""

    told: int
    not_yet_told: int
    median_days: float | None
    within_30_days: int


@dataclass(frozen=True)
class Facts:
    """Exact figures of one report's area that its sentences use (never published as is)."""

    headline: HeadlineCounts  # the headline counts as the run's plan shows them
    with_population: frozenset[str]  # monitoring fields with population figures here
    respondents: Mapping[str, int] = field(default_factory=dict)  # multi-choice question id
    answered: Mapping[str, int] = field(default_factory=dict)  # free-text question id
    mean_scores: Mapping[str, float | None] = field(default_factory=dict)  # Likert question id
    differences: Mapping[str, Crosstab] = field(default_factory=dict)  # choice question id
    quotes: Mapping[str, pl.DataFrame] = field(default_factory=dict)  # free-text question id
    feedback: Feedback | None = None  # None: no actions recorded
    unaddressed_themes: tuple[str, ...] = ()
    validation: Mapping[str, Any] = field(default_factory=dict)


def gather_facts(report: Report) -> Facts:
    """Ask the analyses, once, for every figure the report's words need."""
    data = report.data
    has_actions = data.has("actions") and data.actions.select(pl.len()).collect().item() > 0
    questions = data.consultation.questions
    return Facts(
        headline=headline_counts(report),
        with_population=frozenset(compared_fields(data)),
        respondents={q.id: agg.respondents(data, q.id) for q in questions if q.type == "multi"},
        answered={q.id: qs.free_text_answered(data, q) for q in questions if q.type == "free_text"},
        mean_scores={
            q.id: qs.likert_mean_score(data, q, report.min_cell)
            for q in questions
            if q.type == "likert"
        },
        differences={
            q.id: qs.crosstab_by_group(data, q) for q in questions if q.type in ("single", "likert")
        },
        quotes={
            q.id: theme_quotes(report, q.id)
            for q in questions
            if q.type == "free_text" and data.has("themes")
        },
        feedback=Feedback(**act.feedback_lag(data).row(0, named=True)) if has_actions else None,
        unaddressed_themes=tuple(act.themes_without_action(data)["theme"].to_list())
        if has_actions
        else (),
        validation=data.validation,
    )


def theme_quotes(report: Report, question_id: str) -> pl.DataFrame:
    """``theme, text``: at most :data:`MAX_QUOTES_PER_THEME` quotes per theme, each one
    comment coded with that theme (:func:`~pipelines.analysis.themes.quotes`), whole or cut
    at a sentence end (:func:`~pipelines.store.quotes.excerpt`)."""
    per_theme = min(report.quotes_per_theme, MAX_QUOTES_PER_THEME)
    chosen = th.quotes(report.data, question_id, per_theme)
    return chosen.with_columns(
        pl.col("text").map_elements(excerpt, return_dtype=pl.String)
        if chosen.height
        else pl.col("text")
    )
