"""Where a standardised long table waits for the clean-table writer: in memory, or, for an
export too big to hold whole, on disk as parquet parts, read back lazily.

The answers, comments and raw fields of ten million responses are about 2.7 GiB held in
memory from the first batch read to the last table written; on disk they cost a write and
a read, and the checks and writers read back only the rows they need.

A table the writer writes region by region (answers, comments) is kept on disk in one
part per batch and region, with its region (:data:`BUCKET`): a region's rows are read
back from its own parts only (the others are skipped by their statistics), and, read
whole, the rows come in region order, each region's in source-row order.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

#: The column of a batch giving each row's region, as its position in regions.csv (null:
#: not a known region), where the table is kept in region order.
BUCKET = "_bucket"


class Parts:
    """One standardised table, a batch at a time: held, or written into ``folder``."""

    def __init__(self, name: str, folder: Path | None = None) -> None:
        self.name = name
        self.folder = folder
        self._frames: list[pl.DataFrame] = []
        #: region position (None: no known region) -> its parts, in batch order
        self._paths: dict[int | None, list[Path]] = {}
        self._batches = 0
        self._schema: pl.Schema | None = None

    def add(self, frame: pl.DataFrame) -> None:
        """Keep one batch's rows (after those added before). On disk, a batch with a
        :data:`BUCKET` column is split by region (the column kept); held, it is dropped."""
        if self.folder is None:
            self._frames.append(frame.drop(BUCKET, strict=False))
            return
        self._schema = self._schema or frame.schema
        if BUCKET in frame.columns:
            parts = frame.partition_by(BUCKET, as_dict=True)
            buckets = {key[0]: part for key, part in parts.items()}
        else:
            buckets = {None: frame}
        for bucket, part in buckets.items():
            where = "x" if bucket is None else f"{bucket:04d}"
            path = self.folder / f"{self.name}-{self._batches:05d}-{where}.parquet"
            # statistics kept: a region's filter on the bucket skips the other regions' parts
            part.write_parquet(path, compression="lz4")
            self._paths.setdefault(bucket, []).append(path)
        self._batches += 1

    def frame(self) -> pl.LazyFrame:
        """Every batch's rows as one lazy frame: held, in source-row order; on disk, split
        by region, in region order (regions.csv's), rows of no known region last."""
        if self.folder is None:
            return pl.concat(self._frames, rechunk=False).lazy()
        order = sorted(self._paths, key=lambda bucket: (bucket is None, bucket or 0))
        paths = [path for bucket in order for path in self._paths[bucket]]
        return pl.scan_parquet(paths) if paths else pl.LazyFrame(schema=self._schema)


def spill_folder(export: Path, scratch: Path, over_bytes: int) -> Path | None:
    """``scratch`` where ``export`` is bigger than ``over_bytes`` (its long tables go to
    disk), else None (they are held in memory)."""
    return scratch if export.is_file() and export.stat().st_size > over_bytes else None
