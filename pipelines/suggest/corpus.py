"""A free-text question's comments as the learner sees them: the coded ones with their
themes, and the uncoded ones, read from the clean data (redacted by ``validate`` before it
was stored)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.store.clean_data import CleanData


@dataclass(frozen=True)
class QuestionComments:
    """One question's comments: ``coded`` (``response_id, text, themes``: a list) and
    ``uncoded`` (``response_id, text``), each in response id order."""

    question_id: str
    coded: pl.DataFrame
    uncoded: pl.DataFrame

    @property
    def themes(self) -> list[str]:
        """The question's codebook: every theme coded at least once, sorted."""
        return sorted(set(self.coded["themes"].explode().drop_nulls().to_list()))

    def labels(self) -> dict[str, np.ndarray]:
        """theme -> 1 where a coded comment carries it, else 0 (in ``coded``'s order)."""
        carried = self.coded["themes"]
        return {
            theme: carried.list.contains(theme).to_numpy().astype(np.int8) for theme in self.themes
        }


def question_comments(data: CleanData, question_id: str) -> QuestionComments:
    """The question's non-blank comments, split by whether ``coding.csv`` coded them.

    A comment is coded when its response has at least one theme for the question; its
    themes are the distinct themes coded (the clean table holds each once).
    """
    comments = (
        data.comments.filter(pl.col("question_id").cast(pl.String) == question_id)
        .select(pl.col("response_id").cast(pl.String), pl.col("text").str.strip_chars())
        .filter(pl.col("text").is_not_null() & (pl.col("text") != ""))
        .unique("response_id", keep="first")
    )
    themes = (
        data.themes.filter(pl.col("question_id").cast(pl.String) == question_id)
        .select(pl.col("response_id").cast(pl.String), pl.col("theme").cast(pl.String))
        .drop_nulls()
        .group_by("response_id")
        .agg(pl.col("theme").unique().sort().alias("themes"))
    )
    coded = comments.join(themes, on="response_id", how="inner").sort("response_id").collect()
    uncoded = comments.join(themes, on="response_id", how="anti").sort("response_id").collect()
    return QuestionComments(question_id=question_id, coded=coded, uncoded=uncoded)
