"""Quarantine: every rejected row or answer, with its rule and a message a person understands."""

from __future__ import annotations

import polars as pl

from pipelines.ingest.read import ROW
from pipelines.validate.gx_suites import RuleResult

QUARANTINE_SCHEMA: dict[str, pl.DataType] = {
    "source_file": pl.String(),
    "row_number": pl.Int64(),
    "response_id": pl.String(),
    "field": pl.String(),
    "value": pl.String(),
    "rule": pl.String(),
    "message": pl.String(),
}

#: Fields whose raw value is an identifier or free text: never quoted in a message.
UNQUOTED_FIELDS = frozenset({"response_id"})


def keep_first_duplicate(result: RuleResult, keys: pl.DataFrame, key_column: str) -> RuleResult:
    """For a uniqueness rule, drop the first row of each duplicated key from the failures."""
    if not result.rows or not result.rule.endswith("_unique"):
        return result
    failing = keys.filter(pl.col(ROW).is_in(list(result.rows)))
    firsts = set(failing.group_by(key_column).agg(pl.col(ROW).min())[ROW].to_list())
    rows = tuple(r for r in result.rows if r not in firsts)
    return RuleResult(result.suite, result.rule, result.field, result.message, result.column, rows)


def quarantine_records(
    result: RuleResult,
    raw: pl.DataFrame,
    source_file: str,
    value_column: str,
    header: str,
    row_column: str = ROW,
    field_column: str | None = None,
) -> pl.DataFrame:
    """One quarantine row per failing source row of ``result``.

    ``raw`` holds the failing rows' raw ``value_column`` and ``response_id`` (where known);
    ``field_column``, where given, names each row's field (an answer's question id).
    """
    failing = raw.filter(pl.col(row_column).is_in(list(result.rows)))
    if failing.is_empty():
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    values = (
        failing[value_column].to_list()
        if value_column in failing.columns
        else [None] * len(failing)
    )
    if result.field in UNQUOTED_FIELDS:
        shown = ["" for _ in values]
    else:
        shown = ["(blank)" if v is None else repr(str(v).strip()) for v in values]
    messages = [
        result.message.format(value=s, header=repr(header)).replace("  ", " ") for s in shown
    ]
    response_ids = (
        failing["response_id"].to_list()
        if "response_id" in failing.columns
        else [None] * len(failing)
    )
    return pl.DataFrame(
        {
            "source_file": [source_file] * len(failing),
            "row_number": failing[row_column].to_list(),
            "response_id": response_ids,
            "field": failing[field_column].to_list()
            if field_column
            else [result.field] * len(failing),
            "value": [None if v is None else str(v) for v in values],
            "rule": [result.rule] * len(failing),
            "message": messages,
        },
        schema=QUARANTINE_SCHEMA,
    )
