"""Themes in the coded comments, and the quotes that illustrate them."""

from __future__ import annotations

import polars as pl

from pipelines.analysis.aggregates import respondents, tallies
from pipelines.analysis.participation import share
from pipelines.redact import redact_many
from pipelines.store.clean_data import CleanData
from pipelines.store.quotes import MIN_QUOTE_LENGTH, RANK, quotable, with_rank


def _theme_sizes(data: CleanData, question_id: str) -> pl.DataFrame:
    """``theme, count``: respondents in the area coded with each theme of the question."""
    return (
        tallies(data)["themes_by_question"]
        .filter(pl.col("question_id") == question_id)
        .group_by("theme")
        .agg(pl.col("respondents").sum().alias("count"))
    )


def themes(data: CleanData, question_id: str) -> pl.DataFrame:
    """``theme, count, pct_respondents, pct_mentions`` for one free-text question.

    count: respondents whose comment was coded with the theme. pct_respondents: of
    respondents whose comment was coded at all (sums past 100% when comments carry several
    themes). pct_mentions: of all theme codes given (sums to 100%). Largest first.
    """
    coded = respondents(data, question_id, "themes")
    return (
        _theme_sizes(data, question_id)
        .with_columns(
            pl.when(pl.lit(coded) > 0).then(pl.col("count") / coded * 100).alias("pct_respondents"),
            share("count").alias("pct_mentions"),
        )
        .sort(["count", "theme"], descending=[True, False])
        .select("theme", "count", "pct_respondents", "pct_mentions")
    )


def quote_shortlist(candidates: pl.DataFrame, places: int) -> pl.DataFrame:
    """``candidates`` (``theme, response_id, _rank, text``) cut to each theme's first
    ``places`` respondents in :func:`~pipelines.store.quotes.stable_rank` order.

    With ``places`` = quotes per theme × themes, every quote :func:`quotes` picks is on the
    list: a theme's quotes are its first respondents in that order not already quoted under
    a larger theme, and the larger themes' quotes take fewer places than that.
    """
    return (
        candidates.select("theme", "response_id", RANK, "text")
        .group_by("theme")
        .agg(pl.all().top_k_by(RANK, places, reverse=True))
        .explode("response_id", RANK, "text")
    )


def _candidates(data: CleanData, question_id: str, per_theme: int, min_length: int) -> pl.DataFrame:
    """``theme, response_id, _rank, text``: the area's consenting comments on the question of
    at least ``min_length`` characters, once per theme they were coded with; from the stored
    tallies where they keep enough of them, else from the rows."""
    stored = data.aggregates
    if stored is not None and stored.quotes.covers(per_theme, min_length):
        return (
            stored["quote_candidates"]
            .filter(pl.col("question_id") == question_id)
            .select("theme", "response_id", RANK, "text")
        )
    comments = quotable(data.comments, min_length).filter(pl.col("question_id") == question_id)
    coded = data.themes.filter(pl.col("question_id") == question_id)
    candidates = coded.join(comments.select("response_id", "text"), on="response_id").collect()
    return with_rank(candidates.select("theme", "response_id", "text"))


def quotes(
    data: CleanData, question_id: str, per_theme: int, min_length: int = MIN_QUOTE_LENGTH
) -> pl.DataFrame:
    """``theme, text``: up to ``per_theme`` quotes per theme, from people who consented (and,
    where the team keeps an ``approved_quotes.csv``, only the comments it approves).

    Chosen deterministically: consenting respondents' comments of at least ``min_length``
    characters, ordered by the SHA-256 of the response id (stable across runs, machines and
    library versions, and not biased to the first responses). Themes are served largest
    first and a comment is quoted once only, even when it was coded with several themes.
    Redacted again at the point of use.
    """
    candidates = _candidates(data, question_id, per_theme, min_length)
    shortlist = quote_shortlist(candidates, per_theme * candidates["theme"].n_unique())
    ordered = shortlist.join(
        _theme_sizes(data, question_id).rename({"count": "_size"}), on="theme"
    ).sort(["_size", "theme", RANK], descending=[True, False, False])
    used: set[str] = set()
    taken: dict[str, int] = {}
    rows = []
    for theme, response_id, text in ordered.select("theme", "response_id", "text").iter_rows():
        if response_id in used or taken.get(theme, 0) >= per_theme:
            continue
        used.add(response_id)
        taken[theme] = taken.get(theme, 0) + 1
        rows.append((theme, text))
    texts = redact_many([text for _, text in rows])
    return pl.DataFrame(
        {"theme": [theme for theme, _ in rows], "text": texts},
        schema={"theme": pl.String, "text": pl.String},
    )
