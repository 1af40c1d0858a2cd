"""``workbook validate``: raw export -> typed clean parquet, quarantine and a ledger.

Structural problems (a file missing or unreadable, a column absent, an invalid
consultation.yml) raise :class:`~pipelines.errors.InputError` before anything is written.
Row-level problems never stop the run: the row goes to quarantine with its rule.

The run: read the inputs, run every table through its suite, write the clean tables, the
ledger and Data Docs into a staging folder, and publish it whole. The tallies are made by
:func:`pipelines.prepare.prepare_consultation`, which runs this with a step of its own on
the staged folder (given the clean rows still in memory, where it asked for them).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.atomic import atomic_directory
from pipelines.consultation import Consultation, load_consultation
from pipelines.errors import InputError
from pipelines.geography import load_population, load_regions
from pipelines.ingest.ages import check_ages_are_years
from pipelines.ingest.headers import header_naming
from pipelines.ingest.ids import check_ids_not_rounded
from pipelines.ingest.mapping import check_not_month_first
from pipelines.ingest.placeholder_dates import check_dates_recorded
from pipelines.ingest.presets import with_export_defaults
from pipelines.ingest.read import ROW, NotUtf8Error, RawTable, read_table, read_table_chunks
from pipelines.ingest.spill import spill_folder
from pipelines.ingest.standardise import Standardised, standardise
from pipelines.paths import clean_dir, consultation_name, raw_dir
from pipelines.settings import Settings, load_settings
from pipelines.validate import clean_tables
from pipelines.validate.gx_suites import SuiteRunner
from pipelines.validate.held_rows import HeldTables
from pipelines.validate.ledger import ledger
from pipelines.validate.optional_tables import read_optional
from pipelines.validate.quarantine import set_aside_records
from pipelines.validate.speed_and_memory import (
    SPILL_OVER_BYTES,
    Digests,
    StageClock,
    TimedSuiteRunner,
    import_gx_in_background,
    release_freed_memory,
)
from pipelines.validate.table_checks import suite_parameters, validate_tables

#: The optional tables a consultation folder may hold, in the order they are read.
OPTIONAL: tuple[str, ...] = ("events", "attendance", "coding", "coding_reviewed", "actions")


@dataclass(frozen=True)
class ValidationSummary:
    consultation: str
    clean_dir: Path
    rows_read: int
    rows_valid: int
    rows_quarantined: int
    failures_by_rule: dict[str, int]
    data_docs: Path
    #: seconds spent per stage: "read" (reading and standardising the raw files),
    #: "validate" (Great Expectations, including its import), "clean" (clean tables,
    #: quarantine, ledger, Data Docs and the atomic write), "aggregate" (the step run on
    #: the staged clean data: prepare's tallies)
    stage_seconds: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Inputs:
    """A consultation folder read: its metadata, geography, the responses' rows and the
    optional tables given (the responses themselves are read as :class:`Standardised`)."""

    folder: Path
    consultation: Consultation
    regions: pl.DataFrame
    raw: RawTable
    optional: dict[str, RawTable | None]

    def rows_only(self) -> Inputs:
        """The inputs as the ledger needs them once checked: each table's rows only."""
        optional = {
            name: None if table is None else replace(table, frame=table.frame.select(ROW))
            for name, table in self.optional.items()
        }
        return replace(self, optional=optional)


def approved_quotes(folder: Path) -> pl.DataFrame | None:
    """``approved_quotes.csv`` (response_id, question_id), where the team keeps one: only
    these comments may be quoted, and still only with consent."""
    path = folder / "approved_quotes.csv"
    if not path.exists():
        return None
    frame = read_table(path).frame
    lookup = {c.strip().casefold(): c for c in frame.columns}
    missing = [c for c in ("response_id", "question_id") if c not in lookup]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; it needs response_id,question_id"
        )
    return frame.select(
        pl.col(lookup["response_id"]).alias("response_id"),
        pl.col(lookup["question_id"]).alias("question_id"),
    )


