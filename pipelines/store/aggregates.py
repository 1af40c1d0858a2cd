"""An area's tallies (:mod:`pipelines.store.tallies`) made from its rows, and kept: the
model every analysis sums, with its writer, reader and the check of what is stored.

``prepare`` tallies every row once and writes the tallies beside the clean tables
(``aggregates/``); a report narrows them to its area and sums them, instead of reading its
area's rows (about 1.7 million responses and 10 million answers in the largest region of a
ten-million-response consultation). Where no tallies are stored (clean data written by an
earlier version, or frames put together by hand), the analyses tally the rows as needed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

import polars as pl

from pipelines.consultation import Consultation
from pipelines.store.tallies import (
    NO_QUOTES,
    PLACE,
    TALLIES,
    QuoteDepth,
    Rows,
    as_text,
    merged_counts,
)

#: The folder of a consultation's clean data holding its tallies by place: a parquet file
#: per tally, and a JSON file saying their format and how deep their quote candidates go.
FOLDER = "aggregates"
ABOUT = "aggregates.json"
#: Raise it when the tallies change, so that stored ones are made again.
FORMAT = 1
#: Every tally's name: its file in ``aggregates/``.
NAMES: tuple[str, ...] = tuple(tally.name for tally in TALLIES)


@dataclass(frozen=True)
class Aggregates:
    """Tallies of valid responses by place (``region, locality`` first in each), by name:
    ``aggregates["responses_by_group"]``."""

    tables: Mapping[str, pl.DataFrame]
    quotes: QuoteDepth = NO_QUOTES

    def __getitem__(self, name: str) -> pl.DataFrame:
        return self.tables[name]


class AreaRows(Protocol):
    """What an area's tallies are made from: its clean rows and its questions (a
    :class:`~pipelines.store.clean_data.CleanData` is one)."""

    @property
    def consultation(self) -> Consultation: ...
    @property
    def responses(self) -> pl.LazyFrame: ...
    @property
    def answers(self) -> pl.LazyFrame: ...
    @property
    def comments(self) -> pl.LazyFrame: ...
    @property
    def themes(self) -> pl.LazyFrame: ...


def _rows(
    data: AreaRows,
    quotes: QuoteDepth,
    places: Mapping[str, int] | None,
    id_text: pl.Series | None = None,
) -> Rows:
    """``data``'s rows joined to their responses' places, as the tallies' queries read them."""
    responses = data.responses
    keys = responses.select("response_id", *PLACE, "group")
    present = frozenset(responses.collect_schema().names())
    questions = data.consultation.questions
    return Rows(
        responses=responses,
        answers=data.answers.join(keys, on="response_id"),
        comments=data.comments.join(keys.drop("group"), on="response_id"),
        themes=data.themes.join(keys.drop("group"), on="response_id"),
        texts=data.comments,
        present=present,
        numbers=tuple(q.id for q in questions if q.type == "number" and q.id in present),
        multi=tuple(q.id for q in questions if q.type == "multi"),
        quotes=quotes,
        places=places,
        id_text=id_text,
    )


def summarise(
    data: AreaRows,
    quotes: QuoteDepth = NO_QUOTES,
    places: Mapping[str, int] | None = None,
    id_text: pl.Series | None = None,
) -> Aggregates:
    """Every tally of :data:`~pipelines.store.tallies.TALLIES` for ``data``'s area, from its
    rows (held in memory, for speed, by :func:`~pipelines.analysis.in_memory.in_memory`).

    Quote candidates are kept only where ``quotes`` asks for them: for each question of
    ``places``, that many per place and theme (prepare: ``per_theme`` × the question's
    themes in the whole consultation). ``id_text``: where ``data``'s response ids are their
    source rows (the rows validate held), each id as text by source row.
    """
    rows = _rows(data, quotes, places, id_text)
    lazy = [(tally.name, part) for tally in TALLIES if tally.query for part in tally.query(rows)]
    with ThreadPoolExecutor(max_workers=1) as pool:
        # quote candidates hash ids in Python while polars (without the GIL) tallies the rest
        in_python = {t.name: pool.submit(t.in_python, rows) for t in TALLIES if t.in_python}
        collected = pl.collect_all([part for _, part in lazy])
        tallied = {name: future.result() for name, future in in_python.items()}
    for tally in TALLIES:
        if tally.query:
            parts = [
                as_text(frame)
                for (name, _), frame in zip(lazy, collected, strict=True)
                if name == tally.name
            ]
            empty = pl.DataFrame(schema=tally.schema)
            tallied[tally.name] = pl.concat(parts).cast(tally.schema) if parts else empty
    for tally in TALLIES:
        if tally.finish:
            tallied[tally.name] = tally.finish(tallied[tally.name], tallied, rows)
    return Aggregates({name: tallied[name] for name in NAMES}, quotes=quotes)


