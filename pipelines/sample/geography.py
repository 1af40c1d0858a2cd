"""The reference geography (regions.csv) and an illustrative population (population.csv).

Localities are real English council areas; every population figure is ILLUSTRATIVE: shaped
like the ONS Census 2021 (older rural and coastal areas, younger and more diverse cities)
but not the published numbers. Substitute the Census tables named in ``SOURCE_NOTE``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import polars as pl

from pipelines.sample.settings import stream

AGE_BANDS = ["under_18", "18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_84", "85_plus"]
SEXES = ["female", "male"]
ETHNIC_GROUPS = ["white", "mixed", "asian", "black", "other"]
DISABILITY = ["yes", "no"]
IMD_QUINTILES = ["1", "2", "3", "4", "5"]

#: Age structure by kind of place (shares of AGE_BANDS).
AGE_PROFILES: dict[str, list[float]] = {
    "inner_city": [0.19, 0.11, 0.23, 0.17, 0.12, 0.08, 0.05, 0.035, 0.015],
    "city": [0.21, 0.12, 0.17, 0.13, 0.12, 0.11, 0.07, 0.045, 0.02],
    "town": [0.21, 0.08, 0.13, 0.12, 0.13, 0.13, 0.11, 0.06, 0.025],
    "rural": [0.18, 0.07, 0.10, 0.11, 0.13, 0.15, 0.13, 0.09, 0.04],
    "coastal": [0.16, 0.06, 0.09, 0.10, 0.12, 0.16, 0.15, 0.11, 0.05],
}

#: Ethnic make-up by kind of place (shares of ETHNIC_GROUPS).
ETHNIC_PROFILES: dict[str, list[float]] = {
    "white_majority": [0.955, 0.015, 0.015, 0.005, 0.01],
    "mostly_white": [0.88, 0.025, 0.06, 0.02, 0.015],
    "mixed": [0.76, 0.035, 0.12, 0.055, 0.03],
    "diverse": [0.55, 0.04, 0.29, 0.08, 0.04],
    "london": [0.50, 0.065, 0.17, 0.17, 0.095],
}


@dataclass(frozen=True)
class Place:
    """A locality of the reference geography and the shape of its population."""

    region: str
    locality: str
    thousands: float
    age_profile: str
    ethnic_profile: str
    disabled_share: float


PLACES: tuple[Place, ...] = (
    Place("North East", "County Durham", 522, "town", "white_majority", 0.23),
    Place("North East", "Newcastle upon Tyne", 300, "city", "mixed", 0.19),
    Place("North East", "Northumberland", 320, "rural", "white_majority", 0.22),
    Place("North East", "Sunderland", 274, "town", "mostly_white", 0.22),
    Place("North East", "Gateshead", 196, "town", "mostly_white", 0.21),
    Place("North East", "Hartlepool", 92, "town", "white_majority", 0.23),
    Place("North West", "Cumberland", 275, "rural", "white_majority", 0.21),
    Place("North West", "Lancashire", 1235, "town", "mostly_white", 0.20),
    Place("North West", "Manchester", 552, "inner_city", "diverse", 0.18),
    Place("North West", "Liverpool", 486, "city", "mixed", 0.22),
    Place("North West", "Cheshire East", 398, "rural", "white_majority", 0.17),
    Place("North West", "Blackpool", 141, "coastal", "white_majority", 0.26),
    Place("Yorkshire and The Humber", "Leeds", 812, "city", "mixed", 0.18),
    Place("Yorkshire and The Humber", "Sheffield", 556, "city", "mixed", 0.19),
    Place("Yorkshire and The Humber", "Bradford", 546, "city", "diverse", 0.18),
    Place("Yorkshire and The Humber", "North Yorkshire", 615, "rural", "white_majority", 0.17),
    Place("Yorkshire and The Humber", "Kingston upon Hull", 267, "town", "mostly_white", 0.21),
    Place("Yorkshire and The Humber", "York", 202, "city", "mostly_white", 0.17),
    Place("East Midlands", "Derbyshire", 795, "town", "white_majority", 0.20),
    Place("East Midlands", "Nottinghamshire", 824, "town", "mostly_white", 0.19),
    Place("East Midlands", "Leicester", 368, "city", "diverse", 0.17),
    Place("East Midlands", "Lincolnshire", 768, "rural", "white_majority", 0.20),
    Place("East Midlands", "Rutland", 41, "rural", "white_majority", 0.15),
    Place("West Midlands", "Birmingham", 1145, "inner_city", "diverse", 0.18),
    Place("West Midlands", "Coventry", 345, "city", "mixed", 0.17),
    Place("West Midlands", "Shropshire", 323, "rural", "white_majority", 0.19),
    Place("West Midlands", "Staffordshire", 876, "town", "mostly_white", 0.19),
    Place("West Midlands", "Herefordshire", 187, "rural", "white_majority", 0.19),
    Place("East of England", "Norfolk", 916, "rural", "white_majority", 0.19),
    Place("East of England", "Suffolk", 760, "rural", "mostly_white", 0.18),
    Place("East of England", "Essex", 1503, "town", "mostly_white", 0.17),
    Place("East of England", "Cambridgeshire", 678, "town", "mostly_white", 0.15),
    Place("East of England", "Hertfordshire", 1198, "town", "mixed", 0.14),
    Place("East of England", "Luton", 225, "city", "diverse", 0.15),
    Place("London", "Camden", 210, "inner_city", "london", 0.15),
    Place("London", "Hackney", 259, "inner_city", "london", 0.15),
    Place("London", "Croydon", 391, "city", "london", 0.14),
    Place("London", "Barnet", 389, "city", "london", 0.13),
    Place("London", "Tower Hamlets", 310, "inner_city", "diverse", 0.14),
    Place("London", "City of London", 8.6, "inner_city", "london", 0.10),
    Place("South East", "Kent", 1577, "town", "mostly_white", 0.18),
    Place("South East", "Surrey", 1203, "town", "mostly_white", 0.14),
    Place("South East", "Brighton and Hove", 277, "city", "mostly_white", 0.18),
    Place("South East", "Oxfordshire", 725, "town", "mostly_white", 0.15),
    Place("South East", "Isle of Wight", 140, "coastal", "white_majority", 0.22),
    Place("South West", "Cornwall", 570, "coastal", "white_majority", 0.21),
    Place("South West", "Devon", 812, "rural", "white_majority", 0.19),
    Place("South West", "Bristol", 472, "city", "mixed", 0.17),
    Place("South West", "Somerset", 572, "rural", "white_majority", 0.19),
    Place("South West", "Isles of Scilly", 2.1, "coastal", "white_majority", 0.16),
)

#: IMD 2019 quintile shares (1 = most deprived) by region: regional level only.
IMD_BY_REGION: dict[str, list[float]] = {
    "North East": [0.31, 0.22, 0.18, 0.16, 0.13],
    "North West": [0.30, 0.20, 0.18, 0.16, 0.16],
    "Yorkshire and The Humber": [0.29, 0.20, 0.19, 0.16, 0.16],
    "East Midlands": [0.19, 0.20, 0.21, 0.20, 0.20],
    "West Midlands": [0.27, 0.21, 0.18, 0.17, 0.17],
    "East of England": [0.10, 0.17, 0.22, 0.24, 0.27],
    "London": [0.17, 0.29, 0.24, 0.17, 0.13],
    "South East": [0.08, 0.14, 0.21, 0.26, 0.31],
    "South West": [0.11, 0.19, 0.25, 0.24, 0.21],
}

SOURCE_NOTE = (
    "# ILLUSTRATIVE figures for the demo only, not published statistics. Substitute ONS Census"
    " 2021: TS007A (age by five-year bands), TS008 (sex), TS021 (ethnic group), TS038"
    " (disability); imd_quintile from MHCLG English Indices of Deprivation 2019 (LSOA"
    " quintiles weighted by population)."
)

DEFAULT_THOUSANDS = 300.0


def regions_frame() -> pl.DataFrame:
    """The reference geography: one row per locality, regions in the usual ONS order."""
    return pl.DataFrame(
        {"region": [p.region for p in PLACES], "locality": [p.locality for p in PLACES]}
    )


def place_lookup() -> dict[tuple[str, str], Place]:
    """Places by (region, locality)."""
    return {(p.region, p.locality): p for p in PLACES}


def _counts(total: float, shares: list[float], rng: np.random.Generator) -> list[int]:
    """Whole-person counts for the shares of a total, with a little noise so they look real."""
    noisy = np.asarray(shares) * rng.uniform(0.97, 1.03, size=len(shares))
    return [int(round(x)) for x in total * noisy / noisy.sum()]


def _place_rows(place: Place, rng: np.random.Generator) -> list[tuple[str, str, int]]:
    """(dimension, category, population) rows for one locality."""
    total = place.thousands * 1000
    female = rng.uniform(0.505, 0.516)
    shares = {
        "age_band": (AGE_BANDS, AGE_PROFILES[place.age_profile]),
        "sex": (SEXES, [female, 1 - female]),
        "ethnic_group": (ETHNIC_GROUPS, ETHNIC_PROFILES[place.ethnic_profile]),
        "disability": (DISABILITY, [place.disabled_share, 1 - place.disabled_share]),
    }
    rows: list[tuple[str, str, int]] = []
    for dimension, (categories, dimension_shares) in shares.items():
        counts = _counts(total, dimension_shares, rng)
        rows.extend((dimension, c, n) for c, n in zip(categories, counts, strict=True))
    return rows


def population_frame() -> pl.DataFrame:
    """population.csv's rows: regions (locality empty) first, then their localities.

    Region rows are the sums of their localities' rows for age, sex, ethnicity and
    disability; ``imd_quintile`` is given at region level only.
    """
    rng = stream(2021, "population")
    locality_rows: list[dict[str, object]] = []
    for place in PLACES:
        for dimension, category, n in _place_rows(place, rng):
            locality_rows.append(
                {
                    "region": place.region,
                    "locality": place.locality,
                    "dimension": dimension,
                    "category": category,
                    "population": n,
                }
            )
    localities = pl.DataFrame(locality_rows)
    regions = (
        localities.group_by(["region", "dimension", "category"], maintain_order=True)
        .agg(pl.col("population").sum())
        .with_columns(pl.lit("").alias("locality"))
    )
    imd = pl.DataFrame(
        [
            {
                "region": r,
                "locality": "",
                "dimension": "imd_quintile",
                "category": q,
                "population": n,
            }
            for r, shares in IMD_BY_REGION.items()
            for q, n in zip(
                IMD_QUINTILES,
                _counts(_region_total(localities, r), shares, rng),
                strict=True,
            )
        ]
    )
    order = {r: i for i, r in enumerate(IMD_BY_REGION)}
    columns = ["region", "locality", "dimension", "category", "population"]
    frames = []
    for region in order:
        frames.append(regions.filter(pl.col("region") == region).select(columns))
        frames.append(imd.filter(pl.col("region") == region).select(columns))
        frames.append(localities.filter(pl.col("region") == region).select(columns))
    return pl.concat(frames)


def _region_total(localities: pl.DataFrame, region: str) -> float:
    """A region's population: the sum of its localities' sex rows."""
    rows = localities.filter((pl.col("region") == region) & (pl.col("dimension") == "sex"))
    return float(rows["population"].sum())


README = """# Reference data

