"""Cell-level rules of reading an export, judged once per distinct cell or by a byte search:
the same answers as judging every cell (#22's faster reading)."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.consultation import Question
from pipelines.fields import normalise
from pipelines.ingest import cells
from pipelines.ingest.answers import CHOSE_NOTHING, NOT_CHOSEN, _per_option_cells
from pipelines.ingest.cells import ROW, blank_to_null, holds_nul

#: Per-option cells: chosen labels, not-chosen spellings (any case and spacing), blanks.
CELLS = {
    "q8::gp": ["My GP", None, " no ", "Unchecked", None, "  ", "1", None],
    "q8::letter": [None, "A letter", "NO", None, "False", None, "0", None],
}


def _question(chosen: list[str] | None = None) -> Question:
    return Question(
        id="q8",
        type="multi",
        columns={"gp": "GP", "letter": "Letter"},
        options=["gp", "letter"],
        chosen=chosen,
    )


def _by_hand(question: Question) -> pl.DataFrame:
    """Each row judged in Python, cell by cell: an option per chosen cell (options in
    order), then :data:`CHOSE_NOTHING` for rows that wrote something but chose nothing."""
    options = list(question.columns or {})
    spellings = {normalise(text) for text in question.chosen or []}

    def chosen(cell: str | None) -> bool:
        if cell is None:
            return False
        key = normalise(cell)
        return key in spellings if question.chosen else key != "" and key not in NOT_CHOSEN

    rows = range(len(CELLS["q8::gp"]))
    found = [
        (row, option) for option in options for row in rows if chosen(CELLS[f"q8::{option}"][row])
    ]
    nothing = [
        (row, CHOSE_NOTHING)
        for row in rows
        if any(normalise(CELLS[f"q8::{o}"][row] or "") != "" for o in options)
        and not any(chosen(CELLS[f"q8::{o}"][row]) for o in options)
    ]
    return pl.DataFrame(
        found + nothing, schema={ROW: pl.UInt32, "raw_value": pl.String}, orient="row"
    )


@pytest.mark.parametrize("chosen", [None, ["1", "My GP"]], ids=["default", "chosen-spellings"])
def test_per_option_cells_judged_once_per_distinct_cell_equal_every_cell_judged(
    chosen: list[str] | None,
) -> None:
    named = pl.DataFrame(CELLS).with_row_index(ROW)
    question = _question(chosen)
    assert_frame_equal(_per_option_cells(named, question), _by_hand(question))


def test_blank_to_null_blanks_cells_of_white_space_only() -> None:
    frame = pl.DataFrame({"a": [" ", "\t\u00a0", "x ", None, "", " y"], "b": ["1"] * 6})
    blanked = blank_to_null(frame)
    assert blanked["a"].to_list() == [None, None, "x ", None, None, " y"]
    assert blanked["b"].to_list() == ["1"] * 6


def test_holds_nul_finds_a_nul_byte_anywhere(tmp_path: Path) -> None:
    path = tmp_path / "responses.csv"
    path.write_bytes(b"a,b\n" + b"x,y\n" * 5000 + b"x,\x00\n")
    assert holds_nul(path)
    path.write_bytes(b"a,b\n" + b"x,y\n" * 5000)
    assert not holds_nul(path)
    path.write_bytes(b"")
    assert not holds_nul(path)


def test_holds_nul_reads_block_after_block(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The file is searched a block at a time: a NUL in the last block, or first or last in
    a block, is found; a file of several blocks without one is not flagged."""
    monkeypatch.setattr(cells, "NUL_SEARCH_BYTES", 8)
    path = tmp_path / "responses.csv"
    for at in (0, 7, 8, 15, 16, 39):
        text = bytearray(b"x" * 40)
        text[at] = 0
        path.write_bytes(bytes(text))
        assert holds_nul(path), at
    path.write_bytes(b"x" * 40)
    assert not holds_nul(path)
