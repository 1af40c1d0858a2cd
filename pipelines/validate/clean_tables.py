"""Typed clean tables from the checked frames: what passed, with canonical codes and types."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import polars as pl

from pipelines.consultation import Consultation
from pipelines.fields import PREFER_NOT_TO_SAY, field_specs
from pipelines.ingest.read import ROW
from pipelines.redact import RedactionLog, redact_many
from pipelines.validate.layout import REGION_ORDERED, REGION_ROWS_KEY, ROW_GROUP_ROWS
from pipelines.validate.optional_tables import ACTION_STATUSES, LADDER_RUNGS
from pipelines.validate.quarantine import QUARANTINE_SCHEMA

if TYPE_CHECKING:
    from pipelines.validate.run import _Checked

CHANNELS = pl.Enum(list(field_specs()["channel"].codes))
LADDER = pl.Enum(list(LADDER_RUNGS))
STATUS = pl.Enum(list(ACTION_STATUSES))


@dataclass
class CleanOutputs:
    tables: dict[str, pl.DataFrame]
    quarantine: pl.DataFrame
    ledger: dict[str, dict[str, int]]
    redaction: RedactionLog = field(default_factory=RedactionLog)
    #: table -> region -> (first row, rows): where each region's rows sit in the file
    region_rows: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)


def region_order(valid: pl.DataFrame, regions: pl.DataFrame) -> pl.DataFrame:
    """``__row, _region``: each valid response's region as its position in regions.csv."""
    return valid.select(
        ROW, pl.col("region").cast(region_enum(regions)).to_physical().alias("_region")
    )


def in_region_order(
    frame: pl.DataFrame, order: pl.DataFrame, key: str, *, keep_others: bool = False
) -> pl.DataFrame:
    """``frame``'s rows by region, then source row, with their ``_region``.

    ``key`` is the column of ``frame`` matching ``order``'s ``__row`` (or ``response_id``
    where ``order`` has one). Rows of no valid response are dropped, or kept at the end
    with ``keep_others``.
    """
    if key == "response_id":
        keyed = order.select(key, "_region", pl.col(ROW).alias("_row"))
        joined = frame.join(keyed, on=key, how="left", maintain_order="left")
        if not keep_others:
            joined = joined.drop_nulls("_region")
        ordered = joined.sort("_region", "_row", maintain_order=True, nulls_last=True)
        return ordered.drop("_row")
    region_of_row = _region_by_row(order, int(frame[key].max() or 0) + 1)
    # sort a slim (position, region, key) frame, then gather each column of frame once
    placed = (
        frame.select(pl.lit(region_of_row).gather(pl.col(key)).alias("_region"), key)
        .with_row_index("_position")
        .drop_nulls("_region")
        .sort("_region", key, maintain_order=True)
    )
    return frame[placed["_position"]].with_columns(placed["_region"])


def _region_by_row(order: pl.DataFrame, rows: int) -> pl.Series:
    """Region position indexed by source row (null for rows of no valid response)."""
    size = max(int(order[ROW].max() or 0) + 1, rows)
    empty = pl.Series("_region", [None] * size, dtype=order["_region"].dtype)
    return empty.scatter(order[ROW], order["_region"])


def region_slices(table: pl.DataFrame, regions: pl.DataFrame) -> dict[str, tuple[int, int]]:
    """Region -> (first row, rows) of a table in region order (with its ``_region``)."""
    names = region_enum(regions).categories.to_list()
    counts = table.drop_nulls("_region").group_by("_region", maintain_order=True).len()
    slices: dict[str, tuple[int, int]] = {}
    first = 0
    for region, rows in counts.iter_rows():
        slices[names[region]] = (first, rows)
        first += rows
    return slices


def monitoring_enum(name: str) -> pl.Enum:
    spec = field_specs()[name]
    extra = [PREFER_NOT_TO_SAY] if spec.monitoring else []
    return pl.Enum([*spec.codes, *extra])


def region_enum(regions: pl.DataFrame) -> pl.Enum:
    return pl.Enum(regions["region"].unique(maintain_order=True).to_list())


def locality_enum(regions: pl.DataFrame) -> pl.Enum:
    return pl.Enum(regions["locality"].drop_nulls().unique(maintain_order=True).to_list())


def _yes(column: str) -> pl.Expr:
    return (pl.col(column) == "yes").fill_null(False).alias(column)


