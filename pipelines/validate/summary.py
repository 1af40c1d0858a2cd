"""What an analyst asks after validation: what was read, what was set aside, how complete."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from pipelines.fields import STANDARD_FIELDS
from pipelines.paths import clean_dir
from pipelines.redact import PLACEHOLDERS, redact_many
from pipelines.validate.quarantine import UNQUOTED_FIELDS

#: Fields whose raw values are identifiers or free text: never shown as examples.
IDENTIFYING = UNQUOTED_FIELDS | {
    "text",
    "you_said",
    "we_did",
    "title",
    "venue",
    "owner",
    "theme",
}


def read_ledger(consultation: str, root: Path | None = None) -> dict:
    """validation.json of a consultation's last validation."""
    return json.loads(
        (clean_dir(consultation, root) / "validation.json").read_text(encoding="utf-8")
    )


def ledger_table(ledger: dict) -> pl.DataFrame:
    """``table, rows_read, valid, quarantined``: one row per input table."""
    return pl.DataFrame(
        [{"table": name, **counts} for name, counts in ledger["tables"].items()],
        schema={
            "table": pl.String,
            "rows_read": pl.Int64,
            "valid": pl.Int64,
            "quarantined": pl.Int64,
        },
    )


def blanked_table(ledger: dict) -> pl.DataFrame:
    """``field, responses``: valid responses kept with that field blank because its answer
    failed a field-level rule (``fields_blanked``; none in a ledger older than the key)."""
    counts = ledger.get("fields_blanked", {})
    return pl.DataFrame(
        {"field": list(counts), "responses": list(counts.values())},
        schema={"field": pl.String, "responses": pl.Int64},
    )


def failures_by_rule(quarantine: pl.DataFrame, examples: int = 3) -> pl.DataFrame:
    """``source_file, rule, field, failures, examples``: each rule's count and a few values.

    Examples never include identifiers or free text: for those fields the column is empty.
    The others are shown redacted (validate stores them so; redacted again here, in case the
    quarantine was written by an older version).
    """
    if quarantine.is_empty():
        return pl.DataFrame(
            schema={
                "source_file": pl.String,
                "rule": pl.String,
                "field": pl.String,
                "failures": pl.UInt32,
                "examples": pl.String,
            }
        )
    shown = pl.when(pl.col("field").is_in(list(IDENTIFYING))).then(None).otherwise(pl.col("value"))
    values = quarantine.select(shown.alias("example"))["example"]
    redacted = pl.Series("example", redact_many(values.to_list()), dtype=pl.String)
    return (
        quarantine.with_columns(redacted)
        .group_by("source_file", "rule", "field", maintain_order=True)
        .agg(
            pl.len().alias("failures"),
            pl.col("example")
            .drop_nulls()
            .unique(maintain_order=True)
            .head(examples)
            .str.join(", ")
            .alias("examples"),
        )
        .sort("failures", descending=True)
    )


def redaction_table(ledger: dict) -> pl.DataFrame:
    """``kind, placeholder, removed``: how many details of each kind redaction removed from
    the stored free text (comments, other answers, event titles and venues, action texts,
    owners and themes, theme names, quarantined values)."""
    counts = ledger.get("redaction", {})
    kinds = list(dict.fromkeys([*PLACEHOLDERS, *counts]))
    return pl.DataFrame(
        {
            "kind": kinds,
            "placeholder": [PLACEHOLDERS.get(kind, "") for kind in kinds],
            "removed": [int(counts.get(kind, 0)) for kind in kinds],
        },
        schema={"kind": pl.String, "placeholder": pl.String, "removed": pl.Int64},
    )


def completeness_by_region(responses: pl.DataFrame) -> pl.DataFrame:
    """``region, responses, <field>...``: % of valid responses with each standard field filled."""
    fields = [f for f in STANDARD_FIELDS if f in responses.columns and f != "region"]
    return (
        responses.group_by(pl.col("region").cast(pl.String))
        .agg(
            pl.len().alias("responses"),
            *(pl.col(f).is_not_null().mean().mul(100).round(1).alias(f) for f in fields),
        )
        .sort("region")
    )
