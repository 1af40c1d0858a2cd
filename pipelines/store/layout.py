"""How clean tables are laid out on disk: shared by the writer (validate) and the readers
(analysis, the report runner), light to import."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

#: Tables written in region order (regions.csv's order, then source row), so that one
#: region's rows are one contiguous slice: a region's load reads only its row groups.
REGION_ORDERED: tuple[str, ...] = ("responses", "answers", "comments", "themes")
#: Parquet key-value metadata holding a table's region slices as JSON:
#: ``{"North East": [first_row, rows], ...}``.
REGION_ROWS_KEY = "workbook.region_rows"
#: Rows per parquet row group: small enough that a region's slice skips most of the file.
ROW_GROUP_ROWS = 65_536


def stored_region_rows(path: Path) -> dict[str, tuple[int, int]] | None:
    """Where each region's rows sit in a clean parquet file written in region order."""
    stored = pl.read_parquet_metadata(path).get(REGION_ROWS_KEY)
    if stored is None:
        return None
    return {region: (int(first), int(rows)) for region, (first, rows) in json.loads(stored).items()}
