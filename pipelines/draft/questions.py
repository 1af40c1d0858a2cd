"""Guess a question's type, options and scale from its answers, saying what was seen."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import polars as pl

from pipelines.draft.columns import ColumnGroup, ExportColumn
from pipelines.draft.settings import DraftSettings
from pipelines.fields import normalise

#: Cells that mean "chosen" in a per-option column (besides the option's own label).
CHOSEN_MARKS = frozenset(
    normalise(t) for t in ("1", "Yes", "Y", "X", "True", "Checked", "Selected")
)
#: ... and "not chosen" (as validate reads them: pipelines.ingest.answers.NOT_CHOSEN).
NOT_CHOSEN_MARKS = frozenset(
    normalise(t) for t in ("No", "N", "0", "False", "Not selected", "Unchecked")
)
WHOLE_NUMBER = re.compile(r"^\d+$")
NUMBER = re.compile(r"^-?\d+(?:,\d{3})*(?:\.\d+)?$")


@dataclass
class QuestionDraft:
    """One drafted question: consultation.yml's keys, and the ``# check:`` comment."""

    type: str
    text: str
    check: str
    column: str | None = None
    columns: dict[str, str] | None = None
    items: dict[str, str] | None = None
    options: list[str] | None = None
    labels: dict[str, str] = field(default_factory=dict)
    scale: list[str] | None = None
    delimiter: str | None = None
    other_text: str | None = None


def code_of(label: str, taken: set[str]) -> str:
    """A short stable code for ``label`` ("Very good!" -> ``very_good``), unique in ``taken``."""
    text = normalise(label).replace("+", " plus")
    base = re.sub(r"[^0-9a-z]+", "_", text).strip("_")[:40].strip("_") or "option"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}_{n}", n + 1
    taken.add(code)
    return code


def _coded(labels: list[str]) -> tuple[list[str], dict[str, str]]:
    taken: set[str] = set()
    codes = [code_of(label, taken) for label in labels]
    return codes, dict(zip(codes, labels, strict=True))


def familiar_scale(answers: list[str], settings: DraftSettings) -> list[str] | None:
    """The first familiar scale (config/draft.yml) holding every answer, or None."""
    keys = {normalise(a) for a in answers}
    if len(keys) < 2:
        return None
    for scale in settings.scales:
        if keys <= {normalise(label) for label in scale}:
            return list(scale)
    return None


def _blank(column: ExportColumn) -> str:
    return f"{column.blank_share:.0%} blank"


def _delimited(column: ExportColumn, settings: DraftSettings) -> tuple[str, list[str]] | None:
    """(delimiter, options in order) when the cells read as a one-cell multi-select: some
    cells hold the delimiter, and most of the parts recur in other cells (free text's
    clauses do not)."""
    rules = settings.questions
    for delimiter in rules.delimiters:
        holding = column.answers.str.contains(delimiter, literal=True).mean() or 0.0
        if holding < rules.min_delimited_share:
            continue
        parts = Counter(
            part for cell in column.answers.to_list() for part in split_parts(cell, delimiter)
        )
        repeated = sum(1 for count in parts.values() if count >= 2)
        if len(parts) <= rules.max_single_options * 2 and repeated * 2 >= len(parts):
            return delimiter, list(parts)
    return None


def split_parts(cell: str, delimiter: str) -> list[str]:
    """A one-cell multi-select's parts; after a comma, a part that starts in lower case goes
    on the one before ("Meals, snacks and drinks" is one option holding the delimiter)."""
    parts: list[str] = []
    for part in cell.strip().rstrip(delimiter.strip()).split(delimiter):
        part = part.strip()
        if not part:
            continue
        if parts and delimiter.strip() == "," and part[0].islower():
            parts[-1] = f"{parts[-1]}{delimiter}{part}"
        else:
            parts.append(part)
    return parts


def _is_free_text(column: ExportColumn, settings: DraftSettings) -> bool:
    """A header asking for words; many different answers; or long, mostly different ones."""
    rules = settings.questions
    header = normalise(column.header_text)
    if any(pattern.search(header) for pattern in rules.free_text_headers):
        return True
    mean = column.answers.str.len_chars().mean() or 0.0
    distinct_share = len(column.distinct) / max(column.answers.len(), 1)
    return len(column.distinct) > rules.max_single_options or (
        mean >= rules.min_free_text_length / 2
        and distinct_share >= rules.min_free_text_distinct_share
    )


def is_other_text(column: ExportColumn, settings: DraftSettings) -> bool:
    """A column of "please specify" answers to the question before it."""
    keys = (normalise(column.header_text), normalise(column.name), column.name.lower())
    return any(p.search(key) for p in settings.questions.other_text_headers for key in keys)


def one_cell_ranking(column: ExportColumn, delimiter: str) -> bool:
    """Every answer lists the same options, in different orders (Microsoft Forms writes a
    ranking so): a ranking in one cell, which validate cannot read as a multi-select."""
    lists = [tuple(split_parts(cell, delimiter)) for cell in column.answers.to_list()]
    options = {frozenset(parts) for parts in lists}
    return len(options) == 1 and len(lists[0]) >= 2 and len(set(lists)) >= 2


