"""The tallies registry: one declaration per tally (its name, schema and query), from which
the stored files, the reader and the writer follow (:mod:`pipelines.store.aggregates`).

Each valid response belongs to one region and at most one locality, so every figure a
report shows is a sum of per-place tallies: responses in a group, respondents who chose an
option, who answered a question, whose comment was coded with a theme. Every tally starts
with the place (``region, locality``). Answers and coded themes are counted as rows:
``validate`` keeps each (response, question, option) and each (response, question, theme)
once, so rows are respondents.

A new tally is one :class:`Tally` added to :data:`TALLIES`: its name, the schema of what
it returns and a query over the area's rows (:class:`Rows`). It is then made, written to
``aggregates/<name>.parquet``, read back and narrowed to an area with the others, and an
analysis reads it by name (``tallies(data)["name"]``). Clean data stored without its file
is stale and prepared again; to change what an existing tally holds, raise ``FORMAT`` in
:mod:`pipelines.store.aggregates` too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import polars as pl

from pipelines.fields import MONITORING_FIELDS
from pipelines.store.quotes import RANK, quotable, with_rank

#: Where a response is: every tally starts with these (text; locality null where not given).
PLACE: tuple[str, ...] = ("region", "locality")
#: Response fields tallied as ``field, category``: the channel and the monitoring fields.
TALLIED_FIELDS: tuple[str, ...] = ("channel", *MONITORING_FIELDS)

Schema = dict[str, pl.DataType]


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


#: No quote candidates kept.
NO_QUOTES = QuoteDepth()


@dataclass(frozen=True)
class Rows:
    """An area's rows as the tallies read them: answers, comments and themes each joined to
    their response's place (and answers to its group); only rows of these responses."""

    responses: pl.LazyFrame
    answers: pl.LazyFrame
    comments: pl.LazyFrame
    themes: pl.LazyFrame
    #: the comments as stored (their text, for quote candidates)
    texts: pl.LazyFrame
    #: the response columns present
    present: frozenset[str]
    #: number questions with a response column; multi-select questions
    numbers: tuple[str, ...]
    multi: tuple[str, ...]
    quotes: QuoteDepth
    #: question -> quote candidates kept per place and theme (none where not given)
    places: Mapping[str, int] | None
    #: where the ids are their responses' source rows (validate's rows held in memory):
    #: each id as text, by source row; None: the ids are text (or a categorical of it)
    id_text: pl.Series | None = None


@dataclass(frozen=True)
class Tally:
    """One tally: its name (its file, ``<name>.parquet``), its columns, and how it is made.

    ``query``: lazy parts, concatenated, that are collected with every other tally's in one
    pass; ``in_python``: a tally worked out in Python (hashing), in a thread meanwhile;
    ``finish``: a last step given every collected tally (a total derived from another);
    ``merge``: how the tallies of parts of one area's responses make the area's, given how
    many quote candidates to keep per question (None: the last column, a count, summed by
    the rest: :func:`merged_counts`).
    """

    name: str
    schema: Schema
    query: Callable[[Rows], list[pl.LazyFrame]] | None = None
    in_python: Callable[[Rows], pl.DataFrame] | None = None
    finish: Callable[[pl.DataFrame, Mapping[str, pl.DataFrame], Rows], pl.DataFrame] | None = None
    merge: Callable[[list[pl.DataFrame], Mapping[str, int]], pl.DataFrame] | None = None


_PLACE_SCHEMA: Schema = {"region": pl.String(), "locality": pl.String()}
_COUNTED = pl.len().cast(pl.Int64)
_RESPONDENTS = pl.col("response_id").n_unique().cast(pl.Int64).alias("respondents")


def as_text(frame: pl.DataFrame) -> pl.DataFrame:
    """Every categorical (and enum) column of a tally as text: grouping is quicker on the
    codes, and stored tallies should not depend on the categories of one validation."""
    coded = [
        name for name, dtype in frame.schema.items() if isinstance(dtype, pl.Categorical | pl.Enum)
    ]
    return frame.with_columns(pl.col(coded).cast(pl.String))


def _responses_by_field(rows: Rows) -> list[pl.LazyFrame]:
    return [
        rows.responses.group_by(*PLACE, pl.col(name).alias("category"))
        .agg(_COUNTED.alias("responses"))
        .select(*PLACE, pl.lit(name).alias("field"), "category", "responses")
        for name in TALLIED_FIELDS
        if name in rows.present
    ]


def _number_values(rows: Rows) -> list[pl.LazyFrame]:
    return [
        rows.responses.filter(pl.col(q).is_not_null())
        .group_by(*PLACE, pl.col(q).cast(pl.Float64).alias("value"))
        .agg(_COUNTED.alias("responses"))
        .select(*PLACE, pl.lit(q).alias("question_id"), "value", "responses")
        for q in rows.numbers
    ]


def _respondents(rows: Rows) -> list[pl.LazyFrame]:
    """People with any row of a multi-select question's answers (those who answered and
    chose nothing included: their row has no option), or of a question's comments or themes
    (single-choice, Likert, grid items and ranking options: :func:`_single_choice_first`)."""
    return [
        frame.group_by(*PLACE, "question_id")
        .agg(_RESPONDENTS)
        .select(*PLACE, pl.lit(name).alias("table"), "question_id", "respondents")
        for name, frame in (
            ("answers", rows.answers.filter(pl.col("question_id").is_in(rows.multi))),
            ("comments", rows.comments),
            ("themes", rows.themes),
        )
    ]


