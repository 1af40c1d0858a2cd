"""Read a raw export (CSV or XLSX) as text, never lossily, with its source row numbers."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import polars as pl

from pipelines.errors import InputError
from pipelines.ingest.cells import ROW, SETTINGS_NOTE, blank_to_null, check_cells, holds_nul
from pipelines.ingest.encoding import BOM, decoded_header, detect_encoding, header_cells
from pipelines.ingest.headers import (
    HeaderNaming,
    header_grid,
    header_names,
    named_headers,
)
from pipelines.settings import InputLimits, input_limits

#: CSV exports larger than this are read in batches of ``CHUNK_ROWS`` rows
#: (:func:`read_table_chunks`), so a big export's raw text is never held whole. The reader
#: parses a few batches ahead of the one being standardised: small batches keep that
#: read-ahead small (docs/performance.md).
STREAM_BYTES = 256 << 20
CHUNK_ROWS = 100_000
#: Parts of an .xlsx up to this size (unzipped) are not held to ``max_xlsx_ratio``: tiny
#: parts compress far beyond any bomb's ratio (Apache POI's grace size for the same check).
XLSX_RATIO_GRACE_BYTES = 100 << 10
#: Bytes unzipped at a time when an .xlsx's parts are measured (memory stays at this).
UNZIP_BLOCK = 1 << 20


@dataclass(frozen=True)
class RawTable:
    """A raw file's cells, all text, plus where each row came from.

    ``encoding``: how the whole file was decoded (``utf-8-sig``, ``utf-8``, ``cp1252``) or
    ``xlsx``; ``headers``: each column's name -> its header cells, top to bottom.
    """

    path: Path
    frame: pl.DataFrame
    encoding: str
    headers: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class RawChunks:
    """A raw file's cells, all text, as consecutive row batches (each with ``__row``)."""

    path: Path
    chunks: Iterator[pl.DataFrame]
    encoding: str
    headers: dict[str, tuple[str, ...]] = field(default_factory=dict)


class NotUtf8Error(InputError):
    """A CSV read in batches turned out to be cp1252: read it again whole (re-encoded)."""


def _numbered(frame: pl.DataFrame, header_rows: int) -> pl.DataFrame:
    return frame.with_row_index(ROW, offset=header_rows + 1).with_columns(
        pl.col(ROW).cast(pl.Int64)
    )


def check_csv_bytes(path: Path) -> None:
    """Refuse empty and binary files before parsing, naming the file.

    Only the start is looked at here (a PNG or a UTF-16 file is refused at once); a NUL byte
    further on is found in the parsed cells (:func:`check_cells`), with its row.
    """
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError as error:
        raise InputError(f"{path} cannot be read: {error.strerror}") from error
    if not head.strip(BOM + b" \r\n\t") and path.stat().st_size <= len(head):
        raise InputError(f"{path} is empty: export the responses again")
    nul = head.find(b"\x00", 0, 4096)
    if nul >= 0:
        line = head.count(b"\n", 0, nul) + 1
        raise InputError(
            f"{path} is not a CSV file: line {line} holds a NUL byte (binary data, or UTF-16 "
            "text): re-save it from the survey tool or Excel as 'CSV UTF-8'"
        )


def check_file_size(path: Path, limits: InputLimits | None = None) -> None:
    """Refuse a raw file larger than ``max_file_bytes``."""
    cap = (limits or input_limits()).max_file_bytes
    try:
        size = path.stat().st_size
    except OSError as error:
        raise InputError(f"{path} cannot be read: {error.strerror}") from error
    if size > cap:
        raise InputError(
            f"{path} is {size:,} bytes, over the cap of {cap:,} bytes: split the export, or "
            f"raise max_file_bytes in {SETTINGS_NOTE} if the file is trusted"
        )


