"""Name an export's columns from its header rows, as consultation.yml's ``header`` says.

Survey tools write one to three rows above the data: SurveyMonkey a question over its
columns (merged cells, blank after the first) and the option names below; Qualtrics ids,
then question texts, then import ids. Every column gets one name people can map, and the
cells of every header row are kept with it (a Qualtrics question's text is its row-2 cell).
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipelines.consultation import Consultation
from pipelines.errors import InputError
from pipelines.fields import normalise

#: What goes between a column's header cells in a ``joined`` name.
JOIN = " - "


@dataclass(frozen=True)
class HeaderNaming:
    """How columns are named: by header row ``row`` (1-based), or, with ``row`` None, by
    their header cells joined (``drop``: cells below the first row left out)."""

    row: int | None = 1
    drop: tuple[str, ...] = ()


def header_naming(consultation: Consultation) -> HeaderNaming:
    """consultation.yml's ``header`` (and its preset's words to drop) as a naming."""
    drop = tuple(consultation.preset.drop_words) if consultation.header_row is None else ()
    return HeaderNaming(row=consultation.header_row, drop=drop)


def column_letters(index: int) -> str:
    """A spreadsheet's column letters for a 0-based position: 0 -> A, 27 -> AB."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def header_grid(
    rows: Sequence[Sequence[str | None]], width: int, height: int = 1
) -> list[list[str]]:
    """The header rows as a full grid of ``width`` columns and at least ``height`` rows (an
    export shorter than its header rows gets blank ones), cells trimmed, blanks as ""."""
    rows = [*rows, *([[]] * (height - len(rows)))]
    return [
        [((row[i] if i < len(row) else None) or "").strip() for i in range(width)] for row in rows
    ]


def filled_left(grid: list[list[str]]) -> list[list[str]]:
    """The header rows with a blank cell in a row above the last taking the nearest
    non-empty cell to its left: a merged cell, as survey tools write a question over its
    option columns."""
    filled: list[list[str]] = []
    for number, row in enumerate(grid, start=1):
        if number < len(grid):
            left = ""
            row = [left := (cell or left) for cell in row]
        filled.append(row)
    return filled


def _joined(grid: list[list[str]], drop: tuple[str, ...]) -> list[str]:
    """Each column's cells top to bottom, non-empty ones joined by " - "; a blank cell in a
    row above the last takes the nearest non-empty cell to its left (a merged cell); a cell
    below the first row spelt as one of ``drop`` is left out."""
    dropped = {normalise(word) for word in drop}
    filled = filled_left(grid)
    names = []
    for column in zip(*filled, strict=True):
        parts = [
            cell
            for number, cell in enumerate(column, start=1)
            if cell and not (number > 1 and normalise(cell) in dropped)
        ]
        names.append(JOIN.join(parts))
    return names


def unique_names(names: Sequence[str]) -> list[str]:
    """``names`` made unique: a blank one is ``(column C)`` (its letters), and a name that
    comes out the same as an earlier one (ignoring case and spaces) gets " (2)", " (3)"."""
    seen: set[str] = set()
    counts: dict[str, int] = {}
    unique = []
    for index, name in enumerate(names):
        name = name or f"(column {column_letters(index)})"
        key = normalise(name)
        candidate = name
        while normalise(candidate) in seen:
            counts[key] = counts.get(key, 1) + 1
            candidate = f"{name} ({counts[key]})"
        seen.add(normalise(candidate))
        unique.append(candidate)
    return unique


def column_names(grid: list[list[str]], naming: HeaderNaming) -> list[str]:
    """The columns' names from the header grid (:func:`header_grid`), unique."""
    if naming.row is None:
        return unique_names(_joined(grid, naming.drop))
    if naming.row > len(grid):
        return unique_names([""] * len(grid[0]))
    return unique_names(grid[naming.row - 1])


def named_headers(
    grid: list[list[str]], naming: HeaderNaming
) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """The columns' names, and each name's header cells top to bottom."""
    names = column_names(grid, naming)
    cells = {name: tuple(row[i] for row in grid) for i, name in enumerate(names)}
    return names, cells


def header_names(
    path: Path, cells: list[list[str]], width: int, header_rows: int, naming: HeaderNaming | None
) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """The names of a CSV's ``width`` columns from its header ``cells``, and each name's
    header cells; a header whose cells the two CSV readers count differently is refused."""
    if cells and len(cells[0]) != width:
        raise InputError(
            f"{path}, row 1 (the header): its cells cannot be told apart ({len(cells[0])} by "
            f"one reading, {width} by another): check it is a CSV export with commas between "
            "cells, or export it again"
        )
    check_separator(path, cells)
    return named_headers(header_grid(cells, width, header_rows), naming or HeaderNaming())


#: Separators other than the comma that spreadsheets write between a CSV's cells.
OTHER_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def check_separator(path: Path, cells: list[list[str]]) -> None:
    """Refuse a CSV written with another separator (Excel in many European locales writes
    ";"): read with commas, its header is one cell holding every name, or, where a name
    holds a comma ("How satisfied are you, overall?"), a few cells holding at least as many
    of that separator as there are cells (more pieces split by it than by commas); it would
    be mapped, or reported, as one field."""
    first = cells[0] if cells else []
    for separator, name in OTHER_SEPARATORS.items():
        found = sum(cell.count(separator) for cell in first)
        if found and found >= len(first):  # it splits the header into more cells than commas
            header = ",".join(first)
            shape = (
                f" is one cell holding {name}"
                if len(first) == 1
                else f", read with commas, has {found} {name} in {len(first)} cells"
            )
            raise InputError(
                f"{path}: the header{shape} ({header[:80]!r}): the file "
                f"has {name} between its cells, not commas. Save it again as CSV with commas "
                "(Excel: 'CSV UTF-8 (Comma delimited)'), or export it from the survey tool "
                "as CSV"
            )


def csv_header_rows(path: Path, rows: int, encoding: str, max_cell_chars: int) -> list[list[str]]:
    """The first ``rows`` records of a CSV, decoded as ``encoding`` (strictly: a byte that
    does not decode raises UnicodeDecodeError). A cell over ``max_cell_chars`` is refused."""
    limit = csv.field_size_limit()
    csv.field_size_limit(max(limit, max_cell_chars + 1))
    records: list[list[str]] = []
    try:
        with path.open(encoding=encoding, errors="strict", newline="") as text:
            for record in csv.reader(text):
                records.append(record)
                if len(records) == rows:
                    break
    except csv.Error as error:
        raise InputError(
            f"{path}, row {len(records) + 1} (the header) cannot be read: {error}; if a cell "
            f"is over the cap of {max_cell_chars:,} characters, raise max_cell_chars in "
            "config/workbook.yml if the file is trusted"
        ) from error
    finally:
        csv.field_size_limit(limit)
    return records
