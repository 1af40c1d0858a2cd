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
#: (:mod:`pipelines.analysis.aggregates`): a parquet file per table, and a JSON file saying
#: their format and how deep their quote candidates go.
AGGREGATES_FOLDER = "aggregates"
AGGREGATES_ABOUT = "aggregates.json"
AGGREGATES_FORMAT = 1
AGGREGATES_TABLES: tuple[str, ...] = (
    "responses_by_group",
    "responses_by_field",
    "number_values",
    "answers_by_option",
    "respondents",
    "themes_by_question",
    "respondents_by_theme",
    "quote_candidates",
)


def stored_quote_depth(clean: Path) -> tuple[int, int] | None:
    """``(quotes_per_theme, quote_min_length)`` of the tallies stored in ``clean``; None
    where there are none of this format, their JSON file is unreadable or any of their
    parquet files is missing (a damaged parquet file is not looked into here)."""
    folder = clean / AGGREGATES_FOLDER
    try:
        about = json.loads((folder / AGGREGATES_ABOUT).read_text(encoding="utf-8"))
        depth = (int(about["quotes_per_theme"]), int(about["quote_min_length"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if about.get("format") != AGGREGATES_FORMAT:
        return None
    if not all((folder / f"{table}.parquet").is_file() for table in AGGREGATES_TABLES):
        return None
    return depth
