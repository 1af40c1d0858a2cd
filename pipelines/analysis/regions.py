"""The overview's regions side by side: every region's figures in one pass over the data."""

from __future__ import annotations

import polars as pl

from pipelines.analysis.aggregates import tallies
from pipelines.analysis.representation import compared_codes, representation_by_region
from pipelines.fields import MONITORING_FIELDS
from pipelines.store.clean_data import CleanData


def region_figures(data: CleanData) -> pl.DataFrame:
    """``region, responses, groups, attendees, actions_done``: one row per region of the
    reference geography, in its order (0 where a region has none).

    groups: stakeholder groups heard from (distinct groups among the region's responses);
    attendees: people at the region's events; actions_done: its actions whose status is done.
    """
    regions = data.regions.select("region").unique(maintain_order=True)
    region = pl.col("region").cast(pl.String)
    responses = (
        tallies(data)["responses_by_group"]
        .group_by("region")
        .agg(
            pl.col("responses").sum(),
            pl.col("group").n_unique().cast(pl.Int64).alias("groups"),
        )
    )
    attendees, done = pl.collect_all(
        [
            data.attendance.join(data.events.select("event_id", region).unique(), on="event_id")
            .group_by("region")
            .agg(pl.col("attendees").sum().cast(pl.Int64)),
            data.actions.filter(pl.col("status").cast(pl.String) == "done")
            .group_by(region)
            .agg(pl.len().cast(pl.Int64).alias("actions_done")),
        ]
    )
    figures = ("responses", "groups", "attendees", "actions_done")
    return (
        regions.join(responses, on="region", how="left", maintain_order="left")
        .join(attendees, on="region", how="left", maintain_order="left")
        .join(done, on="region", how="left", maintain_order="left")
        .with_columns(pl.col(c).fill_null(0) for c in figures)
        .select("region", *figures)
    )


def under_represented_by_region(data: CleanData) -> pl.DataFrame:
    """``region, dimension, category, ratio, respondents``: every category that
    :func:`~pipelines.analysis.representation.representation` flags under-represented in its
    region, over the monitoring dimensions."""
    return pl.concat(
        [
            representation_by_region(data, dimension)
            .filter(pl.col("flag") == "under")
            .select(
                "region",
                pl.lit(dimension).alias("dimension"),
                "category",
                "ratio",
                "respondents",
            )
            for dimension in MONITORING_FIELDS
        ]
    )


#: Responses are compared between regions per this many people.
PER_HEAD = 10_000


def region_population(data: CleanData) -> pl.DataFrame:
    """``region, population``: each region's population, for comparing regions per head.

    From the first monitoring field with population figures (age first), summed over its
    compared categories (:func:`~pipelines.analysis.representation.compared_codes`): with
    ``population_ages``, the people of the ages the consultation was for. Regions without
    figures are left out (empty where the consultation has no population at all).
    """
    rows = data.population.filter(pl.col("locality").is_null())
    for dimension in MONITORING_FIELDS:
        codes = compared_codes(data, dimension)
        chosen = rows.filter((pl.col("dimension") == dimension) & pl.col("category").is_in(codes))
        if chosen.height:
            return chosen.group_by("region", maintain_order=True).agg(
                pl.col("population").sum().cast(pl.Int64)
            )
    return pl.DataFrame(schema={"region": pl.String, "population": pl.Int64})


def per_head(figures: pl.DataFrame, population: pl.DataFrame) -> pl.DataFrame:
    """``figures`` (``region, responses, ...``) with ``population`` and
    ``responses_per_10k`` (responses per 10,000 people; null without a population)."""
    return figures.join(population, on="region", how="left", maintain_order="left").with_columns(
        pl.when(pl.col("population") > 0)
        .then(pl.col("responses") / pl.col("population") * PER_HEAD)
        .alias("responses_per_10k")
    )
