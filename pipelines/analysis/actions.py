"""What was done: the "you said, we did" log, its progress and how long people waited."""

from __future__ import annotations

import polars as pl

from pipelines.analysis.aggregates import tallies
from pipelines.analysis.participation import share
from pipelines.contract import ACTION_STATUSES
from pipelines.store.clean_data import CleanData


def actions_by_status(data: CleanData) -> pl.DataFrame:
    """``status, actions, percent``: the area's actions by status (every status listed)."""
    counts = (
        data.actions.group_by(pl.col("status").cast(pl.String))
        .agg(pl.len().cast(pl.Int64).alias("actions"))
        .collect()
    )
    return (
        pl.DataFrame({"status": list(ACTION_STATUSES)})
        .join(counts, on="status", how="left")
        .with_columns(pl.col("actions").fill_null(0))
        .with_columns(share("actions").alias("percent"))
    )


def actions_by_theme(data: CleanData) -> pl.DataFrame:
    """``theme, actions, done``: actions per theme and how many are done, most first."""
    return (
        data.actions.group_by("theme")
        .agg(
            pl.len().cast(pl.Int64).alias("actions"),
            (pl.col("status").cast(pl.String) == "done").sum().cast(pl.Int64).alias("done"),
        )
        .sort(["actions", "theme"], descending=[True, False])
        .collect()
    )


def you_said_we_did(data: CleanData) -> pl.DataFrame:
    """``region, theme, you_said, we_did, status, owner, due, feedback_given``: the log, by due date."""
    return (
        data.actions.select(
            pl.col("region").cast(pl.String),
            "theme",
            "you_said",
            "we_did",
            pl.col("status").cast(pl.String),
            "owner",
            "due",
            "feedback_given",
        )
        .sort("due", "theme", nulls_last=True)
        .collect()
    )


def feedback_lag(data: CleanData) -> pl.DataFrame:
    """``told, not_yet_told, median_days, within_30_days``: how long people waited to hear back.

    Lag = feedback_given − due, in days (negative when people were told before the due date),
    over actions with both dates. not_yet_told counts actions with no feedback date.
    """
    lag = (pl.col("feedback_given") - pl.col("due")).dt.total_days()
    return data.actions.select(
        pl.col("feedback_given").is_not_null().sum().cast(pl.Int64).alias("told"),
        pl.col("feedback_given").is_null().sum().cast(pl.Int64).alias("not_yet_told"),
        lag.median().alias("median_days"),
        (lag <= 30).sum().cast(pl.Int64).alias("within_30_days"),
    ).collect()


def themes_without_action(data: CleanData) -> pl.DataFrame:
    """``theme, count``: themes people raised (in coded comments) that no action addresses."""
    acted = data.actions.select(pl.col("theme").str.to_lowercase().alias("_key")).unique().collect()
    return (
        tallies(data)["respondents_by_theme"]
        .group_by("theme")
        .agg(pl.col("respondents").sum().alias("count"))
        .with_columns(pl.col("theme").str.to_lowercase().alias("_key"))
        .join(acted, on="_key", how="anti")
        .sort(["count", "theme"], descending=[True, False])
        .drop("_key")
    )
