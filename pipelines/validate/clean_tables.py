"""Typed clean tables from the checked frames: what passed, with canonical codes and types.

Tables are built and written one at a time; responses, answers and comments stream into
their files region by region (regions.csv's order, then source row), so one region's
analysis reads only its own row groups (``workbook.region_rows``). Asked to, the writer
also keeps the rows of the tables written in region order, as the tallies read them
(:class:`~pipelines.validate.held_rows.HeldTables`), so that they are tallied without
reading the files back.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.consultation import Consultation
from pipelines.contract import ACTION_STATUSES, LADDER_RUNGS
from pipelines.fields import MONITORING_FIELDS, Categories, allowed_codes, field_codes
from pipelines.ingest.read import ROW
from pipelines.ingest.spill import BUCKET
from pipelines.redact import RedactionLog
from pipelines.validate.answer_checks import pair_key, pair_keys
from pipelines.validate.checked import CheckedTables
from pipelines.validate.coded_themes import coded_themes
from pipelines.validate.held_rows import HeldTables, held_tables
from pipelines.validate.redacted import (
    FREE_TEXT_COLUMNS,
    redact_columns,
    redact_quarantine,
    redact_theme_names,
    redactions,
)
from pipelines.validate.region_order import (
    in_region_order,
    region_slices,
    sink_by_region,
    sink_in_region_order,
    sink_table,
    write_table,
)

CHANNELS = pl.Enum(list(field_codes("channel")))
LADDER = pl.Enum(list(LADDER_RUNGS))
STATUS = pl.Enum(list(ACTION_STATUSES))


@dataclass
class CleanOutputs:
    """What the ledger needs once every clean table is written."""

    quarantine: pl.DataFrame
    ledger: dict[str, dict[str, int]]
    redaction: RedactionLog = field(default_factory=RedactionLog)
    #: table -> region -> (first row, rows): where each region's rows sit in the file
    region_rows: dict[str, dict[str, tuple[int, int]]] = field(default_factory=dict)
    #: field -> valid responses kept with that field left blank (its answer failed a
    #: field-level rule: quarantined alone)
    fields_blanked: dict[str, int] = field(default_factory=dict)
    #: the region-ordered tables' rows, where :func:`write_tables` was asked to keep them
    held: HeldTables | None = None


def region_order(valid: pl.DataFrame, regions: pl.DataFrame) -> pl.DataFrame:
    """``__row, _region``: each valid response's region as its position in regions.csv."""
    return valid.select(
        ROW, pl.col("region").cast(region_enum(regions)).to_physical().alias("_region")
    )


def by_source_row(rows: pl.Series, values: pl.Series, size: int) -> pl.Series:
    """``values`` placed at their source ``rows`` of a Series of ``size`` (null elsewhere)."""
    empty = pl.repeat(None, size, dtype=values.dtype, eager=True).alias(values.name)
    return empty.scatter(rows, values)


def monitoring_enum(name: str, categories: Categories | None = None) -> pl.Enum:
    """A monitoring field's codes as an Enum: the consultation's own ``categories`` where it
    gives them, else the canonical codes; ``prefer_not_to_say`` last."""
    return pl.Enum(list(allowed_codes(name, categories)))


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
    for name in MONITORING_FIELDS:
        columns.append(pl.col(name).cast(monitoring_enum(name, consultation.categories)))
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
            clean = clean.join(values, on="source_row", how="left", maintain_order="left")
    return clean


