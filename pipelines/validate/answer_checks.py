"""The answers suite: each distinct answer value judged once, failures traced to answers.

Every coded answer's verdict depends on its ``question_option`` only, and every number's on
its text, so Great Expectations sees each distinct value once (60 million answers are a few
hundred values) and the failing values are then found among the answers in polars.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Protocol

import polars as pl

from pipelines.errors import InputError
from pipelines.ingest.answers import CHOSE_NOTHING
from pipelines.ingest.read import ROW
from pipelines.ingest.standardise import Standardised
from pipelines.validate.checked import CheckedAnswers
from pipelines.validate.gx_suites import RuleResult
from pipelines.validate.quarantine import QUARANTINE_SCHEMA, quarantine_records

PAIR: list[str] = ["question_id", "raw_value"]
#: Fewest answers a question needs for "not one of them is an option" to stop validation:
#: with fewer, each unknown answer is quarantined as usual.
UNREADABLE_AFTER = 5


def pair_key() -> pl.Expr:
    """One integer per (question, cell) pair of a frame with both as Categoricals.

    Categoricals share one mapping within a process, so the keys of ``answers`` and of
    ``answer_codes`` agree: finding 60 million answers' pairs among a few hundred is one
    integer lookup each rather than a two-column join.
    """
    question = pl.col("question_id").to_physical().cast(pl.UInt64)
    return (question * (1 << 32) + pl.col("raw_value").to_physical().cast(pl.UInt64)).alias("_pair")


def pair_keys(codes: pl.DataFrame) -> pl.Series:
    """:func:`pair_key` of each row of ``codes``."""
    return codes.select(pair_key()).to_series()


def chose_nothing() -> pl.Expr:
    """Pairs of "answered and chose nothing" (:data:`CHOSE_NOTHING`): kept, with no option
    (the suite sees their null ``question_option`` and passes it)."""
    return (pl.col("raw_value").cast(pl.String) == CHOSE_NOTHING) & pl.col("option").is_null()


class RunsSuites(Protocol):
    def run(
        self, name: str, frame: pl.DataFrame, parameters: dict[str, Any]
    ) -> list[RuleResult]: ...


def answer_values(codes: pl.DataFrame, numbers: pl.DataFrame) -> pl.DataFrame:
    """What the answers suite judges: each distinct ``question_option`` and ``number_text``.

    Each value is one row (``__row`` its position), the other column null: each column
    holds the same distinct values, nulls included, as one row per answer would, and as
    Categorical, so that they reach the suite in the same order.
    """
    options = codes.select(
        pl.col("question_option"), pl.lit(None, pl.Categorical).alias("number_text")
    )
    texts = numbers.select(
        pl.lit(None, pl.Categorical).alias("question_option"),
        pl.col("raw_value").unique(maintain_order=True).cast(pl.Categorical).alias("number_text"),
    )
    return pl.concat([options, texts]).with_row_index(ROW).with_columns(pl.col(ROW).cast(pl.Int64))


def failing_values(values: pl.DataFrame, result: RuleResult) -> pl.Series:
    """The values (as text) of ``result``'s column at its failing positions of ``values``."""
    positions = pl.Series(result.rows, dtype=pl.Int64).implode()
    failing = values.filter(pl.col(ROW).is_in(positions))[result.column]
    return failing.drop_nulls().cast(pl.String)