def narrowed(aggregates: Aggregates, region: str | None, locality: str | None) -> Aggregates:
    """The tallies of one region, or one locality of it (all of them where both are None)."""
    where = pl.lit(True)
    if region is not None:
        where = where & (pl.col("region") == region)
    if locality is not None:
        where = where & (pl.col("locality") == locality)
    return replace(
        aggregates, tables={name: frame.filter(where) for name, frame in aggregates.tables.items()}
    )


def concat(parts: list[Aggregates], quotes: QuoteDepth) -> Aggregates:
    """Tallies of disjoint areas (each region's) as one."""
    if not parts:
        raise ValueError("no tallies to join")
    return Aggregates({name: pl.concat([part[name] for part in parts]) for name in NAMES}, quotes)


def merged(parts: list[Aggregates], places: Mapping[str, int] | None) -> Aggregates:
    """Tallies of parts of one area's responses (no response in two parts) as the area's:
    counts summed, quote candidates (``places``: how many per place, question and theme)
    ranked together again."""
    if not parts:
        raise ValueError("no tallies to merge")
    tables = {}
    for tally in TALLIES:
        frames = [part[tally.name] for part in parts]
        if tally.merge:
            tables[tally.name] = tally.merge(frames, places or {})
        else:
            tables[tally.name] = merged_counts(frames, tally.schema)
    return Aggregates(tables, quotes=parts[0].quotes)


def write_aggregates(aggregates: Aggregates, folder: Path) -> Path:
    """Write the tallies into ``folder``/aggregates/ (one parquet file each, and
    aggregates.json saying their format and quote depth)."""
    target = folder / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        aggregates[name].write_parquet(target / f"{name}.parquet")
    about = {
        "format": FORMAT,
        "quotes_per_theme": aggregates.quotes.per_theme,
        "quote_min_length": aggregates.quotes.min_length,
    }
    (target / ABOUT).write_text(json.dumps(about, indent=2) + "\n", encoding="utf-8")
    return target


def stored_quote_depth(clean: Path) -> tuple[int, int] | None:
    """``(quotes_per_theme, quote_min_length)`` of the tallies stored in ``clean``; None
    where there are none of this format, their JSON file is unreadable or any of their
    parquet files is missing (a damaged parquet file is not looked into here)."""
    folder = clean / FOLDER
    try:
        about = json.loads((folder / ABOUT).read_text(encoding="utf-8"))
        depth = (int(about["quotes_per_theme"]), int(about["quote_min_length"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if about.get("format") != FORMAT:
        return None
    if not all((folder / f"{name}.parquet").is_file() for name in NAMES):
        return None
    return depth


def read_aggregates(folder: Path) -> Aggregates | None:
    """The tallies stored in a consultation's clean ``folder``; None where there are none
    of this format (clean data from an earlier version: reports tally the rows instead)."""
    depth = stored_quote_depth(folder)
    if depth is None:
        return None
    return Aggregates(
        {name: pl.read_parquet(folder / FOLDER / f"{name}.parquet") for name in NAMES},
        quotes=QuoteDepth(*depth),
    )
