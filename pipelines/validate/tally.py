"""The tallies every report sums (:mod:`pipelines.analysis.aggregates`), made once per
validation from the clean tables about to be published, one region at a time."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from pipelines.analysis.aggregates import QuoteDepth, concat, summarise, write_aggregates
from pipelines.analysis.in_memory import in_memory
from pipelines.analysis.load import CleanData, for_area, load_clean
from pipelines.analysis.ranking import MIN_QUOTE_LENGTH


def quote_places(data: CleanData, per_theme: int) -> dict[str, int]:
    """Question -> quote candidates kept per place and theme: ``per_theme`` × the question's
    themes in the whole consultation, so that every area's quotes are among its places'."""
    themes = (
        data.themes.group_by(pl.col("question_id").cast(pl.String))
        .agg(pl.col("theme").n_unique())
        .collect()
    )
    return {q: per_theme * int(n) for q, n in themes.iter_rows()}


def tally_regions(
    consultation: str, root: Path | None, folder: Path, quotes_per_theme: int
) -> Path:
    """Tally the clean tables in ``folder`` (``consultation``'s, being validated) region by
    region, each region's rows read into memory once, and write the tallies beside them."""
    data = load_clean(consultation, root, folder=folder)
    depth = QuoteDepth(quotes_per_theme, MIN_QUOTE_LENGTH)
    places = quote_places(data, quotes_per_theme)
    regions = list(data.region_rows.get("responses", {}))
    parts = [
        summarise(in_memory(for_area(data, region=region)), depth, places) for region in regions
    ] or [summarise(data, depth, places)]  # no valid responses: empty tallies
    return write_aggregates(concat(parts, depth), folder)
