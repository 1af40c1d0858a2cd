"""A questionnaire's answers in an export: coded answers, numbers and free text, one row per
answer given, as written (validation judges them; see :mod:`pipelines.ingest.standardise`).
"""

from __future__ import annotations

import polars as pl

from pipelines.consultation import CODED_TYPES, Consultation, Question
from pipelines.fields import normalise
from pipelines.ingest.mapping import coded_values, normalised, question_lookup
from pipelines.ingest.read import ROW

#: What a per-option column holds when its option was not chosen (matched normalised).
NOT_CHOSEN: frozenset[str] = frozenset(
    normalise(text) for text in ("No", "N", "0", "False", "Not selected", "Unchecked")
)
#: Suffix of the named column holding a question's "please specify" answers.
OTHER_TEXT = ":::other_text"
#: Joins a grid's or ranking's id and its item or option into the question id of their
#: answers (``likes.staff``): a question id cannot contain it, so the two never meet.
PART = "."
#: The ``raw_value`` of "answered and chose nothing" (a per-option multi question whose
#: cells are all not-chosen spellings): kept as an answer with no option.
CHOSE_NOTHING = ""


def part_id(question: Question, part: str) -> str:
    """The question id of the answers to a grid's item or a ranking's option."""
    return f"{question.id}{PART}{part}"


def ranks(question: Question) -> list[str]:
    """A ranking's ranks as its answers are stored: "1" (first) to the number of options."""
    return [str(rank) for rank in range(1, len(question.columns or {}) + 1)]


def answer_options(consultation: Consultation) -> list[str]:
    """Every ``question_option`` the answers suite accepts (its ``question_options``): a
    coded question's options, each grid item's scale, each ranking option's ranks."""
    allowed: list[str] = []
    for question in consultation.questions:
        if question.type == "grid":
            allowed += [
                f"{part_id(question, item)}={code}"
                for item in question.item_codes
                for code in question.option_codes
            ]
        elif question.type == "ranking":
            allowed += [
                f"{part_id(question, option)}={rank}"
                for option in question.columns or {}
                for rank in ranks(question)
            ]
        else:
            allowed += [f"{question.id}={code}" for code in question.option_codes]
    return allowed


def other_text_id(question: Question) -> str:
    """The comments' question id of ``question``'s "please specify" answers."""
    return f"{question.id}_other"


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


#: What a per-option cell says (:func:`_option_cell_kinds`): blank or missing, written but
#: not chosen ("No"), chosen.
NOT_WRITTEN, WRITTEN, CHOSEN = 0, 1, 2


def _option_cell_kinds(cells: pl.Series, question: Question) -> pl.Series:
    """What each cell of one per-option column says: :data:`CHOSEN` where it says the
    option was chosen (:func:`_is_chosen`), else :data:`WRITTEN` where it is written at all
    (not blank once normalised), else :data:`NOT_WRITTEN` (null cells too): judged once per
    distinct cell, not once per row."""
    distinct = cells.drop_nulls().unique().to_frame("cell")
    judged = distinct.select(
        pl.col("cell"),
        pl.when(_is_chosen(pl.col("cell"), question))
        .then(CHOSEN)
        .when(normalised(pl.col("cell")).fill_null("") != "")
        .then(WRITTEN)
        .otherwise(NOT_WRITTEN)
        .cast(pl.UInt8)
        .alias("kind"),
    )
    kinds = cells.replace_strict(
        judged["cell"], judged["kind"], default=NOT_WRITTEN, return_dtype=pl.UInt8
    )
    return kinds.fill_null(NOT_WRITTEN)


def _per_option_cells(named: pl.DataFrame, question: Question) -> pl.DataFrame:
    """``__row, raw_value`` of a multi question with one column per option: one row per
    option chosen, and one with :data:`CHOSE_NOTHING` for a respondent who chose none but
    wrote a not-chosen spelling ("No") somewhere (all blank or missing: not answered)."""
    options = list(question.columns or {})
    kinds = named.select(
        pl.col(ROW),
        *(
            _option_cell_kinds(named[f"{question.id}::{option}"], question).alias(f"_{i}")
            for i, option in enumerate(options)
        ),
    )
    is_chosen = [pl.col(f"_{i}") == CHOSEN for i in range(len(options))]
    parts = [
        kinds.filter(chosen).select(pl.col(ROW), pl.lit(option).alias("raw_value"))
        for option, chosen in zip(options, is_chosen, strict=True)
    ]
    # a chosen cell counts as written: no difference where any option was chosen
    written = pl.any_horizontal(pl.col(f"_{i}") != NOT_WRITTEN for i in range(len(options)))
    parts.append(
        kinds.filter(written & ~pl.any_horizontal(is_chosen)).select(
            pl.col(ROW), pl.lit(CHOSE_NOTHING).alias("raw_value")
        )
    )
    return pl.concat(parts)


def _cells_by_part(named: pl.DataFrame, question: Question, parts: list[str]) -> pl.DataFrame:
    """``__row, question_id, raw_value`` of a grid's items or a ranking's options: each
    part's non-blank cells, under the part's own question id (:func:`part_id`)."""
    frames = [
        named.select(
            pl.col(ROW),
            pl.lit(part_id(question, part)).alias("question_id"),
            pl.col(f"{question.id}::{part}").str.strip_chars().alias("raw_value"),
        ).filter(pl.col("raw_value").is_not_null() & (pl.col("raw_value") != ""))
        for part in parts
    ]
    # one row per respondent's parts, in the questionnaire's order
    return pl.concat(frames).sort(ROW, maintain_order=True)


