"""An area's clean tables read once, so its tallies do not each read the files."""

from __future__ import annotations

from dataclasses import replace

import polars as pl

from pipelines.store.aggregates import summarise
from pipelines.store.clean_data import CleanData

#: Above this many responses an area with no stored tallies is tallied from disk: held in
#: memory, a million responses take about 0.4 GB.
MAX_RESPONSES = 2_000_000
#: The tables keyed by response id (each a row per response, answer, comment or theme code).
BY_RESPONSE: tuple[str, ...] = ("responses", "answers", "comments", "themes")
TABLES: tuple[str, ...] = (
    "responses",
    "answers",
    "comments",
    "themes",
    "events",
    "attendance",
    "actions",
)


def in_memory(data: CleanData) -> CleanData:
    """``data`` with every table read, narrowed to its area, into memory: still LazyFrames,
    so every query runs unchanged, but over frames in memory.

    Tallying an area (:func:`~pipelines.store.aggregates.summarise`: ``prepare``, a run of
    regions at a time, or a report on clean data with no stored tallies) runs a dozen queries over it;
    over :func:`~pipelines.store.clean_data.for_area`'s scans each would read its parquet file and
    narrow it to the area again. Read once, the region of a million-response consultation
    takes about 60 MB. The frames no longer sit in the files' region order, so the region
    slices (``region_rows``) are dropped.

    Response ids become a categorical of this data's own (:data:`BY_RESPONSE`): the same
    values, so every count, join and filter is unchanged, but counting distinct respondents
    and joining on them works on small integers rather than text. The categories go with
    the frames.
    """
    ids = pl.Categorical(pl.Categories.random())
    frames = pl.collect_all(
        [
            getattr(data, table).with_columns(pl.col("response_id").cast(ids))
            if table in BY_RESPONSE
            else getattr(data, table)
            for table in TABLES
        ]
    )
    return replace(
        data,
        region_rows={},
        **{table: frame.lazy() for table, frame in zip(TABLES, frames, strict=True)},
    )


def for_report(data: CleanData, max_responses: int | None = None) -> CleanData:
    """``data`` ready for a report's sixty-odd questions: unchanged where it carries the
    tallies ``prepare`` stored (no rows need reading); else with its tallies made once,
    from its rows read :func:`in_memory` when its area has at most ``max_responses``
    responses (default :data:`MAX_RESPONSES`), so memory stays bounded."""
    if data.aggregates is not None:
        return data
    limit = MAX_RESPONSES if max_responses is None else max_responses
    responses = data.responses.select(pl.len()).collect().item()
    held = in_memory(data) if responses <= limit else data
    return replace(held, aggregates=summarise(held))
