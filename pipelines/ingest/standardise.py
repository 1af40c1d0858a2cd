"""Turn a raw responses export into the standard fields, long answers, numbers and comments.

Nothing here decides validity: unmapped values are kept as written so that the Great
Expectations suites (``expectations/``) can judge them and quarantine can name them.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.consultation import CODED_TYPES, Consultation, Question
from pipelines.errors import InputError
from pipelines.fields import STANDARD_FIELDS, field_specs, normalise
from pipelines.ingest.mapping import (
    coded_values,
    field_lookup,
    find_header,
    locality_lookup,
    normalised,
    parsed_datetime_values,
    question_lookup,
    region_lookup,
)
from pipelines.ingest.read import ROW, RawChunks, RawTable

CODED_FIELDS: tuple[str, ...] = tuple(
    name for name, spec in field_specs().items() if spec.codes or name == "group"
)

#: What a per-option column holds when its option was not chosen (matched normalised).
NOT_CHOSEN: frozenset[str] = frozenset(
    normalise(text) for text in ("No", "N", "0", "False", "Not selected", "Unchecked")
)
#: Suffix of the named column holding a question's "please specify" answers.
OTHER_TEXT = ":::other_text"


def field_names(consultation: Consultation) -> list[str]:
    """The standard fields of the export: its mapped columns, then its ``constants``."""
    columns = list(consultation.columns)
    return columns + [field for field in consultation.constants if field not in columns]


def other_text_id(question: Question) -> str:
    """The comments' question id of ``question``'s "please specify" answers."""
    return f"{question.id}_other"


def _without_missing(named: pl.DataFrame, missing: list[str]) -> pl.DataFrame:
    """``named`` with every cell spelt as one of ``missing`` (normalised) made blank."""
    if not missing:
        return named
    spellings = sorted({normalise(text) for text in missing})
    return named.with_columns(
        pl.when(normalised(pl.col(name)).is_in(spellings))
        .then(None)
        .otherwise(pl.col(name))
        .alias(name)
        for name, dtype in named.schema.items()
        if name != ROW and dtype == pl.String
    )


def named_columns(raw: RawTable, consultation: Consultation) -> pl.DataFrame:
    """The export reduced to the columns consultation.yml names, renamed to field names.

    Standard fields become their field name; question columns become ``<question_id>`` or,
    for one column per option, ``<question_id>::<option>``. Every other column (IP address,
    e-mail, name...) is dropped here and never reaches clean data. A field of
    ``constants`` with no column takes its raw value in every row; a question's
    ``other_text`` column becomes ``<question_id>:::other_text``. Cells spelt as one of
    ``missing`` are blank.
    """
    selected = [pl.col(ROW)]
    for field, header in consultation.columns.items():
        selected.append(pl.col(find_header(raw, header, f"columns.{field}")).alias(field))
    for field in field_names(consultation)[len(consultation.columns) :]:
        selected.append(pl.lit(consultation.constants[field], pl.String).alias(field))
    for question in consultation.questions:
        if question.column is not None:
            header = find_header(raw, question.column, f"question {question.id}")
            selected.append(pl.col(header).alias(question.id))
        for option, header in (question.columns or {}).items():
            found = find_header(raw, header, f"question {question.id}, option {option}")
            selected.append(pl.col(found).alias(f"{question.id}::{option}"))
        if question.other_text is not None:
            what = f"question {question.id}, other_text"
            found = find_header(raw, question.other_text, what)
            selected.append(pl.col(found).alias(question.id + OTHER_TEXT))
    return _without_missing(raw.frame.select(selected), consultation.missing)


def standard_responses(
    named: pl.DataFrame, consultation: Consultation, regions: pl.DataFrame, excel: bool
) -> pl.DataFrame:
    """One row per raw response: standard fields as canonical codes where they map.

    ``submitted_at`` is parsed (``submitted_at_format`` says how, or ``unrecognised``);
    ``region_locality`` pairs the two for the consistency rule.
    """
    present = [f for f in STANDARD_FIELDS if f in named.columns]
    when = parsed_datetime_values(
        named["submitted_at"], excel_serials=excel, formats=consultation.date_format
    )
    columns: list[pl.Series | pl.Expr] = [
        pl.col(ROW),
        pl.col("response_id").str.strip_chars(),
        when["value"].alias("submitted_at"),
        when["format"].alias("submitted_at_format"),
        coded_values(
            named["region"], region_lookup(regions, consultation.values.get("region"))
        ).alias("region"),
    ]
    if "locality" in present:
        localities = locality_lookup(regions, consultation.values.get("locality"))
        columns.append(coded_values(named["locality"], localities).alias("locality"))
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


def _is_chosen(cell: pl.Expr, question: Question) -> pl.Expr:
    """Whether a per-option cell says its option was chosen: non-empty and not a not-chosen
    spelling (:data:`NOT_CHOSEN`), or one of the question's ``chosen`` spellings."""
    key = normalised(cell)
    if question.chosen is not None:
        return key.is_in(sorted({normalise(text) for text in question.chosen})).fill_null(False)
    return (key.is_not_null() & (key != "") & ~key.is_in(sorted(NOT_CHOSEN))).fill_null(False)


