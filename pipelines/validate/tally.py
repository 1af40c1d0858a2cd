"""The tallies every report sums (:mod:`pipelines.analysis.aggregates`), made once per
validation from the clean tables about to be published, a run of regions at a time."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import polars as pl

from pipelines.analysis.aggregates import QuoteDepth, concat, summarise, write_aggregates
from pipelines.analysis.in_memory import BY_RESPONSE, MAX_RESPONSES, in_memory
from pipelines.analysis.load import CleanData, load_clean
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


def region_runs(slices: dict[str, tuple[int, int]], max_responses: int) -> list[list[str]]:
    """The regions of a file written in region order (``slices``: region -> first row, rows),
    in runs of neighbours of at most ``max_responses`` rows (a bigger region is a run alone):
    few runs, so few queries, and never more than one run in memory."""
    runs: list[list[str]] = []
    rows_in_run = 0
    for region, (_, rows) in slices.items():
        if not runs or rows_in_run + rows > max_responses:
            runs.append([])
            rows_in_run = 0
        runs[-1].append(region)
        rows_in_run += rows
    return runs


def of_regions(data: CleanData, regions: list[str]) -> CleanData:
    """The rows of neighbouring ``regions`` of each table written in region order: one slice
    of each file (themes of quarantined responses come after every region, so are left out)."""
    tables = {}
    for table in BY_RESPONSE:
        frame: pl.LazyFrame = getattr(data, table)
        if table not in data.region_rows:  # no such file, or not in region order: all of it
            tables[table] = frame  # (summarise keeps only the rows of these responses)
            continue
        where = data.region_rows[table]
        slices = [where[region] for region in regions if region in where]
        first = min((start for start, _ in slices), default=0)
        end = max((start + rows for start, rows in slices), default=0)
        tables[table] = frame.slice(first, end - first)
    return replace(data, region_rows={}, **tables)


def tally_regions(
    consultation: str, root: Path | None, folder: Path, quotes_per_theme: int
) -> None:
    """Tally the clean tables in ``folder`` (``consultation``'s, being validated), a run of
    neighbouring regions at a time, each run's rows read into memory once, and write the
    tallies beside the tables."""
    data = load_clean(consultation, root, folder=folder)
    depth = QuoteDepth(quotes_per_theme, MIN_QUOTE_LENGTH)
    places = quote_places(data, quotes_per_theme)
    runs = region_runs(data.region_rows.get("responses", {}), MAX_RESPONSES)
    parts = [summarise(in_memory(of_regions(data, run)), depth, places) for run in runs] or [
        summarise(data, depth, places)  # no valid responses: empty tallies
    ]
    write_aggregates(concat(parts, depth), folder)
