"""The optional tables of a consultation folder: events, attendance, coding (and the
analyst's reviewed theme suggestions, ``coding_reviewed.csv``), actions."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.contract import TABLE_COLUMNS
from pipelines.errors import InputError
from pipelines.ingest.mapping import coded, locality_lookup, parsed_datetime, region_lookup
from pipelines.ingest.read import ROW, RawTable, read_table

#: Optional files read with another table's columns: the theme suggestions an analyst
#: accepted, saved by hand beside coding.csv (docs/theme-suggestions.md), are coding rows.
READ_AS: dict[str, str] = {"coding_reviewed": "coding"}


def read_optional(folder: Path, name: str) -> RawTable | None:
    """``<folder>/<name>.csv`` as text with its contract columns, or None where it is absent."""
    path = folder / f"{name}.csv"
    if not path.exists():
        return None
    table = read_table(path)
    columns = TABLE_COLUMNS[READ_AS.get(name, name)]
    lookup = {column.strip().casefold(): column for column in table.frame.columns}
    missing = [c for c in columns if c not in lookup]
    if missing:
        raise InputError(
            f"{path}: missing column(s) {', '.join(missing)}; the data contract's columns are "
            f"{', '.join(columns)}"
        )
    frame = table.frame.select(ROW, *(pl.col(lookup[c]).alias(c) for c in columns))
    return RawTable(path=table.path, frame=frame, encoding=table.encoding)


def _date(column: str) -> list[pl.Expr]:
    value, fmt = parsed_datetime(pl.col(column), excel_serials=False)
    return [value.dt.date().alias(column), fmt.alias(f"{column}_format")]


def _place(regions: pl.DataFrame) -> list[pl.Expr]:
    region = coded(pl.col("region"), region_lookup(regions)).alias("region")
    locality = coded(pl.col("locality"), locality_lookup(regions)).alias("locality")
    return [region, locality]


def _with_region_locality(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(
        pl.when(pl.col("locality").is_not_null())
        .then(pl.concat_str(pl.col("region"), pl.lit(" / "), pl.col("locality")))
        .alias("region_locality")
    )


def standard_events(raw: pl.DataFrame, regions: pl.DataFrame) -> pl.DataFrame:
    frame = raw.with_columns(
        pl.col("event_id").str.strip_chars(),
        *_place(regions),
        *_date("date"),
        pl.col("ladder_rung").str.strip_chars().str.to_lowercase().str.replace_all(r"[\s-]+", "_"),
    )
    return _with_region_locality(frame)


def standard_attendance(raw: pl.DataFrame, group_lookup: dict[str, str]) -> pl.DataFrame:
    return raw.with_columns(
        pl.col("event_id").str.strip_chars(),
        coded(pl.col("group"), group_lookup).alias("group"),
        pl.col("attendees").alias("attendees_text"),
        pl.col("attendees").str.strip_chars().cast(pl.Int64, strict=False).alias("attendees"),
    )


def standard_coding(raw: pl.DataFrame) -> pl.DataFrame:
    """Trimmed; questions and themes (few distinct values, millions of rows) Categorical."""
    return raw.with_columns(
        pl.col("response_id").str.strip_chars(),
        pl.col("question_id").str.strip_chars().cast(pl.Categorical),
        pl.col("theme").str.strip_chars().cast(pl.Categorical),
    )


def question_theme() -> pl.Expr:
    """``<question_id> / <theme>``: a reviewed row's theme judged against its question's
    codebook (the themes coding.csv gives that question)."""
    return pl.concat_str(
        pl.col("question_id").cast(pl.String), pl.lit(" / "), pl.col("theme").cast(pl.String)
    ).alias("question_theme")


def standard_actions(raw: pl.DataFrame, regions: pl.DataFrame) -> pl.DataFrame:
    frame = raw.with_columns(
        pl.col("action_id").str.strip_chars(),
        *_place(regions),
        *_date("due"),
        *_date("feedback_given"),
        pl.col("status").str.strip_chars().str.to_lowercase().str.replace_all(r"[\s-]+", "_"),
    )
    return _with_region_locality(frame)
