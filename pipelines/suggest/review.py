"""The review notebook's tables: what was suggested, where the model is weakest, which
comments to code next, the uncoded comments that fit no theme, and the draft the analyst
checks.

Comments are shown as the clean store holds them (redacted by ``workbook validate``) and
shortened to :data:`SHOWN_CHARS`. Nothing here logs or prints a comment; the draft is
written beside the clean data, never under ``data/raw``: the analyst saves the accepted rows
as ``data/raw/<consultation>/coding_reviewed.csv`` by hand.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl
from scipy import sparse
from sklearn.cluster import KMeans
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from pipelines.atomic import write_text_atomic
from pipelines.paths import clean_dir
from pipelines.store.clean_data import CleanData
from pipelines.suggest.command import QuestionResult, Summary
from pipelines.suggest.learner import SEED
from pipelines.suggest.meanings import meanings
from pipelines.suggest.outputs import empty_suggestions

#: Longest comment shown in a table (longer ones end with "…").
SHOWN_CHARS = 100
#: The draft of the review step, written beside the clean data for the analyst to check.
DRAFT_FILE = "coding_review_draft.csv"
#: Most groups of comments that fit no theme, per question.
MOST_GROUPS = 6
#: Words shown for each group of comments that fit no theme.
GROUP_WORDS = 6
#: Examples shown for each group.
GROUP_EXAMPLES = 3


def shown(text: pl.Expr) -> pl.Expr:
    """A comment shortened for a table: at most :data:`SHOWN_CHARS` characters."""
    return (
        pl.when(text.str.len_chars() > SHOWN_CHARS)
        .then(text.str.slice(0, SHOWN_CHARS - 1) + "…")
        .otherwise(text)
    )


def once_per_text(frame: pl.DataFrame, keys: list[str]) -> pl.DataFrame:
    """``frame`` (in its order) with one row per ``keys`` and comment (the first; case and
    spacing ignored) and ``alike``: how many rows carried that comment. Coding one of
    several identical comments teaches the model as much as coding all of them."""
    text = pl.col("comment").str.to_lowercase().str.strip_chars()
    return (
        frame.with_columns(text.alias("_text"))
        .with_columns(pl.len().over([*keys, "_text"]).alias("alike"))
        .unique([*keys, "_text"], keep="first", maintain_order=True)
        .drop("_text")
    )


def stored_comments(data: CleanData) -> pl.LazyFrame:
    """``question_id, response_id, text``: every stored (redacted) comment, trimmed, one per
    response and question."""
    return data.comments.select(
        pl.col("question_id").cast(pl.String),
        pl.col("response_id").cast(pl.String),
        pl.col("text").str.strip_chars(),
    ).unique(["question_id", "response_id"], keep="first", maintain_order=True)


def comment_texts(data: CleanData) -> pl.DataFrame:
    """``question_id, response_id, comment``: every stored (redacted) comment, shortened."""
    return (
        stored_comments(data)
        .select("question_id", "response_id", shown(pl.col("text")).alias("comment"))
        .collect()
    )


def all_suggestions(summary: Summary) -> pl.DataFrame:
    """Every question's suggestions, theme by theme and most confident first."""
    suggestions = pl.concat([empty_suggestions(), *(r.suggestions for r in summary.questions)])
    return suggestions.sort(
        ["question_id", "theme", "confidence", "response_id"],
        descending=[False, False, True, False],
    )


def theme_figures(summary: Summary) -> pl.DataFrame:
    """``question_id, theme, coded, threshold, precision, recall, f1, suggested``: each
    learnt theme's cross-validated figures on the coded comments, weakest (lowest F1, then
    lowest recall) first, and how many uncoded comments it was suggested for."""
    rows = [
        {
            "question_id": result.question_id,
            "theme": t.theme,
            "coded": t.support,
            "threshold": t.threshold,
            "precision": t.precision,
            "recall": t.recall,
            "f1": t.f1,
            "suggested": int((result.suggestions["theme"] == t.theme).sum()),
        }
        for result in summary.questions
        for t in result.measured.themes
    ]
    schema = {
        "question_id": pl.String,
        "theme": pl.String,
        "coded": pl.Int64,
        "threshold": pl.Float64,
        "precision": pl.Float64,
        "recall": pl.Float64,
        "f1": pl.Float64,
        "suggested": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema).sort("f1", "recall", "question_id", "theme")