def _long(column: ExportColumn) -> bool:
    return (column.answers.str.len_chars().mean() or 0.0) >= 60


def guess_column(column: ExportColumn, settings: DraftSettings) -> QuestionDraft | None:
    """One column's question: number, likert, multi (one cell), single or free text."""
    answers = column.distinct
    if not answers:
        return None
    text = column.header_text
    if all(NUMBER.match(a) for a in answers):
        values = column.answers.str.replace_all(",", "").cast(pl.Float64)
        return QuestionDraft(
            "number",
            text,
            f"numbers from {values.min():g} to {values.max():g}; {_blank(column)}",
            column=column.name,
        )
    scale = familiar_scale(answers, settings)
    if scale is not None:
        return QuestionDraft(
            "likert",
            text,
            f"answers on a familiar scale; {_blank(column)}",
            column=column.name,
            scale=scale,
        )
    asks_words = _is_free_text(column, settings)
    delimited = None if asks_words and _long(column) else _delimited(column, settings)
    if delimited is not None:
        delimiter, parts = delimited
        codes, labels = _coded(parts)
        return QuestionDraft(
            "multi",
            text,
            f"{len(parts)} options in cells separated by {delimiter!r}; {_blank(column)}",
            column=column.name,
            options=codes,
            labels=labels,
            delimiter=delimiter,
        )
    if not asks_words:
        codes, labels = _coded(answers)
        return QuestionDraft(
            "single",
            text,
            f"{len(answers)} distinct answers; {_blank(column)}",
            column=column.name,
            options=codes,
            labels=labels,
        )
    mean = column.answers.str.len_chars().mean() or 0
    return QuestionDraft(
        "free_text",
        text,
        f"{len(answers)} distinct answers, {mean:.0f} characters on average; {_blank(column)}",
        column=column.name,
    )


#: A grid's scale guessed from its answers has at most this many points.
MAX_GUESSED_SCALE = 7


def natural_key(text: str) -> tuple:
    """Sort key that puts "A2" before "A10"."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", normalise(text)))


def _shared_scale(group: ColumnGroup) -> list[str] | None:
    """The answers every item of a grid shares, when there are few of them (a scale no
    familiar list holds, such as LimeSurvey's codes A1..A5), in natural order."""
    distinct = {a for column in group.columns for a in column.distinct}
    if not 2 <= len(distinct) <= MAX_GUESSED_SCALE:
        return None
    if any(len(column.distinct) < 2 for column in group.columns):
        return None
    return sorted(distinct, key=natural_key)


def _is_ranking(group: ColumnGroup, values: list[str], settings: DraftSettings) -> bool:
    size = len(group.columns)
    return (
        size <= settings.questions.max_ranking_options
        and len(values) > 1
        and all(WHOLE_NUMBER.match(v) for v in values)
        and {int(v) for v in values} <= set(range(1, size + 1))
    )


def _marks_only(group: ColumnGroup) -> bool:
    """Every option column holds its own label or a chosen / not-chosen mark only."""
    return all(
        {normalise(v) for v in column.distinct}
        <= {normalise(item), *CHOSEN_MARKS, *NOT_CHOSEN_MARKS}
        for column, item in zip(group.columns, group.items, strict=True)
    )


def guess_group(group: ColumnGroup, settings: DraftSettings) -> QuestionDraft | None:
    """A group of columns: a ranking, a grid, or a multi-select with one column per option
    (a "please specify" column among them is its ``other_text``); None when they are
    unrelated columns after all."""
    other = [c for c in group.columns if is_other_text(c, settings)]
    if other and len(group.columns) - len(other) >= 2:
        keep = [i for i, c in enumerate(group.columns) if c not in other]
        group = ColumnGroup(
            group.stem,
            tuple(group.items[i] for i in keep),
            tuple(group.columns[i] for i in keep),
        )
    values = [a for column in group.columns for a in column.distinct]
    if not values:
        return None
    size = len(group.columns)
    codes, labels = _coded(list(group.items))
    named = {code: column.name for code, column in zip(codes, group.columns, strict=True)}
    specify = other[0].name if other else None
    if _is_ranking(group, values, settings):
        answered = max(column.answers.len() for column in group.columns)
        check = f"{size} options ranked 1 to {size}; {answered} people ranked"
        return QuestionDraft("ranking", group.stem, check, columns=named, labels=labels)
    if _marks_only(group):
        check = f"{size} options, one column each (a mark means chosen)"
        return QuestionDraft(
            "multi", group.stem, check, columns=named, labels=labels, other_text=specify
        )
    scale = familiar_scale(values, settings)
    check = f"{size} items on a familiar scale"
    if scale is None:
        scale = _shared_scale(group)
        check = f"{size} items sharing {len(scale or [])} answers: put the scale in order"
    if scale is not None:
        return QuestionDraft("grid", group.stem, check, items=named, labels=labels, scale=scale)
    return None
