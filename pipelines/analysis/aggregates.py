"""The tallies an analysis sums: the area's stored tallies (:mod:`pipelines.store`), or its
rows tallied where none are stored (clean data of an earlier version, frames put together
by hand, or a :func:`~pipelines.store.clean_data.subset`)."""

from __future__ import annotations

import polars as pl

from pipelines.store.aggregates import Aggregates, summarise
from pipelines.store.clean_data import CleanData


def tallies(data: CleanData) -> Aggregates:
    """``data``'s stored tallies, already narrowed to its area; else tallied from its rows."""
    return data.aggregates if data.aggregates is not None else summarise(data)


def respondents(data: CleanData, question_id: str, table: str = "answers") -> int:
    """People in the area with a row of the question in ``table``: who answered it
    (answers), wrote an answer (comments) or whose answer was coded (themes)."""
    counted = tallies(data)["respondents"].filter(
        (pl.col("table") == table) & (pl.col("question_id") == question_id)
    )
    return int(counted["respondents"].sum())