@dataclass(frozen=True)
class RegionPlacement:
    """Each valid response's region (its position in regions.csv), id and consent to be
    quoted, looked up by source row: a table's rows find their response by gathering,
    not by joining. Rows of no valid response have none (null)."""

    names: list[str]
    by_row: pl.DataFrame

    @classmethod
    def of(cls, valid: pl.DataFrame, regions: pl.DataFrame, rows: int) -> RegionPlacement:
        """``valid`` responses' places; ``rows``: one more than the highest source row."""
        order = region_order(valid, regions)
        consent = valid.select((pl.col("consent_to_quote") == "yes").fill_null(False))
        size = max(rows, int(valid[ROW].max() or 0) + 1)
        columns = (order["_region"], valid["response_id"], consent.to_series())
        by_row = pl.DataFrame([by_source_row(valid[ROW], column, size) for column in columns])
        return cls(region_enum(regions).categories.to_list(), by_row)

    def of_rows(self, rows: pl.Series) -> pl.Series:
        """The region position of each source row in ``rows`` (``_region``)."""
        return self.by_row["_region"].gather(rows)

    def column(self, name: str) -> pl.Expr:
        """``name`` (``response_id``, ``consent_to_quote``) of each row's response, by the
        row's ``__row``."""
        return pl.lit(self.by_row[name]).gather(pl.col(ROW)).alias(name)

    def slices(self, frame: pl.DataFrame | pl.LazyFrame) -> dict[str, tuple[int, int]]:
        """Region -> (first row, rows) of a table written region by region, from each of
        its rows' ``_region`` (nulls are not written)."""
        return region_slices(frame, self.names)


def write_tables(
    consultation: Consultation,
    regions: pl.DataFrame,
    checked: CheckedTables,
    approved: pl.DataFrame | None,
    folder: Path,
    hold_responses: int = 0,
) -> CleanOutputs:
    """Write every clean table into ``folder``, one at a time, and say what was set aside.

    Responses, answers and comments are written region by region. ``checked`` is handed
    over: each table's frames are cleared once its output is written. ``approved``: the
    (response_id, question_id) pairs of an ``approved_quotes.csv``, which narrows the
    comments that may be quoted beyond consent; None where none was given. Where there are
    at most ``hold_responses`` valid responses, the rows of the tables written in region
    order are also kept (``CleanOutputs.held``).
    """
    responses = checked.responses
    ledger = {
        "responses": _counts(responses.frame.height, responses.failed_rows.len()),
        "answers": _counts(checked.answers.items_read, checked.answers.items_quarantined),
    }
    quarantines = [responses.quarantine, checked.answers.quarantine]
    fields_blanked = responses.fields_blanked()
    rows = int(responses.frame[ROW].max() or 0) + 1
    del responses
    valid = take_passed(checked)
    placement = RegionPlacement.of(valid, regions, rows)
    # each table's rows as the tallies read them, where asked for
    held: dict[str, pl.DataFrame] | None = {} if valid.height <= hold_responses else None
    region_rows = {
        "responses": _write_responses(
            consultation, regions, valid, checked, placement, folder, held
        )
    }
    themes_order = valid.select(ROW, "response_id", placement.of_rows(valid[ROW]))
    del valid
    region_rows["answers"] = _write_answers(checked, placement, folder, held)
    log = RedactionLog()
    region_rows["comments"] = _write_comments(checked, placement, approved, log, folder, held)
    builders = {"events": _clean_events, "attendance": _clean_attendance, "actions": _clean_actions}
    reviewed = checked.optional.get("coding_reviewed")
    if reviewed is not None:
        ledger["coding_reviewed"] = _counts(reviewed.frame.height, reviewed.failed_rows.len())
        quarantines.append(reviewed.quarantine)
    for name in ("events", "attendance", "coding", "actions"):
        table = checked.optional.get(name)
        if table is None:
            continue
        ledger[name] = _counts(table.frame.height, table.failed_rows.len())
        quarantines.append(table.quarantine)
        if name == "coding":
            themes = coded_themes(table, reviewed)
            checked.optional[name] = replace(table, frame=table.frame.clear())
            themes = redact_theme_names(themes, log)
            region_rows["themes"] = _write_themes(themes, themes_order, placement, folder, held)
        else:
            clean = builders[name](table.passed(), consultation, regions)
            clean = redact_columns(clean, FREE_TEXT_COLUMNS.get(name, ()), log)
            write_table(clean, folder / f"{name}.parquet")
        del table
    quarantine = pl.concat(quarantines).sort("source_file", "row_number", "rule")
    quarantine = redact_quarantine(quarantine, log)
    quarantine.write_parquet(folder / "quarantine.parquet")
    return CleanOutputs(
        quarantine=quarantine,
        ledger=ledger,
        redaction=log,
        region_rows=region_rows,
        fields_blanked=fields_blanked,
        held=None
        if held is None
        else held_tables(consultation, held, placement.by_row["response_id"]),
    )


