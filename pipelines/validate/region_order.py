"""A table keyed by response id put in its responses' region order (regions.csv's order,
then source row), as the clean tables are written (:mod:`pipelines.validate.clean_tables`)."""

from __future__ import annotations

import polars as pl

from pipelines.ingest.read import ROW

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
