"""Who is missing: the respondent profile against the population, with Wilson intervals."""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from pipelines.analysis.aggregates import tallies
from pipelines.fields import PREFER_NOT_TO_SAY, field_codes
from pipelines.store.clean_data import CleanData

Z95 = 1.959964
UNDER_RATIO = 0.8
OVER_RATIO = 1.25
NOT_ANSWERED = "not_answered"
#: The age bands outside ``population_ages``, counted together in one row kept apart.
OTHER_AGES = "other_ages"


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
    Prefer-not-to-say and not-answered are two extra rows, counted but outside every share;
    so, where ``population_ages`` leaves age bands out of the comparison, is
    :data:`OTHER_AGES` (their respondents together), before them.
    Where the area has no population for the dimension, the population columns are null.
    """
    codes = compared_codes(data, dimension)
    counts = _respondents(data, dimension, left_out=left_out_codes(data, dimension))
    frame = (
        _categories(codes, bool(left_out_codes(data, dimension)))
        .join(counts, on="category", how="left")
        .with_columns(pl.col("respondents").fill_null(0))
    )
    frame = frame.join(area_population(data, dimension), on="category", how="left")
    return _compare(frame, codes).sort("_order").select(*COLUMNS)


def representation_by_region(data: CleanData, dimension: str) -> pl.DataFrame:
    """``region`` and :func:`representation`'s columns for every region of the reference
    geography (in its order), in one pass over the data: each region's rows are what
    :func:`representation` gives for that region (the overview's side-by-side table)."""
    codes = compared_codes(data, dimension)
    regions = data.regions.select("region").unique(maintain_order=True).with_row_index("_region")
    left_out = left_out_codes(data, dimension)
    counts = _respondents(data, dimension, "region", left_out=left_out)
    population = (
        data.population.filter((pl.col("dimension") == dimension) & pl.col("locality").is_null())
        .group_by("region", "category")
        .agg(pl.col("population").sum())
    )
    frame = (
        regions.join(_categories(codes, bool(left_out)), how="cross")
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


def _respondents(
    data: CleanData, dimension: str, *by: str, left_out: Sequence[str] = ()
) -> pl.DataFrame:
    """``*by, category, respondents``: the area's respondents in each category of
    ``dimension`` (not answered as :data:`NOT_ANSWERED`, the ``left_out`` age bands together
    as :data:`OTHER_AGES`), categories with none left out."""
    category = pl.col("category").fill_null(NOT_ANSWERED)
    if left_out:
        category = (
            pl.when(category.is_in(list(left_out))).then(pl.lit(OTHER_AGES)).otherwise(category)
        )
    return (
        tallies(data)["responses_by_field"]
        .filter(pl.col("field") == dimension)
        .group_by(*by, category.alias("category"))
        .agg(pl.col("responses").sum().alias("respondents"))
    )


def _categories(codes: list[str], other_ages: bool = False) -> pl.DataFrame:
    """The dimension's compared categories in order, then (with ``other_ages``) the age
    bands left out together, prefer-not-to-say and not-answered."""
    apart = [OTHER_AGES] if other_ages else []
    return pl.DataFrame(
        {"category": [*codes, *apart, PREFER_NOT_TO_SAY, NOT_ANSWERED]}
    ).with_row_index("_order")


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


def compared_codes(data: CleanData, dimension: str) -> list[str]:
    """The categories of ``dimension`` a representation table compares, in order: the
    consultation's own where it gives ``categories``; for ``age_band``, only the bands in
    ``population_ages`` where it gives them (the ages the consultation was for). Other
    bands are left out on both sides: their respondents are in no share and their
    population in no population share."""
    codes = list(field_codes(dimension, data.consultation.categories))
    ages = data.consultation.population_ages
    if dimension == "age_band" and ages:
        codes = [code for code in codes if code in ages]
    return codes


def left_out_codes(data: CleanData, dimension: str) -> list[str]:
    """The age bands outside ``population_ages`` (none for any other dimension, or where
    the consultation does not give them)."""
    codes = list(field_codes(dimension, data.consultation.categories))
    return [code for code in codes if code not in compared_codes(data, dimension)]


def has_population(data: CleanData, dimension: str) -> bool:
    """Whether population figures exist for ``dimension``'s compared categories
    (:func:`compared_codes`) in the report's area."""
    codes = compared_codes(data, dimension)
    return area_population(data, dimension).filter(pl.col("category").is_in(codes)).height > 0