def check_xlsx_zip(path: Path, limits: InputLimits | None = None) -> None:
    """Refuse a workbook that would unzip past the caps, before the workbook reader sees it.

    First from the zip's directory alone (nothing unzipped): the number of parts, their
    total size and any large part's compression ratio. Then each part is unzipped as a
    stream, a block at a time and nothing kept, to prove it holds no more than the directory
    says: the workbook reader trusts the data, not the directory, so a directory that
    understates a part would otherwise let a bomb through. Not a zip at all is left for the
    reader to report.
    """
    limits = limits or input_limits()
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return
    _check_zip_directory(path, parts, limits)
    with path.open("rb") as handle:
        for part in parts:
            unzipped = _unzipped_size(handle, part, path)
            if unzipped != part.file_size:
                raise InputError(
                    f"{path}: its part {part.filename[:80]!r} unzips to "
                    f"{'more' if unzipped > part.file_size else 'less'} than the workbook's "
                    f"directory says ({part.file_size:,} bytes): the file is damaged or crafted; "
                    "export it again, or save the responses as CSV"
                )


def _check_zip_directory(path: Path, parts: list[zipfile.ZipInfo], limits: InputLimits) -> None:
    if len(parts) > limits.max_xlsx_parts:
        raise InputError(
            f"{path} holds {len(parts):,} parts, over the cap of {limits.max_xlsx_parts:,}: it is "
            f"not a plain export; raise max_xlsx_parts in {SETTINGS_NOTE} if the file is trusted"
        )
    total = sum(part.file_size for part in parts)
    if total > limits.max_xlsx_unzipped_bytes:
        raise InputError(
            f"{path} unzips to {total:,} bytes, over the cap of "
            f"{limits.max_xlsx_unzipped_bytes:,}: save the responses as CSV instead, or raise "
            f"max_xlsx_unzipped_bytes in {SETTINGS_NOTE} if the file is trusted"
        )
    for part in parts:
        if part.file_size <= XLSX_RATIO_GRACE_BYTES:
            continue
        ratio = part.file_size / max(part.compress_size, 1)
        if ratio > limits.max_xlsx_ratio:
            raise InputError(
                f"{path}: its part {part.filename[:80]!r} unzips {ratio:,.0f} times larger "
                f"({part.compress_size:,} to {part.file_size:,} bytes), over the cap of "
                f"{limits.max_xlsx_ratio} (a zip bomb, or a sheet of one value repeated): save "
                f"the responses as CSV instead, or raise max_xlsx_ratio in {SETTINGS_NOTE} if the "
                "file is trusted"
            )


def _unzipped_size(handle: BinaryIO, part: zipfile.ZipInfo, path: Path) -> int:
    """How many bytes ``part`` really unzips to, counted up to one block past what the
    directory says (then counting stops: the part is refused either way)."""
    damaged = InputError(
        f"{path} could not be read as an Excel workbook: its part {part.filename[:80]!r} "
        "is damaged; export it again"
    )
    handle.seek(part.header_offset)
    local = handle.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise damaged
    name_length, extra_length = struct.unpack("<HH", local[26:30])
    handle.seek(part.header_offset + 30 + name_length + extra_length)
    if part.compress_type == zipfile.ZIP_STORED:
        return part.compress_size
    if part.compress_type != zipfile.ZIP_DEFLATED or part.flag_bits & 0x1:
        raise InputError(
            f"{path} could not be read as an Excel workbook: its part {part.filename[:80]!r} "
            "is encrypted or compressed in a way Excel does not use; export it again"
        )
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    left, unzipped = part.compress_size, 0
    try:
        while left > 0 and not inflater.eof:
            block = handle.read(min(UNZIP_BLOCK, left))
            if not block:
                break
            left -= len(block)
            while block:
                unzipped += len(inflater.decompress(block, UNZIP_BLOCK))
                if unzipped > part.file_size:
                    return unzipped
                block = inflater.unconsumed_tail
    except zlib.error as error:
        raise damaged from error
    return unzipped


