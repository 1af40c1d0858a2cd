"""``workbook validate``: raw export -> typed clean parquet, quarantine and a ledger.

Structural problems (a file missing or unreadable, a column absent, an invalid
consultation.yml) raise :class:`~pipelines.errors.InputError` before anything is written.
Row-level problems never stop the run: the row goes to quarantine with its rule.
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import importlib
import json
import logging
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.atomic import atomic_directory
from pipelines.consultation import Consultation, load_consultation
from pipelines.errors import InputError
from pipelines.fields import MONITORING_FIELDS, PREFER_NOT_TO_SAY, field_specs
from pipelines.geography import load_population, load_regions, reference_file
from pipelines.ingest.mapping import PARSED_FORMATS, field_lookup
from pipelines.ingest.read import ROW, NotUtf8Error, RawTable, read_table, read_table_chunks
from pipelines.ingest.standardise import Standardised, standardise
from pipelines.paths import clean_dir, consultation_name, raw_dir
from pipelines.settings import Settings, load_settings
from pipelines.validate import clean_tables
from pipelines.validate.answer_checks import check_answers
from pipelines.validate.checked import Checked, CheckedTables
from pipelines.validate.gx_suites import RuleResult, SuiteRunner
from pipelines.validate.optional_tables import (
    ACTION_STATUSES,
    LADDER_RUNGS,
    read_optional,
    standard_actions,
    standard_attendance,
    standard_coding,
    standard_events,
)
from pipelines.validate.quarantine import (
    QUARANTINE_SCHEMA,
    keep_first_duplicate,
    quarantine_records,
)
from pipelines.validate.tally import tally_regions

log = logging.getLogger(__name__)

#: Standard fields whose codes are checked by ``code_known``.
CODE_FIELDS: tuple[str, ...] = (*MONITORING_FIELDS, "consent_to_quote", "volunteer")


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
    #: quarantine, ledger, Data Docs and the atomic write)
    stage_seconds: dict[str, float] = field(default_factory=dict)


class StageClock:
    """Wall-clock seconds per named stage. Stages nest: an inner stage pauses the outer one,
    so every second is counted once."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {
            "read": 0.0,
            "validate": 0.0,
            "clean": 0.0,
            "aggregate": 0.0,
        }
        self._open: list[str] = []
        self._since = time.perf_counter()

    def _credit(self) -> None:
        now = time.perf_counter()
        if self._open:
            name = self._open[-1]
            self.seconds[name] = self.seconds.get(name, 0.0) + now - self._since
        self._since = now

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        self._credit()
        self._open.append(name)
        try:
            yield
        finally:
            self._credit()
            self._open.pop()


class TimedSuiteRunner:
    """A :class:`SuiteRunner` whose suite runs count as the "validate" stage."""

    def __init__(self, runner: SuiteRunner, clock: StageClock) -> None:
        self.runner = runner
        self.clock = clock

    def run(self, name: str, frame: pl.DataFrame, parameters: dict[str, Any]) -> list[RuleResult]:
        with self.clock.stage("validate"):
            return self.runner.run(name, frame, parameters)


def import_gx_in_background() -> threading.Thread:
    """Start importing Great Expectations (several seconds) while polars reads the files."""
    thread = threading.Thread(
        target=importlib.import_module, args=("great_expectations",), daemon=True
    )
    thread.start()
    return thread


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Digests:
    """SHA-256 of input files, worked out in a background thread while validation goes on
    (hashlib lets other threads run: a 4 GB export's 8 s overlap Great Expectations)."""

    def __init__(self, paths: Iterable[Path]) -> None:
        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="workbook-sha256")
        self._pending = {path: pool.submit(sha256, path) for path in paths}
        pool.shutdown(wait=False)

    def __call__(self, path: Path) -> str:
        pending = self._pending.get(path)
        return pending.result() if pending is not None else sha256(path)