def take_passed(checked: CheckedTables) -> pl.DataFrame:
    """The responses that passed, taken out of ``checked`` (its frame cleared) and copied a
    column at a time, each column let go once copied: the whole frame and its copy are
    never held together (at ten million responses, each is most of a gigabyte)."""
    responses = checked.responses
    frame, failed = responses.frame, responses.failed_rows
    checked.responses = replace(responses, frame=frame.clear())
    del responses
    keep = ~frame[ROW].is_in(failed.implode())
    columns = []
    for name in frame.columns:
        columns.append(frame.get_column(name).filter(keep))
        frame = frame.drop(name)
    return pl.DataFrame(columns)


def _write_responses(
    consultation: Consultation,
    regions: pl.DataFrame,
    valid: pl.DataFrame,
    checked: CheckedTables,
    placement: RegionPlacement,
    folder: Path,
    held: dict[str, pl.DataFrame] | None = None,
) -> dict[str, tuple[int, int]]:
    """responses.parquet, region by region; the number answers are cleared once joined.
    ``held``: where the rows are kept (:class:`~pipelines.validate.held_rows.HeldTables`)."""
    table = clean_responses(valid, consultation, regions, checked.answers.numbers)
    checked.answers = replace(checked.answers, numbers=checked.answers.numbers.clear())
    if held is not None:
        held["responses"] = table.with_columns(pl.col("source_row").alias("response_id"))
    table = table.with_columns(pl.col("region").to_physical().cast(pl.UInt32).alias("_region"))
    slices = placement.slices(table)
    sink_by_region(
        lambda position: table.lazy().filter(pl.col("_region") == position).drop("_region"),
        slices,
        placement.names,
        folder / "responses.parquet",
    )
    return slices


def _write_answers(
    checked: CheckedTables,
    placement: RegionPlacement,
    folder: Path,
    held: dict[str, pl.DataFrame] | None = None,
) -> dict[str, tuple[int, int]]:
    """answers.parquet, region by region: each kept answer's response id and option.
    ``held``: where the rows are kept (:class:`~pipelines.validate.held_rows.HeldTables`)."""
    codes = checked.answers.kept_codes
    kept = pair_key().is_in(pair_keys(codes).implode())
    bucket = [BUCKET] if checked.on_disk else []  # on disk: each region read from its parts
    tagged = checked.answers.answers.select(
        ROW, "question_id", "raw_value", *bucket, pl.when(kept).then(placement.column("_region"))
    )
    if not checked.on_disk:  # tagged once, not again for each region
        tagged = tagged.collect().lazy()
    checked.answers = replace(checked.answers, answers=tagged.head(0))
    option = pair_key().replace_strict(pair_keys(codes), codes["option"])

    def answer_rows(rows: pl.LazyFrame) -> pl.LazyFrame:
        return rows.select(
            placement.column("response_id"),
            pl.col("question_id").cast(pl.String),
            option.cast(pl.String).alias("option"),
        )

    path = folder / "answers.parquet"
    slices = sink_in_region_order(tagged, answer_rows, placement.names, path, checked.scratch)
    if held is not None:
        held["answers"] = (
            tagged.filter(pl.col("_region").is_not_null())
            .select(pl.col(ROW).alias("response_id"), "question_id", option.alias("option"))
            .collect()
        )
    return slices