def whole_spellings(question: Question, values: dict[str, str]) -> list[str]:
    """The question's option codes, labels and ``values`` spellings holding its delimiter
    (longest first): a one-cell multi-select matches them whole before splitting."""
    spellings = {
        text for code in question.option_codes for text in (code, question.option_label(code))
    } | {str(raw) for raw in values}
    sep = question.delimiter.strip() or question.delimiter
    found = {text.strip() for text in spellings if sep in text}
    return sorted(found - {""}, key=lambda text: (-len(text), text))


def split_cell(cell: str, delimiter: str, whole: list[str]) -> list[str]:
    """A one-cell multi-select's answers: split at ``delimiter`` (a trailing one ignored),
    a spelling of ``whole`` (case-insensitive) taken whole where it fills a part."""
    sep = delimiter.strip() or delimiter
    text = cell.strip()
    text = text[: -len(sep)] if text.endswith(sep) else text
    lowered = text.lower()
    parts: list[str] = []
    position = 0
    while position < len(text):
        while position < len(text) and text[position].isspace():
            position += 1
        end = None
        for spelling in whole:
            stop = position + len(spelling)
            rest = text[stop:].lstrip()
            if lowered.startswith(spelling.lower(), position) and (
                not rest or rest.startswith(sep)
            ):
                end = stop
                break
        if end is None:
            found = text.find(delimiter, position)
            end = len(text) if found < 0 else found
        parts.append(text[position:end].strip())
        following = text.find(sep, end)
        position = len(text) if following < 0 else following + len(sep)
    return [part for part in parts if part]


def _multi_cells(named: pl.DataFrame, question: Question, values: dict[str, str]) -> pl.DataFrame:
    """``__row, raw_value`` of a one-cell multi-select, one row per answer in the cell."""
    column = pl.col(question.id)
    whole = whole_spellings(question, values)
    if whole:
        distinct = named[question.id].drop_nulls().unique()
        split = pl.DataFrame(
            {
                question.id: distinct,
                "raw_value": pl.Series(
                    [split_cell(cell, question.delimiter, whole) for cell in distinct],
                    dtype=pl.List(pl.String),
                ),
            }
        )
        parts = named.select(ROW, question.id).join(
            split, on=question.id, how="left", maintain_order="left"
        )["raw_value"]
    else:
        sep = question.delimiter.strip() or question.delimiter
        parts = named.select(
            column.str.strip_chars().str.strip_suffix(sep).str.split(question.delimiter)
        )[question.id]
    return (
        named.select(pl.col(ROW), parts.alias("raw_value"))
        .explode("raw_value")
        .with_columns(pl.col("raw_value").str.strip_chars())
        .filter(pl.col("raw_value").is_not_null() & (pl.col("raw_value") != ""))
    )


def _question_cells(
    named: pl.DataFrame, question: Question, values: dict[str, str] | None = None
) -> pl.DataFrame:
    """``__row, question_id, raw_value``: one row per answer given (multi-selects exploded;
    ``values``: the question's own spellings, matched whole before a cell is split)."""
    if question.columns is not None:
        parts = [
            named.filter(_is_chosen(pl.col(f"{question.id}::{option}"), question)).select(
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
        cells = _multi_cells(named, question, values or {})
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
        cells = _question_cells(named, question, consultation.values.get(question.id, {}))
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
    """``__row, question_id, text`` for free-text answers and the "please specify" answers
    of ``other_text`` (question id ``<id>_other``), not yet redacted."""
    frames = [
        _question_cells(named, q).rename({"raw_value": "text"})
        for q in consultation.questions
        if q.type == "free_text"
    ]
    frames += [
        named.filter(pl.col(q.id + OTHER_TEXT).str.strip_chars() != "")
        .select(
            pl.col(ROW), pl.lit(other_text_id(q)).alias("question_id"), pl.col(q.id + OTHER_TEXT)
        )
        .rename({q.id + OTHER_TEXT: "text"})
        for q in consultation.questions
        if q.other_text is not None
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
        fields = [ROW, *field_names(consultation)]
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
