"""Turn a raw responses export into the standard fields, long answers, numbers and comments.

Nothing here decides validity: unmapped values are kept as written so that the Great
Expectations suites (``expectations/``) can judge them and quarantine can name them.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.consultation import CODED_TYPES, Consultation, Question
from pipelines.errors import InputError
from pipelines.fields import STANDARD_FIELDS, field_specs
from pipelines.ingest.mapping import (
    coded_values,
    field_lookup,
    find_header,
    locality_lookup,
    parsed_datetime_values,
    question_lookup,
    region_lookup,
)
from pipelines.ingest.read import ROW, RawChunks, RawTable

CODED_FIELDS: tuple[str, ...] = tuple(
    name for name, spec in field_specs().items() if spec.codes or name == "group"
)


def named_columns(raw: RawTable, consultation: Consultation) -> pl.DataFrame:
    """The export reduced to the columns consultation.yml names, renamed to field names.

    Standard fields become their field name; question columns become ``<question_id>`` or,
    for one column per option, ``<question_id>::<option>``. Every other column (IP address,
    e-mail, name...) is dropped here and never reaches clean data.
    """
    selected = [pl.col(ROW)]
    for field, header in consultation.columns.items():
        selected.append(pl.col(find_header(raw, header, f"columns.{field}")).alias(field))
    for question in consultation.questions:
        if question.column is not None:
            header = find_header(raw, question.column, f"question {question.id}")
            selected.append(pl.col(header).alias(question.id))
        for option, header in (question.columns or {}).items():
            found = find_header(raw, header, f"question {question.id}, option {option}")
            selected.append(pl.col(found).alias(f"{question.id}::{option}"))
    return raw.frame.select(selected)


def standard_responses(
    named: pl.DataFrame, consultation: Consultation, regions: pl.DataFrame, excel: bool
) -> pl.DataFrame:
    """One row per raw response: standard fields as canonical codes where they map.

    ``submitted_at`` is parsed (``submitted_at_format`` says how, or ``unrecognised``);
    ``region_locality`` pairs the two for the consistency rule.
    """
    present = [f for f in STANDARD_FIELDS if f in named.columns]
    when = parsed_datetime_values(named["submitted_at"], excel_serials=excel)
    columns: list[pl.Series | pl.Expr] = [
        pl.col(ROW),
        pl.col("response_id").str.strip_chars(),
        when["value"].alias("submitted_at"),
        when["format"].alias("submitted_at_format"),
        coded_values(named["region"], region_lookup(regions)).alias("region"),
    ]
    if "locality" in present:
        columns.append(coded_values(named["locality"], locality_lookup(regions)).alias("locality"))
    else:
        columns.append(pl.lit(None, pl.String).alias("locality"))
    for name in CODED_FIELDS:
        if name in present:
            lookup = field_lookup(name, consultation)
            columns.append(coded_values(named[name], lookup).alias(name))
    frame = named.select(columns)
    return frame.with_columns(
        pl.when(pl.col("locality").is_not_null())
        .then(pl.concat_str(pl.col("region"), pl.lit(" / "), pl.col("locality")))
        .alias("region_locality")
    )


def _question_cells(named: pl.DataFrame, question: Question) -> pl.DataFrame:
    """``__row, question_id, raw_value``: one row per answer given (multi-selects exploded)."""
    if question.columns is not None:
        parts = [
            named.filter(pl.col(f"{question.id}::{option}").is_not_null()).select(
                pl.col(ROW), pl.lit(option).alias("raw_value")
            )
            for option in question.columns
        ]
        cells = (
            pl.concat(parts)
            if parts
            else pl.DataFrame(schema={ROW: pl.Int64, "raw_value": pl.String})
        )
    elif question.type == "multi":
        cells = (
            named.select(
                pl.col(ROW), pl.col(question.id).str.split(question.delimiter).alias("raw_value")
            )
            .explode("raw_value")
            .with_columns(pl.col("raw_value").str.strip_chars())
            .filter(pl.col("raw_value").is_not_null() & (pl.col("raw_value") != ""))
        )
    else:
        cells = named.select(pl.col(ROW), pl.col(question.id).alias("raw_value")).drop_nulls(
            "raw_value"
        )
    return cells.with_columns(pl.lit(question.id).alias("question_id")).select(
        ROW, "question_id", "raw_value"
    )


def coded_answers(named: pl.DataFrame, consultation: Consultation) -> pl.DataFrame:
    """``__row, question_id, raw_value, option`` for coded questions, in source-row order
    (then question id, then as written)."""
    frames = []
    for question in sorted(consultation.questions, key=lambda q: q.id):
        if question.type not in CODED_TYPES:
            continue
        cells = _question_cells(named, question)
        lookup = question_lookup(question, consultation)
        cells = cells.with_columns(coded_values(cells["raw_value"], lookup).alias("option"))
        if question.type == "multi":
            # one cell may name an option twice, or by two spellings, and two columns may
            # mean one option: keep the first, so each person chooses an option once (what
            # the tallies count). An unknown value keeps its own text as its option, so a
            # cell's different unknown values are each kept, for quarantine.
            cells = cells.filter(pl.struct(ROW, "option").is_first_distinct())
        frames.append(cells)
    if not frames:
        return pl.DataFrame(
            schema={
                ROW: pl.Int64,
                "question_id": pl.String,
                "raw_value": pl.String,
                "option": pl.String,
            }
        )
    # each question's cells are in row order and the questions in id order: a stable sort
    # by row alone puts them in (row, question id) order
    return pl.concat(frames).sort(ROW, maintain_order=True)


def with_question_option(answers: pl.DataFrame) -> pl.DataFrame:
    """``question_option`` (``q5=agree``): what the answers suite checks against the options."""
    return answers.with_columns(
        pl.concat_str(
            pl.col("question_id").cast(pl.String), pl.lit("="), pl.col("option").cast(pl.String)
        ).alias("question_option")
    )


def number_answers(named: pl.DataFrame, consultation: Consultation) -> pl.DataFrame:
    """``__row, question_id, raw_value, value``: answers to number questions."""
    frames = [
        _question_cells(named, q).with_columns(
            pl.col("raw_value")
            .str.strip_chars()
            .str.replace_all(",", "")
            .cast(pl.Float64, strict=False)
            .alias("value")
        )
        for q in consultation.questions
        if q.type == "number"
    ]
    if not frames:
        return pl.DataFrame(
            schema={
                ROW: pl.Int64,
                "question_id": pl.String,
                "raw_value": pl.String,
                "value": pl.Float64,
            }
        )
    return pl.concat(frames)


def free_text(named: pl.DataFrame, consultation: Consultation) -> pl.DataFrame:
    """``__row, question_id, text`` for free-text answers (not yet redacted)."""
    frames = [
        _question_cells(named, q).rename({"raw_value": "text"})
        for q in consultation.questions
        if q.type == "free_text"
    ]
    if not frames:
        return pl.DataFrame(schema={ROW: pl.Int64, "question_id": pl.String, "text": pl.String})
    return pl.concat(frames)


#: Raw standard fields kept as text (not Categorical): nearly every value is distinct.
DISTINCT_FIELDS = frozenset({"response_id", "submitted_at"})


#: What :func:`standardise` keeps of each coded answer: the cell as written. Its option and
#: ``question_option`` depend on the (question, cell) pair only, so they are kept once per
#: distinct pair (``Standardised.answer_codes``), not once per answer.
ANSWER_CELLS: tuple[str, ...] = (ROW, "question_id", "raw_value")


@dataclass(frozen=True)
class Standardised:
    """A responses export reduced, batch by batch, to compact standard frames.

    Text columns with few distinct values are Categorical; the raw text of the export is
    dropped batch by batch. ``raw_fields`` keeps each standard field as written (for
    quarantine messages), ``response_id`` trimmed. ``answers`` holds :data:`ANSWER_CELLS`
    (in source-row order), ``answer_codes`` each distinct pair's ``question_id, raw_value,
    option, question_option`` (:func:`coded_answers` with :func:`with_question_option`, once
    per pair); ``comments`` are in source-row order.
    """

    responses: pl.DataFrame
    raw_fields: pl.DataFrame
    answers: pl.DataFrame
    answer_codes: pl.DataFrame
    numbers: pl.DataFrame
    comments: pl.DataFrame


def _categorical(frame: pl.DataFrame, keep: frozenset[str] = frozenset()) -> pl.DataFrame:
    """``frame`` with its String columns (other than ``keep``) as Categorical."""
    return frame.with_columns(
        pl.col(name).cast(pl.Categorical)
        for name, dtype in frame.schema.items()
        if dtype == pl.String and name not in keep
    )


def standardise(raw: RawChunks, consultation: Consultation, regions: pl.DataFrame) -> Standardised:
    """:func:`standard_responses`, :func:`coded_answers`, :func:`number_answers` and
    :func:`free_text` over every batch of ``raw``, concatenated (the same rows, in order)."""
    excel = raw.encoding == "xlsx"
    parts: dict[str, list[pl.DataFrame]] = {
        "responses": [],
        "raw_fields": [],
        "answers": [],
        "answer_codes": [],
        "numbers": [],
        "comments": [],
    }
    for chunk in raw.chunks:
        if chunk.height == 0:
            continue
        named = named_columns(RawTable(raw.path, chunk, raw.encoding), consultation)
        del chunk
        responses = standard_responses(named, consultation, regions, excel)
        fields = [ROW, *consultation.columns]
        parts["raw_fields"].append(
            _categorical(
                # the trimmed ids are the responses' own (one copy, not two)
                named.select(fields).with_columns(responses["response_id"]),
                DISTINCT_FIELDS,
            )
        )
        parts["responses"].append(_categorical(responses, frozenset({"response_id"})))
        answers = _categorical(coded_answers(named, consultation))
        parts["answers"].append(answers.select(ANSWER_CELLS))
        parts["answer_codes"].append(answers.drop(ROW).unique(maintain_order=True))
        del answers
        parts["numbers"].append(
            _categorical(number_answers(named, consultation), frozenset({"raw_value"}))
        )
        comments = _categorical(free_text(named, consultation), frozenset({"text"}))
        parts["comments"].append(comments.sort(ROW, maintain_order=True))
        del named, comments
    if not parts["responses"]:
        raise InputError(f"{raw.path} has a header but no responses")
    codes = pl.concat(parts.pop("answer_codes")).unique(maintain_order=True)
    return Standardised(
        answer_codes=_categorical(with_question_option(codes)),
        **{name: pl.concat(frames, rechunk=False) for name, frames in parts.items()},
    )