def check_answers(
    runner: RunsSuites,
    standard: Standardised,
    ids: pl.LazyFrame,
    params: dict[str, Any],
    source: str,
    headers: dict[str, str],
) -> CheckedAnswers:
    """The answers suite over the distinct values, its failures mapped back to answers.

    ``ids`` (``__row, response_id``) names each failing answer's response in quarantine.
    Of the answers (lazy: perhaps on disk), only the failing ones are read.
    """
    codes, answers, numbers = standard.answer_codes, standard.answers, standard.numbers
    values = answer_values(codes, numbers)
    results = runner.run("answers", values, params)
    failing_pairs = codes.select(PAIR).head(0)
    failing_texts = pl.Series("number_text", [], dtype=pl.String)
    records, checked, quarantined = [], [], 0
    for result in results:
        if not result.rows:  # passed: no answer to find among millions
            checked.append(result)
            continue
        bad = failing_values(values, result).implode()
        if result.column == "question_option":
            pairs = codes.filter(pl.col("question_option").cast(pl.String).is_in(bad))
            pairs = pairs.select(PAIR)
            failing_pairs = pl.concat([failing_pairs, pairs])
            failing = answers.filter(pair_key().is_in(pair_keys(pairs).implode()))
            failing = failing.collect().sort(ROW, maintain_order=True)  # on disk: by region
        else:
            failing_texts = pl.concat([failing_texts, bad.explode()])
            failing = numbers.filter(pl.col("raw_value").is_in(bad))
        quarantined += failing.height
        header = headers.get(result.field, result.field)
        records.append(answer_records(result, failing, ids, source, header))
        checked.append(replace(result, rows=tuple(failing[ROW].unique().sort().to_list())))
    kept_codes = codes.filter(
        (pl.col("question_option").is_not_null() | chose_nothing())
        & ~pair_key().is_in(pair_keys(failing_pairs).implode())
    )
    check_readable(codes, kept_codes, answers, source, headers)
    good = numbers.filter(~pl.col("raw_value").is_in(failing_texts.implode()))
    return CheckedAnswers(
        answers=answers,
        kept_codes=kept_codes.select(*PAIR, "option"),
        numbers=numbers.filter(pl.col(ROW).is_in(good[ROW].implode())),
        quarantine=pl.concat(records) if records else pl.DataFrame(schema=QUARANTINE_SCHEMA),
        results=checked,
        items_read=answers.select(pl.len()).collect().item() + numbers.height,
        items_quarantined=quarantined,
    )


def check_readable(
    codes: pl.DataFrame,
    kept_codes: pl.DataFrame,
    answers: pl.LazyFrame,
    source: str,
    headers: dict[str, str],
) -> None:
    """Stop (InputError, exit 2) where a question (or a grid's item) has at least
    :data:`UNREADABLE_AFTER` answers and not one of them is one of its options: its mapping
    is wrong (another delimiter, other labels, numeric codes), and quarantining every answer
    would leave the question silently empty in the reports."""
    read = set(codes["question_id"].cast(pl.String).unique().to_list())
    unreadable = sorted(read - set(kept_codes["question_id"].cast(pl.String).unique().to_list()))
    if not unreadable:
        return
    counts = dict(
        answers.filter(pl.col("question_id").cast(pl.String).is_in(unreadable))
        .group_by(pl.col("question_id").cast(pl.String))
        .len()
        .collect()
        .iter_rows()
    )
    stopped = [q for q in unreadable if counts.get(q, 0) >= UNREADABLE_AFTER]
    if not stopped:
        return
    lines = []
    for question in stopped:
        examples = (
            codes.filter(pl.col("question_id").cast(pl.String) == question)["raw_value"]
            .cast(pl.String)
            .head(2)
            .to_list()
        )
        named = f"{question} ({headers[question]!r})" if question in headers else question
        lines.append(
            f"  - {named}: none of its {counts[question]:,} answers is one of "
            f"its options, such as {' and '.join(map(repr, examples))}"
        )
    raise InputError(
        f"{source}: a question's answers could not be read at all, so nothing was written:\n"
        + "\n".join(lines)
        + "\nCheck each question's options, labels and delimiter in consultation.yml "
        "(a multi-select's `delimiter` must be the one its cells use; numeric codes need "
        "`labels` for each code)."
    )


def answer_records(
    result: RuleResult, failing: pl.DataFrame, ids: pl.LazyFrame, source: str, header: str
) -> pl.DataFrame:
    """Quarantine records of failing answers (``__row, question_id, raw_value``), each with
    its response's source row and id."""
    items = failing.select(ROW, "question_id", "raw_value").with_row_index("__item")
    records = quarantine_records(
        replace(result, rows=tuple(range(items.height))),
        items.with_columns(pl.col("__item").cast(pl.Int64)),
        source,
        value_column="raw_value",
        header=header,
        field_column="question_id",
        row_column="__item",
    )
    named = ids.filter(pl.col(ROW).is_in(items[ROW].unique().implode())).collect()
    return (
        records.with_columns(items[ROW].alias("row_number"))
        .drop("response_id")
        .join(named.rename({ROW: "row_number"}), on="row_number", how="left", maintain_order="left")
        .select(list(QUARANTINE_SCHEMA))
    )
