"""Read a raw export (CSV or XLSX) as text, never lossily, with its source row numbers."""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from pipelines.errors import InputError

ROW = "__row"
"""Column holding each data row's number as a spreadsheet shows it (the header is row 1)."""

ENCODINGS: tuple[str, ...] = ("utf-8", "cp1252")
BOM = b"\xef\xbb\xbf"
BLOCK = 1 << 24
#: CSV exports larger than this are read in batches of ``CHUNK_ROWS`` rows
#: (:func:`read_table_chunks`), so a big export's raw text is never held whole.
STREAM_BYTES = 256 << 20
CHUNK_ROWS = 500_000


@dataclass(frozen=True)
class RawTable:
    """A raw file's cells, all text, plus where each row came from."""

    path: Path
    frame: pl.DataFrame
    encoding: str


@dataclass(frozen=True)
class RawChunks:
    """A raw file's cells, all text, as consecutive row batches (each with ``__row``)."""

    path: Path
    chunks: Iterator[pl.DataFrame]
    encoding: str


class NotUtf8Error(InputError):
    """A CSV read in batches turned out to be cp1252: read it again whole (re-encoded)."""


def detect_encoding(path: Path) -> str:
    """``utf-8-sig``, ``utf-8`` or ``cp1252``: the first that decodes the file without loss.

    The file is checked a block at a time, so a 4 GB export is never held as text.
    """
    with path.open("rb") as handle:
        start = handle.read(len(BOM))
    candidates: tuple[str, ...] = ("utf-8-sig",) if start == BOM else ENCODINGS
    for encoding in candidates:
        if _decodes(path, encoding):
            return encoding
    raise InputError(
        f"{path} is not text in UTF-8 or Windows-1252 (cp1252): re-save it from the survey tool "
        "or Excel as 'CSV UTF-8'"
    )


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    with path.open("rb") as handle:
        try:
            for block in iter(lambda: handle.read(BLOCK), b""):
                decoder.decode(block)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False
    return True


def _numbered(frame: pl.DataFrame, header_rows: int) -> pl.DataFrame:
    return frame.with_row_index(ROW, offset=header_rows + 1).with_columns(
        pl.col(ROW).cast(pl.Int64)
    )


def _check_csv_bytes(path: Path) -> None:
    """Refuse empty and binary files before parsing, naming the file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError as error:
        raise InputError(f"{path} cannot be read: {error.strerror}") from error
    if not head.strip(BOM + b" \r\n\t") and path.stat().st_size <= len(head):
        raise InputError(f"{path} is empty: export the responses again")
    if b"\x00" in head[:4096]:
        raise InputError(f"{path} is not a CSV file (it holds binary data)")


def read_csv_text(path: Path, header_rows: int = 1) -> RawTable:
    """Every column of a CSV as text; extra header rows after the first are skipped.

    UTF-8 files (most exports) are parsed straight from disk, polars checking the encoding
    as it goes; only where that fails is the file checked and, if cp1252, re-encoded.
    """
    _check_csv_bytes(path)
    try:
        return _parsed(path, path, header_rows, "utf-8-sig" if _has_bom(path) else "utf-8")
    except InputError:
        encoding = detect_encoding(path)
        if encoding != "cp1252":
            raise
    source = io.BytesIO(path.read_bytes().decode(encoding).encode("utf-8"))
    return _parsed(path, source, header_rows, encoding)


def _has_bom(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(len(BOM)) == BOM


def _parsed(path: Path, source: Path | io.BytesIO, header_rows: int, encoding: str) -> RawTable:
    try:
        frame = pl.read_csv(
            source,
            infer_schema=False,
            skip_rows_after_header=header_rows - 1,
            truncate_ragged_lines=False,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
        raise InputError(f"{path} could not be read as CSV: {error}") from error
    frame = frame.rename({c: c.strip() for c in frame.columns})
    return RawTable(
        path=path, frame=_numbered(_blank_to_null(frame), header_rows), encoding=encoding
    )


def read_xlsx_text(path: Path, sheet: str | int | None = None, header_rows: int = 1) -> RawTable:
    """Every column of a worksheet as text (first sheet unless ``sheet`` is given)."""
    if not path.is_file():
        raise InputError(f"{path} is missing")
    selector = {"sheet_name": sheet} if isinstance(sheet, str) else {"sheet_id": (sheet or 0) + 1}
    try:
        frame = pl.read_excel(path, engine="calamine", infer_schema_length=0, **selector)
    except Exception as error:  # fastexcel raises its own error types for unreadable workbooks
        raise InputError(f"{path} could not be read as an Excel workbook: {error}") from error
    frame = frame.cast(pl.String).slice(header_rows - 1)
    frame = frame.rename({c: c.strip() for c in frame.columns})
    return RawTable(path=path, frame=_numbered(_blank_to_null(frame), header_rows), encoding="xlsx")


def read_table(path: Path, header_rows: int = 1, sheet: str | int | None = None) -> RawTable:
    """Read a CSV or XLSX export as text, by its extension."""
    if not path.is_file():
        raise InputError(f"{path} is missing: put the survey tool's export there")
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv_text(path, header_rows)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_text(path, sheet, header_rows)
    raise InputError(f"{path}: only .csv and .xlsx exports can be read")


def read_table_chunks(
    path: Path, header_rows: int = 1, sheet: str | int | None = None, *, stream: bool = True
) -> RawChunks:
    """:func:`read_table` as row batches: a big UTF-8 CSV is parsed a batch at a time (the
    same cells, row numbers and errors); anything else is read whole as one batch.

    A batched file found not to be UTF-8 raises :class:`NotUtf8Error`: call again with
    ``stream=False``.
    """
    if (
        stream
        and path.suffix.lower() == ".csv"
        and path.is_file()
        and path.stat().st_size > STREAM_BYTES
    ):
        _check_csv_bytes(path)
        encoding = "utf-8-sig" if _has_bom(path) else "utf-8"
        return RawChunks(path=path, chunks=_csv_batches(path, header_rows), encoding=encoding)
    raw = read_table(path, header_rows, sheet)
    return RawChunks(path=raw.path, chunks=iter([raw.frame]), encoding=raw.encoding)


def _csv_batches(path: Path, header_rows: int) -> Iterator[pl.DataFrame]:
    scan = pl.scan_csv(
        path,
        infer_schema=False,
        skip_rows_after_header=header_rows - 1,
        truncate_ragged_lines=False,
    )
    first = header_rows + 1
    try:
        for batch in scan.collect_batches(chunk_size=CHUNK_ROWS):
            if batch.height == 0:
                continue
            batch = _blank_to_null(batch.rename({c: c.strip() for c in batch.columns}))
            yield batch.with_row_index(ROW, offset=first).with_columns(pl.col(ROW).cast(pl.Int64))
            first += batch.height
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
        if detect_encoding(path) == "cp1252":
            raise NotUtf8Error(f"{path} is cp1252, not UTF-8") from error
        raise InputError(f"{path} could not be read as CSV: {error}") from error


def _blank_to_null(frame: pl.DataFrame) -> pl.DataFrame:
    """Cells holding only spaces count as blank.

    Only the columns that hold such a cell are rewritten, one at a time, so a big export is
    not copied whole (polars already reads empty cells as null).
    """
    blank = frame.select(pl.col(c).str.contains(r"^\s*$").any() for c in frame.columns)
    for column, has_blank in blank.row(0, named=True).items():
        if has_blank:
            cells = pl.col(column)
            frame = frame.with_columns(
                pl.when(cells.str.strip_chars() == "").then(None).otherwise(cells).alias(column)
            )
    return frame
