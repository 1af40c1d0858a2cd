"""Rules every raw cell is held to as read: no NUL byte, no cell over ``max_cell_chars``, and
cells of white space only read as blank (:mod:`pipelines.ingest.read` applies them)."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.errors import InputError
from pipelines.settings import InputLimits, input_limits

ROW = "__row"
"""Column holding each data row's number as a spreadsheet shows it (the header is row 1)."""
SETTINGS_NOTE = "config/workbook.yml"


def _header_name(column: str) -> str:
    """A column header as a message can show it: short, and with no control characters."""
    shown = column if len(column) <= 60 else column[:57] + "..."
    return repr(shown)


#: How much of a file :func:`holds_nul` reads at a time.
NUL_SEARCH_BYTES = 16 << 20


def holds_nul(path: Path) -> bool:
    """Whether the file holds a NUL byte anywhere: a byte search of the file a block at a
    time, far cheaper than searching every parsed cell of a file that holds none. (Not the
    file mapped into memory: its pages would count as the process's own, a 4 GB export's
    4 GB of them, for as long as the search ran.)"""
    with path.open("rb") as handle:
        return any(b"\x00" in block for block in iter(lambda: handle.read(NUL_SEARCH_BYTES), b""))


def check_cells(
    frame: pl.DataFrame, path: Path, limits: InputLimits | None = None, *, nul_free: bool = False
) -> None:
    """Refuse a batch of raw cells (numbered in ``__row``) holding a NUL byte or a cell over
    ``max_cell_chars``, naming the file, the row and the column.

    One pass over the batch: the byte length of every cell (stored, not counted) and a
    byte search for NUL (skipped where ``nul_free``: the file is known to hold none,
    :func:`holds_nul`); characters are counted only in a column whose longest cell has
    more bytes than the cap allows characters.
    """
    cap = (limits or input_limits()).max_cell_chars
    for column in frame.columns:
        if "\x00" in column:
            raise InputError(
                f"{path}, row 1 (the header): a column name holds a NUL byte (binary data, not "
                "text): re-export the file from the survey tool"
            )
        if len(column) > cap:
            raise InputError(
                f"{path}, row 1 (the header): a column name of {len(column):,} characters is "
                f"over the cap of {cap:,}: raise max_cell_chars in {SETTINGS_NOTE} if the file "
                "is trusted"
            )
    text = [c for c, dtype in frame.schema.items() if c != ROW and dtype == pl.String]
    if not text or frame.height == 0:
        return
    stats = frame.select(
        *(
            pl.lit(False).alias(f"n{i}")
            if nul_free
            else pl.col(c).str.contains("\x00", literal=True).any().alias(f"n{i}")
            for i, c in enumerate(text)
        ),
        *(pl.col(c).str.len_bytes().max().alias(f"b{i}") for i, c in enumerate(text)),
    ).row(0)
    has_nul, longest = stats[: len(text)], stats[len(text) :]
    if any(has_nul):
        found = pl.any_horizontal(
            pl.col(c).str.contains("\x00", literal=True)
            for c, nul in zip(text, has_nul, strict=True)
            if nul
        )
        row = frame.filter(found)[ROW][0]
        raise InputError(
            f"{path}, row {row}: a cell holds a NUL byte (binary data, not text): remove it or "
            "export the file again from the survey tool"
        )
    over = [c for c, size in zip(text, longest, strict=True) if size is not None and size > cap]
    if not over:
        return
    first = (
        frame.select(
            ROW,
            *(pl.col(c).str.len_chars().alias(f"c{i}") for i, c in enumerate(over)),
        )
        .filter(pl.any_horizontal(pl.col(f"c{i}") > cap for i in range(len(over))))
        .head(1)
    )
    if first.is_empty():  # long in bytes, not in characters
        return
    values = first.row(0)
    column = next(c for c, n in zip(over, values[1:], strict=True) if n is not None and n > cap)
    chars = max(n for n in values[1:] if n is not None)
    raise InputError(
        f"{path}, row {values[0]}, column {_header_name(column)}: a cell of {chars:,} characters "
        f"is over the cap of {cap:,}: shorten it, or raise max_cell_chars in {SETTINGS_NOTE} "
        "if the file is trusted"
    )


def blank_to_null(frame: pl.DataFrame) -> pl.DataFrame:
    """Cells holding only spaces count as blank.

    Only the columns that hold such a cell are rewritten, one at a time, so a big export is
    not copied whole (polars already reads empty cells as null).
    """
    text = [c for c, dtype in frame.schema.items() if dtype == pl.String]
    if not text:
        return frame
    # no character but white space: a search that stops at a cell's first other character
    blank = frame.select((~pl.col(c).str.contains(r"\S")).any() for c in text)
    for column, has_blank in blank.row(0, named=True).items():
        if has_blank:
            cells = pl.col(column)
            frame = frame.with_columns(
                pl.when(cells.str.strip_chars() == "").then(None).otherwise(cells).alias(column)
            )
    return frame