def _read_responses(
    path: Path, consultation: Consultation, regions: pl.DataFrame, spill: Path | None
) -> tuple[Standardised, RawTable, Consultation]:
    """The responses export standardised batch by batch, its rows (``__row`` only), and the
    consultation as its export fills it in (:func:`with_export_defaults`). ``spill``: where
    the long tables' batches go instead of memory (:mod:`pipelines.ingest.spill`).

    A big export found not to be UTF-8 is read again whole as cp1252 and standardised from
    its first row again: the file is decoded one way, and ``RawTable.encoding`` says which.
    """
    naming = header_naming(consultation)
    try:
        chunks = read_table_chunks(
            path, consultation.header_rows, consultation.sheet, naming=naming
        )
        given = with_export_defaults(consultation, chunks.headers)
        standard = standardise(chunks, given, regions, spill)
    except NotUtf8Error:
        if spill is not None:  # the UTF-8 batches written so far: read again from the start
            spill = Path(tempfile.mkdtemp(prefix="cp1252-", dir=spill))
        chunks = read_table_chunks(
            path, consultation.header_rows, consultation.sheet, stream=False, naming=naming
        )
        given = with_export_defaults(consultation, chunks.headers)
        standard = standardise(chunks, given, regions, spill)
    rows = RawTable(chunks.path, standard.responses.select(ROW), chunks.encoding, chunks.headers)
    return standard, rows, given


def read_inputs(
    consultation_id: str,
    root: Path | None,
    scratch: Path | None = None,
    spill_over: int = SPILL_OVER_BYTES,
    grace_days: int | None = None,
) -> tuple[Inputs, Standardised]:
    """The consultation folder read, and its responses standardised: every structural
    problem raised before anything is written. The consultation returned in the inputs is
    the one its export filled in (its preset's usual id, date and completion columns).
    ``grace_days``: the run's default grace (config/settings.yml's where None).
    An export over ``spill_over`` bytes keeps its long tables in ``scratch``, on disk."""
    folder = raw_dir(consultation_id, root)
    consultation = load_consultation(folder)
    regions = load_regions(folder, root)
    load_population(folder, root)  # structural check only: a broken file stops the run
    export = folder / consultation.source
    spill = None if scratch is None else spill_folder(export, scratch, spill_over)
    standard, raw, consultation = _read_responses(export, consultation, regions, spill)
    check_not_month_first(
        standard.raw_fields.select("submitted_at"), consultation, raw.path, grace_days=grace_days
    )
    check_ages_are_years(standard.raw_fields, consultation, raw.path.name)
    check_ids_not_rounded(standard.raw_fields, consultation, raw.path.name)
    check_dates_recorded(standard.raw_fields, consultation, raw.path.name)
    optional = {name: read_optional(folder, name) for name in OPTIONAL}
    return Inputs(folder, consultation, regions, raw, optional), standard


#: What to fix for the commonest reasons a response is set aside (others: see the message).
FIXES: dict[str, str] = {
    "required": "fill the column, or map the right one under `columns:` in consultation.yml",
    "empty_row": "nothing to fix: empty rows of the export are not responses",
    "region_known": "map raw answers to regions.csv under `values: region:`, or add the region",
    "group_known": "map raw answers to the groups under `values: group:` in consultation.yml",
    "submitted_at_parseable": "set `date_format:` in consultation.yml to how the dates are written",
    "submitted_at_in_window": "check `opened:` and `closed:` in consultation.yml, or the dates themselves",
    "response_id_unique": "check `columns: response_id:` names a column that is unique per response",
    "locality_in_region": "check the localities of each region in regions.csv",
    "incomplete": "the export marks these unfinished (`incomplete:`, or the `export:` preset's "
    "completion column): export completed responses, or set `incomplete:` in consultation.yml",
}