def suggested_comments(summary: Summary, texts: pl.DataFrame, per_theme: int = 5) -> pl.DataFrame:
    """``question_id, theme, confidence, response_id, alike, comment``: for each theme, its
    suggested comments, most confident first (at most ``per_theme`` distinct comments;
    ``alike``: how many suggested comments read the same)."""
    return (
        all_suggestions(summary)
        .join(texts, on=["question_id", "response_id"], how="left", maintain_order="left")
        .pipe(once_per_text, ["question_id", "theme"])
        .group_by(["question_id", "theme"], maintain_order=True)
        .head(per_theme)
        .select(
            "question_id", "theme", pl.col("confidence").round(2), "response_id", "alike", "comment"
        )
    )


def _long_confidences(result: QuestionResult) -> pl.DataFrame:
    """``response_id, theme, confidence, threshold``: every uncoded comment against every
    learnt theme."""
    thresholds = pl.DataFrame(
        {
            "theme": [t.theme for t in result.measured.themes],
            "threshold": [t.threshold for t in result.measured.themes],
        },
        schema={"theme": pl.String, "threshold": pl.Float64},
    )
    themes = [c for c in result.confidences.columns if c != "response_id"]
    if not themes:
        return pl.DataFrame(
            schema={
                "response_id": pl.String,
                "theme": pl.String,
                "confidence": pl.Float64,
                "threshold": pl.Float64,
            }
        )
    return result.confidences.unpivot(
        index="response_id", on=themes, variable_name="theme", value_name="confidence"
    ).join(thresholds, on="theme", how="left")


def code_next(summary: Summary, texts: pl.DataFrame, count: int = 10) -> pl.DataFrame:
    """``question_id, response_id, nearest_theme, confidence, threshold, uncertainty,
    alike, comment``: the uncoded comments the model is least sure of, the ones whose coding
    would teach it most (identical comments once; ``alike`` counts them). Least sure: a confidence nearest a theme's threshold (the model could
    go either way), then the most uncertainty over all themes (entropy, in bits, summed)."""
    frames = []
    for result in summary.questions:
        long = _long_confidences(result)
        if long.is_empty():
            continue
        p = pl.col("confidence").clip(1e-6, 1 - 1e-6)
        entropy = -(p * p.log(2) + (1 - p) * (1 - p).log(2))
        frames.append(
            long.with_columns(
                (pl.col("confidence") - pl.col("threshold")).abs().alias("_margin"),
                entropy.alias("_entropy"),
            )
            .sort("_margin", "theme")
            .group_by("response_id", maintain_order=True)
            .agg(
                pl.col("_margin").first(),
                pl.col("theme").first().alias("nearest_theme"),
                pl.col("confidence").first().round(2),
                pl.col("threshold").first(),
                pl.col("_entropy").sum().round(2).alias("uncertainty"),
            )
            .with_columns(pl.lit(result.question_id).alias("question_id"))
        )
    if not frames:
        return pl.DataFrame(
            schema={
                "question_id": pl.String,
                "response_id": pl.String,
                "nearest_theme": pl.String,
                "confidence": pl.Float64,
                "threshold": pl.Float64,
                "uncertainty": pl.Float64,
                "alike": pl.UInt32,
                "comment": pl.String,
            }
        )
    return (
        pl.concat(frames)
        .sort(
            ["_margin", "uncertainty", "question_id", "response_id"],
            descending=[False, True, False, False],
        )
        .join(texts, on=["question_id", "response_id"], how="left", maintain_order="left")
        .pipe(once_per_text, ["question_id"])
        .head(count)
        .select(
            "question_id",
            "response_id",
            "nearest_theme",
            "confidence",
            "threshold",
            "uncertainty",
            "alike",
            "comment",
        )
    )


def unfitted(result: QuestionResult) -> list[str]:
    """The question's uncoded comments whose confidence is under the threshold of every
    theme (none suggested), in response id order."""
    suggested = set(result.suggestions["response_id"].to_list())
    return sorted(set(result.confidences["response_id"].to_list()) - suggested)


