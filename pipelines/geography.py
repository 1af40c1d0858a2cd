"""The geography (regions and their localities) and the population to compare with."""

from __future__ import annotations

import re
from pathlib import Path

import polars as pl

from pipelines.errors import InputError
from pipelines.paths import reference_dir

POPULATION_SCHEMA = {
    "region": pl.String,
    "locality": pl.String,
    "dimension": pl.String,
    "category": pl.String,
    "population": pl.Int64,
}


def slugify(name: str) -> str:
    """A display name as a slug: "Yorkshire and The Humber" -> ``yorkshire-and-the-humber``."""
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def reference_file(name: str, consultation_dir: Path | None, root: Path | None) -> Path:
    """A consultation folder's own reference file, else the shared one."""
    if consultation_dir is not None and (consultation_dir / name).is_file():
        return consultation_dir / name
    return reference_dir(root) / name


def load_regions(consultation_dir: Path | None = None, root: Path | None = None) -> pl.DataFrame:
    """``region, locality, region_slug`` rows; a region with no localities has a null locality."""
    path = reference_file("regions.csv", consultation_dir, root)
    if not path.is_file():
        raise InputError(f"{path} is missing: the geography needs a regions.csv (region,locality)")
    frame = pl.read_csv(path, infer_schema=False, comment_prefix="#")
    missing = {"region", "locality"} - set(frame.columns)
    if missing:
        raise InputError(f"{path} needs the columns region and locality (missing: {missing})")
    frame = frame.select(
        pl.col("region").str.strip_chars(),
        pl.col("locality").str.strip_chars().replace("", None),
    ).filter(pl.col("region").is_not_null() & (pl.col("region") != ""))
    return frame.with_columns(
        pl.col("region").map_elements(slugify, return_dtype=pl.String).alias("region_slug")
    )


def load_population(consultation_dir: Path | None = None, root: Path | None = None) -> pl.DataFrame:
    """Population rows (``region, locality, dimension, category, population``), or none."""
    path = reference_file("population.csv", consultation_dir, root)
    if not path.is_file():
        return pl.DataFrame(schema=POPULATION_SCHEMA)
    frame = pl.read_csv(path, infer_schema=False, comment_prefix="#")
    missing = set(POPULATION_SCHEMA) - set(frame.columns)
    if missing:
        raise InputError(f"{path} needs the columns {', '.join(POPULATION_SCHEMA)}")
    try:
        return frame.select(
            pl.col("region").str.strip_chars(),
            pl.col("locality").str.strip_chars().replace("", None),
            pl.col("dimension").str.strip_chars(),
            pl.col("category").str.strip_chars(),
            pl.col("population").str.strip_chars().cast(pl.Int64),
        )
    except pl.exceptions.InvalidOperationError as error:
        raise InputError(f"{path}: population must be whole numbers ({error})") from error


def resolve_region(name: str, regions: pl.DataFrame) -> str:
    """A region's display name from its name or slug, or an InputError listing the choices."""
    names = regions.select("region", "region_slug").unique(maintain_order=True)
    for region, slug in names.iter_rows():
        if name in (region, slug) or slugify(name) == slug:
            return region
    choices = ", ".join(names["region_slug"].to_list())
    raise InputError(f"Unknown region {name!r}: choose one of {choices}")
