"""An area's responses tallied once, by region and locality: every analysis table is built
from these tallies rather than from the rows.

Each valid response belongs to one region and at most one locality, so every figure a
report shows is a sum of per-place tallies: responses in a group, respondents who chose an
option, who answered a question, whose comment was coded with a theme. ``validate`` tallies
every row once and writes the tallies beside the clean tables (``aggregates/``); a
report narrows them to its area and sums them, instead of reading its area's rows (about
1.7 million responses and 10 million answers in the largest region of a ten-million-response
consultation). Where no tallies are stored (clean data written by an earlier version, or
frames put together by hand), :func:`tallies` makes them from the rows as needed.

Answers and coded themes are counted as rows: ``validate`` keeps each (response, question,
option) and each (response, question, theme) once, so rows are respondents.
"""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl

from pipelines.analysis.ranking import RANK, with_rank
from pipelines.fields import MONITORING_FIELDS
from pipelines.validate.layout import AGGREGATES_ABOUT as ABOUT_FILE
from pipelines.validate.layout import AGGREGATES_FOLDER as FOLDER
from pipelines.validate.layout import AGGREGATES_FORMAT as FORMAT
from pipelines.validate.layout import AGGREGATES_TABLES as TABLES
from pipelines.validate.layout import stored_quote_depth

if TYPE_CHECKING:
    from pipelines.analysis.load import Area, CleanData

#: Where a response is: every tally starts with these (text; locality null where not given).
PLACE: tuple[str, ...] = ("region", "locality")
#: Response fields tallied as ``field, category``: the channel and the monitoring fields.
TALLIED_FIELDS: tuple[str, ...] = ("channel", *MONITORING_FIELDS)


@dataclass(frozen=True)
class QuoteDepth:
    """How deep the tallies' quote candidates go: for each place, question and theme, the
    first ``per_theme`` × (the question's themes) consenting comments of at least
    ``min_length`` characters, in quote order. ``per_theme`` 0: none kept."""

    per_theme: int = 0
    min_length: int = 0

    def covers(self, per_theme: int, min_length: int) -> bool:
        """Whether every quote of ``per_theme`` quotes per theme is among the candidates."""
        return 0 < per_theme <= self.per_theme and min_length == self.min_length