def read_csv_text(
    path: Path,
    header_rows: int = 1,
    *,
    limits: InputLimits | None = None,
    naming: HeaderNaming | None = None,
) -> RawTable:
    """Every column of a CSV as text, named from its ``header_rows`` rows by ``naming``.

    The whole file is decoded one way. Its header rows are decoded strictly first (polars
    would read a cp1252 header as mojibake without a word); UTF-8 files (most exports) are
    then parsed straight from disk, polars checking the encoding as it goes; only where
    either fails is the file checked and, if cp1252, re-encoded, its header read again.
    Cells are held to the caps of ``limits`` (:func:`check_cells`).
    """
    limits = limits or input_limits()
    check_csv_bytes(path)
    encoding, cells = decoded_header(path, header_rows, limits)
    frame = None
    if encoding != "cp1252":
        try:
            frame = _parsed(path, path, header_rows)
        except _NotParsed:
            if detect_encoding(path) != "cp1252":
                raise
            encoding = "cp1252"
            cells = header_cells(path, header_rows, encoding, limits)
    if frame is None:
        source = io.BytesIO(path.read_bytes().decode(encoding).encode("utf-8"))
        frame = _parsed(path, source, header_rows)
    frame, headers = _named(path, frame, cells, header_rows, naming)
    check_cells(frame, path, limits, nul_free=not holds_nul(path))
    return RawTable(path, blank_to_null(frame), encoding, headers)


def _named(
    path: Path,
    frame: pl.DataFrame,
    cells: list[list[str]],
    header_rows: int,
    naming: HeaderNaming | None,
) -> tuple[pl.DataFrame, dict[str, tuple[str, ...]]]:
    """``frame`` with its columns named from the header cells (by position)."""
    data = [column for column in frame.columns if column != ROW]
    names, headers = header_names(path, cells, len(data), header_rows, naming)
    return frame.rename(dict(zip(data, names, strict=True))), headers


class _NotParsed(InputError):
    """polars could not parse the file as CSV (perhaps only because it is not UTF-8)."""


def _parsed(path: Path, source: Path | io.BytesIO, header_rows: int) -> pl.DataFrame:
    """The CSV's cells as text, numbered, with the headers stripped."""
    try:
        frame = pl.read_csv(
            source,
            infer_schema=False,
            skip_rows_after_header=header_rows - 1,
            truncate_ragged_lines=False,
        )
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
        raise _NotParsed(f"{path} could not be read as CSV: {error}") from error
    return _numbered(frame, header_rows)


def read_xlsx_text(
    path: Path,
    sheet: str | int | None = None,
    header_rows: int = 1,
    *,
    limits: InputLimits | None = None,
    naming: HeaderNaming | None = None,
) -> RawTable:
    """Every column of a worksheet as text (first sheet unless ``sheet`` is given), named
    from its ``header_rows`` rows by ``naming``.

    The workbook's zip directory is checked against the caps of ``limits`` before the
    workbook is opened (:func:`check_xlsx_zip`), its cells after (:func:`check_cells`).
    """
    if not path.is_file():
        raise InputError(f"{path} is missing")
    limits = limits or input_limits()
    check_xlsx_zip(path, limits)
    selector = {"sheet_name": sheet} if isinstance(sheet, str) else {"sheet_id": (sheet or 0) + 1}
    try:
        frame = pl.read_excel(
            path,
            engine="calamine",
            infer_schema_length=0,
            read_options={"header_row": None},
            **selector,
        )
    except Exception as error:  # fastexcel raises its own error types for unreadable workbooks
        raise InputError(f"{path} could not be read as an Excel workbook: {error}") from error
    frame = frame.cast(pl.String)
    cells = [list(row) for row in frame.head(header_rows).rows()]
    grid = header_grid(cells, frame.width, header_rows)
    names, headers = named_headers(grid, naming or HeaderNaming())
    frame = frame.slice(header_rows).rename(dict(zip(frame.columns, names, strict=True)))
    frame = _numbered(frame, header_rows)
    check_cells(frame, path, limits)
    return RawTable(path, blank_to_null(frame), "xlsx", headers)