def release_freed_memory() -> None:
    """Hand memory freed by pandas and Great Expectations back to the system (glibc keeps
    it for reuse otherwise: over a gigabyte after a 10-million-row uniqueness check)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to hand back
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _key(column: str) -> pl.Expr:
    """A pseudonymous key for an identifier: GX checks uniqueness without seeing the value."""
    return (
        pl.when(pl.col(column).is_not_null())
        .then(pl.col(column).hash(seed=7))
        .alias(f"{column.split('_')[0]}_key")
    )


def suite_parameters(
    consultation: Consultation, regions: pl.DataFrame, grace_days: int
) -> dict[str, Any]:
    """The allowed values every suite checks against, from consultation.yml and the geography."""
    specs = field_specs()
    grace = timedelta(
        days=consultation.grace_days if consultation.grace_days is not None else grace_days
    )
    opened = datetime.combine(consultation.opened, datetime.min.time())
    closed = datetime.combine(consultation.closed, datetime.max.time().replace(microsecond=0))
    pairs = regions.drop_nulls("locality").select(
        pl.concat_str("region", pl.lit(" / "), "locality")
    )
    params: dict[str, Any] = {
        "regions": sorted(regions["region"].unique().to_list()),
        "region_localities": sorted(pairs.to_series().to_list()),
        "groups": list(consultation.groups),
        "channels": list(specs["channel"].codes),
        "parsed_formats": list(PARSED_FORMATS),
        "window_start": (opened - grace).isoformat(),
        "window_end": (closed + grace).isoformat(),
        "ladder_rungs": list(LADDER_RUNGS),
        "action_statuses": list(ACTION_STATUSES),
        "free_text_questions": [q.id for q in consultation.questions if q.type == "free_text"],
        "question_options": [
            f"{q.id}={code}" for q in consultation.questions for code in q.option_codes
        ],
    }
    for name in CODE_FIELDS:
        extra = [PREFER_NOT_TO_SAY] if specs[name].monitoring else []
        params[f"{name}_codes"] = [*specs[name].codes, *extra]
    return params


def _check(
    runner: TimedSuiteRunner,
    suite: str,
    frame: pl.DataFrame,
    gx_columns: list[str],
    params: dict[str, Any],
    raw: pl.DataFrame,
    source: str,
    headers: dict[str, str],
    key_column: str | None = None,
) -> Checked:
    gx_frame = frame.select(ROW, *gx_columns)
    results = runner.run(suite, gx_frame, params)
    if key_column is not None:
        results = [
            keep_first_duplicate(r, frame.select(ROW, key_column), key_column) for r in results
        ]
    records = [
        quarantine_records(
            r,
            raw,
            source,
            value_column=r.field,
            header=headers.get(r.field, r.field),
        )
        for r in results
        if r.rows
    ]
    quarantine = pl.concat(records) if records else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    return Checked(frame=frame, quarantine=quarantine, results=results)


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
    path: Path, consultation: Consultation, regions: pl.DataFrame
) -> tuple[Standardised, RawTable]:
    """The responses export standardised batch by batch, and its rows (``__row`` only)."""
    try:
        chunks = read_table_chunks(path, consultation.header_rows, consultation.sheet)
        standard = standardise(chunks, consultation, regions)
    except NotUtf8Error:
        chunks = read_table_chunks(path, consultation.header_rows, consultation.sheet, stream=False)
        standard = standardise(chunks, consultation, regions)
    return standard, RawTable(chunks.path, standard.responses.select(ROW), chunks.encoding)


def validate_consultation(
    consultation_id: str, root: Path | None = None, settings: Settings | None = None
) -> ValidationSummary:
    """Validate one consultation folder and write its clean data atomically.

    ``consultation_id``: a folder name under ``data/raw`` (or a path to one, reduced to its
    name); anything else is an InputError before anything is read or written.
    """
    consultation_id = consultation_name(consultation_id, root)
    settings = settings or load_settings()
    clock = StageClock()
    gx_import = import_gx_in_background()
    with clock.stage("read"):
        folder = raw_dir(consultation_id, root)
        consultation = load_consultation(folder)
        regions = load_regions(folder, root)
        load_population(folder, root)  # structural check only: a broken file stops the run
        source_path = folder / consultation.source
        standard, raw = _read_responses(source_path, consultation, regions)
        optional = {
            name: read_optional(folder, name)
            for name in ("events", "attendance", "coding", "actions")
        }
        params = suite_parameters(consultation, regions, settings.grace_days)
    digests = Digests([raw.path, *(table.path for table in optional.values() if table)])
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    headers = dict(consultation.columns)

    with tempfile.TemporaryDirectory(prefix="workbook-gx-") as gx_home:
        with clock.stage("validate"):
            gx_import.join()
            runner = TimedSuiteRunner(SuiteRunner(Path(gx_home), run_name=run_id), clock)
        with clock.stage("read"):
            checked = _validate_tables(
                runner, consultation, regions, raw, standard, optional, params, headers
            )
            del standard  # the raw fields are needed for quarantine messages only
            release_freed_memory()  # Great Expectations' pandas frames, before the clean tables
            optional = {  # the ledger needs only each optional table's rows from here
                name: None
                if table is None
                else RawTable(table.path, table.frame.select(ROW), table.encoding)
                for name, table in optional.items()
            }
        with clock.stage("clean"):
            approved = approved_quotes(folder)
            suites = checked.suite_results()
            target = clean_dir(consultation_id, root)
            with atomic_directory(target) as staging:
                outputs = clean_tables.write_tables(
                    consultation, regions, checked, approved, staging
                )
                del checked
                ledger = _ledger(
                    root,
                    consultation_id,
                    run_id,
                    consultation,
                    raw,
                    optional,
                    suites,
                    outputs,
                    digests,
                )
                (staging / "validation.json").write_text(
                    json.dumps(ledger, indent=2) + "\n", encoding="utf-8"
                )
                with clock.stage("aggregate"):
                    tally_regions(consultation_id, root, staging, settings.quotes_per_theme)
                docs = runner.runner.build_data_docs(staging / "data-docs")
    return ValidationSummary(
        consultation=consultation_id,
        clean_dir=target,
        rows_read=ledger["tables"]["responses"]["rows_read"],
        rows_valid=ledger["tables"]["responses"]["valid"],
        rows_quarantined=ledger["tables"]["responses"]["quarantined"],
        failures_by_rule=ledger["failures_by_rule"],
        data_docs=target / docs.relative_to(staging),
        stage_seconds={name: round(value, 3) for name, value in clock.seconds.items()},
    )


def _validate_tables(
    runner: TimedSuiteRunner,
    consultation: Consultation,
    regions: pl.DataFrame,
    raw: RawTable,
    standard: Standardised,
    optional: dict[str, RawTable | None],
    params: dict[str, Any],
    headers: dict[str, str],
) -> CheckedTables:
    source = raw.path.name
    responses = standard.responses
    for name in ("channel", *CODE_FIELDS):
        if name not in responses.columns:
            responses = responses.with_columns(pl.lit(None, pl.Categorical).alias(name))
    responses = responses.with_columns(_key("response_id"))
    gx_columns = [
        "response_key",
        "submitted_at_format",
        "submitted_at",
        "region",
        "region_locality",
        "group",
        "channel",
        *CODE_FIELDS,
    ]
    checked_responses = _check(
        runner,
        "responses",
        responses,
        gx_columns,
        params,
        standard.raw_fields,
        source,
        headers,
        key_column="response_key",
    )
    ids = standard.raw_fields.select(ROW, "response_id")
    checked = CheckedTables(
        responses=checked_responses,
        answers=check_answers(runner, standard, ids, params, source, headers),
        comments=standard.comments,
    )

    group_lookup = field_lookup("group", consultation)
    optional_params = dict(params)
    if optional["events"] is not None:
        events = standard_events(optional["events"].frame, regions)
        checked.optional["events"] = _check(
            runner,
            "events",
            events,
            ["event_id", "region", "region_locality", "date_format", "ladder_rung"],
            params,
            optional["events"].frame,
            "events.csv",
            {},
            key_column="event_id",
        )
        valid = checked.optional["events"].passed()
        optional_params["event_ids"] = sorted(valid["event_id"].drop_nulls().to_list())
    else:
        optional_params["event_ids"] = []
    if optional["attendance"] is not None:
        attendance = standard_attendance(optional["attendance"].frame, group_lookup)
        checked.optional["attendance"] = _check(
            runner,
            "attendance",
            attendance,
            ["event_id", "group", "attendees_text"],
            optional_params,
            optional["attendance"].frame,
            "attendance.csv",
            {},
        )
    if optional["coding"] is not None:
        coding = standard_coding(optional["coding"].frame).with_columns(_key("response_id"))
        optional_params["response_keys"] = responses["response_key"].drop_nulls().unique()
        checked.optional["coding"] = _check(
            runner,
            "coding",
            coding,
            ["response_key", "question_id", "theme"],
            optional_params,
            optional["coding"].frame,
            "coding.csv",
            {},
        )
    if optional["actions"] is not None:
        actions = standard_actions(optional["actions"].frame, regions)
        checked.optional["actions"] = _check(
            runner,
            "actions",
            actions,
            [
                "action_id",
                "region",
                "region_locality",
                "status",
                "due_format",
                "feedback_given_format",
            ],
            params,
            optional["actions"].frame,
            "actions.csv",
            {},
            key_column="action_id",
        )
    return checked


def _ledger(
    root: Path | None,
    consultation_id: str,
    run_id: str,
    consultation: Consultation,
    raw: RawTable,
    optional: dict[str, RawTable | None],
    suite_results: dict[str, list[RuleResult]],
    outputs: clean_tables.CleanOutputs,
    digest: Callable[[Path], str] = sha256,
) -> dict[str, Any]:
    """validation.json: what was read, what passed, what was set aside and why."""
    inputs = [
        {
            "file": raw.path.name,
            "sha256": digest(raw.path),
            "encoding": raw.encoding,
            "rows": raw.frame.height,
        }
    ]
    for table in optional.values():
        if table is not None:
            inputs.append(
                {
                    "file": table.path.name,
                    "sha256": digest(table.path),
                    "encoding": table.encoding,
                    "rows": table.frame.height,
                }
            )
    folder = raw.path.parent
    for name in ("consultation.yml", "regions.csv", "population.csv"):
        path = folder / name if name == "consultation.yml" else reference_file(name, folder, root)
        if path.is_file():
            label = name if path.parent == folder else f"reference/{name}"
            inputs.append({"file": label, "sha256": digest(path)})
    quarantine = outputs.quarantine
    by_rule = quarantine.group_by("rule").len().sort("rule")
    suites = {}
    for name in ("responses", "answers", "events", "attendance", "coding", "actions"):
        if name not in suite_results:
            continue
        results = suite_results[name]
        suites[name] = {
            "evaluated_expectations": len(results),
            "successful_expectations": sum(r.success for r in results),
            "success": all(r.success for r in results),
        }
    return {
        "consultation": consultation_id,
        "title": consultation.title,
        "run_id": run_id,
        "validated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": inputs,
        "tables": outputs.ledger,
        "failures_by_rule": dict(
            zip(by_rule["rule"].to_list(), by_rule["len"].to_list(), strict=True)
        ),
        "suites": suites,
        "success": all(s["success"] for s in suites.values()),
        "redaction": outputs.redaction.as_dict(),
    }
