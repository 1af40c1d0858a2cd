"""``workbook init``: draft a consultation.yml from an export, every guess marked for checking.

The export is read, never written; an existing consultation.yml is never overwritten; the
draft validates as it stands on the export it came from (docs/data-contract.md, "Drafting
the mapping").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl

from pipelines.atomic import write_text_new
from pipelines.draft.columns import ColumnGroup, ExportColumn, grouped
from pipelines.draft.completion import CompletionDraft, completion_dates, find_completion
from pipelines.draft.dates import guess_date_format
from pipelines.draft.export import ExportShape, read_export
from pipelines.draft.questions import (
    QuestionDraft,
    guess_column,
    guess_group,
    is_other_text,
    one_cell_ranking,
    rank_positions,
)
from pipelines.draft.settings import draft_settings
from pipelines.draft.standard import find_fields
from pipelines.draft.yaml_text import Draft, draft_text
from pipelines.errors import InputError
from pipelines.fields import normalise
from pipelines.geography import load_regions
from pipelines.ingest.placeholder_dates import LIMESURVEY_NO_DATE, all_placeholders
from pipelines.paths import consultation_name, raw_dir

#: Answers that mean "not answered" in survey tools' exports (written to ``missing``).
MISSING_SPELLINGS = ("N/A", "n/a", "NA", "-", "Not displayed", "Not applicable", "Not answered")
EXPORT_SUFFIXES = (".csv", ".xlsx")
NO_DATES = (
    f"every submission date is {LIMESURVEY_NO_DATE}, LimeSurvey's where a survey records "
    "none (anonymised responses, or date stamps off): give the consultation's real dates"
)
RANK_POSITIONS = (
    "one column per rank position, each naming the option placed there (LimeSurvey): a "
    "ranking the workbook cannot read yet (docs/survey-tools.md)"
)
ONE_CELL_RANKING = (
    "every answer lists the same options in an order: a ranking in one cell (Microsoft "
    "Forms), which the workbook cannot read yet (docs/survey-tools.md)"
)


@dataclass(frozen=True)
class Drafted:
    """What ``workbook init`` wrote, and the command to run next."""

    consultation: str
    path: Path
    regions: Path | None
    questions: int
    dropped: int

    @property
    def next_command(self) -> str:
        return f"workbook validate {self.consultation}"


def _export_path(export: str | Path, root: Path | None) -> tuple[str, Path]:
    """The consultation and the export named by ``export``: a file directly in a
    consultation's folder under data/raw, as a path or as ``<consultation>/<file>``."""
    path = Path(export)
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        raise InputError(
            f"{export}: give the export file, a .csv or .xlsx in the consultation's folder, "
            "e.g. workbook init data/raw/<consultation>/responses.csv"
        )
    consultation = consultation_name(str(path.parent), root)
    folder = raw_dir(consultation, root)
    found = folder / path.name
    if path.name != Path(path.name).name or not found.is_file():
        raise InputError(f"No export {path.name!r} in {folder}: put the survey tool's export there")
    return consultation, found


def _opened_closed(
    values: pl.Series | None, formats: list[str] | None, excel: bool
) -> tuple[date, date, str]:
    today = datetime.now(UTC).date()
    if values is None:
        return today, today, "the export has no dates: the consultation's real dates"
    from pipelines.ingest.mapping import parsed_datetime_values

    parsed = parsed_datetime_values(values, excel_serials=excel, formats=formats)["value"]
    parsed = parsed.drop_nulls()
    if parsed.len() == 0:
        return today, today, "no date could be read: the consultation's real dates"
    first, last = parsed.min(), parsed.max()
    return first.date(), last.date(), "the first and last dates in the export"  # type: ignore[union-attr]


def _questions(
    items: list[ExportColumn | ColumnGroup], used: set[str], dropped: list[tuple[str, str]]
) -> list[QuestionDraft]:
    """Each remaining column or group as a question in export order; a "please specify"
    column after a single or multi question becomes that question's ``other_text``."""
    settings = draft_settings()
    drafts: list[QuestionDraft] = []
    for item in items:
        if isinstance(item, ColumnGroup):
            if rank_positions(item):
                dropped.extend((column.name, RANK_POSITIONS) for column in item.columns)
                continue
            guess = guess_group(item, settings)
            if guess is not None:
                drafts.append(guess)
                continue
            singles = list(item.columns)
        else:
            singles = [item]
        for column in singles:
            last = drafts[-1] if drafts else None
            if (
                last is not None
                and last.type in ("single", "multi")
                and last.other_text is None
                and is_other_text(column, settings)
                and column.distinct
            ):
                last.other_text = column.name
                continue
            single = guess_column(column, settings)
            if single is None:
                dropped.append((column.name, "no answers"))
            elif single.delimiter and one_cell_ranking(column, single.delimiter):
                dropped.append((column.name, ONE_CELL_RANKING))
            else:
                drafts.append(single)
    return drafts


