"""Read an export for drafting: its header rows as written, the survey tool that wrote it,
and its columns named as validate will name them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import fastexcel
import polars as pl

from pipelines.draft.columns import ExportColumn
from pipelines.errors import InputError
from pipelines.export_presets import export_presets, header_row_of
from pipelines.fields import normalise
from pipelines.ingest.encoding import utf8_header
from pipelines.ingest.headers import (
    HeaderNaming,
    check_separator,
    column_names,
    csv_header_rows,
    filled_left,
    header_grid,
)
from pipelines.ingest.presets import IMPORT_ID, is_import_id_row
from pipelines.ingest.read import (
    check_csv_bytes,
    check_file_size,
    check_xlsx_zip,
    detect_encoding,
)
from pipelines.settings import input_limits

#: How many data rows are read to guess from (enough to see every option of a question);
#: a bigger export is read this far only, streamed.
SAMPLE_ROWS = 20_000


@dataclass(frozen=True)
class ExportShape:
    """The export as drafting sees it: the preset and header it needs, and its columns."""

    export: str
    export_check: str
    header_rows: int
    header: str
    columns: list[ExportColumn]
    #: the worksheet drafted from, where a workbook has several (``sheet:``), and why
    sheet: str | None = None
    sheet_check: str = ""

    def column(self, name: str | None) -> ExportColumn | None:
        return next((c for c in self.columns if c.name == name), None) if name else None


#: A sheet named so holds the responses, before any wider or longer one.
RESPONSES_SHEET = re.compile(r"respon|data|result|export|raw|submission|answer", re.IGNORECASE)


def _sheet(path: Path) -> tuple[str, str]:
    """The worksheet of ``path`` to draft from, and why, where it is not the only one: of
    the visible sheets with cells (not a chart, an empty "Sheet2" or a hidden lookup list),
    one named like the responses, else the widest, then the longest (a tool's summary or
    notes sheet is narrower); on a tie, the first."""
    try:
        reader = fastexcel.read_excel(path)
    except Exception as error:  # fastexcel raises its own error types
        raise InputError(f"{path} could not be read as an Excel workbook: {error}") from error
    if len(reader.sheet_names) == 1:  # read once, by the caller
        return reader.sheet_names[0], ""
    sizes: dict[str, tuple[bool, int, int]] = {}
    for name in reader.sheet_names:
        try:
            sheet = reader.load_sheet(name, header_row=None)
        except Exception:  # a chart sheet, or one calamine cannot read: no responses there
            continue
        if sheet.visible == "visible" and sheet.height and sheet.width:
            sizes[name] = (bool(RESPONSES_SHEET.search(name)), sheet.width, sheet.height)
    if not sizes:
        raise InputError(f"{path} has no worksheet with cells: export the responses again")
    name = max(sizes, key=lambda n: sizes[n])
    others = ", ".join(
        f"{n!r} ({sizes[n][1]} columns, {sizes[n][2]} rows)"
        if n in sizes
        else f"{n!r} (no cells shown)"
        for n in reader.sheet_names
        if n != name
    )
    how = "named like the responses" if sizes[name][0] else "the widest, then longest"
    return name, (
        f"{how} of {len(reader.sheet_names)} sheets ({sizes[name][1]} columns, "
        f"{sizes[name][2]} rows); also {others}"
    )


def _cells(path: Path) -> tuple[pl.DataFrame, str, str | None, str]:
    """Every cell of the export as text, header rows included (column names are positions);
    its encoding; and, for a workbook of several sheets, the sheet read (:func:`_sheet`)
    and why."""
    check_file_size(path)
    if path.suffix.lower() == ".xlsx":
        check_xlsx_zip(path)
        name, why = _sheet(path)
        try:
            frame = pl.read_excel(
                path, engine="calamine", sheet_name=name, has_header=False, infer_schema_length=0
            )
        except Exception as error:  # fastexcel raises its own error types
            raise InputError(f"{path} could not be read as an Excel workbook: {error}") from error
        return frame.cast(pl.String).head(SAMPLE_ROWS + 5), "xlsx", (name if why else None), why
    check_csv_bytes(path)  # empty, binary or UTF-16: refused as validate refuses it
    encoding = detect_encoding(path)
    rows = csv_header_rows(path, SAMPLE_ROWS + 5, encoding, input_limits().max_cell_chars)
    if not rows:
        return pl.DataFrame(), encoding, None, ""
    width = max(len(row) for row in rows)
    padded = [row + [""] * (width - len(row)) for row in rows]
    frame = pl.DataFrame(padded, schema=[f"c{i}" for i in range(width)], orient="row")
    return frame.with_columns(pl.all().replace("", None)), encoding, None, ""


def _row(frame: pl.DataFrame, index: int) -> list[str]:
    if index >= frame.height:
        return [""] * frame.width
    return [(cell or "").strip() for cell in frame.row(index)]


#: LimeSurvey's own columns in an export with full headings, one of which it writes beside
#: "Response ID" and "Date submitted".
LIMESURVEY_OWN = frozenset(
    {"last page", "start language", "seed", "date started", "date last action"}
)


def recognise(rows: list[list[str]]) -> tuple[str, str]:
    """The survey tool whose header this is, and what showed it (``generic`` if none)."""
    first = {normalise(cell) for cell in rows[0]}
    third = rows[2] if len(rows) > 2 else []
    if is_import_id_row(third):
        return "qualtrics", "three header rows with Qualtrics' ImportId row"
    if {"responseid", "finished"} <= first:
        return "qualtrics", "Qualtrics' ResponseId and Finished columns; no ImportId row"
    if {"respondent id", "collector id"} <= first:
        return "surveymonkey", "SurveyMonkey's Respondent ID and Collector ID columns"
    second = {normalise(cell) for cell in rows[1]} if len(rows) > 1 else set()
    if second & {"response", "open-ended response"}:
        return "surveymonkey", "SurveyMonkey's second header row (Response, Open-Ended Response)"
    if rows[0] and normalise(rows[0][0]) == "timestamp":
        return "google_forms", "Google Forms' first column, Timestamp"
    if {"id", "start time", "completion time"} <= first:
        return "microsoft_forms", "Microsoft Forms' ID, Start time and Completion time"
    if {"id", "submitdate"} <= first or (
        # full headings: with one of LimeSurvey's own columns, since other tools (Alchemer)
        # also head their columns "Response ID" and "Date Submitted"
        {"response id", "date submitted"} <= first and first & LIMESURVEY_OWN
    ):
        return "limesurvey", "LimeSurvey's response id and submission date columns"
    return "generic", "no survey tool's usual header: one header row"


def _useful(cells: tuple[str, ...], drop: tuple[str, ...]) -> tuple[str, ...]:
    """A column's header cells without Qualtrics' import-id row (machine data), and with
    the preset's words that carry no meaning ("Response") blank."""
    dropped = {normalise(word) for word in drop}
    return tuple(
        "" if number and normalise(cell) in dropped else cell
        for number, cell in enumerate(cells)
        if not cell.startswith(IMPORT_ID)
    )


