"""Themes in the coded comments, and the quotes that illustrate them."""

from __future__ import annotations

import hashlib

import polars as pl

from pipelines.analysis.load import CleanData
from pipelines.analysis.participation import share
from pipelines.redact import redact_many


def themes(data: CleanData, question_id: str) -> pl.DataFrame:
    """``theme, count, pct_respondents, pct_mentions`` for one free-text question.

    count: respondents whose comment was coded with the theme. pct_respondents: of
    respondents whose comment was coded at all (sums past 100% when comments carry several
    themes). pct_mentions: of all theme codes given (sums to 100%). Largest first.
    """
    coded = data.themes.filter(pl.col("question_id") == question_id)
    respondents = coded.select(pl.col("response_id").n_unique()).collect().item()
    counts = (
        coded.group_by("theme")
        .agg(pl.col("response_id").n_unique().cast(pl.Int64).alias("count"))
        .collect()
    )
    return (
        counts.with_columns(
            pl.when(pl.lit(respondents) > 0)
            .then(pl.col("count") / respondents * 100)
            .alias("pct_respondents"),
            share("count").alias("pct_mentions"),
        )
        .sort(["count", "theme"], descending=[True, False])
        .select("theme", "count", "pct_respondents", "pct_mentions")
    )


def stable_rank(response_id: str) -> bytes:
    """A deterministic, well-spread sort key for choosing quotes: the SHA-256 digest of the
    response id (bytes sort as its hex digest does; half the time to make and compare)."""
    return hashlib.sha256(response_id.encode("utf-8")).digest()


def quote_shortlist(candidates: pl.DataFrame, places: int) -> pl.DataFrame:
    """``theme, response_id, _rank``: each theme's first ``places`` respondents in
    :func:`stable_rank` order, from ``candidates`` (``theme, response_id, ...``), each
    respondent hashed once.

    With ``places`` = quotes per theme × themes, every quote :func:`quotes` picks is on the
    list: a theme's quotes are its first respondents in that order not already quoted under
    a larger theme, and the larger themes' quotes take fewer places than that.
    """
    ids = candidates["response_id"].unique()  # text, or categorical (in_memory)
    ranks = pl.DataFrame(
        [ids, pl.Series("_rank", [stable_rank(i) for i in ids.cast(pl.String)], pl.Binary)]
    )
    return (
        candidates.select("theme", "response_id")
        .unique()
        .join(ranks, on="response_id")
        .group_by("theme")
        .agg(pl.all().top_k_by("_rank", places, reverse=True))
        .explode("response_id", "_rank")
    )


def quotes(data: CleanData, question_id: str, per_theme: int, min_length: int = 40) -> pl.DataFrame:
    """``theme, text``: up to ``per_theme`` quotes per theme, from people who consented (and,
    where the team keeps an ``approved_quotes.csv``, only the comments it approves).

    Chosen deterministically: consenting respondents' comments of at least ``min_length``
    characters, ordered by the SHA-256 of the response id (stable across runs, machines and
    library versions, and not biased to the first responses). Themes are served largest
    first and a comment is quoted once only, even when it was coded with several themes.
    Redacted again at the point of use.
    """
    comments = data.comments.filter(
        (pl.col("question_id") == question_id)
        & pl.col("quotable")
        & (pl.col("text").str.len_chars() >= min_length)
    )
    coded = data.themes.filter(pl.col("question_id") == question_id)
    order = coded.group_by("theme").agg(pl.len().alias("_size"))
    candidates = coded.join(comments.select("response_id", "text"), on="response_id").collect()
    shortlist = quote_shortlist(candidates, per_theme * candidates["theme"].n_unique())
    candidates = (
        candidates.join(shortlist, on=["theme", "response_id"])
        .join(order.collect(), on="theme")
        .sort(["_size", "theme", "_rank"], descending=[True, False, False])
    )
    used: set[str] = set()
    taken: dict[str, int] = {}
    rows = []
    for theme, response_id, text in candidates.select("theme", "response_id", "text").iter_rows():
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
