"""The optional tables of a consultation folder: events, attendance, coding (and the
analyst's reviewed theme suggestions, ``coding_reviewed.csv``), actions."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.contract import TABLE_COLUMNS
from pipelines.errors import InputError
from pipelines.ingest.mapping import coded, locality_lookup, parsed_datetime, region_lookup
from pipelines.ingest.read import ROW, NotUtf8Error, RawChunks, RawTable, read_table_chunks

#: Optional files read with another table's columns: the theme suggestions an analyst
#: accepted, saved by hand beside coding.csv (docs/theme-suggestions.md), are coding rows.
READ_AS: dict[str, str] = {"coding_reviewed": "coding"}
#: Columns with few distinct values and, in a big consultation, millions of rows: held as
#: Categorical from the batch they are read in (their text unchanged), so a big coding.csv
#: is never held whole as text.
FEW_VALUES: dict[str, tuple[str, ...]] = {"coding": ("question_id", "theme")}


def read_optional(folder: Path, name: str) -> RawTable | None:
    """``<folder>/<name>.csv`` as text with its contract columns (those of
    :data:`FEW_VALUES` as Categorical), or None where it is absent. A big file is read in
    batches, each cut to those columns as it is read."""
    path = folder / f"{name}.csv"
    if not path.exists():
        return None
    try:
        return _contract_columns(read_table_chunks(path), READ_AS.get(name, name))
    except NotUtf8Error:  # a big file found not to be UTF-8: read again whole, as cp1252
        return _contract_columns(read_table_chunks(path, stream=False), READ_AS.get(name, name))


def _contract_columns(chunks: RawChunks, table: str) -> RawTable:
    columns = TABLE_COLUMNS[table]
    lookup = {column.strip().casefold(): column for column in chunks.headers}
    missing = [c for c in columns if c not in lookup]
    if missing:
        raise InputError(
            f"{chunks.path}: missing column(s) {', '.join(missing)}; the data contract's columns "
            f"are {', '.join(columns)}"
        )
    few = pl.col(FEW_VALUES.get(table, ())).cast(pl.Categorical)
    batches = [
        batch.select(ROW, *(pl.col(lookup[c]).alias(c) for c in columns)).with_columns(few)
        for batch in chunks.chunks
    ]
    empty = pl.DataFrame(schema={ROW: pl.Int64, **dict.fromkeys(columns, pl.String)})
    # one chunk: an eager with_columns on a frame of many batches' chunks copies every column
    frame = pl.concat(batches, rechunk=True) if batches else empty.with_columns(few)
    return RawTable(path=chunks.path, frame=frame, encoding=chunks.encoding)


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


def _trimmed_categorical(cells: pl.Series) -> pl.Series:
    """``cells`` trimmed, as Categorical: judged once per distinct value, and left as they
    are (no copy) where none has white space to trim."""
    distinct = cells.unique().drop_nulls().cast(pl.String)
    if distinct.str.strip_chars().equals(distinct):
        return cells.cast(pl.Categorical)
    return cells.cast(pl.String).str.strip_chars().cast(pl.Categorical)


def standard_coding(raw: pl.DataFrame) -> pl.DataFrame:
    """Trimmed; questions and themes (few distinct values, millions of rows) Categorical."""
    ids = raw["response_id"]
    if ids.str.contains(r"^\s|\s$").any():  # else the same cells: no copy
        ids = ids.str.strip_chars()
    return raw.with_columns(
        ids,
        _trimmed_categorical(raw["question_id"]),
        _trimmed_categorical(raw["theme"]),
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
