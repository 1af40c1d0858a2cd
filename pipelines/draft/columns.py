"""An export's columns as ``workbook init`` sees them: name, header cells and answers, and
the groups of columns that make one question (a grid's items, a multi-select's options)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

import polars as pl

from pipelines.fields import normalise

#: "Question [Item]" (Google Forms grids, LimeSurvey's full headers "Q1 [SQ001]").
BRACKETED = re.compile(r"^(?P<stem>.+?)\s*\[(?P<item>[^\]]+)\]\s*$")
#: Qualtrics' column ids of a question's parts: "Q2_1", "Q2_4_TEXT".
QUALTRICS_ID = re.compile(r"^(?P<stem>[A-Za-z]\w*?)_(?P<item>\d+)(?P<text>_TEXT)?$")
#: Qualtrics' words after a question with a text entry: "Which? - Selected Choice".
SELECTED_CHOICE = re.compile(r"\s+-\s+Selected Choice$")


@dataclass(frozen=True)
class ExportColumn:
    """One column of the export: the name validate reads it by, its header cells top to
    bottom, its answers as text (blank cells null, cells trimmed), and its title (the text
    a person reads: the name, or Qualtrics' question-text row)."""

    name: str
    cells: tuple[str, ...]
    values: pl.Series
    title: str = ""

    @cached_property
    def answers(self) -> pl.Series:
        """The non-blank answers."""
        text = self.values.cast(pl.String).str.strip_chars()
        return text.filter(text.is_not_null() & (text != ""))

    @cached_property
    def distinct(self) -> list[str]:
        """The distinct answers in order of first appearance."""
        return self.answers.unique(maintain_order=True).to_list()

    @property
    def blank_share(self) -> float:
        return 1 - self.answers.len() / self.values.len() if self.values.len() else 1.0

    def without(self, missing: list[str]) -> ExportColumn:
        """The column with cells spelt as one of ``missing`` made blank (as validate reads
        them)."""
        if not missing:
            return self
        spellings = [normalise(text) for text in missing]
        keys = self.values.cast(pl.String).map_elements(
            lambda cell: normalise(cell), return_dtype=pl.String, skip_nulls=True
        )
        kept = pl.select(
            pl.when(keys.is_in(spellings)).then(None).otherwise(self.values)
        ).to_series()
        return ExportColumn(self.name, self.cells, kept, self.title)

    @property
    def key(self) -> str:
        return normalise(self.name)

    @property
    def header_text(self) -> str:
        """The header as a person reads it."""
        return SELECTED_CHOICE.sub("", self.title or self.name).strip()


@dataclass(frozen=True)
class ColumnGroup:
    """Columns that look like one question: a shared stem, one item each."""

    stem: str
    items: tuple[str, ...]
    columns: tuple[ExportColumn, ...]


def _stem_and_item(column: ExportColumn, export: str) -> tuple[str, str] | None:
    """The question stem and item of a column that is one part of a question, or None:
    Qualtrics by its ids ("Q5_2": "Question - Item" in row 2), SurveyMonkey by its two
    header rows (question over option), the others by "Question [Item]"."""
    if export == "qualtrics":
        match = QUALTRICS_ID.match(column.name)
        if match is None or match["text"]:
            return None
        stem, _, item = column.header_text.rpartition(" - ")
        stem = SELECTED_CHOICE.sub("", stem).strip()
        return (stem, item) if stem else (match["stem"], column.header_text)
    if len(column.cells) >= 2 and column.cells[0] and column.cells[-1]:
        return column.cells[0], column.cells[-1]
    match = BRACKETED.match(column.name)
    if match:
        return match["stem"], match["item"]
    return None


def grouped(columns: list[ExportColumn], export: str) -> list[ExportColumn | ColumnGroup]:
    """The columns in export order, neighbours sharing a stem (two or more) as one group."""
    result: list[ExportColumn | ColumnGroup] = []
    run: list[tuple[ExportColumn, str, str]] = []

    def close() -> None:
        if len(run) >= 2:
            result.append(
                ColumnGroup(
                    stem=run[0][1],
                    items=tuple(item for _, _, item in run),
                    columns=tuple(column for column, _, _ in run),
                )
            )
        else:
            result.extend(column for column, _, _ in run)
        run.clear()

    for column in columns:
        found = _stem_and_item(column, export)
        if found is None:
            close()
            result.append(column)
            continue
        if run and normalise(run[-1][1]) != normalise(found[0]):
            close()
        run.append((column, found[0], found[1]))
    close()
    return result
