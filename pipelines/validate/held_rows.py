"""The clean rows validate keeps in memory as it writes them, for its step on the staged
data (prepare's tallies): :class:`HeldTables`, filled by
:func:`pipelines.validate.clean_tables.write_tables`."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.consultation import Consultation
from pipelines.store.clean_data import EMPTY_SCHEMAS


@dataclass(frozen=True)
class HeldTables:
    """The rows of responses.parquet, answers.parquet, comments.parquet and themes.parquet,
    kept in memory as they were written (an
    :class:`~pipelines.store.aggregates.AreaRows` of the whole consultation), to be tallied
    without reading the files back.

    The same rows and columns as each file read back, but not in the files' order, and with
    each response id as its response's source row (Int64: joins and counts of distinct
    respondents work on integers, and no id is hashed); ``id_text`` holds the ids as text,
    by source row (:func:`~pipelines.store.aggregates.summarise` puts them back in its
    quote candidates). The answers' ``question_id`` and ``option`` are categorical (text in
    the file). ``themes`` holds every row of its file: those of no valid response too (their
    id null: they join no response).
    """

    consultation: Consultation
    responses: pl.LazyFrame
    answers: pl.LazyFrame
    comments: pl.LazyFrame
    themes: pl.LazyFrame
    id_text: pl.Series


def held_tables(
    consultation: Consultation, held: dict[str, pl.DataFrame], id_text: pl.Series
) -> HeldTables:
    """The rows the writers kept (``held``: table -> rows; no themes.parquet: no rows, as a
    missing file reads), with each response's id as text by source row (``id_text``)."""
    themes = held.get("themes")
    if themes is None:
        themes = pl.DataFrame(schema={**EMPTY_SCHEMAS["themes"], "response_id": pl.Int64()})
    return HeldTables(
        consultation=consultation,
        responses=held["responses"].lazy(),
        answers=held["answers"].lazy(),
        comments=held["comments"].lazy(),
        themes=themes.lazy(),
        id_text=id_text,
    )