The geography and population the workbook compares respondents with. Both files are produced
by code (`pipelines.sample.write_reference`) and can be replaced by your own.

## regions.csv

`region,locality`: one row per locality. `region` is one of the nine English regions;
`locality` is a council area inside it (display names; every command also accepts their
slug, e.g. `north-west`). A region with no localities would have one row with an empty
locality.

## population.csv

`region,locality,dimension,category,population`

| column | meaning |
| --- | --- |
| `region` | a region of regions.csv |
| `locality` | a locality of that region; empty = the whole region |
| `dimension` | a standard monitoring field: `age_band`, `sex`, `ethnic_group`, `disability`, `imd_quintile` |
| `category` | its canonical code (`under_18` ... `85_plus`; `female`/`male`; `white`/`mixed`/`asian`/`black`/`other`; `yes`/`no`; `1` most deprived ... `5`) |
| `population` | number of people, a whole number |

The first line is a comment (starting `#`) that states the source; read the file with
`polars.read_csv(path, comment_prefix="#")`.

`age_band`, `sex`, `ethnic_group` and `disability` are given for every region and locality
(a region's figure is the sum of its localities'). `imd_quintile` is given **at region level
only**, so locality reports show deprivation without a population comparison.

## Source: illustrative figures

**The figures are ILLUSTRATIVE, made up for the demo: plausible in shape, not real.**
The localities are real council areas; their numbers are not the published ones. For real
use, substitute:

- ONS Census 2021 **TS007A** Age by five-year age bands (grouped into the bands above);
- ONS Census 2021 **TS008** Sex;
- ONS Census 2021 **TS021** Ethnic group (the five high-level groups);
- ONS Census 2021 **TS038** Disability (disabled under the Equality Act = `yes`);
- MHCLG **English Indices of Deprivation 2019**: LSOA IMD quintiles, weighted by LSOA
  population and summed to the region.
"""


LOCALITIES_PER_REGION = 3
AGE_KINDS = tuple(AGE_PROFILES)
ETHNIC_KINDS = tuple(ETHNIC_PROFILES)


def synthetic_places(regions: int) -> tuple[Place, ...]:
    """A made-up geography of ``regions`` regions ("Region 001") with a few localities each
    ("Locality 001-2"), their sizes and population shapes drawn from a fixed stream."""
    rng = stream(regions, "synthetic-geography")
    places = []
    for r in range(1, regions + 1):
        for k in range(1, LOCALITIES_PER_REGION + 1):
            places.append(
                Place(
                    region=f"Region {r:03d}",
                    locality=f"Locality {r:03d}-{k}",
                    thousands=float(rng.integers(40, 900)),
                    age_profile=AGE_KINDS[int(rng.integers(len(AGE_KINDS)))],
                    ethnic_profile=ETHNIC_KINDS[int(rng.integers(len(ETHNIC_KINDS)))],
                    disabled_share=float(rng.uniform(0.13, 0.24)),
                )
            )
    return tuple(places)


def places_frame(places: tuple[Place, ...]) -> pl.DataFrame:
    """regions.csv's rows for some places."""
    return pl.DataFrame(
        {"region": [p.region for p in places], "locality": [p.locality for p in places]}
    )