def clean_responses(
    frame: pl.DataFrame, consultation: Consultation, regions: pl.DataFrame, numbers: pl.DataFrame
) -> pl.DataFrame:
    """responses.parquet: one row per valid response; number questions as Float64 columns."""
    columns: list[Any] = [
        pl.col("response_id"),
        pl.col("submitted_at").cast(pl.Datetime("us")),
        pl.col("region").cast(region_enum(regions)),
        pl.col("locality").cast(locality_enum(regions)),
        pl.col("group").cast(pl.Enum(list(consultation.groups))),
        pl.col("channel").cast(CHANNELS),
    ]
    for name in ("age_band", "sex", "ethnic_group", "disability", "imd_quintile"):
        columns.append(pl.col(name).cast(monitoring_enum(name)))
    columns += [
        _yes("consent_to_quote"),
        (pl.col("volunteer") == "yes").alias("volunteer"),
        pl.col(ROW).alias("source_row"),
    ]
    clean = frame.select(columns)
    for question in consultation.questions:
        if question.type == "number":
            values = numbers.filter(pl.col("question_id") == question.id).select(
                pl.col(ROW).alias("source_row"), pl.col("value").alias(question.id)
            )
            clean = clean.join(values, on="source_row", how="left")
    return clean


def redact_texts(texts: pl.Series, log: RedactionLog) -> pl.Series:
    """``texts`` redacted, each distinct text once; ``log`` counts every occurrence."""
    distinct = texts.drop_nulls().value_counts(name="occurrences")
    redacted: list[str | None] = []
    for text, occurrences in distinct.iter_rows():
        own = RedactionLog()
        redacted.extend(redact_many([text], own))
        for kind, count in own.counts.items():
            log.counts[kind] += count * occurrences
    mapping = distinct.select(
        pl.col(texts.name).alias("_text"), pl.Series("_redacted", redacted, dtype=pl.String)
    )
    frame = texts.to_frame("_text").join(mapping, on="_text", how="left", maintain_order="left")
    return frame["_redacted"].alias(texts.name)


def build(
    consultation: Consultation,
    regions: pl.DataFrame,
    checked: dict[str, _Checked],
    approved: pl.DataFrame | None = None,
) -> CleanOutputs:
    """Split every checked table into its clean parquet and the quarantine ledger.

    ``approved``: the (response_id, question_id) pairs of an ``approved_quotes.csv``, which
    narrows the comments that may be quoted beyond consent; None where none was given.
    """
    responses = checked["responses"]
    bad_rows = responses.failed_rows
    valid = responses.frame.filter(~pl.col(ROW).is_in(list(bad_rows)))
    ids = valid.select(ROW, "response_id", "consent_to_quote")

    answer_items = checked["answer_items"]
    bad_items = set(answer_items.quarantine["row_number"].to_list())
    items = checked["answers"].frame
    good = ~pl.col("__item").is_in(list(bad_items))
    order = region_order(valid, regions)
    answers = in_region_order(
        items.filter(pl.col("question_option").is_not_null() & good).select(
            ROW, "question_id", "question_option"
        ),
        order,
        ROW,
    ).join(ids.select(ROW, "response_id"), on=ROW, how="inner", maintain_order="left")
    pairs = answers["question_option"].unique().drop_nulls()
    options = pairs.cast(pl.String).str.split_exact("=", 1).struct.field("field_1")
    answers = answers.select(
        "response_id",
        pl.col("question_id").cast(pl.String),
        pl.col("question_option")
        .replace_strict(pairs, options, return_dtype=pl.String)
        .alias("option"),
        "_region",
    )
    number_rows = items.filter(pl.col("number_text").is_not_null() & good)[ROW]
    numbers = checked["numbers"].frame.filter(pl.col(ROW).is_in(number_rows.implode()))
    log = RedactionLog()
    comments = in_region_order(checked["comments"].frame, order, ROW).join(
        ids, on=ROW, how="inner", maintain_order="left"
    )
    comments = comments.with_columns(
        pl.col("question_id").cast(pl.String),
        redact_texts(comments["text"], log),
        (pl.col("consent_to_quote") == "yes").fill_null(False).alias("consent_to_quote"),
    ).select("response_id", "question_id", "text", "consent_to_quote", "_region")
    quotable = pl.col("consent_to_quote")
    if approved is not None:
        pairs = approved.select(
            pl.col("response_id").str.strip_chars(), pl.col("question_id").str.strip_chars()
        ).with_columns(pl.lit(True).alias("_approved"))
        comments = comments.join(
            pairs.unique(), on=["response_id", "question_id"], how="left", maintain_order="left"
        )
        quotable = quotable & pl.col("_approved").fill_null(False)
    comments = comments.with_columns(quotable.alias("quotable")).drop("_approved", strict=False)

    tables = {
        "responses": in_region_order(
            clean_responses(valid, consultation, regions, numbers), order, "source_row"
        ),
        "answers": answers,
        "comments": comments,
    }
    ledger = {
        "responses": _counts(responses.frame.height, len(bad_rows)),
        "answers": _counts(items.height, len(bad_items)),
    }
    quarantines = [responses.quarantine, checked["answers"].quarantine]
    optional_builders = {
        "events": ("events", _clean_events),
        "attendance": ("attendance", _clean_attendance),
        "coding": ("themes", _clean_themes),
        "actions": ("actions", _clean_actions),
    }
    for name, (output, builder) in optional_builders.items():
        if name not in checked:
            continue
        table = checked[name]
        kept = table.frame.filter(~pl.col(ROW).is_in(list(table.failed_rows)))
        tables[output] = builder(kept, consultation, regions)
        ledger[name] = _counts(table.frame.height, len(table.failed_rows))
        quarantines.append(table.quarantine)
    if "themes" in tables:
        by_id = order.join(valid.select(ROW, "response_id"), on=ROW)
        tables["themes"] = in_region_order(tables["themes"], by_id, "response_id", keep_others=True)
    quarantine = (
        pl.concat(quarantines).sort("source_file", "row_number", "rule")
        if quarantines
        else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    )
    slices = {n: region_slices(tables[n], regions) for n in REGION_ORDERED if n in tables}
    tables = {name: frame.drop("_region", strict=False) for name, frame in tables.items()}
    return CleanOutputs(
        tables=tables, quarantine=quarantine, ledger=ledger, redaction=log, region_rows=slices
    )