def read_table(
    path: Path,
    header_rows: int = 1,
    sheet: str | int | None = None,
    *,
    limits: InputLimits | None = None,
    naming: HeaderNaming | None = None,
) -> RawTable:
    """Read a CSV or XLSX export as text, by its extension, within the caps of ``limits``
    (``config/workbook.yml``'s unless given), its columns named by ``naming`` (default: the
    first header row)."""
    if not path.is_file():
        raise InputError(f"{path} is missing: put the survey tool's export there")
    limits = limits or input_limits()
    check_file_size(path, limits)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return read_csv_text(path, header_rows, limits=limits, naming=naming)
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx_text(path, sheet, header_rows, limits=limits, naming=naming)
    raise InputError(f"{path}: only .csv and .xlsx exports can be read")


def read_table_chunks(
    path: Path,
    header_rows: int = 1,
    sheet: str | int | None = None,
    *,
    stream: bool = True,
    limits: InputLimits | None = None,
    naming: HeaderNaming | None = None,
) -> RawChunks:
    """:func:`read_table` as row batches: a big UTF-8 CSV is parsed a batch at a time (the
    same cells, names, row numbers and errors); anything else is read whole as one batch.

    A batched file found not to be UTF-8 (in its header rows, before any batch, or in a
    later batch) raises :class:`NotUtf8Error` from its batches: call again with
    ``stream=False``, which decodes the whole file as cp1252, and start over with its
    batches (never mix the two). Every batch is held to the caps of ``limits`` as read.
    """
    limits = limits or input_limits()
    if (
        stream
        and path.suffix.lower() == ".csv"
        and path.is_file()
        and path.stat().st_size > STREAM_BYTES
    ):
        check_file_size(path, limits)
        check_csv_bytes(path)
        encoding, cells = decoded_header(path, header_rows, limits)
        scan = pl.scan_csv(
            path,
            infer_schema=False,
            skip_rows_after_header=header_rows - 1,
            truncate_ragged_lines=False,
        )
        try:
            width = scan.collect_schema().len()
        except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
            raise InputError(f"{path} could not be read as CSV: {error}") from error
        names, headers = header_names(path, cells, width, header_rows, naming)
        if encoding == "cp1252":
            batches = _not_utf8(path)
        else:
            batches = _csv_batches(path, scan, header_rows, limits, names)
        return RawChunks(path, batches, encoding, headers)
    raw = read_table(path, header_rows, sheet, limits=limits, naming=naming)
    return RawChunks(raw.path, iter([raw.frame]), raw.encoding, raw.headers)


def _not_utf8(path: Path) -> Iterator[pl.DataFrame]:
    """No batch: the header rows are cp1252, so the file is read whole instead."""
    raise NotUtf8Error(f"{path} is cp1252, not UTF-8")
    yield  # a generator: raised when its batches are asked for


def _csv_batches(
    path: Path, scan: pl.LazyFrame, header_rows: int, limits: InputLimits, names: list[str]
) -> Iterator[pl.DataFrame]:
    first = header_rows + 1
    nul_free = not holds_nul(path)
    try:
        for batch in scan.collect_batches(chunk_size=CHUNK_ROWS):
            if batch.height == 0:
                continue
            batch.columns = names
            batch = batch.with_row_index(ROW, offset=first).with_columns(pl.col(ROW).cast(pl.Int64))
            check_cells(batch, path, limits, nul_free=nul_free)
            yield blank_to_null(batch)
            first += batch.height
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as error:
        if detect_encoding(path) == "cp1252":
            raise NotUtf8Error(f"{path} is cp1252, not UTF-8") from error
        raise InputError(f"{path} could not be read as CSV: {error}") from error
