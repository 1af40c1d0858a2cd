"""What an analyst asks after validation: what was read, what was set aside and why (in the
report's words, with the source rows and the fix), how complete each field is."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import altair as alt
import polars as pl
from rapidfuzz import fuzz, process, utils

from pipelines.consultation import Consultation
from pipelines.fields import STANDARD_FIELDS, field_codes
from pipelines.labels import dimension_label, rule_text
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


def rule_words(rule: str) -> str:
    """A rule in the words of the report's data quality section (config/labels.yml
    ``rules``, through :func:`pipelines.labels.rule_text`, which that section reads too)."""
    return rule_text(rule)


def _shown_values(quarantine: pl.DataFrame) -> pl.Series:
    """Each quarantined value as it may be shown: none for identifiers and free text, the
    others redacted (validate stores them so; redacted again here, in case the quarantine
    was written by an older version)."""
    shown = pl.when(pl.col("field").is_in(list(IDENTIFYING))).then(None).otherwise(pl.col("value"))
    values = quarantine.select(shown.alias("example"))["example"]
    return pl.Series("example", redact_many(values.to_list()), dtype=pl.String)


def _row_list(column: str = "row_number", most: int = 10) -> pl.Expr:
    """Source row numbers as text, ``"144, 738"``, at most ``most`` of them then "…"."""
    rows = pl.col(column).unique().sort()
    listed = rows.head(most).cast(pl.String).str.join(", ")
    return pl.when(rows.len() > most).then(listed + pl.lit(", …")).otherwise(listed).alias("rows")


def failures_by_rule(quarantine: pl.DataFrame, examples: int = 3) -> pl.DataFrame:
    """``source_file, problem, field, failures, rows, examples, rule``: each rule's count in
    the report's words, the source rows (the row numbers of the file, header included) and
    a few values.

    Examples never include identifiers or free text: for those fields the column is empty.
    """
    if quarantine.is_empty():
        return pl.DataFrame(
            schema={
                "source_file": pl.String,
                "problem": pl.String,
                "field": pl.String,
                "failures": pl.UInt32,
                "rows": pl.String,
                "examples": pl.String,
                "rule": pl.String,
            }
        )
    return (
        quarantine.with_columns(_shown_values(quarantine))
        .group_by("source_file", "rule", "field", maintain_order=True)
        .agg(
            pl.len().alias("failures"),
            _row_list(),
            pl.col("example")
            .drop_nulls()
            .unique(maintain_order=True)
            .head(examples)
            .str.join(", ")
            .alias("examples"),
        )
        .sort("failures", descending=True, maintain_order=True)
        .with_columns(
            pl.col("rule").map_elements(rule_words, return_dtype=pl.String).alias("problem")
        )
        .select("source_file", "problem", "field", "failures", "rows", "examples", "rule")
    )


# --- the fix for each failing value ----------------------------------------------------

#: How alike (0-100: rapidfuzz's ratio, case and punctuation ignored) a known value must be
#: to be offered as the one a failing value may mean.
CLOSE_MATCH = 60


def closest(given: str, choices: Sequence[str], limit: int = 1) -> list[str]:
    """The ``choices`` nearest ``given`` by edit distance (rapidfuzz), best first; only
    those at least :data:`CLOSE_MATCH` alike."""
    found = process.extract(
        given,
        list(choices),
        scorer=fuzz.ratio,
        processor=utils.default_process,
        limit=limit,
        score_cutoff=CLOSE_MATCH,
    )
    return [choice for choice, _, _ in found]


def _yaml_key(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def _values_line(field: str, value: str, target: str) -> str:
    """The line to add to consultation.yml: ``values: {region: {"Esat Midlands": East Midlands}}``
    written as it sits in the file."""
    return f"under `values:` → `{field}:` in consultation.yml add `{_yaml_key(value)}: {target}`"


def _known(field: str, consultation: Consultation, regions: pl.DataFrame) -> list[str]:
    """The values a field may hold: region names, localities, group codes, or the field's
    codes (config/fields.yml, or the consultation's own categories)."""
    if field == "region":
        return regions["region"].unique(maintain_order=True).to_list()
    if field == "locality":
        return regions["locality"].drop_nulls().to_list()
    if field == "group":
        return list(consultation.groups)
    try:
        return list(field_codes(field, consultation.categories))
    except KeyError:
        return []


def fix_for(
    rule: str, field: str, value: str | None, consultation: Consultation, regions: pl.DataFrame
) -> tuple[str | None, str]:
    """``(may_mean, fix)`` for one failing value: the known value it is nearest (edit
    distance), and what to do — the ``values:`` line to add to consultation.yml where it is
    a spelling, the region a locality belongs to, else the rule's fix
    (:data:`pipelines.validate.run.FIXES`) or the rule in words."""
    from pipelines.validate.run import FIXES

    if value is None or field in IDENTIFYING:
        return None, FIXES.get(rule, f"check the rows where {rule_words(rule)}")
    if rule == "locality_in_region":
        homes = regions.filter(pl.col("locality") == value)["region"].unique().to_list()
        if homes:
            return homes[
                0
            ], f"regions.csv puts {value} in {homes[0]}: check the region of these rows"
        near = closest(value, _known("locality", consultation, regions))
        if near:
            return near[0], _values_line("locality", value, near[0])
        return None, FIXES[rule]
    known = _known(field, consultation, regions)
    if rule.endswith("_known") and known:
        near = closest(value, known)
        if near:
            return near[0], _values_line(field, value, near[0])
        listed = ", ".join(known)
        return None, _values_line(field, value, f"<one of: {listed}>") + (
            " (or add the region to regions.csv)" if field == "region" else ""
        )
    return None, FIXES.get(rule, f"check the rows where {rule_words(rule)}")


def fixes(
    quarantine: pl.DataFrame, consultation: Consultation, regions: pl.DataFrame
) -> pl.DataFrame:
    """``source_file, rows, field, value, problem, may_mean, fix``: one row per failing
    value (identifiers and free text not shown), with its source rows, the problem in the
    report's words, the known value it may mean and the fix."""
    schema = {
        "source_file": pl.String,
        "rows": pl.String,
        "field": pl.String,
        "value": pl.String,
        "problem": pl.String,
        "may_mean": pl.String,
        "fix": pl.String,
    }
    if quarantine.is_empty():
        return pl.DataFrame(schema=schema)
    grouped = (
        quarantine.with_columns(_shown_values(quarantine).alias("value"))
        .group_by("source_file", "rule", "field", "value", maintain_order=True)
        .agg(_row_list(), pl.col("row_number").min().alias("_first"))
        .sort("source_file", "_first")
    )
    rows = []
    for record in grouped.iter_rows(named=True):
        may_mean, fix = fix_for(
            record["rule"], record["field"], record["value"], consultation, regions
        )
        rows.append(
            {
                "source_file": record["source_file"],
                "rows": record["rows"],
                "field": record["field"],
                "value": record["value"],
                "problem": rule_words(record["rule"]),
                "may_mean": may_mean,
                "fix": fix,
            }
        )
    return pl.DataFrame(rows, schema=schema)


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


#: Below this % of valid responses filled in, a field is marked low in the chart.
LOW_BELOW = 80.0


def completeness_long(responses: pl.DataFrame, low_below: float = LOW_BELOW) -> pl.DataFrame:
    """``region, field, label, percent, low``: one row per region and standard field (the
    whole consultation first, as "All regions"), ``low`` where under ``low_below`` %."""
    wide = completeness_by_region(responses)
    every = completeness_by_region(responses.with_columns(pl.lit("All regions").alias("region")))
    fields = [c for c in wide.columns if c not in ("region", "responses")]
    long = pl.concat([every, wide], how="vertical_relaxed").unpivot(
        index="region", on=fields, variable_name="field", value_name="percent"
    )
    return long.with_columns(
        pl.col("field").map_elements(dimension_label, return_dtype=pl.String).alias("label"),
        (pl.col("percent") < low_below).alias("low"),
    ).select("region", "field", "label", "percent", "low")


def completeness_chart(long: pl.DataFrame, low_below: float = LOW_BELOW) -> alt.LayerChart:
    """Completeness as one compact grid: a row per field, a column per region, each cell's %
    written in it; cells under ``low_below`` % filled in orange, in bold and marked "low" in
    the tooltip, so low ones stand out without relying on colour. Fits 1280 px."""
    from pipelines.charts.theme import PALETTE

    regions = long["region"].unique(maintain_order=True).to_list()
    fields = long["label"].unique(maintain_order=True).to_list()
    frame = long.with_columns(
        pl.when(pl.col("low")).then(pl.lit("low")).otherwise(pl.lit("ok")).alias("status"),
        pl.when(pl.col("percent") == 100)
        .then(pl.lit("100%"))
        .otherwise(pl.col("percent").round(1).cast(pl.String) + pl.lit("%"))
        .alias("shown"),
    )
    base = alt.Chart(frame).encode(
        x=alt.X("region:N", sort=regions, title=None, axis=alt.Axis(labelAngle=-30, orient="top")),
        y=alt.Y("label:N", sort=fields, title=None),
        tooltip=[
            alt.Tooltip("region:N", title="Region"),
            alt.Tooltip("label:N", title="Field"),
            alt.Tooltip("percent:Q", title="% filled in", format=".1f"),
            alt.Tooltip("status:N", title=f"Under {low_below:g}%?"),
        ],
    )
    cells = base.mark_rect(stroke="white").encode(
        color=alt.Color(
            "status:N",
            scale=alt.Scale(domain=["ok", "low"], range=["#E5E5E5", PALETTE[3]]),
            legend=alt.Legend(title=f"Under {low_below:g}% filled in", labelExpr=_LEGEND),
        )
    )
    shown = base.transform_filter("!datum.low").mark_text(fontSize=11).encode(text="shown:N")
    low = (
        base.transform_filter("datum.low")
        .mark_text(fontSize=11, fontWeight="bold")
        .encode(text="shown:N")
    )
    return (cells + shown + low).properties(
        width=min(70 * len(regions), 900),
        height=22 * len(fields),
        title=f"Completeness: % of valid responses with each field filled in (low: under {low_below:g}%)",
    )


_LEGEND = "datum.label == 'low' ? 'low' : 'not low'"
