"""Who is missing: the respondent profile against the population, with Wilson intervals."""

from __future__ import annotations

import polars as pl

from pipelines.analysis.aggregates import tallies
from pipelines.fields import PREFER_NOT_TO_SAY, field_codes
from pipelines.store.clean_data import CleanData

Z95 = 1.959964
UNDER_RATIO = 0.8
OVER_RATIO = 1.25
NOT_ANSWERED = "not_answered"


def wilson_interval(successes: pl.Expr, trials: pl.Expr, z: float = Z95) -> tuple[pl.Expr, pl.Expr]:
    """The Wilson score interval of a proportion (low, high), each 0–1; null where trials is 0."""
    p = successes / trials
    z2n = z * z / trials
    centre = (p + z2n / 2) / (1 + z2n)
    half = z * ((p * (1 - p) / trials) + z2n / (4 * trials)).sqrt() / (1 + z2n)
    valid = trials > 0
    return (
        pl.when(valid).then((centre - half).clip(0, 1)),
        pl.when(valid).then((centre + half).clip(0, 1)),
    )


def area_population(data: CleanData, dimension: str) -> pl.DataFrame:
    """``category, population`` for the report's area (summed over regions for the whole)."""
    rows = data.population.filter(pl.col("dimension") == dimension)
    area = data.area
    if area.locality:
        rows = rows.filter(
            (pl.col("region") == area.region) & (pl.col("locality") == area.locality)
        )
    elif area.region:
        rows = rows.filter((pl.col("region") == area.region) & pl.col("locality").is_null())
    else:
        rows = rows.filter(pl.col("locality").is_null())
    return rows.group_by("category").agg(pl.col("population").sum())


def representation(data: CleanData, dimension: str) -> pl.DataFrame:
    """``category, respondents, respondent_share, population_share, ratio, ci_low, ci_high, flag``.

    respondent_share: the category's respondents over respondents who gave a category (not
    blank, not prefer-not-to-say). population_share: its population over the area's
    population for the dimension. ratio = respondent_share / population_share; ci_low/ci_high:
    the 95% Wilson interval of respondent_share, each divided by population_share. flag:
    ``under`` where ratio < 0.8 and ci_high < 1, ``over`` where ratio > 1.25 and ci_low > 1.
    Prefer-not-to-say and not-answered are two extra rows, counted but outside every share.
    Where the area has no population for the dimension, the population columns are null.
    """
    codes = list(field_codes(dimension, data.consultation.categories))
    counts = _respondents(data, dimension)
    frame = (
        _categories(codes)
        .join(counts, on="category", how="left")
        .with_columns(pl.col("respondents").fill_null(0))
    )
    frame = frame.join(area_population(data, dimension), on="category", how="left")
    return _compare(frame, codes).sort("_order").select(*COLUMNS)


def representation_by_region(data: CleanData, dimension: str) -> pl.DataFrame:
    """``region`` and :func:`representation`'s columns for every region of the reference
    geography (in its order), in one pass over the data: each region's rows are what
    :func:`representation` gives for that region (the overview's side-by-side table)."""
    codes = list(field_codes(dimension, data.consultation.categories))
    regions = data.regions.select("region").unique(maintain_order=True).with_row_index("_region")
    counts = _respondents(data, dimension, "region")
    population = (
        data.population.filter((pl.col("dimension") == dimension) & pl.col("locality").is_null())
        .group_by("region", "category")
        .agg(pl.col("population").sum())
    )
    frame = (
        regions.join(_categories(codes), how="cross")
        .join(counts, on=["region", "category"], how="left")
        .with_columns(pl.col("respondents").fill_null(0))
        .join(population, on=["region", "category"], how="left")
    )
    # each region compared on its own, as representation() compares one area: the counting
    # above is the costly part; this keeps every share and ratio to the last bit
    regions_compared = [_compare(part, codes) for part in frame.partition_by("_region")]
    return pl.concat(regions_compared).sort("_region", "_order").select("region", *COLUMNS)


COLUMNS: tuple[str, ...] = (
    "category",
    "respondents",
    "respondent_share",
    "population_share",
    "ratio",
    "ci_low",
    "ci_high",
    "flag",
)


def _respondents(data: CleanData, dimension: str, *by: str) -> pl.DataFrame:
    """``*by, category, respondents``: the area's respondents in each category of
    ``dimension`` (not answered as :data:`NOT_ANSWERED`), categories with none left out."""
    return (
        tallies(data)["responses_by_field"]
        .filter(pl.col("field") == dimension)
        .group_by(*by, pl.col("category").fill_null(NOT_ANSWERED))
        .agg(pl.col("responses").sum().alias("respondents"))
    )


def _categories(codes: list[str]) -> pl.DataFrame:
    """The dimension's categories in order, then prefer-not-to-say and not-answered."""
    return pl.DataFrame({"category": [*codes, PREFER_NOT_TO_SAY, NOT_ANSWERED]}).with_row_index(
        "_order"
    )


def _compare(frame: pl.DataFrame, codes: list[str]) -> pl.DataFrame:
    """Shares, ratio, interval and flag from one area's ``category, respondents, population``.

    A category with no population row (a consultation's own ``categories`` the population
    does not describe) is profiled without a comparison; the others are compared among
    themselves: their respondents over the respondents of categories that have a
    population (the same as ``respondent_share`` where every category has one).
    """
    stated = pl.col("category").is_in(codes)
    compared = stated & pl.col("population").is_not_null()
    base = pl.col("respondents").filter(stated).sum()
    compared_base = pl.col("respondents").filter(compared).sum()
    pop_total = pl.col("population").filter(stated).sum()
    frame = frame.with_columns(
        pl.when(stated & (base > 0)).then(pl.col("respondents") / base).alias("respondent_share"),
        pl.when(stated & (pop_total > 0) & pl.col("population").is_not_null())
        .then(pl.col("population") / pop_total)
        .alias("population_share"),
        pl.when(compared).then(compared_base).alias("_base"),
    )
    low, high = wilson_interval(pl.col("respondents"), pl.col("_base"))
    has_pop = (pl.col("population_share") > 0) & (pl.col("_base") > 0)
    frame = frame.with_columns(
        pl.when(has_pop)
        .then(pl.col("respondents") / pl.col("_base") / pl.col("population_share"))
        .alias("ratio"),
        pl.when(has_pop).then(low / pl.col("population_share")).alias("ci_low"),
        pl.when(has_pop).then(high / pl.col("population_share")).alias("ci_high"),
    )
    return frame.with_columns(flag_expr())


def flag_expr() -> pl.Expr:
    """``under`` where ratio < 0.8 and ci_high < 1; ``over`` where ratio > 1.25 and ci_low > 1."""
    return (
        pl.when((pl.col("ratio") < UNDER_RATIO) & (pl.col("ci_high") < 1))
        .then(pl.lit("under"))
        .when((pl.col("ratio") > OVER_RATIO) & (pl.col("ci_low") > 1))
        .then(pl.lit("over"))
        .otherwise(pl.lit(""))
        .alias("flag")
    )


def has_population(data: CleanData, dimension: str) -> bool:
    """Whether population figures exist for ``dimension``'s categories (the consultation's
    own, where it gives ``categories``) in the report's area."""
    codes = list(field_codes(dimension, data.consultation.categories))
    return area_population(data, dimension).filter(pl.col("category").is_in(codes)).height > 0