def write(outputs: CleanOutputs, folder: Path) -> None:
    """Write every clean table and the quarantine as parquet into ``folder``."""
    for name, frame in outputs.tables.items():
        slices = outputs.region_rows.get(name)
        metadata = {REGION_ROWS_KEY: json.dumps(slices)} if slices is not None else None
        frame.write_parquet(
            folder / f"{name}.parquet", row_group_size=ROW_GROUP_ROWS, metadata=metadata
        )
    outputs.quarantine.write_parquet(folder / "quarantine.parquet")


def _counts(read: int, quarantined: int) -> dict[str, int]:
    return {"rows_read": read, "valid": read - quarantined, "quarantined": quarantined}


def _clean_events(
    frame: pl.DataFrame, consultation: Consultation, regions: pl.DataFrame
) -> pl.DataFrame:
    return frame.select(
        "event_id",
        "title",
        "date",
        "venue",
        pl.col("region").cast(region_enum(regions)),
        pl.col("locality").cast(locality_enum(regions)),
        "format",
        pl.col("ladder_rung").cast(LADDER),
    )


def _clean_attendance(
    frame: pl.DataFrame, consultation: Consultation, regions: pl.DataFrame
) -> pl.DataFrame:
    return frame.select(
        "event_id",
        pl.col("group").cast(pl.Enum(list(consultation.groups))),
        pl.col("attendees").cast(pl.Int64),
    )


def _clean_themes(
    frame: pl.DataFrame, consultation: Consultation, regions: pl.DataFrame
) -> pl.DataFrame:
    return frame.select("response_id", "question_id", "theme").unique(maintain_order=True)


def _clean_actions(
    frame: pl.DataFrame, consultation: Consultation, regions: pl.DataFrame
) -> pl.DataFrame:
    frame = frame.with_columns(
        pl.Series(name, redact_many(frame[name].to_list()), dtype=pl.String)
        for name in ("you_said", "we_did")
    )
    return frame.select(
        "action_id",
        pl.col("region").cast(region_enum(regions)),
        pl.col("locality").cast(locality_enum(regions)),
        "theme",
        "you_said",
        "we_did",
        "owner",
        pl.col("status").cast(STATUS),
        "due",
        "feedback_given",
    )