def _missing(columns: list[ExportColumn]) -> list[str]:
    seen = {normalise(a) for c in columns for a in c.distinct}
    found = {normalise(s): s for s in reversed(MISSING_SPELLINGS) if normalise(s) in seen}
    return [s for s in MISSING_SPELLINGS if found.get(normalise(s)) == s]


def _with_completion(
    dropped: list[tuple[str, str]], completion: CompletionDraft | None
) -> tuple[list[tuple[str, str]], CompletionDraft | None]:
    """The columns left unmapped, and ``incomplete`` as drafted: a completion column leaves
    the identifier columns it was set aside with, for ``incomplete`` or for the list of
    unmapped columns with the reason it could not be drafted."""
    if completion is None:
        return list(dropped), None
    kept = [(name, why) for name, why in dropped if name != completion.column]
    if completion.unmapped:
        return [*kept, (completion.column, completion.unmapped)], None
    return kept, completion


def _exists(target: Path) -> InputError:
    return InputError(
        f"{target} exists: workbook init never overwrites it. Move it aside to draft again."
    )


def draft_consultation(export: str | Path, root: Path | None = None) -> Drafted:
    """Write ``consultation.yml`` (and, where needed, ``regions.csv``) beside ``export``."""
    consultation, path = _export_path(export, root)
    folder = path.parent
    target = folder / "consultation.yml"
    if target.exists() or target.is_symlink():
        raise _exists(target)
    shape: ExportShape = read_export(path)
    missing = _missing(shape.columns)
    columns = [c.without(missing) for c in shape.columns]
    settings = draft_settings()
    fields = find_fields(columns, settings, load_regions(folder, root))
    stamped = (
        completion_dates(columns, settings.completion)
        if "submitted_at" not in fields.columns
        else None
    )
    if stamped is not None:
        fields.columns["submitted_at"] = stamped.name
        fields.checks["submitted_at"] = "a completion column of dates: when each was submitted"
        fields.dropped = [(name, why) for name, why in fields.dropped if name != stamped.name]
    dates = shape.column(fields.columns.get("submitted_at"))
    date_format, check = (None, "")
    recorded = dates is None or not all_placeholders(dates.values)
    if not recorded:  # LimeSurvey's 1980-01-01 for every response: no dates at all
        fields.columns.pop("submitted_at", None)
        fields.checks.pop("submitted_at", None)
        dates = None
    if dates is not None:
        date_format, check = guess_date_format(dates.values, excel=path.suffix == ".xlsx")
        fields.checks["date_format"] = check
        if "submitted_at" in fields.checks:
            fields.checks["submitted_at"] += f"; {check}"
    opened, closed, dates_check = _opened_closed(
        dates.values if dates else None, date_format, excel=path.suffix == ".xlsx"
    )
    if not recorded:
        dates_check = NO_DATES
    unused = [c for c in columns if c.name not in fields.used]
    completion = find_completion(unused, settings.completion, shape.export)
    dropped, incomplete = _with_completion(fields.dropped, completion)
    taken = fields.used | {name for name, _ in dropped}
    if incomplete is not None:
        taken.add(incomplete.column)
    rest = [c for c in columns if c.name not in taken]
    questions = _questions(grouped(rest, shape.export), fields.used, dropped)
    draft = Draft(
        title=consultation.replace("-", " ").replace("_", " ").capitalize(),
        source=path.name,
        opened=opened,
        closed=closed,
        dates_check=dates_check,
        export=shape.export,
        export_check=shape.export_check,
        header_rows=shape.header_rows,
        header=shape.header,
        date_format=date_format,
        dates_recorded=recorded,
        missing=missing,
        incomplete=incomplete,
        fields=fields,
        questions=questions,
        dropped=dropped,
        sheet=shape.sheet,
        sheet_check=shape.sheet_check,
    )
    try:
        write_text_new(target, draft_text(draft, datetime.now(UTC).date()))
    except FileExistsError as error:
        raise _exists(target) from error
    regions = folder / "regions.csv"
    if fields.regions_csv is None or regions.exists() or regions.is_symlink():
        return Drafted(consultation, target, None, len(questions), len(dropped))
    try:
        write_text_new(regions, fields.regions_csv)
    except FileExistsError:
        return Drafted(consultation, target, None, len(questions), len(dropped))
    return Drafted(consultation, target, regions, len(questions), len(dropped))
