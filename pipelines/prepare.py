"""Prepare a consultation's clean data: validate it, then tally it.

``validate`` writes the clean tables (:mod:`pipelines.validate.run`); the tallies every
report sums (:mod:`pipelines.store.tallies`) are made here from the tables about to be
published, and written beside them in the same atomic write: from their rows as the writer
kept them in memory, where there are at most ``MAX_RESPONSES`` valid responses; else read
back from the staged files a run of neighbouring regions at a time, a region of more than
``TALLY_RESPONSES`` responses in parts whose tallies are merged. :func:`ensure_prepared`
does both only where the clean data is stale.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipelines.analysis.in_memory import MAX_RESPONSES, in_memory
from pipelines.paths import consultation_name
from pipelines.settings import Settings, load_settings
from pipelines.store import stale_waves
from pipelines.store.aggregates import (
    Aggregates,
    AreaRows,
    concat,
    merged,
    summarise,
    write_aggregates,
)
from pipelines.store.clean_data import CleanData, load_clean
from pipelines.store.layout import REGION_ORDERED
from pipelines.store.quotes import MIN_QUOTE_LENGTH
from pipelines.store.tallies import QuoteDepth

if TYPE_CHECKING:
    from pipelines.validate.held_rows import HeldTables
    from pipelines.validate.run import ValidationSummary

log = logging.getLogger(__name__)

#: At most this many responses' rows are read back and tallied at once (a run of
#: neighbouring regions, or a part of a bigger region): at ten million responses, about
#: 0.3 GiB of rows in memory, their queries about as much again.
TALLY_RESPONSES = 600_000


def quote_places(data: AreaRows, per_theme: int) -> dict[str, int]:
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
    for table in REGION_ORDERED:
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


def region_parts(data: CleanData, region: str, max_responses: int) -> list[CleanData]:
    """``region``'s rows in parts of at most ``max_responses`` responses, each a slice of
    the responses file, and the answers, comments and themes of those responses (read from
    the region's slice of each file: the rows of one part only are held)."""
    whole = of_regions(data, [region])
    start, rows = data.region_rows["responses"][region]
    parts = []
    for first in range(0, rows, max_responses):
        responses = data.responses.slice(start + first, min(max_responses, rows - first))
        ids = responses.select("response_id").collect().to_series()
        theirs = pl.col("response_id").is_in(ids.implode())
        parts.append(
            replace(
                whole,
                responses=responses,
                answers=whole.answers.filter(theirs),
                comments=whole.comments.filter(theirs),
                themes=whole.themes.filter(theirs),
            )
        )
    return parts


def _tally_run(
    data: CleanData, run: list[str], depth: QuoteDepth, places: dict[str, int]
) -> Aggregates:
    """The tallies of a run of neighbouring regions, a region over
    :data:`TALLY_RESPONSES` responses in parts whose tallies are merged."""
    rows = data.region_rows["responses"][run[0]][1]
    if len(run) > 1 or rows <= TALLY_RESPONSES:
        return summarise(in_memory(of_regions(data, run)), depth, places)
    parts = region_parts(data, run[0], TALLY_RESPONSES)
    return merged([summarise(in_memory(part), depth, places) for part in parts], places)


def tally_regions(
    consultation: str,
    root: Path | None,
    folder: Path,
    quotes_per_theme: int,
    held: HeldTables | None = None,
) -> None:
    """Tally the clean tables in ``folder`` (``consultation``'s, being validated) and write
    the tallies beside the tables: from ``held``, their rows as the writer kept them, where
    given (the same tallies); else a run of neighbouring regions at a time, each run's rows
    read back into memory once."""
    depth = QuoteDepth(quotes_per_theme, MIN_QUOTE_LENGTH)
    if held is not None:
        tallies = summarise(held, depth, quote_places(held, quotes_per_theme), held.id_text)
        write_aggregates(concat([tallies], depth), folder)
        return
    data = load_clean(consultation, root, folder=folder)
    places = quote_places(data, quotes_per_theme)
    runs = region_runs(data.region_rows.get("responses", {}), TALLY_RESPONSES)
    parts = [_tally_run(data, run, depth, places) for run in runs] or [
        summarise(data, depth, places)  # no valid responses: empty tallies
    ]
    write_aggregates(concat(parts, depth), folder)


def prepare_consultation(
    consultation_id: str, root: Path | None = None, settings: Settings | None = None
) -> ValidationSummary:
    """Validate one consultation folder and write its clean data and its tallies, atomically:
    :func:`~pipelines.validate.run.validate_consultation`, with :func:`tally_regions` run on
    the staged tables before they are published."""
    # imported here: `workbook report` on clean data that is up to date never validates, and
    # validation's imports (Great Expectations among them) cost it a second or more
    from pipelines.validate.run import validate_consultation

    name = consultation_name(consultation_id, root)
    settings = settings or load_settings()
    quotes_per_theme = settings.quotes_per_theme

    def tally(staging: Path, held: HeldTables | None) -> None:
        tally_regions(name, root, staging, quotes_per_theme, held)

    return validate_consultation(name, root, settings, then=tally, hold_responses=MAX_RESPONSES)


def ensure_prepared(consultation: str, root: Path | None, settings: Settings) -> None:
    """Prepare the consultation (and its previous wave) where clean data is missing or stale."""
    for name in stale_waves(consultation, root, settings):
        log.info(
            "validating %s (clean data missing, older than its inputs, or without the tallies reports need)",
            name,
        )
        summary = prepare_consultation(name, root, settings)
        log.info(
            "%s: %d rows read, %d valid, %d quarantined",
            name,
            summary.rows_read,
            summary.rows_valid,
            summary.rows_quarantined,
        )
