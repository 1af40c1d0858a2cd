"""Which comments may be quoted, and the stable order in which quotes are chosen: the
SHA-256 of the response id. The tallies keep each place's first quote candidates in this
order; the analyses choose an area's quotes in it."""

from __future__ import annotations

import hashlib
import re

import polars as pl

RANK = "_rank"
#: Shorter comments are not quoted (characters).
MIN_QUOTE_LENGTH = 40


def stable_rank(response_id: str) -> bytes:
    """A deterministic, well-spread sort key for choosing quotes: the SHA-256 digest of the
    response id (bytes sort as its hex digest does; half the time to make and compare)."""
    return hashlib.sha256(response_id.encode("utf-8")).digest()


def with_rank(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (with ``response_id``, text or categorical) and each row's :func:`stable_rank`
    as ``_rank``, each distinct response id hashed once."""
    ids = frame["response_id"].unique()
    digests = [stable_rank(i) for i in ids.cast(pl.String).to_list()]
    ranks = pl.DataFrame([ids, pl.Series(RANK, digests, pl.Binary)])
    return frame.join(ranks, on="response_id", how="left", maintain_order="left")


def quotable(comments: pl.LazyFrame, min_length: int) -> pl.LazyFrame:
    """``response_id, question_id, text`` of the comments that may be quoted and are at
    least ``min_length`` characters long."""
    return comments.filter(
        pl.col("quotable") & (pl.col("text").str.len_chars() >= min_length)
    ).select("response_id", "question_id", "text")


#: A quote longer than this (characters) is cut at the last sentence end that fits.
QUOTE_MAX_LENGTH = 240
ELLIPSIS = "…"
_SENTENCE_END = re.compile(r"(?<=[.!?])([\"'”’)]*)\s+")


def excerpt(text: str, limit: int = QUOTE_MAX_LENGTH) -> str:
    """One comment as a quote: whole, or, where longer than ``limit``, cut after the last
    sentence that ends within it and marked with an ellipsis. Never spliced: the words kept
    are the comment's own opening sentences, in order; a comment whose first sentence is
    already longer than ``limit`` is quoted whole (a cut mid-sentence could change what it
    says)."""
    text = text.strip()
    if len(text) <= limit:
        return text
    ends = [m.end(1) for m in _SENTENCE_END.finditer(text) if m.end(1) <= limit]
    if not ends:
        return text
    return f"{text[: ends[-1]].rstrip()} {ELLIPSIS}"
