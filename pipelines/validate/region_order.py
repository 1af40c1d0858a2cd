"""Clean tables in region order (regions.csv's order, then source row), as
:mod:`pipelines.validate.clean_tables` writes them: a table keyed by response id put in its
responses' order, and tables streamed into parquet region by region with their slices."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import polars as pl

from pipelines.ingest.read import ROW
from pipelines.ingest.spill import BUCKET
from pipelines.store.layout import REGION_ROWS_KEY, ROW_GROUP_ROWS

#: Source row numbers fit in this many bits (a file of 2**40 rows is far over any cap).
ROW_BITS = 40


def in_region_order(
    frame: pl.DataFrame, order: pl.DataFrame, with_row: bool = False
) -> pl.DataFrame:
    """``frame``'s rows by their response's region, then its source row, with ``_region``
    (and, ``with_row``, the response's source row as ``_row``).

    ``order`` holds each valid response's ``response_id``, ``__row`` and ``_region``; rows
    of ``frame`` naming no valid response come last, in their own order (both null).
    """
    placed = _placed_by_id_key(frame, order)
    if placed is None:  # ids not told apart by their keys: matched as text
        keyed = order.select("response_id", "_region", pl.col(ROW).alias("_row"))
        joined = frame.select("response_id").join(
            keyed, on="response_id", how="left", maintain_order="left"
        )
        placed = joined.select("_region", "_row")
    placed = placed.with_row_index("_position")
    if placed["_region"].null_count() == placed["_row"].null_count():
        # every placed row has both: one integer key sorts as the pair, and faster
        key = pl.col("_region").cast(pl.UInt64) * (1 << ROW_BITS) + pl.col("_row").cast(pl.UInt64)
        placed = placed.sort(key, maintain_order=True, nulls_last=True)
    else:
        placed = placed.sort("_region", "_row", maintain_order=True, nulls_last=True)
    placing = [placed["_region"], placed["_row"]] if with_row else [placed["_region"]]
    return frame[placed["_position"]].with_columns(placing)


def _id_key() -> pl.Expr:
    column = pl.col("response_id")
    return pl.when(column.is_not_null()).then(column.hash(seed=11)).alias("_key")


def _placed_by_id_key(frame: pl.DataFrame, order: pl.DataFrame) -> pl.DataFrame | None:
    """``_region, _row`` of each row of ``frame`` as a join on text ids gives them, found by
    joining 64-bit keys of the ids (cheaper to hash and to match than text), or None where
    that cannot be proved the same: ``order``'s keys are not unique, or a matched row's id
    is not the text it was matched with."""
    keyed = order.select(_id_key(), "_region", pl.col(ROW).alias("_row")).with_row_index("_at")
    if keyed["_key"].is_duplicated().any():
        return None
    joined = frame.select(_id_key()).join(keyed, on="_key", how="left", maintain_order="left")
    at = joined["_at"]
    matched = at.is_not_null()
    same = frame["response_id"].filter(matched) == order["response_id"].gather(at.filter(matched))
    if not same.all():
        return None
    return joined.select("_region", "_row")


def sink_by_region(
    part: Callable[[int], pl.LazyFrame],
    slices: dict[str, tuple[int, int]],
    names: list[str],
    path: Path,
) -> None:
    """Write region after region into one parquet file (``part(position)``: the rows of
    the region at ``position`` of ``names``, in order), never holding the whole table."""
    parts = [part(names.index(region)) for region in slices] or [part(0).head(0)]
    sink_table(pl.concat(parts), path, slices)


def region_slices(
    frame: pl.DataFrame | pl.LazyFrame, names: list[str]
) -> dict[str, tuple[int, int]]:
    """Region -> (first row, rows) of a table written region by region, from each of its
    rows' ``_region`` (a position in ``names``; nulls are not written)."""
    counts = (
        frame.lazy()
        .group_by("_region")
        .agg(pl.len().alias("rows"))
        .drop_nulls("_region")
        .sort("_region")
        .collect(engine="streaming")
    )
    return _slices({names[position]: rows for position, rows in counts.iter_rows()})


def _slices(rows: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Region -> (first row, rows), the regions one after another in the order given."""
    slices: dict[str, tuple[int, int]] = {}
    first = 0
    for region, count in rows.items():
        slices[region] = (first, count)
        first += count
    return slices


def sink_in_region_order(
    frame: pl.LazyFrame,
    rows: Callable[[pl.LazyFrame], pl.LazyFrame],
    names: list[str],
    path: Path,
    scratch: Path | None,
) -> dict[str, tuple[int, int]]:
    """``rows`` of ``frame``'s placed rows written region by region, and the regions' slices:
    one filter per region of rows held in memory (``scratch`` None); of rows on disk
    (:mod:`pipelines.ingest.spill`), each region's read from its own parts and written into
    ``scratch`` on its own (its slice counted from what was written, not by another pass
    over the table), then the regions joined into ``path`` in one streaming pass, so that
    no more than one region's rows are ever worked out at once."""
    if scratch is None:
        slices = region_slices(frame, names)
        sink_by_region(lambda at: rows(frame.filter(pl.col("_region") == at)), slices, names, path)
        return slices
    parts: dict[str, Path] = {}
    counts: dict[str, int] = {}
    for at, region in enumerate(names):
        part = scratch / f"{path.stem}-region-{at:04d}.parquet"
        rows(frame.filter((pl.col(BUCKET) == at) & (pl.col("_region") == at))).sink_parquet(part)
        count = pl.scan_parquet(part).select(pl.len()).collect().item()
        if count:
            parts[region], counts[region] = part, count
    slices = _slices(counts)
    table = pl.scan_parquet(list(parts.values())) if parts else rows(frame.head(0))
    sink_table(table, path, slices)
    return slices


def sink_table(frame: pl.LazyFrame, path: Path, slices: dict[str, tuple[int, int]]) -> None:
    """A clean table in region order, streamed into parquet: ``ROW_GROUP_ROWS`` rows a
    group, and its region slices as ``workbook.region_rows`` metadata."""
    frame.sink_parquet(
        path, row_group_size=ROW_GROUP_ROWS, metadata={REGION_ROWS_KEY: json.dumps(slices)}
    )


def write_table(frame: pl.DataFrame, path: Path) -> None:
    """A clean table in no particular order as parquet, ``ROW_GROUP_ROWS`` rows a group."""
    frame.write_parquet(path, row_group_size=ROW_GROUP_ROWS)
