"""How clean tables are laid out on disk: shared by the writer and the loader, light to import."""

from __future__ import annotations

#: Tables written in region order (regions.csv's order, then source row), so that one
#: region's rows are one contiguous slice: a region's load reads only its row groups.
REGION_ORDERED: tuple[str, ...] = ("responses", "answers", "comments", "themes")
#: Parquet key-value metadata holding a table's region slices as JSON:
#: ``{"North East": [first_row, rows], ...}``.
REGION_ROWS_KEY = "workbook.region_rows"
#: Rows per parquet row group: small enough that a region's slice skips most of the file.
ROW_GROUP_ROWS = 65_536
