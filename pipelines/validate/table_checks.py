"""Every table through its suite: the responses, their answers, then each optional table
the consultation supplied (events, attendance, coding, actions), one declaration each."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import polars as pl

from pipelines.consultation import Consultation
from pipelines.contract import ACTION_STATUSES, LADDER_RUNGS
from pipelines.fields import AGE_FIELD, MONITORING_FIELDS, age_bands, allowed_codes, field_codes
from pipelines.ingest.ages import accepted_ages, consultation_bands
from pipelines.ingest.answers import answer_options
from pipelines.ingest.mapping import PARSED_FORMATS, field_lookup
from pipelines.ingest.read import ROW, RawTable
from pipelines.ingest.standardise import FILLED, INCOMPLETE, Standardised
from pipelines.validate.answer_checks import RunsSuites, check_answers
from pipelines.validate.checked import Checked, CheckedTables
from pipelines.validate.gx_suites import RuleResult
from pipelines.validate.optional_tables import (
    question_theme,
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

#: Standard fields whose codes are checked by ``code_known``.
CODE_FIELDS: tuple[str, ...] = (*MONITORING_FIELDS, "consent_to_quote", "volunteer")
#: The responses' columns their suite sees.
RESPONSE_COLUMNS: tuple[str, ...] = (
    "response_key",
    "submitted_at_format",
    "submitted_at",
    "region",
    "region_locality",
    "group",
    "channel",
    *CODE_FIELDS,
)


def pseudonymous_key(column: str) -> pl.Expr:
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
    grace = consultation.grace(grace_days)
    opened = datetime.combine(consultation.opened, datetime.min.time())
    closed = datetime.combine(consultation.closed, datetime.max.time().replace(microsecond=0))
    pairs = regions.drop_nulls("locality").select(
        pl.concat_str("region", pl.lit(" / "), "locality")
    )
    params: dict[str, Any] = {
        "regions": sorted(regions["region"].unique().to_list()),
        "region_localities": sorted(pairs.to_series().to_list()),
        "groups": list(consultation.groups),
        "channels": list(field_codes("channel")),
        "parsed_formats": list(PARSED_FORMATS),
        "window_start": (opened - grace).isoformat(),
        "window_end": (closed + grace).isoformat(),
        "ladder_rungs": list(LADDER_RUNGS),
        "action_statuses": list(ACTION_STATUSES),
        "free_text_questions": [q.id for q in consultation.questions if q.type == "free_text"],
        "question_options": answer_options(consultation),
    }
    for name in CODE_FIELDS:
        params[f"{name}_codes"] = list(allowed_codes(name, consultation.categories))
    # the default bands where no age column is mapped (the rule then does not apply)
    bands = consultation_bands(consultation) if AGE_FIELD in consultation.columns else None
    params["ages"] = accepted_ages(bands or age_bands(field_codes("age_band")))
    return params


def checked_columns(consultation: Consultation, responses: pl.DataFrame) -> list[str]:
    """The response columns the suite judges: a rule on a field the consultation does not
    map does not apply (no id column: ids are row numbers, so no duplicate can be found; no
    date column: no date is read or windowed); ``completion`` and ``age`` where mapped; how
    many cells of the row are filled (an empty row is no response)."""
    unmapped = {
        "response_key": "response_id" not in consultation.columns,
        "submitted_at": "submitted_at" not in consultation.columns,
        "submitted_at_format": "submitted_at" not in consultation.columns,
    }
    columns = [c for c in RESPONSE_COLUMNS if not unmapped.get(c, False)]
    return columns + [c for c in (FILLED, "completion", AGE_FIELD) if c in responses.columns]


def question_headers(consultation: Consultation) -> dict[str, str]:
    """Each question's header (one-column questions) and each grid item's (``q.item``), by
    the id its answers carry."""
    headers = {q.id: q.column for q in consultation.questions if q.column}
    for question in consultation.questions:
        for item, header in (question.items or {}).items():
            headers[f"{question.id}.{item}"] = header
    return headers


def response_headers(consultation: Consultation) -> dict[str, str]:
    """The export's header of each field a response rule names (quarantine messages)."""
    headers = dict(consultation.columns)
    if consultation.incomplete is not None:
        headers[INCOMPLETE] = consultation.incomplete.column
    return headers


