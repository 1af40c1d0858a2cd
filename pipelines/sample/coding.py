"""The analysts' coding of comments into themes (coding.csv).

A comment is coded with the themes it was composed from, in the order it mentions them.
Non-answers ("N/A", "Not sure") are not coded; neither are planted invalid rows, so every
coding row points at a valid response.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from pipelines.sample.text import CommentPool

CODING_COLUMNS = ["response_id", "question_id", "theme"]
FREE_TEXT_QUESTIONS = ("q3", "q9")


def pool_themes(pool: CommentPool) -> pl.DataFrame:
    """One row per (pool comment, theme): pool_index, position, theme."""
    rows = [
        (i, position, theme)
        for i, themes in enumerate(pool.themes)
        for position, theme in enumerate(themes)
    ]
    return pl.DataFrame(
        rows,
        schema={"pool_index": pl.Int64, "position": pl.Int64, "theme": pl.String},
        orient="row",
    )


def coding_chunk(
    response_ids: np.ndarray,
    comment_index: dict[str, np.ndarray],
    planted_rows: np.ndarray,
    themes: dict[str, pl.DataFrame],
) -> pl.DataFrame:
    """coding.csv rows for one chunk of responses, in row, question, mention order."""
    valid = np.ones(response_ids.size, dtype=bool)
    valid[planted_rows] = False
    parts = []
    for order, question_id in enumerate(FREE_TEXT_QUESTIONS):
        rows = pl.DataFrame(
            {
                "row": np.arange(response_ids.size),
                "response_id": response_ids,
                "pool_index": comment_index[question_id],
                "valid": valid,
            }
        ).filter(pl.col("valid") & (pl.col("pool_index") >= 0))
        parts.append(
            rows.drop("valid")
            .join(themes[question_id], on="pool_index", how="inner")
            .with_columns(pl.lit(order).alias("order"), pl.lit(question_id).alias("question_id"))
        )
    return (
        pl.concat(parts)
        .sort(["row", "order", "position"])
        .select(pl.col("response_id").cast(pl.String), "question_id", "theme")
    )


def plant_coding(
    first_row_number: int, known_id: str
) -> tuple[pl.DataFrame, list[dict[str, object]]]:
    """Two coding rows for a response that does not exist, appended after the others.

    The unknown id is a real one with its last digit dropped: the typo a coder makes.
    """
    unknown = known_id[:-1]
    frame = pl.DataFrame(
        {
            "response_id": [unknown, unknown],
            "question_id": ["q3", "q9"],
            "theme": ["Time and punctuality", "Family and friends"],
        }
    )
    key = [
        {
            "source_file": "coding.csv",
            "row_number": first_row_number + k,
            "response_id": unknown,
            "field": "response_id",
            "rule": "response_known",
        }
        for k in range(frame.height)
    ]
    return frame, key