def _question_cells(
    named: pl.DataFrame, question: Question, values: dict[str, str] | None = None
) -> pl.DataFrame:
    """``__row, question_id, raw_value``: one row per answer given (multi-selects exploded;
    ``values``: the question's own spellings, matched whole before a cell is split)."""
    if question.type == "grid":
        return _cells_by_part(named, question, question.item_codes)
    if question.type == "ranking":
        return _cells_by_part(named, question, list(question.columns or {}))
    if question.columns is not None:
        cells = _per_option_cells(named, question)
    elif question.type == "multi":
        cells = _multi_cells(named, question, values or {})
    else:
        cells = named.select(pl.col(ROW), pl.col(question.id).alias("raw_value")).drop_nulls(
            "raw_value"
        )
    return cells.with_columns(pl.lit(question.id).alias("question_id")).select(
        ROW, "question_id", "raw_value"
    )


def _ranking_lookup(question: Question) -> dict[str, str]:
    """Normalised rank -> rank: "1" to the number of options (``01`` and ``1.0`` too)."""
    lookup: dict[str, str] = {}
    for rank in ranks(question):
        for spelling in (rank, f"0{rank}", f"{rank}.0"):
            lookup[normalise(spelling)] = rank
    return lookup


def _coded_cells(
    named: pl.DataFrame, question: Question, consultation: Consultation
) -> pl.DataFrame:
    """A coded question's ``__row, question_id, raw_value, option`` (chose nothing: a
    null option), text as Categorical."""
    cells = _question_cells(named, question, consultation.values.get(question.id, {}))
    lookup = (
        _ranking_lookup(question)
        if question.type == "ranking"
        else question_lookup(question, consultation)
    )
    # text as Categorical, each distinct cell coded once, by its category
    raw = cells["raw_value"].cast(pl.Categorical)
    option = pl.when(raw == CHOSE_NOTHING).then(None).otherwise(coded_values(raw, lookup))
    cells = cells.with_columns(
        pl.col("question_id").cast(pl.Categorical), raw, option.alias("option")
    )
    if question.type == "multi":
        # one cell may name an option twice, or by two spellings, and two columns may
        # mean one option: keep the first, so each person chooses an option once (what
        # the tallies count). An unknown value keeps its own text as its option, so a
        # cell's different unknown values are each kept, for quarantine.
        cells = cells.filter(pl.struct(ROW, "option").is_first_distinct())
    return cells


def coded_answers(named: pl.DataFrame, consultation: Consultation) -> pl.DataFrame:
    """``__row, question_id, raw_value, option`` for coded questions (grids and rankings:
    a row per item or option answered, :func:`part_id`), in source-row order (then
    question id, then as written)."""
    frames = [
        _coded_cells(named, question, consultation)
        for question in sorted(consultation.questions, key=lambda q: q.id)
        if question.type in (*CODED_TYPES, "ranking")
    ]
    if not frames:
        return _no_answers("option", pl.String)
    # each question's cells are in row order and the questions in id order: a stable sort
    # by row alone puts them in (row, question id) order; text is Categorical
    # (:func:`_coded_cells`), so that the sort moves integers, not strings
    return pl.concat(frames).sort(ROW, maintain_order=True)


def with_question_option(answers: pl.DataFrame) -> pl.DataFrame:
    """``question_option`` (``q5=agree``): what the answers suite checks against the options."""
    return answers.with_columns(
        pl.concat_str(
            pl.col("question_id").cast(pl.String), pl.lit("="), pl.col("option").cast(pl.String)
        ).alias("question_option")
    )


#: A comma that groups thousands: between a digit and three digits that end the whole part
#: ("1,250" and "12,500.5"). Any other comma ("2,5", a decimal comma; "1,25") leaves the
#: answer unreadable (``number_parseable``), never read as 25 or 125.
THOUSANDS = r"^-?\d{1,3}(?:,\d{3})+(?:\.\d+)?$"


def number_answers(named: pl.DataFrame, consultation: Consultation) -> pl.DataFrame:
    """``__row, question_id, raw_value, value``: answers to number questions."""
    text = pl.col("raw_value").str.strip_chars()
    grouped = text.str.contains(THOUSANDS)
    frames = [
        _question_cells(named, q).with_columns(
            pl.when(grouped | ~text.str.contains(",", literal=True))
            .then(text.str.replace_all(",", "", literal=True))
            .cast(pl.Float64, strict=False)
            .alias("value")
        )
        for q in consultation.questions
        if q.type == "number"
    ]
    if not frames:
        return _no_answers("value", pl.Float64)
    return pl.concat(frames)


def _no_answers(column: str, dtype: pl.DataType) -> pl.DataFrame:
    """The empty answers frame of an export with no question of a kind: ``__row,
    question_id, raw_value`` and its ``column``."""
    schema = {ROW: pl.Int64, "question_id": pl.String, "raw_value": pl.String, column: dtype}
    return pl.DataFrame(schema=schema)


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