def _approved_pairs(approved: pl.DataFrame) -> pl.LazyFrame:
    """``response_id, question_id, _approved`` of an ``approved_quotes.csv``."""
    return (
        approved.select(
            pl.col("response_id").str.strip_chars(), pl.col("question_id").str.strip_chars()
        )
        .with_columns(pl.lit(True).alias("_approved"))
        .unique()
        .lazy()
    )


def _write_comments(
    checked: CheckedTables,
    placement: RegionPlacement,
    approved: pl.DataFrame | None,
    log: RedactionLog,
    folder: Path,
    held: dict[str, pl.DataFrame] | None = None,
) -> dict[str, tuple[int, int]]:
    """comments.parquet, region by region: redacted, with consent and whether quotable.
    ``held``: where the rows are kept (:class:`~pipelines.validate.held_rows.HeldTables`).

    Each distinct text is redacted once; only the texts redaction changed are replaced.
    """
    comments = checked.comments.with_columns(placement.column("_region"))
    if not checked.on_disk:  # placed once, not again for each region
        comments = comments.collect().lazy()
    checked.comments = checked.comments.head(0)
    counts = (
        comments.filter(pl.col("_region").is_not_null())
        .group_by("text")
        .agg(pl.len().alias("occurrences"))
        .collect(engine="streaming")
    )
    changed = redactions(counts, log).filter(pl.col("_text") != pl.col("_redacted"))
    del counts
    pairs = _approved_pairs(approved) if approved is not None else None

    def comment_rows(frame: pl.LazyFrame) -> pl.LazyFrame:
        frame = frame.select(
            pl.col(ROW, "_region"),
            placement.column("response_id"),
            pl.col("question_id").cast(pl.String),
            pl.col("text").replace(changed["_text"], changed["_redacted"]),
            placement.column("consent_to_quote"),
        )
        quotable = pl.col("consent_to_quote")
        if pairs is not None:
            frame = frame.join(
                pairs, on=["response_id", "question_id"], how="left", maintain_order="left"
            )
            quotable = quotable & pl.col("_approved").fill_null(False)
        return frame.with_columns(quotable.alias("quotable")).drop("_approved", strict=False)

    source, worked_out = comments, comment_rows
    if held is not None:  # worked out once, kept, and written from what is kept
        kept = comment_rows(comments.filter(pl.col("_region").is_not_null())).collect()
        held["comments"] = kept.with_columns(pl.col(ROW).alias("response_id")).drop(ROW, "_region")
        source, worked_out = kept.lazy(), _as_it_is

    def written(frame: pl.LazyFrame) -> pl.LazyFrame:
        return worked_out(frame).drop(ROW, "_region")

    path = folder / "comments.parquet"
    scratch = checked.scratch if held is None else None  # held: the kept rows, in memory
    return sink_in_region_order(source, written, placement.names, path, scratch)


def _as_it_is(frame: pl.LazyFrame) -> pl.LazyFrame:
    return frame


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


def _write_themes(
    themes: pl.DataFrame,
    order: pl.DataFrame,
    placement: RegionPlacement,
    folder: Path,
    held: dict[str, pl.DataFrame] | None = None,
) -> dict[str, tuple[int, int]]:
    """themes.parquet in its responses' region order (themes of no valid response last),
    questions and themes written as text. ``held``: where the rows are kept
    (:class:`~pipelines.validate.held_rows.HeldTables`)."""
    themes = in_region_order(themes, order, with_row=held is not None)
    slices = placement.slices(themes)
    text = (
        themes.lazy()
        .drop("_region", "_row", strict=False)
        .with_columns(pl.col("question_id", "theme").cast(pl.String))
    )
    sink_table(text, folder / "themes.parquet", slices)
    if held is not None:
        held["themes"] = text.with_columns(themes["_row"].alias("response_id")).collect()
    return slices


def _clean_actions(
    frame: pl.DataFrame, consultation: Consultation, regions: pl.DataFrame
) -> pl.DataFrame:
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