@dataclass(frozen=True)
class Aggregates:
    """Tallies of valid responses by place (``region, locality`` first in each)."""

    #: region, locality, group, responses
    responses_by_group: pl.DataFrame
    #: region, locality, field, category, responses (category null: not answered)
    responses_by_field: pl.DataFrame
    #: region, locality, question_id, value, responses: each number question's answers
    number_values: pl.DataFrame
    #: region, locality, group, question_id, option, answers
    answers_by_option: pl.DataFrame
    #: region, locality, table, question_id, respondents: people with any row of the
    #: question in ``table`` (answers, comments or themes)
    respondents: pl.DataFrame
    #: region, locality, question_id, theme, respondents
    themes_by_question: pl.DataFrame
    #: region, locality, theme, respondents (under any question)
    respondents_by_theme: pl.DataFrame
    #: region, locality, question_id, theme, response_id, _rank, text
    quote_candidates: pl.DataFrame
    quotes: QuoteDepth = QuoteDepth()


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Every categorical (and enum) column of a tally as text: grouping is quicker on the
    codes, and stored tallies should not depend on the categories of one validation."""
    coded = [
        name for name, dtype in frame.schema.items() if isinstance(dtype, pl.Categorical | pl.Enum)
    ]
    return frame.with_columns(pl.col(coded).cast(pl.String))


def summarise(
    data: CleanData, quotes: QuoteDepth = QuoteDepth(), places: dict[str, int] | None = None
) -> Aggregates:
    """The tallies of ``data``'s area from its rows (held in memory, for speed, by
    :func:`~pipelines.analysis.in_memory.in_memory`).

    Quote candidates are kept only where ``quotes`` asks for them: for each question of
    ``places``, that many per place and theme (validate: ``per_theme`` × the question's
    themes in the whole consultation).
    """
    responses = data.responses
    keys = responses.select("response_id", *PLACE, "group")
    answers = data.answers.join(keys, on="response_id")
    comments = data.comments.join(keys.drop("group"), on="response_id")
    themes = data.themes.join(keys.drop("group"), on="response_id")
    respondents = pl.col("response_id").n_unique().cast(pl.Int64).alias("respondents")
    counted = pl.len().cast(pl.Int64)
    present = set(responses.collect_schema().names())
    questions = data.consultation.questions
    numbers = [q.id for q in questions if q.type == "number" and q.id in present]
    multi = [q.id for q in questions if q.type == "multi"]
    queries = {
        "responses_by_group": [responses.group_by(*PLACE, "group").agg(counted.alias("responses"))],
        "responses_by_field": [
            responses.group_by(*PLACE, pl.col(name).alias("category"))
            .agg(counted.alias("responses"))
            .select(*PLACE, pl.lit(name).alias("field"), "category", "responses")
            for name in TALLIED_FIELDS
            if name in present
        ],
        "number_values": [
            responses.filter(pl.col(q).is_not_null())
            .group_by(*PLACE, pl.col(q).cast(pl.Float64).alias("value"))
            .agg(counted.alias("responses"))
            .select(*PLACE, pl.lit(q).alias("question_id"), "value", "responses")
            for q in numbers
        ],
        "answers_by_option": [
            answers.group_by(*PLACE, "group", "question_id", "option").agg(counted.alias("answers"))
        ],
        # one answer per person to a single-choice or Likert question: those respondents
        # are the sum of its options' answers (below); a multi-select's are counted
        "respondents": [
            frame.group_by(*PLACE, "question_id")
            .agg(respondents)
            .select(*PLACE, pl.lit(name).alias("table"), "question_id", "respondents")
            for name, frame in (
                ("answers", answers.filter(pl.col("question_id").is_in(multi))),
                ("comments", comments),
                ("themes", themes),
            )
        ],
        "themes_by_question": [
            themes.group_by(*PLACE, "question_id", "theme").agg(counted.alias("respondents"))
        ],
        "respondents_by_theme": [themes.group_by(*PLACE, "theme").agg(respondents)],
    }
    flat = [(name, query) for name, parts in queries.items() for query in parts]
    with ThreadPoolExecutor(max_workers=1) as pool:
        # quote candidates hash ids in Python while polars (without the GIL) tallies the
        # rest: about 0.4 s of 3 at a million responses
        chosen = (
            pool.submit(_quote_candidates, themes, data.comments, quotes, places)
            if quotes.per_theme and places
            else None
        )
        collected = pl.collect_all([query for _, query in flat])
        candidates = chosen.result() if chosen else pl.DataFrame(schema=QUOTE_CANDIDATES)
    tallied: dict[str, pl.DataFrame] = {}
    for name, schema in SCHEMAS.items():
        parts = [
            _as_text(frame)
            for (part, _), frame in zip(flat, collected, strict=True)
            if part == name
        ]
        tallied[name] = pl.concat(parts).cast(schema) if parts else pl.DataFrame(schema=schema)
    single = (
        tallied["answers_by_option"]
        .filter(~pl.col("question_id").is_in(multi))
        .group_by(*PLACE, "question_id", maintain_order=True)
        .agg(pl.col("answers").sum().alias("respondents"))
        .select(*PLACE, pl.lit("answers").alias("table"), "question_id", "respondents")
    )
    tallied["respondents"] = pl.concat([single, tallied["respondents"]])
    return Aggregates(**tallied, quote_candidates=candidates, quotes=quotes)


_PLACE_SCHEMA: dict[str, pl.DataType] = {"region": pl.String(), "locality": pl.String()}
SCHEMAS: dict[str, dict[str, pl.DataType]] = {
    "responses_by_group": {**_PLACE_SCHEMA, "group": pl.String(), "responses": pl.Int64()},
    "responses_by_field": {
        **_PLACE_SCHEMA,
        "field": pl.String(),
        "category": pl.String(),
        "responses": pl.Int64(),
    },
    "number_values": {
        **_PLACE_SCHEMA,
        "question_id": pl.String(),
        "value": pl.Float64(),
        "responses": pl.Int64(),
    },
    "answers_by_option": {
        **_PLACE_SCHEMA,
        "group": pl.String(),
        "question_id": pl.String(),
        "option": pl.String(),
        "answers": pl.Int64(),
    },
    "respondents": {
        **_PLACE_SCHEMA,
        "table": pl.String(),
        "question_id": pl.String(),
        "respondents": pl.Int64(),
    },
    "themes_by_question": {
        **_PLACE_SCHEMA,
        "question_id": pl.String(),
        "theme": pl.String(),
        "respondents": pl.Int64(),
    },
    "respondents_by_theme": {**_PLACE_SCHEMA, "theme": pl.String(), "respondents": pl.Int64()},
}
QUOTE_CANDIDATES: dict[str, pl.DataType] = {
    **_PLACE_SCHEMA,
    "question_id": pl.String(),
    "theme": pl.String(),
    "response_id": pl.String(),
    RANK: pl.Binary(),
    "text": pl.String(),
}


def _quote_candidates(
    themes: pl.LazyFrame, comments: pl.LazyFrame, quotes: QuoteDepth, places: dict[str, int]
) -> pl.DataFrame:
    """Each place's, question's and theme's first ``places[question]`` quotable comments of
    at least ``min_length`` characters, in quote order (:func:`~ranking.stable_rank`)."""
    depth = pl.LazyFrame(
        {"question_id": list(places), "_places": list(places.values())},
        schema={"question_id": pl.String, "_places": pl.Int64},
    )
    candidates = (
        themes.join(depth, on="question_id")
        .join(quotable(comments, quotes.min_length), on=["response_id", "question_id"])
        .collect()
    )
    group = [*PLACE, "question_id", "theme"]
    return _as_text(
        with_rank(candidates)
        .sort(RANK)
        .filter(pl.int_range(pl.len()).over(group) < pl.col("_places"))
        .select(*group, "response_id", RANK, "text")
        .sort(*group, RANK)
    )


def narrowed(aggregates: Aggregates, area: Area) -> Aggregates:
    """The tallies of ``area`` alone (all of them for the whole consultation)."""
    where = pl.lit(True)
    if area.region is not None:
        where = where & (pl.col("region") == area.region)
    if area.locality is not None:
        where = where & (pl.col("locality") == area.locality)
    return replace(
        aggregates, **{table: getattr(aggregates, table).filter(where) for table in TABLES}
    )


def tallies(data: CleanData) -> Aggregates:
    """``data``'s stored tallies, already narrowed to its area; else tallied from its rows."""
    return data.aggregates if data.aggregates is not None else summarise(data)