def check_table(
    runner: RunsSuites,
    suite: str,
    frame: pl.DataFrame,
    gx_columns: list[str],
    params: dict[str, Any],
    raw: pl.DataFrame | pl.LazyFrame,
    source: str,
    headers: dict[str, str],
    key_column: str | None = None,
) -> Checked:
    """``frame``'s ``gx_columns`` through ``suite``, each failing row set aside with its rule
    (of ``key_column``'s duplicates, only the later ones). ``raw``: the rows as written, of
    which only the failing ones are read (from disk, where the table waits there)."""
    results = runner.run(suite, frame.select(ROW, *gx_columns), params)
    if key_column is not None:
        results = [
            keep_first_duplicate(r, frame.select(ROW, key_column), key_column) for r in results
        ]
    results = _empty_rows_once(results)
    failing = pl.Series(ROW, sorted({row for r in results for row in r.rows}), dtype=pl.Int64)
    records = []
    if failing.len():
        raw_rows = raw.lazy().filter(pl.col(ROW).is_in(failing.implode())).collect()
        records = [
            quarantine_records(
                r, raw_rows, source, value_column=r.field, header=headers.get(r.field, r.field)
            )
            for r in results
            if r.rows
        ]
    quarantine = pl.concat(records) if records else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    return Checked(frame=blanked(frame, results), quarantine=quarantine, results=results)


#: The rule of a row with no cell filled: that row fails no other rule.
EMPTY_ROW = "empty_row"


def _empty_rows_once(results: list[RuleResult]) -> list[RuleResult]:
    """``results`` with an empty row's failures of other rules left out (a row of commas has
    no id, region or group either): it is set aside once, as empty, not also as "required"
    with a fix that asks for the column to be filled."""
    empty = {row for r in results if r.rule == EMPTY_ROW for row in r.rows}
    if not empty:
        return results
    return [
        r if r.rule == EMPTY_ROW else replace(r, rows=tuple(x for x in r.rows if x not in empty))
        for r in results
    ]


def blanked(frame: pl.DataFrame, results: list[RuleResult]) -> pl.DataFrame:
    """``frame`` with each field-level failure's column left blank in its failing rows: an
    optional field that cannot be mapped is "not answered", and the row is kept."""
    for result in results:
        if result.blanks_field and result.rows:
            failing = pl.col(ROW).is_in(pl.Series(result.rows, dtype=pl.Int64).implode())
            frame = frame.with_columns(
                pl.when(failing).then(None).otherwise(pl.col(result.column)).alias(result.column)
            )
    return frame


@dataclass(frozen=True)
class SoFar:
    """What the optional tables' checks draw on: the geography, the consultation's groups,
    the checked responses (with their keys) and the tables checked before."""

    regions: pl.DataFrame
    groups: dict[str, str]
    responses: pl.DataFrame
    checked: CheckedTables


def _event_ids(so_far: SoFar) -> list[str]:
    """The ids of the events that passed their suite (none where no events were given)."""
    events = so_far.checked.optional.get("events")
    return [] if events is None else sorted(events.passed()["event_id"].drop_nulls().to_list())


def _response_keys(so_far: SoFar) -> pl.Series:
    return so_far.responses["response_key"].drop_nulls().unique()


def _codebook(so_far: SoFar) -> list[str]:
    """``<question> / <theme>`` of every theme coding.csv's valid rows give a question: the
    codebook a reviewed suggestion must come from (none where coding.csv is absent)."""
    coding = so_far.checked.optional.get("coding")
    if coding is None:
        return []
    return sorted(
        coding.passed().select(question_theme()).to_series().drop_nulls().unique().to_list()
    )