def _single_choice_first(
    counted: pl.DataFrame, tallied: Mapping[str, pl.DataFrame], rows: Rows
) -> pl.DataFrame:
    """One answer per person to a single-choice or Likert question, a grid's item or a
    ranking's option (``<id>.<item>``): those respondents are the sum of its options'
    answers, put before the respondents counted."""
    single = (
        tallied["answers_by_option"]
        .filter(~pl.col("question_id").is_in(rows.multi))
        .group_by(*PLACE, "question_id", maintain_order=True)
        .agg(pl.col("answers").sum().alias("respondents"))
        .select(*PLACE, pl.lit("answers").alias("table"), "question_id", "respondents")
    )
    return pl.concat([single, counted])


def _quote_candidates(rows: Rows) -> pl.DataFrame:
    """Each place's, question's and theme's first ``places[question]`` quotable comments of
    at least ``min_length`` characters, in quote order (:func:`~quotes.stable_rank`); none
    where the depth asks for none."""
    if not (rows.quotes.per_theme and rows.places):
        return pl.DataFrame(schema=QUOTE_CANDIDATES)
    candidates = (
        rows.themes.join(_places(rows.places).lazy(), on="question_id")
        .join(quotable(rows.texts, rows.quotes.min_length), on=["response_id", "question_id"])
        .collect()
    )
    if rows.id_text is not None:  # ids as source rows: ranked and kept as text
        ids = pl.lit(rows.id_text).gather(pl.col("response_id")).alias("response_id")
        candidates = candidates.with_columns(ids)
    return as_text(_first_in_quote_order(with_rank(candidates)))


def _places(places: Mapping[str, int]) -> pl.DataFrame:
    """Question -> how many quote candidates each place and theme keeps (``_places``)."""
    return pl.DataFrame(
        {"question_id": list(places), "_places": list(places.values())},
        schema={"question_id": pl.String, "_places": pl.Int64},
    )


def _first_in_quote_order(candidates: pl.DataFrame) -> pl.DataFrame:
    """Each place's, question's and theme's first ``_places`` rows of ``candidates`` (ranked,
    with their question's ``_places``) in quote order."""
    group = [*PLACE, "question_id", "theme"]
    # each group's first rows in quote order: ranked within the group, not sorted whole
    first = pl.col(RANK).rank("ordinal").over(group) <= pl.col("_places")
    return candidates.filter(first).select(*group, "response_id", RANK, "text").sort(*group, RANK)


def merged_candidates(parts: list[pl.DataFrame], places: Mapping[str, int]) -> pl.DataFrame:
    """The quote candidates of parts of one area's responses as the area's: ranked together
    again, each place's, question's and theme's first ``places[question]`` kept (each
    part's are its first, so the area's first are among them)."""
    joined = pl.concat(parts).join(_places(places), on="question_id")
    return _first_in_quote_order(joined).cast(QUOTE_CANDIDATES)


def merged_counts(parts: list[pl.DataFrame], schema: Schema) -> pl.DataFrame:
    """A counting tally of parts of one area's responses as the area's: its last column
    (responses, answers or respondents: each response is in one part) summed by the rest."""
    *keys, count = schema
    return (
        pl.concat(parts).group_by(keys, maintain_order=True).agg(pl.col(count).sum()).cast(schema)
    )


QUOTE_CANDIDATES: Schema = {
    **_PLACE_SCHEMA,
    "question_id": pl.String(),
    "theme": pl.String(),
    "response_id": pl.String(),
    RANK: pl.Binary(),
    "text": pl.String(),
}

#: Every tally, in the order they are made and stored.
TALLIES: tuple[Tally, ...] = (
    Tally(
        "responses_by_group",
        {**_PLACE_SCHEMA, "group": pl.String(), "responses": pl.Int64()},
        query=lambda rows: [
            rows.responses.group_by(*PLACE, "group").agg(_COUNTED.alias("responses"))
        ],
    ),
    Tally(
        "responses_by_field",  # category null: not answered
        {**_PLACE_SCHEMA, "field": pl.String(), "category": pl.String(), "responses": pl.Int64()},
        query=_responses_by_field,
    ),
    Tally(
        "number_values",  # each number question's answers
        {
            **_PLACE_SCHEMA,
            "question_id": pl.String(),
            "value": pl.Float64(),
            "responses": pl.Int64(),
        },
        query=_number_values,
    ),
    Tally(
        "answers_by_option",
        {
            **_PLACE_SCHEMA,
            "group": pl.String(),
            "question_id": pl.String(),
            "option": pl.String(),
            "answers": pl.Int64(),
        },
        query=lambda rows: [
            rows.answers.filter(pl.col("option").is_not_null())  # not "chose nothing"
            .group_by(*PLACE, "group", "question_id", "option")
            .agg(_COUNTED.alias("answers"))
        ],
    ),
    Tally(
        "respondents",  # people with any row of the question in ``table``
        {
            **_PLACE_SCHEMA,
            "table": pl.String(),
            "question_id": pl.String(),
            "respondents": pl.Int64(),
        },
        query=_respondents,
        finish=_single_choice_first,
    ),
    Tally(
        "themes_by_question",
        {
            **_PLACE_SCHEMA,
            "question_id": pl.String(),
            "theme": pl.String(),
            "respondents": pl.Int64(),
        },
        query=lambda rows: [
            rows.themes.group_by(*PLACE, "question_id", "theme").agg(_COUNTED.alias("respondents"))
        ],
    ),
    Tally(
        "respondents_by_theme",  # under any question
        {**_PLACE_SCHEMA, "theme": pl.String(), "respondents": pl.Int64()},
        query=lambda rows: [rows.themes.group_by(*PLACE, "theme").agg(_RESPONDENTS)],
    ),
    Tally(
        "quote_candidates",
        QUOTE_CANDIDATES,
        in_python=_quote_candidates,
        merge=merged_candidates,
    ),
)