def respondents(data: CleanData, question_id: str, table: str = "answers") -> int:
    """People in the area with a row of the question in ``table``: who answered it
    (answers), wrote an answer (comments) or whose answer was coded (themes)."""
    counted = tallies(data).respondents.filter(
        (pl.col("table") == table) & (pl.col("question_id") == question_id)
    )
    return int(counted["respondents"].sum())


def quotable(comments: pl.LazyFrame, min_length: int) -> pl.LazyFrame:
    """``response_id, question_id, text`` of the comments that may be quoted and are at
    least ``min_length`` characters long."""
    return comments.filter(
        pl.col("quotable") & (pl.col("text").str.len_chars() >= min_length)
    ).select("response_id", "question_id", "text")


def concat(parts: list[Aggregates], quotes: QuoteDepth) -> Aggregates:
    """Tallies of disjoint areas (each region's) as one."""
    if not parts:
        raise ValueError("no tallies to join")
    return Aggregates(
        **{table: pl.concat([getattr(part, table) for part in parts]) for table in TABLES},
        quotes=quotes,
    )


def write_aggregates(aggregates: Aggregates, folder: Path) -> Path:
    """Write the tallies into ``folder``/aggregates/ (one parquet file each, and
    aggregates.json saying their format and quote depth)."""
    target = folder / FOLDER
    target.mkdir(parents=True, exist_ok=True)
    for table in TABLES:
        getattr(aggregates, table).write_parquet(target / f"{table}.parquet")
    about = {
        "format": FORMAT,
        "quotes_per_theme": aggregates.quotes.per_theme,
        "quote_min_length": aggregates.quotes.min_length,
    }
    (target / ABOUT_FILE).write_text(json.dumps(about, indent=2) + "\n", encoding="utf-8")
    return target


def read_aggregates(folder: Path) -> Aggregates | None:
    """The tallies stored in a consultation's clean ``folder``; None where there are none
    of this format (clean data from an earlier version: reports tally the rows instead)."""
    depth = stored_quote_depth(folder)
    if depth is None:
        return None
    return Aggregates(
        **{table: pl.read_parquet(folder / FOLDER / f"{table}.parquet") for table in TABLES},
        quotes=QuoteDepth(*depth),
    )
