"""Turn a raw responses export into the standard fields, long answers, numbers and comments.

Nothing here decides validity: unmapped values are kept as written so that the Great
Expectations suites (``expectations/``) can judge them and quarantine can name them.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.consultation import INPUT_FIELDS, Consultation
from pipelines.errors import InputError
from pipelines.fields import AGE_FIELD, STANDARD_FIELDS, field_specs, normalise
from pipelines.ingest.ages import age_columns
from pipelines.ingest.answers import (
    OTHER_TEXT,
    coded_answers,
    free_text,
    number_answers,
    with_question_option,
)
from pipelines.ingest.mapping import (
    coded_values,
    field_lookup,
    find_header,
    locality_lookup,
    normalised,
    parsed_datetime_values,
    region_lookup,
)
from pipelines.ingest.read import ROW, RawChunks, RawTable
from pipelines.ingest.spill import BUCKET, Parts

CODED_FIELDS: tuple[str, ...] = tuple(
    name for name, spec in field_specs().items() if spec.codes or name == "group"
)


def field_names(consultation: Consultation) -> list[str]:
    """The standard fields of the export: its mapped columns, then its ``constants``."""
    columns = list(consultation.columns)
    return columns + [field for field in consultation.constants if field not in columns]


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
    for one column per option, ``<question_id>::<option>`` (a grid's items: ``<question_id>::<item>``). Every other column (IP address,
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
        for item, header in (question.items or {}).items():
            found = find_header(raw, header, f"question {question.id}, item {item}")
            selected.append(pl.col(found).alias(f"{question.id}::{item}"))
        if question.other_text is not None:
            what = f"question {question.id}, other_text"
            found = find_header(raw, question.other_text, what)
            selected.append(pl.col(found).alias(question.id + OTHER_TEXT))
    named = _without_missing(raw.frame.select(selected), consultation.missing)
    if consultation.incomplete is not None:
        # the completion mark is not an answer: `missing` spellings do not blank it
        found = find_header(raw, consultation.incomplete.column, "incomplete.column")
        named = named.with_columns(raw.frame[found].alias(INCOMPLETE))
    return named


#: How many cells of a response's row are filled: none, and the row is no response (the
#: ``empty_row`` rule; a spreadsheet's trailing rows of commas).
FILLED = "filled"

#: The column of consultation.yml's ``incomplete`` (the export's completion mark), as
#: written: ``completion`` says whether it marks the response unfinished.
INCOMPLETE = "incomplete"
FINISHED, UNFINISHED = "finished", "unfinished"


def response_ids(consultation: Consultation) -> pl.Expr:
    """Each response's id: its ``response_id`` cell (trimmed), or, where the export has no id
    column, its data row number in the export (1-based among data rows, as text)."""
    if "response_id" in consultation.columns:
        return pl.col("response_id").str.strip_chars()
    return (pl.col(ROW) - consultation.header_rows).cast(pl.String).alias("response_id")


def submission_dates(
    named: pl.DataFrame, consultation: Consultation, excel: bool
) -> list[pl.Series | pl.Expr]:
    """``submitted_at`` and ``submitted_at_format`` (how it was read, or ``unrecognised``);
    both blank where the consultation maps no date column (dates were not recorded)."""
    if "submitted_at" not in named.columns:
        return [
            pl.lit(None, pl.Datetime("us")).alias("submitted_at"),
            pl.lit(None, pl.String).alias("submitted_at_format"),
        ]
    when = parsed_datetime_values(
        named["submitted_at"], excel_serials=excel, formats=consultation.date_format
    )
    return [when["value"].alias("submitted_at"), when["format"].alias("submitted_at_format")]


def completion(consultation: Consultation) -> pl.Expr:
    """``completion``: ``unfinished`` where the export's completion mark is one of
    ``incomplete.values`` (case and spaces ignored) or, with ``incomplete.blank``, blank (or
    a ``missing`` spelling), else ``finished``."""
    incomplete = consultation.incomplete
    assert incomplete is not None
    mark = normalised(pl.col(INCOMPLETE))
    spellings = sorted({normalise(value) for value in incomplete.values})
    unfinished = mark.is_in(spellings).fill_null(False)
    if incomplete.blank:
        blanks = sorted({"", *(normalise(text) for text in consultation.missing)})
        unfinished = unfinished | mark.is_in(blanks).fill_null(True)
    return (
        pl.when(unfinished).then(pl.lit(UNFINISHED)).otherwise(pl.lit(FINISHED)).alias("completion")
    )


def standard_responses(
    named: pl.DataFrame, consultation: Consultation, regions: pl.DataFrame, excel: bool
) -> pl.DataFrame:
    """One row per raw response: standard fields as canonical codes where they map.

    ``submitted_at`` is parsed (``submitted_at_format`` says how, or ``unrecognised``);
    ``region_locality`` pairs the two for the consistency rule.
    """
    present = [f for f in STANDARD_FIELDS if f in named.columns]
    columns: list[pl.Series | pl.Expr] = [
        pl.col(ROW),
        response_ids(consultation),
        *submission_dates(named, consultation, excel),
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
    if AGE_FIELD in named.columns:
        columns += age_columns(consultation)
    if consultation.incomplete is not None:
        columns.append(completion(consultation))
    frame = named.select(columns)
    return frame.with_columns(
        pl.when(pl.col("locality").is_not_null())
        .then(pl.concat_str(pl.col("region"), pl.lit(" / "), pl.col("locality")))
        .alias("region_locality")
    )


def raw_fields(named: pl.DataFrame, responses: pl.DataFrame) -> pl.DataFrame:
    """Each standard field (and ``age``, the completion mark) as written, for quarantine
    messages. The ids are the responses' own (trimmed, or row numbers: one copy, not two);
    ``submitted_at`` is blank where no date column is mapped."""
    fields = [ROW, *(c for c in (*INPUT_FIELDS, INCOMPLETE) if c in named.columns)]
    frame = named.select(fields).with_columns(responses["response_id"])
    if "submitted_at" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, pl.String).alias("submitted_at"))
    return frame


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

    The three long tables, ``raw_fields``, ``answers`` and ``comments``, are lazy: held in
    memory, or, for an export too big to hold, read back from disk (:mod:`.spill`) only
    where they are needed. On disk (``spill`` given), ``answers`` and ``comments`` come in
    region order (regions.csv's; rows of no known region last), each region's rows in
    source-row order, as the writer writes them.
    """

    responses: pl.DataFrame
    raw_fields: pl.LazyFrame
    answers: pl.LazyFrame
    answer_codes: pl.DataFrame
    numbers: pl.DataFrame
    comments: pl.LazyFrame
    #: the scratch folder the long tables were written to, or None (held in memory)
    spill: Path | None = None