def read_export(path: Path) -> ExportShape:
    """The export's tool (by its header), and its columns named as that tool's preset names
    them, each with its header cells and up to :data:`SAMPLE_ROWS` answers."""
    frame, encoding, sheet, sheet_check = _cells(path)
    if frame.height == 0:
        raise InputError(f"{path} is empty: export the responses again from the survey tool")
    rows = [_row(frame, index) for index in range(3)]
    if encoding != "xlsx":
        check_separator(path, rows[:1])  # "a;b;c": semicolons between cells, not commas
    if encoding == "cp1252":
        rows = utf8_header(rows)  # as validate reads a cp1252 file's header (its UTF-8 part)
    export, why = recognise(rows)
    preset = export_presets()[export]
    header_rows = preset.header_rows
    if export == "qualtrics" and not is_import_id_row(rows[2]):
        header_rows = 2  # an older export, or its third row deleted: row 3 is a response
    grid = header_grid(rows[:header_rows], frame.width)
    naming = HeaderNaming(
        row=header_row_of(preset.header, header_rows), drop=tuple(preset.drop_words)
    )
    names = column_names(grid, naming)
    cells = filled_left(grid)
    data = frame.slice(header_rows)
    if data.height == 0:
        raise InputError(f"{path} has a header but no responses: nothing to draft from")
    text_row = preset.question_text_row
    columns = [
        ExportColumn(
            name,
            _useful(tuple(row[i] for row in cells), naming.drop),
            data.to_series(i),
            title=grid[text_row - 1][i] if text_row else name,
        )
        for i, name in enumerate(names)
    ]
    return ExportShape(export, why, header_rows, preset.header, columns, sheet, sheet_check)
