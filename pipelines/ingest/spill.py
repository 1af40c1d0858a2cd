"""Where a standardised long table waits for the clean-table writer: in memory, or, for an
export too big to hold whole, on disk as one parquet part per batch, read back lazily.

The answers, comments and raw fields of ten million responses are about 2.7 GiB held in
memory from the first batch read to the last table written; on disk they cost a write and
a read, and the checks and writers read back only the rows they need.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl


class Parts:
    """One standardised table, a batch at a time: held, or written into ``folder``."""

    def __init__(self, name: str, folder: Path | None = None) -> None:
        self.name = name
        self.folder = folder
        self._frames: list[pl.DataFrame] = []
        self._paths: list[Path] = []

    def add(self, frame: pl.DataFrame) -> None:
        """Keep one batch's rows (in order after those added before)."""
        if self.folder is None:
            self._frames.append(frame)
            return
        path = self.folder / f"{self.name}-{len(self._paths):05d}.parquet"
        frame.write_parquet(path, compression="lz4", statistics=False)
        self._paths.append(path)

    def __len__(self) -> int:
        return len(self._paths) + len(self._frames)

    def frame(self) -> pl.LazyFrame:
        """Every batch's rows, in order, as one lazy frame."""
        if self.folder is None:
            return pl.concat(self._frames, rechunk=False).lazy()
        return pl.scan_parquet(self._paths)


def spill_folder(export: Path, scratch: Path, over_bytes: int) -> Path | None:
    """``scratch`` where ``export`` is bigger than ``over_bytes`` (its long tables go to
    disk), else None (they are held in memory)."""
    return scratch if export.is_file() and export.stat().st_size > over_bytes else None