def _categorical(frame: pl.DataFrame, keep: frozenset[str] = frozenset()) -> pl.DataFrame:
    """``frame`` with its String columns (other than ``keep``) as Categorical."""
    return frame.with_columns(
        pl.col(name).cast(pl.Categorical)
        for name, dtype in frame.schema.items()
        if dtype == pl.String and name not in keep
    )


def region_buckets(responses: pl.DataFrame, regions: pl.DataFrame) -> pl.DataFrame:
    """``__row, _bucket``: each response's region as its position in regions.csv (null
    where it is no known region), by which a table kept on disk is split
    (:mod:`pipelines.ingest.spill`)."""
    names = regions["region"].unique(maintain_order=True).to_list()
    position = (
        pl.col("region")
        .cast(pl.String)
        .replace_strict(names, list(range(len(names))), default=None, return_dtype=pl.UInt32)
    )
    return responses.select(ROW, position.alias(BUCKET))


def _in_buckets(frame: pl.DataFrame, buckets: pl.DataFrame | None) -> pl.DataFrame:
    """``frame`` with each row's region bucket, where the table is split by region."""
    if buckets is None:
        return frame
    return frame.join(buckets, on=ROW, how="left", maintain_order="left")


def standardise(
    raw: RawChunks, consultation: Consultation, regions: pl.DataFrame, spill: Path | None = None
) -> Standardised:
    """:func:`standard_responses`, :func:`coded_answers`, :func:`number_answers` and
    :func:`free_text` over every batch of ``raw``, concatenated (the same rows, in order).
    ``spill``: a scratch folder where the long tables' batches are written instead of held."""
    excel = raw.encoding == "xlsx"
    parts: dict[str, list[pl.DataFrame]] = {"responses": [], "answer_codes": [], "numbers": []}
    long = {name: Parts(name, spill) for name in ("raw_fields", "answers", "comments")}
    for chunk in raw.chunks:
        if chunk.height == 0:
            continue
        named = named_columns(RawTable(raw.path, chunk, raw.encoding), consultation)
        filled = chunk.select(
            pl.sum_horizontal(pl.exclude(ROW).is_not_null()).cast(pl.UInt16).alias(FILLED)
        )
        del chunk
        # the coded fields as Categorical once: kept so as written, and coded by category
        coded_inputs = [c for c in ("region", "locality", *CODED_FIELDS) if c in named.columns]
        named = named.with_columns(pl.col(coded_inputs).cast(pl.Categorical))
        responses = standard_responses(named, consultation, regions, excel)
        responses = responses.with_columns(filled[FILLED])
        buckets = None if spill is None else region_buckets(responses, regions)
        long["raw_fields"].add(_categorical(raw_fields(named, responses), DISTINCT_FIELDS))
        parts["responses"].append(_categorical(responses, frozenset({"response_id"})))
        answers = _categorical(coded_answers(named, consultation))
        long["answers"].add(_in_buckets(answers.select(ANSWER_CELLS), buckets))
        parts["answer_codes"].append(answers.drop(ROW).unique(maintain_order=True))
        del answers
        parts["numbers"].append(
            _categorical(number_answers(named, consultation), frozenset({"raw_value"}))
        )
        comments = _categorical(free_text(named, consultation), frozenset({"text"}))
        long["comments"].add(_in_buckets(comments.sort(ROW, maintain_order=True), buckets))
        del named, comments
    if not parts["responses"]:
        raise InputError(f"{raw.path} has a header but no responses")
    codes = pl.concat(parts.pop("answer_codes")).unique(maintain_order=True)
    return Standardised(
        answer_codes=_categorical(with_question_option(codes)),
        # one chunk each: an eager with_columns on a frame of many batches' chunks copies
        # every column into one chunk (the responses, 0.76 GiB at ten million, held twice)
        **{name: pl.concat(frames, rechunk=True) for name, frames in parts.items()},
        **{name: table.frame() for name, table in long.items()},
        spill=spill,
    )
