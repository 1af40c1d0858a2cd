"""What people said: answers to each question, and a question by group with a chi-square test."""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import polars as pl

from pipelines.analysis.aggregates import respondents, tallies
from pipelines.analysis.participation import share
from pipelines.consultation import Question
from pipelines.ingest.answers import part_id
from pipelines.store.clean_data import CleanData


def _option_frame(question: Question) -> pl.DataFrame:
    codes = question.option_codes
    return pl.DataFrame(
        {"option": codes, "label": [question.option_label(c) for c in codes]},
        schema={"option": pl.String, "label": pl.String},
    ).with_row_index("_order")


def _answers(data: CleanData, question: Question) -> pl.DataFrame:
    """``group, option, answers`` of ``question`` in the area (every row with answers > 0)."""
    return (
        tallies(data)["answers_by_option"]
        .filter(pl.col("question_id") == question.id)
        .group_by("group", "option")
        .agg(pl.col("answers").sum())
    )


def _option_counts(data: CleanData, question: Question, value: str = "count") -> pl.DataFrame:
    counts = _answers(data, question).group_by("option").agg(pl.col("answers").sum().alias(value))
    return (
        _option_frame(question)
        .join(counts, on="option", how="left")
        .with_columns(pl.col(value).fill_null(0))
    )


def single_choice(data: CleanData, question: Question) -> pl.DataFrame:
    """``option, label, count, percent`` for a single-choice or Likert question.

    Base of percent: respondents in the area who answered the question. Options keep the
    questionnaire's order (a Likert scale from its first to its last point).
    """
    return (
        _option_counts(data, question)
        .with_columns(share("count").alias("percent"))
        .sort("_order")
        .select("option", "label", "count", "percent")
    )


def likert_mean_score(data: CleanData, question: Question, min_cell: int) -> float | None:
    """Mean scale position (1 = the scale's first point) over answering respondents.

    None where fewer than ``min_cell`` people answered: a mean of very few is disclosive.
    """
    scores = {code: i + 1 for i, code in enumerate(question.option_codes)}
    counts = _answers(data, question).select(
        pl.col("option").replace_strict(scores, default=None, return_dtype=pl.Int64).alias("score"),
        "answers",
    )
    if counts["answers"].sum() < max(min_cell, 1):
        return None
    scored = counts.drop_nulls("score")
    return math.fsum(scored["score"] * scored["answers"]) / scored["answers"].sum()


def multi_choice(data: CleanData, question: Question) -> pl.DataFrame:
    """``option, label, count, pct_respondents, pct_mentions`` for a multi-select question.

    pct_respondents: of respondents who chose at least one option (can sum past 100%).
    pct_mentions: of all options chosen (sums to 100%).
    """
    answered = respondents(data, question.id)
    frame = _option_counts(data, question)
    return (
        frame.with_columns(
            pl.when(pl.lit(answered) > 0)
            .then(pl.col("count") / answered * 100)
            .alias("pct_respondents"),
            share("count").alias("pct_mentions"),
        )
        .sort(["count", "_order"], descending=[True, False])
        .select("option", "label", "count", "pct_respondents", "pct_mentions")
    )


def _part_counts(data: CleanData, question: Question, parts: list[str]) -> pl.DataFrame:
    """``part, option, count`` of a grid's items or a ranking's options (answers stored
    under ``<id>.<part>``, :func:`~pipelines.ingest.answers.part_id`)."""
    ids = {part_id(question, part): part for part in parts}
    return (
        tallies(data)["answers_by_option"]
        .filter(pl.col("question_id").is_in(list(ids)))
        .group_by("question_id", "option")
        .agg(pl.col("answers").sum().alias("count"))
        .select(
            pl.col("question_id").replace_strict(ids, return_dtype=pl.String).alias("part"),
            "option",
            "count",
        )
    )


def grid(data: CleanData, question: Question) -> pl.DataFrame:
    """``item, item_label, option, label, count, percent`` for a grid question: each item's
    answers on the scale, items and scale points in the questionnaire's order.

    Base of percent: respondents in the area who answered that item (null where none did).
    """
    items = pl.DataFrame(
        {
            "item": question.item_codes,
            "item_label": [question.item_label(c) for c in question.item_codes],
        },
        schema={"item": pl.String, "item_label": pl.String},
    ).with_row_index("_item")
    counts = _part_counts(data, question, question.item_codes).rename({"part": "item"})
    return (
        items.join(_option_frame(question), how="cross")
        .join(counts, on=["item", "option"], how="left")
        .with_columns(pl.col("count").fill_null(0))
        .with_columns(share("count").over("item").alias("percent"))
        .sort("_item", "_order")
        .select("item", "item_label", "option", "label", "count", "percent")
    )


