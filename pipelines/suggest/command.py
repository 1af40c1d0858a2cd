"""``workbook suggest-themes <consultation> [--question ID ...]``: learn each free-text
question's themes from its coded comments, measure them, and suggest themes for the rest."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.errors import InputError
from pipelines.paths import clean_dir, consultation_name
from pipelines.store.clean_data import CleanData, load_clean
from pipelines.suggest.corpus import QuestionComments, question_comments
from pipelines.suggest.learner import Measured, learn, measure, suggested
from pipelines.suggest.outputs import (
    empty_suggestions,
    question_record,
    write_model,
    write_suggestions,
)


@dataclass(frozen=True)
class QuestionResult:
    """One question learnt: its figures, how many comments were uncoded, the suggestions."""

    question_id: str
    title: str
    measured: Measured
    uncoded: int
    suggestions: pl.DataFrame
    #: ``response_id`` and each learnt theme's confidence for every uncoded comment (for
    #: the review notebook; not written anywhere)
    confidences: pl.DataFrame

    @property
    def comments_suggested(self) -> int:
        return self.suggestions["response_id"].n_unique()


@dataclass(frozen=True)
class Summary:
    """What ``suggest-themes`` did: each question's result and the files it wrote."""

    consultation: str
    questions: tuple[QuestionResult, ...]
    suggestions_file: Path
    model_file: Path


def free_text_questions(data: CleanData, asked: Sequence[str] | None) -> list[str]:
    """The free-text questions asked for (all where none is named); an unknown id is an
    InputError naming the free-text questions there are."""
    known = [q.id for q in data.consultation.questions if q.type == "free_text"]
    unknown = [q for q in asked or () if q not in known]
    if unknown:
        raise InputError(
            f"Not a free-text question of {data.consultation.title or 'this consultation'}: "
            f"{', '.join(map(repr, unknown))}. Free-text questions: {', '.join(known) or 'none'}"
        )
    return [q for q in known if not asked or q in asked]


def uncoded_confidences(comments: QuestionComments, measured: Measured) -> pl.DataFrame:
    """``response_id`` and one column per theme learnt: each uncoded comment's calibrated
    probability of the theme, from models learnt on all the coded comments."""
    themes = [m.theme for m in measured.themes]
    ids = comments.uncoded.select("response_id")
    if comments.uncoded.is_empty() or not themes:
        return ids
    model = learn(comments.coded["text"].to_list(), comments.labels(), themes)
    confidences = model.confidences(comments.uncoded["text"].to_list())
    return ids.with_columns(pl.Series(theme, values) for theme, values in confidences.items())


def suggestions_for(
    question_id: str, confidences: pl.DataFrame, measured: Measured
) -> pl.DataFrame:
    """The uncoded comments' themes whose confidence reaches the theme's threshold and,
    where the question measured better so (``at_least_one``), a comment's nearest theme
    when none reaches its threshold."""
    learnt = [m for m in measured.themes if m.theme in confidences.columns]
    if not learnt or confidences.is_empty():
        return empty_suggestions()
    values = confidences.select(m.theme for m in learnt).to_numpy()
    chosen = suggested(values, np.array([m.threshold for m in learnt]), measured.at_least_one)
    rows, columns = np.nonzero(chosen)
    return pl.DataFrame(
        {
            "response_id": confidences["response_id"].gather(rows),
            "question_id": pl.Series([question_id] * len(rows), dtype=pl.String),
            "theme": pl.Series([learnt[c].theme for c in columns], dtype=pl.String),
            "confidence": pl.Series(values[rows, columns], dtype=pl.Float64),
        }
    ).select(empty_suggestions().columns)


def learn_question(data: CleanData, question_id: str) -> QuestionResult:
    """One question: measured by cross-validation on its coded comments, then learnt from
    all of them and applied to the uncoded ones."""
    comments = question_comments(data, question_id)
    labels = comments.labels()
    texts = comments.coded["text"].to_list()
    measured = (
        measure(texts, labels)
        if len(texts) >= 2
        else Measured(len(texts), (), (), micro_f1=0.0, macro_f1=0.0)
    )
    confidences = uncoded_confidences(comments, measured)
    return QuestionResult(
        question_id=question_id,
        title=data.consultation.question(question_id).text,
        measured=measured,
        uncoded=comments.uncoded.height,
        suggestions=suggestions_for(question_id, confidences, measured),
        confidences=confidences,
    )


def suggest_themes(
    consultation: str, questions: Sequence[str] | None = None, root: Path | None = None
) -> Summary:
    """Learn, measure and suggest for the consultation's free-text questions (or those
    named); write ``theme_suggestions.csv`` and ``theme_model.json`` to its clean folder.

    Unknown consultation or question, or no clean data yet: InputError (exit 2), before
    anything is written.
    """
    name = consultation_name(consultation, root)
    try:
        data = load_clean(name, root)
    except FileNotFoundError as missing:
        raise InputError(str(missing)) from None
    results = tuple(learn_question(data, q) for q in free_text_questions(data, questions))
    folder = clean_dir(name, root)
    frames = [r.suggestions for r in results]
    records = {
        r.question_id: question_record(r.measured, r.uncoded, r.suggestions.height) for r in results
    }
    return Summary(
        consultation=name,
        questions=results,
        suggestions_file=write_suggestions(pl.concat([empty_suggestions(), *frames]), folder),
        model_file=write_model(name, records, folder),
    )


def summary_lines(summary: Summary) -> list[str]:
    """What the command prints: per question the comments coded and uncoded, each theme's
    cross-validated precision, recall and F1, the micro and macro F1, the themes left out
    and why, and how many suggestions were made."""
    lines = []
    for result in summary.questions:
        m = result.measured
        lines.append(
            f"{result.question_id} ({result.title}): {m.coded} coded comments, "
            f"{result.uncoded} uncoded"
        )
        if not m.themes:
            lines.append("  no theme has enough coded comments to learn from")
        else:
            width = max(len(t.theme) for t in m.themes)
            lines.append(
                f"  {'theme':<{width}}  coded  precision  recall    F1  threshold"
                "   (cross-validated on the coded comments)"
            )
            lines.extend(
                f"  {t.theme:<{width}}  {t.support:>5}  {t.precision:>9.2f}  {t.recall:>6.2f}"
                f"  {t.f1:>4.2f}  {t.threshold:>9.2f}"
                for t in m.themes
            )
            lines.append(
                f"  micro-averaged F1 {m.micro_f1:.2f}, macro-averaged F1 {m.macro_f1:.2f}"
            )
        lines.extend(f"  no suggestion for {t.theme}: {t.reason}" for t in m.left_out)
        lines.append(
            f"  suggested {result.suggestions.height} theme(s) for {result.comments_suggested} "
            f"of {result.uncoded} uncoded comments"
        )
    lines.append(
        f"suggestions (not counted in any report until reviewed): {summary.suggestions_file}"
    )
    lines.append(f"model figures: {summary.model_file}")
    return lines