def _reasons(rows: pl.DataFrame) -> pl.DataFrame:
    """``rule, rows, field, message`` of quarantine records that set responses aside: how
    many responses each rule set aside, its field and one message; commonest first."""
    return (
        rows.group_by("rule")
        .agg(
            pl.col("row_number").n_unique().alias("rows"),
            pl.col("field").first(),
            pl.col("message").first(),
        )
        .sort(["rows", "rule"], descending=[True, False])
    )


def no_valid_response(path: Path, quarantine: pl.DataFrame) -> InputError:
    """The error for an export with no valid response: its three commonest reasons, each with
    its count, the field it guards, an example message and what to fix."""
    reasons = _reasons(set_aside_records(quarantine, path.name)).head(3)
    lines = [
        f"  - {rule} ({count} row{'s' if count != 1 else ''}, field {field}): "
        + str(message).rstrip(". ")
        + (f"; fix: {FIXES[rule]}" if rule in FIXES else "")
        for rule, count, field, message in reasons.iter_rows()
    ]
    return InputError(
        f"{path}: no valid response, so nothing was written. "
        + ("The commonest reasons:\n" + "\n".join(lines) if lines else "The export has no rows.")
        + "\nFix the export or consultation.yml (columns, values, date_format) and run validate again."
    )


#: Rules no export fails for many of its responses: where one sets aside at least
#: :data:`MOSTLY` of the responses read (and :data:`MOSTLY_MIN_ROWS`), the mapping or the
#: file is wrong, not the responses (Excel rounding 12-digit ids to ``1.18201E+11``, a
#: ``date_format`` that fits a quarter of the dates), and validate stops.
MAPPING_RULES: tuple[str, ...] = ("response_id_unique", "submitted_at_parseable")
MOSTLY = 0.25
MOSTLY_MIN_ROWS = 10


def mostly_set_aside(path: Path, quarantine: pl.DataFrame, rows_read: int) -> InputError | None:
    """The error for an export most of whose responses one of :data:`MAPPING_RULES` sets
    aside, or None."""
    rows = set_aside_records(quarantine, path.name).filter(pl.col("rule").is_in(MAPPING_RULES))
    for rule, count, field_name, message in _reasons(rows).iter_rows():
        if count < max(MOSTLY_MIN_ROWS, MOSTLY * rows_read):
            continue
        return InputError(
            f"{path}: {count:,} of {rows_read:,} responses fail {rule} (field {field_name}), "
            "too many to be the responses' own: the file or consultation.yml is wrong, so "
            f"nothing was written. For example: {str(message).rstrip('. ')}. Fix: "
            f"{FIXES[rule]}."
        )
    return None


def refuse_unpublishable(path: Path, ledger: dict[str, Any], quarantine: pl.DataFrame) -> None:
    """Stop (InputError) before anything is published where no response is valid, or where
    one of :data:`MAPPING_RULES` set most of them aside (:func:`mostly_set_aside`)."""
    if ledger["responses"]["valid"] == 0:
        raise no_valid_response(path, quarantine)
    stop = mostly_set_aside(path, quarantine, ledger["responses"]["rows_read"])
    if stop is not None:
        raise stop


@contextmanager
def scratch_folder(consultation_id: str, root: Path | None) -> Iterator[Path]:
    """A hidden folder beside the clean data for the run's scratch (Great Expectations'
    project, a big export's long tables), removed with the run: on the clean data's disk,
    not in a /tmp that may be held in memory (tmpfs). A ``data/clean`` made for it and
    left empty (the run wrote nothing) is removed too."""
    clean_root = clean_dir(consultation_id, root).parent
    made = not clean_root.exists()
    clean_root.mkdir(exist_ok=True)
    try:
        with tempfile.TemporaryDirectory(
            prefix=f".{consultation_id}.scratch-", dir=clean_root
        ) as scratch:
            yield Path(scratch)
    finally:
        if made and not any(clean_root.iterdir()):
            clean_root.rmdir()


