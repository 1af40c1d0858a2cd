"""Quarantine: every rejected row or answer, with its rule and a message a person understands."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from pipelines.ingest.read import ROW
from pipelines.validate.gx_suites import FIELD_SCOPE, RuleResult, load_suite_definition

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


def field_level_rules(suite: str = "responses") -> frozenset[tuple[str, str]]:
    """The (rule, field) pairs of ``suite`` whose failure leaves the field blank and keeps
    the row (``meta.scope: field``): an optional field's answer that could not be mapped."""
    return frozenset(
        (e["meta"]["rule"], e["meta"]["field"])
        for e in load_suite_definition(suite)["expectations"]
        if e["meta"].get("scope") == FIELD_SCOPE
    )


def set_aside_records(quarantine: pl.DataFrame, source_file: str) -> pl.DataFrame:
    """The quarantine records of ``source_file`` (the responses export) that set a response
    aside whole: not a field left blank, not an answer quarantined alone."""
    blanked = pl.DataFrame(
        sorted(field_level_rules()), schema={"rule": pl.String, "field": pl.String}, orient="row"
    )
    answers = {(e["meta"]["rule"]) for e in load_suite_definition("answers")["expectations"]}
    return quarantine.filter(
        (pl.col("source_file") == source_file) & ~pl.col("rule").is_in(sorted(answers))
    ).join(blanked, on=["rule", "field"], how="anti", nulls_equal=True)


def keep_first_duplicate(result: RuleResult, keys: pl.DataFrame, key_column: str) -> RuleResult:
    """For a uniqueness rule, drop the first row of each duplicated key from the failures."""
    if not result.rows or not result.rule.endswith("_unique"):
        return result
    rows = pl.Series(ROW, result.rows, dtype=pl.Int64)
    failing = keys.filter(pl.col(ROW).is_in(rows.implode()))
    firsts = failing.group_by(key_column).agg(pl.col(ROW).min())[ROW]
    return replace(result, rows=tuple(rows.filter(~rows.is_in(firsts.implode()))))


def _rows(result: RuleResult) -> pl.Series:
    """``result``'s failing rows as one list value, for ``is_in``."""
    return pl.Series(ROW, result.rows, dtype=pl.Int64).implode()


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
    ``field_column``, where given, names each row's field (an answer's question id). Each
    distinct value's message is written once.
    """
    failing = raw.filter(pl.col(row_column).is_in(_rows(result)))
    if failing.is_empty():
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    value = (
        failing[value_column].cast(pl.String)
        if value_column in failing.columns
        else pl.repeat(None, failing.height, dtype=pl.String, eager=True)
    ).alias("value")
    return failing.select(
        pl.lit(source_file).alias("source_file"),
        pl.col(row_column).alias("row_number"),
        (pl.col("response_id") if "response_id" in failing.columns else pl.lit(None))
        .cast(pl.String)
        .alias("response_id"),
        (pl.col(field_column).cast(pl.String) if field_column else pl.lit(result.field))
        .cast(pl.String)
        .alias("field"),
        value,
        pl.lit(result.rule).alias("rule"),
        _messages(result, value, header),
    ).cast(QUARANTINE_SCHEMA)


def _messages(result: RuleResult, value: pl.Series, header: str) -> pl.Series:
    """Each row's message, written once per distinct value: the value quoted (trimmed), or
    ``(blank)``; never an identifier's value."""
    distinct = value.unique(maintain_order=True)

    def message(text: str | None) -> str:
        if result.field in UNQUOTED_FIELDS:
            shown = ""
        else:
            shown = "(blank)" if text is None else repr(text.strip())
        return result.message.format(value=shown, header=repr(header)).replace("  ", " ")

    written = pl.Series([message(text) for text in distinct.to_list()], dtype=pl.String)
    frame = value.to_frame("_value").join(
        pl.DataFrame({"_value": distinct, "message": written}),
        on="_value",
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    return frame["message"]