def _reviewed(raw: pl.DataFrame) -> pl.DataFrame:
    """coding_reviewed.csv's rows standardised as coding's, with the key and the pair its
    suite checks."""
    frame = standard_coding(raw).with_columns(pseudonymous_key("response_id"))
    return frame.with_columns(question_theme())


@dataclass(frozen=True)
class OptionalSuite:
    """How one optional table is checked: standardised, the columns its suite sees, the key
    of which only the first row is kept, and the parameters it needs beyond the shared ones."""

    name: str
    standardise: Callable[[pl.DataFrame, SoFar], pl.DataFrame]
    columns: tuple[str, ...]
    key_column: str | None = None
    more_parameters: Callable[[SoFar], dict[str, Any]] = lambda so_far: {}


#: The optional tables in the order they are checked (attendance after the events it names).
OPTIONAL_SUITES: tuple[OptionalSuite, ...] = (
    OptionalSuite(
        "events",
        lambda raw, so_far: standard_events(raw, so_far.regions),
        ("event_id", "region", "region_locality", "date_format", "ladder_rung"),
        key_column="event_id",
    ),
    OptionalSuite(
        "attendance",
        lambda raw, so_far: standard_attendance(raw, so_far.groups),
        ("event_id", "group", "attendees_text"),
        more_parameters=lambda so_far: {"event_ids": _event_ids(so_far)},
    ),
    OptionalSuite(
        "coding",
        lambda raw, _: standard_coding(raw).with_columns(pseudonymous_key("response_id")),
        ("response_key", "question_id", "theme"),
        more_parameters=lambda so_far: {
            "event_ids": _event_ids(so_far),
            "response_keys": _response_keys(so_far),
        },
    ),
    OptionalSuite(
        "coding_reviewed",
        lambda raw, _: _reviewed(raw),
        ("response_key", "question_id", "question_theme", "theme"),
        more_parameters=lambda so_far: {
            "response_keys": _response_keys(so_far),
            "codebook": _codebook(so_far),
        },
    ),
    OptionalSuite(
        "actions",
        lambda raw, so_far: standard_actions(raw, so_far.regions),
        ("action_id", "region", "region_locality", "status", "due_format", "feedback_given_format"),
        key_column="action_id",
    ),
)


def validate_tables(
    runner: RunsSuites,
    consultation: Consultation,
    regions: pl.DataFrame,
    standard: Standardised,
    optional: dict[str, RawTable | None],
    params: dict[str, Any],
    source: str,
) -> CheckedTables:
    """Every table through its suite: the responses, their answers, each optional table."""
    responses = standard.responses
    for name in ("channel", *CODE_FIELDS):
        if name not in responses.columns:
            responses = responses.with_columns(pl.lit(None, pl.Categorical).alias(name))
    responses = responses.with_columns(pseudonymous_key("response_id"))
    headers = response_headers(consultation)
    checked = CheckedTables(
        responses=check_table(
            runner,
            "responses",
            responses,
            checked_columns(consultation, responses),
            params,
            standard.raw_fields,
            source,
            headers,
            key_column="response_key",
        ),
        answers=check_answers(
            runner,
            standard,
            standard.raw_fields.select(ROW, "response_id"),
            params,
            source,
            {**headers, **question_headers(consultation)},
        ),
        comments=standard.comments,
        scratch=standard.spill,
    )
    so_far = SoFar(regions, field_lookup("group", consultation), responses, checked)
    for suite in OPTIONAL_SUITES:
        table = optional[suite.name]
        if table is None:
            continue
        checked.optional[suite.name] = check_table(
            runner,
            suite.name,
            suite.standardise(table.frame, so_far),
            list(suite.columns),
            {**params, **suite.more_parameters(so_far)},
            table.frame,
            f"{suite.name}.csv",
            {},
            key_column=suite.key_column,
        )
    return checked