def validate_consultation(
    consultation_id: str,
    root: Path | None = None,
    settings: Settings | None = None,
    then: Callable[[Path, HeldTables | None], Any] | None = None,
    hold_responses: int = 0,
    spill_over: int = SPILL_OVER_BYTES,
) -> ValidationSummary:
    """Validate one consultation folder and write its clean data atomically.

    ``consultation_id``: a folder name under ``data/raw`` (or a path to one, reduced to its
    name); anything else is an InputError before anything is read or written. ``then``: a
    step run on the staged data before it is published (the "aggregate" stage), given the
    rows kept where at most ``hold_responses`` responses are valid (else None). An export
    over ``spill_over`` bytes keeps its long tables on disk, in a hidden scratch folder
    beside the clean data (removed with the run), until they are written."""
    consultation_id = consultation_name(consultation_id, root)
    settings = settings or load_settings()
    clock = StageClock()
    gx_import = import_gx_in_background()
    with scratch_folder(consultation_id, root) as scratch:
        gx_home, spill = scratch / "gx", scratch / "spill"
        gx_home.mkdir()
        spill.mkdir()
        with clock.stage("read"):
            inputs, standard = read_inputs(
                consultation_id, root, spill, spill_over, settings.grace_days
            )
            params = suite_parameters(inputs.consultation, inputs.regions, settings.grace_days)
        digests = Digests([inputs.raw.path, *(t.path for t in inputs.optional.values() if t)])
        run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        consultation, regions = inputs.consultation, inputs.regions
        with clock.stage("validate"):
            gx_import.join()
            runner = TimedSuiteRunner(SuiteRunner(gx_home, run_name=run_id), clock)
        with clock.stage("read"):
            checked = validate_tables(
                runner,
                consultation,
                regions,
                standard,
                inputs.optional,
                params,
                inputs.raw.path.name,
            )
            del standard  # the raw fields are needed for quarantine messages only
            inputs = inputs.rows_only()  # the ledger needs only each table's rows from here
            release_freed_memory()  # Great Expectations' pandas frames, before the clean tables
        with clock.stage("clean"):
            approved = approved_quotes(inputs.folder)
            suites = checked.suite_results()
            target = clean_dir(consultation_id, root)
            with atomic_directory(target) as staging:
                outputs = clean_tables.write_tables(
                    consultation, regions, checked, approved, staging, hold_responses
                )
                del checked
                refuse_unpublishable(inputs.raw.path, outputs.ledger, outputs.quarantine)
                written = ledger(
                    root,
                    consultation_id,
                    run_id,
                    consultation,
                    inputs.raw,
                    inputs.optional,
                    suites,
                    outputs,
                    digests,
                )
                (staging / "validation.json").write_text(
                    json.dumps(written, indent=2) + "\n", encoding="utf-8"
                )
                if then is not None:
                    with clock.stage("aggregate"):
                        then(staging, outputs.held)
                outputs.held = None  # the rows kept for `then`: not needed past it
                docs = runner.runner.build_data_docs(staging / "data-docs")
    return _summary(consultation_id, target, written, target / docs.relative_to(staging), clock)


def _summary(
    consultation_id: str, target: Path, written: dict[str, Any], data_docs: Path, clock: StageClock
) -> ValidationSummary:
    """The run in brief, from the ledger it wrote (``written``) into ``target``."""
    return ValidationSummary(
        consultation=consultation_id,
        clean_dir=target,
        rows_read=written["tables"]["responses"]["rows_read"],
        rows_valid=written["tables"]["responses"]["valid"],
        rows_quarantined=written["tables"]["responses"]["quarantined"],
        failures_by_rule=written["failures_by_rule"],
        data_docs=data_docs,
        stage_seconds={name: round(value, 3) for name, value in clock.seconds.items()},
    )
