"""How clean tables are laid out on disk: shared by the writer and the loader, light to import."""

from __future__ import annotations

import json
from pathlib import Path

#: Tables written in region order (regions.csv's order, then source row), so that one
#: region's rows are one contiguous slice: a region's load reads only its row groups.
REGION_ORDERED: tuple[str, ...] = ("responses", "answers", "comments", "themes")
#: Parquet key-value metadata holding a table's region slices as JSON:
#: ``{"North East": [first_row, rows], ...}``.
REGION_ROWS_KEY = "workbook.region_rows"
#: Rows per parquet row group: small enough that a region's slice skips most of the file.
ROW_GROUP_ROWS = 65_536
#: The folder of a consultation's clean data holding its tallies by place
#: (:mod:`pipelines.analysis.aggregates`), with a JSON file saying their format.
AGGREGATES_FOLDER = "aggregates"
AGGREGATES_ABOUT = "aggregates.json"
AGGREGATES_FORMAT = 1


def has_aggregates(clean: Path) -> bool:
    """Whether the clean data in ``clean`` holds tallies of this version's format."""
    about = clean / AGGREGATES_FOLDER / AGGREGATES_ABOUT
    if not about.is_file():
        return False
    return json.loads(about.read_text(encoding="utf-8")).get("format") == AGGREGATES_FORMAT