def synthetic_population(places: tuple[Place, ...]) -> pl.DataFrame:
    """population.csv's rows for a synthetic geography: regions (sums) then localities."""
    rng = stream(len(places), "synthetic-population")
    rows = [
        (p.region, p.locality, dimension, category, n)
        for p in places
        for dimension, category, n in _place_rows(p, rng)
    ]
    columns = ["region", "locality", "dimension", "category", "population"]
    localities = pl.DataFrame(rows, schema=columns, orient="row")
    regions = (
        localities.group_by(["region", "dimension", "category"], maintain_order=True)
        .agg(pl.col("population").sum())
        .with_columns(pl.lit(None, pl.String).alias("locality"))
        .select(columns)
    )
    return pl.concat([regions, localities]).sort("region", maintain_order=True)


def write_synthetic_geography(out_dir: Path, regions: int) -> pl.DataFrame:
    """A consultation's own regions.csv and population.csv for ``regions`` made-up regions."""
    places = synthetic_places(regions)
    frame = places_frame(places)
    frame.write_csv(out_dir / "regions.csv")
    body = synthetic_population(places).write_csv()
    note = "# SYNTHETIC geography and population made up by `workbook sample --regions`.\n"
    (out_dir / "population.csv").write_text(note + body, encoding="utf-8")
    return frame


def write_reference(out_dir: Path) -> Path:
    """Write regions.csv, population.csv (with its source comment) and README.md."""
    out_dir.mkdir(parents=True, exist_ok=True)
    regions_frame().write_csv(out_dir / "regions.csv")
    body = population_frame().with_columns(pl.col("locality").replace("", None)).write_csv()
    (out_dir / "population.csv").write_text(SOURCE_NOTE + "\n" + body, encoding="utf-8")
    (out_dir / "README.md").write_text(README, encoding="utf-8")
    return out_dir