def ranking(data: CleanData, question: Question) -> pl.DataFrame:
    """``option, label, ranked, mean_rank, pct_first`` for a ranking question, options in
    the questionnaire's order.

    ``ranked``: people who gave the option a rank; ``mean_rank``: their mean rank (1 =
    first; lower is preferred); ``pct_first``: the percent of them who ranked it first. Both
    null where nobody ranked the option.
    """
    options = list(question.columns or {})
    counts = (
        _part_counts(data, question, options)
        .with_columns(pl.col("option").cast(pl.Int64).alias("rank"))
        .group_by("part")
        .agg(
            pl.col("count").sum().alias("ranked"),
            (pl.col("rank") * pl.col("count")).sum().alias("_rank_sum"),
            pl.col("count").filter(pl.col("rank") == 1).sum().alias("_first"),
        )
        .rename({"part": "option"})
    )
    ranked = pl.col("ranked")
    return (
        _option_frame(question)
        .join(counts, on="option", how="left")
        .with_columns(ranked.fill_null(0))
        .with_columns(
            pl.when(ranked > 0).then(pl.col("_rank_sum") / ranked).alias("mean_rank"),
            pl.when(ranked > 0).then(pl.col("_first") / ranked * 100).alias("pct_first"),
        )
        .sort("_order")
        .select("option", "label", "ranked", "mean_rank", "pct_first")
    )


def number_summary(data: CleanData, question: Question) -> pl.DataFrame:
    """``answered, mean, median, lower_quartile, upper_quartile, minimum, maximum`` of a number question.

    Quartiles interpolate linearly between the two nearest answers (polars' and numpy's
    ``linear``); the mean is the exact mean of the answers, correctly rounded.
    """
    values = (
        tallies(data)["number_values"]
        .filter(pl.col("question_id") == question.id)
        .group_by("value")
        .agg(pl.col("responses").sum())
        .sort("value")
    )
    answered = int(values["responses"].sum())
    summary: dict[str, float | None] = dict.fromkeys(
        ("mean", "median", "lower_quartile", "upper_quartile", "minimum", "maximum")
    )
    if answered:
        summary.update(
            mean=float(sum(Fraction(v) * n for v, n in values.iter_rows()) / answered),
            median=_quantile(values, answered, 0.5),
            lower_quartile=_quantile(values, answered, 0.25),
            upper_quartile=_quantile(values, answered, 0.75),
            minimum=values["value"].first(),
            maximum=values["value"].last(),
        )
    return pl.DataFrame(
        {"answered": [answered], **{name: [value] for name, value in summary.items()}},
        schema={"answered": pl.Int64, **dict.fromkeys(summary, pl.Float64)},
    )


def _quantile(values: pl.DataFrame, answered: int, quantile: float) -> float:
    """The ``quantile`` of the answers tallied in ``values`` (``value, responses``, sorted),
    interpolated linearly as polars does over the answers themselves."""
    position = (answered - 1) * quantile
    below, above = math.floor(position), math.ceil(position)
    ends = values["responses"].cum_sum()
    # the answer at (0-based) index i is the first value whose running count passes i
    low, high = (
        values["value"][int(ends.search_sorted(index + 1, side="left"))] for index in (below, above)
    )
    if below == above:
        return low
    return low + (high - low) * (position - below)


def free_text_answered(data: CleanData, question: Question) -> int:
    """How many respondents in the area wrote an answer to a free-text question."""
    return respondents(data, question.id, "comments")


#: The row standing for the groups too small to test on their own, taken together.
MERGED = "_smaller_groups"


@dataclass(frozen=True)
class Crosstab:
    """A question by group: counts, and the chi-square test where its expected counts allow.

    ``merged``: the groups too small to test on their own, taken together as one row
    (:data:`MERGED`); ``left_out``: those too small even so, not in the test.
    """

    table: pl.DataFrame  # group, option, count, expected, adjusted_residual
    chi2: float | None
    dof: int | None
    p_value: float | None
    note: str
    merged: tuple[str, ...] = ()
    left_out: tuple[str, ...] = ()

    @property
    def tested(self) -> bool:
        return self.chi2 is not None


def chi_square(observed: np.ndarray) -> tuple[float, float, int, np.ndarray]:
    """Pearson's chi-square test of independence on a contingency table: the statistic, its
    p-value, degrees of freedom and the expected counts.

    Worked out as ``scipy.stats.chi2_contingency(observed, correction=False)`` does, to the
    last bit (tested), with only ``scipy.special``: importing ``scipy.stats`` took a second of
    every report kernel's start-up for this one test.
    """
    from scipy.special import chdtrc

    table = np.asarray(observed, dtype=np.float64)
    if (table < 0).any():
        raise ValueError("All values in `observed` must be nonnegative.")
    expected = table.sum(axis=1, keepdims=True) * table.sum(axis=0, keepdims=True) / table.sum()
    if (expected == 0).any():
        raise ValueError("The table of expected frequencies has a zero element.")
    dof = expected.size - sum(expected.shape) + expected.ndim - 1
    statistic = ((table - expected) ** 2 / expected).sum()
    return statistic, chdtrc(dof, statistic), dof, expected