def comment_groups(comments: list[str]) -> tuple[np.ndarray, list[list[str]], np.ndarray]:
    """Each comment's group (0 = largest), each group's commonest words, and each comment's
    distance to its group's centre: KMeans (fixed seed) on the comments' words (TF-IDF,
    English stop words out) and their meanings (:mod:`pipelines.suggest.meanings`) side by
    side, so comments that say the same thing in other words fall together."""
    vectoriser = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1)
    meaning = sparse.csr_matrix(meanings(comments))
    try:
        matrix = sparse.hstack([vectoriser.fit_transform(comments), meaning], format="csr")
    except ValueError:  # no word but stop words: grouped by meaning alone, no words shown
        matrix, vectoriser = meaning, None
    distinct = len({row.indices.tobytes() + row.data.tobytes() for row in matrix})
    k = int(min(MOST_GROUPS, distinct, max(1, round(np.sqrt(len(comments) / 2)))))
    kmeans = KMeans(n_clusters=k, random_state=SEED, n_init=10).fit(matrix)
    sizes = np.bincount(kmeans.labels_, minlength=k)
    order = np.argsort(-sizes, kind="stable")
    rank = np.empty(k, dtype=int)
    rank[order] = np.arange(k)
    labels = rank[kmeans.labels_]
    distance = kmeans.transform(matrix)[np.arange(len(comments)), kmeans.labels_]
    if vectoriser is None:
        return labels, [[] for _ in range(k)], distance
    counts = CountVectorizer(stop_words="english", binary=True, vocabulary=vectoriser.vocabulary_)
    present = counts.transform(comments)
    words = np.array(counts.get_feature_names_out())
    commonest = []
    for group in range(k):
        frequency = np.asarray(present[labels == group].sum(axis=0)).ravel()
        ranked = sorted(range(len(words)), key=lambda i: (-frequency[i], words[i]))
        commonest.append([str(words[i]) for i in ranked[:GROUP_WORDS] if frequency[i] > 0])
    return labels, commonest, distance


def no_fit_groups(summary: Summary, data: CleanData) -> tuple[pl.DataFrame, pl.DataFrame]:
    """What the codebook misses: the uncoded comments that fit no theme, grouped by their
    words and meanings. ``groups``: ``question_id, group, comments, commonest_words``; ``examples``:
    ``question_id, group, response_id, comment``, the :data:`GROUP_EXAMPLES` comments nearest
    each group's centre (redacted, shortened)."""
    full = stored_comments(data).collect()
    groups, examples = [], []
    for result in summary.questions:
        ids = unfitted(result)
        if not ids:
            continue
        texts = (
            pl.DataFrame({"response_id": ids})
            .join(
                full.filter(pl.col("question_id") == result.question_id),
                on="response_id",
                how="left",
                maintain_order="left",
            )
            .with_columns(pl.col("text").fill_null(""))
        )
        labels, words, distance = comment_groups(texts["text"].to_list())
        placed = texts.with_columns(
            pl.Series("group", labels + 1), pl.Series("_distance", distance)
        )
        for group, commonest in enumerate(words, start=1):
            members = placed.filter(pl.col("group") == group)
            if members.is_empty():
                continue
            groups.append(
                {
                    "question_id": result.question_id,
                    "group": group,
                    "comments": members.height,
                    "commonest_words": ", ".join(commonest),
                }
            )
            examples.append(
                members.sort("_distance", "response_id")
                .head(GROUP_EXAMPLES)
                .select(
                    pl.lit(result.question_id).alias("question_id"),
                    pl.lit(group).alias("group"),
                    "response_id",
                    shown(pl.col("text")).alias("comment"),
                )
            )
    group_schema = {
        "question_id": pl.String,
        "group": pl.Int64,
        "comments": pl.Int64,
        "commonest_words": pl.String,
    }
    example_schema = {
        "question_id": pl.String,
        "group": pl.Int64,
        "response_id": pl.String,
        "comment": pl.String,
    }
    return (
        pl.DataFrame(groups, schema=group_schema),
        pl.concat([pl.DataFrame(schema=example_schema), *examples], how="vertical_relaxed"),
    )


def review_draft(summary: Summary) -> pl.DataFrame:
    """``response_id, question_id, theme, confidence, accept``: every suggestion, theme by
    theme and most confident first, with ``accept`` left blank for the analyst."""
    return all_suggestions(summary).select(
        "response_id",
        "question_id",
        "theme",
        pl.col("confidence").round(4),
        pl.lit(None, dtype=pl.String).alias("accept"),
    )


def write_review_draft(summary: Summary, root: Path | None = None) -> Path:
    """``data/clean/<consultation>/coding_review_draft.csv``, atomically (never data/raw)."""
    path = clean_dir(summary.consultation, root) / DRAFT_FILE
    write_text_atomic(path, review_draft(summary).write_csv(float_precision=4))
    return path