def _expected(matrix: np.ndarray) -> np.ndarray:
    total = matrix.sum()
    if total == 0:
        return np.zeros_like(matrix, dtype=np.float64)
    return matrix.sum(axis=1, keepdims=True) * matrix.sum(axis=0, keepdims=True) / total


def _too_small(expected: np.ndarray) -> list[int]:
    """Rows that break Cochran's rule on their own: an expected count below 1, or more than
    a fifth of them below 5."""
    return [i for i, row in enumerate(expected) if row.min() < 1 or (row < 5).mean() > 0.2]


def testable_groups(
    matrix: np.ndarray, groups: list[str]
) -> tuple[np.ndarray, list[str], tuple[str, ...], tuple[str, ...]]:
    """The groups a chi-square test can compare: the groups too small to test on their own
    (:func:`_too_small`) taken together as one row (:data:`MERGED`) where two or more are,
    and left out where one alone is, or where the row taken together is still too small;
    checked again after each change (leaving a row out changes the others' expected
    counts). Returns the matrix, its row names, the merged groups and the left-out ones."""
    rows = {g: matrix[i] for i, g in enumerate(groups)}
    merged: list[str] = []
    left_out: list[str] = []
    while len(rows) > 1:
        names = list(rows)
        small = [names[i] for i in _too_small(_expected(np.array(list(rows.values()))))]
        if not small:
            break
        if MERGED in small or len(small) == 1 or merged:
            for name in small:
                left_out += merged if name == MERGED else [name]
                merged = [] if name == MERGED else merged
                del rows[name]
            continue
        merged = small
        rows[MERGED] = sum(rows.pop(name) for name in small)
    if len(rows) <= 1:
        left_out += [g for g in rows if g != MERGED] + (merged if MERGED in rows else [])
        rows, merged = {}, []
    kept = np.array(list(rows.values())) if rows else np.zeros((0, matrix.shape[1]))
    order = {g: i for i, g in enumerate(groups)}
    return kept, list(rows), tuple(merged), tuple(sorted(left_out, key=order.__getitem__))


def crosstab_by_group(data: CleanData, question: Question) -> Crosstab:
    """Answers to a single-choice or Likert ``question`` by stakeholder group, with Pearson's
    chi-square test of independence.

    Groups too small to test on their own are taken together or left out
    (:func:`testable_groups`); the test is then reported where every expected count is at
    least 1 and at least 80% are 5 or more (Cochran's rule), over the options with any
    answers; otherwise ``note`` says why not. Adjusted standardised residuals
    (O − E) / √(E (1 − row/n)(1 − col/n)) beyond ±1.96 mark cells that differ from
    independence at the 5% level. ``note`` is for an untested question only: the words
    (:mod:`pipelines.report.answer_words`) say the result.
    """
    if question.type not in ("single", "likert"):
        raise ValueError(
            "a chi-square test needs one answer per person: single or likert questions only"
        )
    counts = _answers(data, question).rename({"answers": "count"})
    if counts.height == 0:
        return Crosstab(_EMPTY, None, None, None, "No answers to test.")
    grid = counts.pivot(on="option", index="group", values="count").fill_null(0).sort("group")
    options = [c for c in question.option_codes if c in grid.columns]
    matrix, groups, merged, left_out = testable_groups(
        grid.select(options).to_numpy(), grid["group"].to_list()
    )
    used = matrix.sum(axis=0) > 0 if matrix.size else np.zeros(len(options), dtype=bool)
    matrix, options = matrix[:, used], [o for o, u in zip(options, used, strict=True) if u]
    if matrix.shape[0] < 2 or matrix.shape[1] < 2:
        note = "Only one group or one answer: nothing to compare."
        if left_out:
            note = "Too few answers in each group to compare the groups."
        return Crosstab(_EMPTY, None, None, None, note, merged, left_out)
    chi2, p_value, dof, expected = chi_square(matrix)
    n = matrix.sum()
    rows = matrix.sum(axis=1, keepdims=True) / n
    cols = matrix.sum(axis=0, keepdims=True) / n
    residual = (matrix - expected) / (expected * (1 - rows) * (1 - cols)) ** 0.5
    long = pl.DataFrame(
        {
            "group": [g for g in groups for _ in options],
            "option": options * len(groups),
            "count": matrix.ravel().tolist(),
            "expected": expected.ravel().tolist(),
            "adjusted_residual": residual.ravel().tolist(),
        },
        schema=_EMPTY.schema,
    )
    if expected.min() < 1 or (expected >= 5).mean() < 0.8:
        note = "Too few answers for a chi-square test, even with the smaller groups taken together."
        return Crosstab(long, None, None, None, note, merged, left_out)
    return Crosstab(long, float(chi2), int(dof), float(p_value), "", merged, left_out)


_EMPTY = pl.DataFrame(
    schema={
        "group": pl.String,
        "option": pl.String,
        "count": pl.Int64,
        "expected": pl.Float64,
        "adjusted_residual": pl.Float64,
    }
)
