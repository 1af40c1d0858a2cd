"""The geography (regions and their localities) and the population to compare with."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

import polars as pl

from pipelines.errors import InputError
from pipelines.paths import reference_dir
from pipelines.textnorm import strip_invisible

POPULATION_SCHEMA = {
    "region": pl.String,
    "locality": pl.String,
    "dimension": pl.String,
    "category": pl.String,
    "population": pl.Int64,
}


#: File names the runner writes beside the reports (``index.html``, ``overview.html``,
#: ``manifest.json``) or folders it keeps there: a region's page never takes one.
RESERVED_SLUGS = frozenset(
    {"index", "overview", "manifest", "executed", "tables", "exports", "about"}
)
#: The suffix of a report's Easy Read page (``<slug>-easy-read.html``): a region whose own
#: name ends so would overwrite another region's Easy Read page.
EASY_READ_SUFFIX = "-easy-read"
#: Longest slug kept as written; a longer one is cut and made unique by its hash.
MAX_SLUG_CHARS = 60
#: Letters NFKD leaves whole that have a usual ASCII spelling.
_LETTERS = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l",
                          "þ": "th", "ı": "i", "ŋ": "ng"})  # fmt: skip


def slugify(name: str) -> str:
    """A display name as a file name: "Yorkshire and The Humber" -> ``yorkshire-and-the-humber``.

    ASCII letters, digits and single hyphens only, never empty, never starting with ``.``:
    invisible characters are dropped, accents come off ("Île-de-France" -> ``ile-de-france``),
    and a name with letters no ASCII spelling covers ("東京", "Ῥόδος"), a name with nothing to
    spell, or one longer than :data:`MAX_SLUG_CHARS`, gets the first 8 hex digits of its
    SHA-256 added (``area-3f0c1a2b``, ``greater-9d1e77c0``): stable from run to run, and
    different for names that differ.
    """
    shown = unicodedata.normalize("NFC", strip_invisible(name).strip())
    letters = unicodedata.normalize("NFKD", shown).casefold().translate(_LETTERS)
    letters = "".join(c for c in letters if not unicodedata.combining(c))
    slug = re.sub(r"[^a-z0-9]+", "-", letters).strip("-")
    unspelt = any(c.isalnum() and not c.isascii() for c in letters)
    if slug and not unspelt and len(slug) <= MAX_SLUG_CHARS:
        return slug
    digest = hashlib.sha256(shown.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug[:MAX_SLUG_CHARS].rstrip('-') or 'area'}-{digest}"


def region_slug(name: str) -> str:
    """A region's file name (``<slug>.html``, ``<slug>/tables/``): :func:`slugify`, with
    ``region-`` before a name the runner keeps for itself ("Index" -> ``region-index``), and
    ``-area`` after one that would read as another report's Easy Read page."""
    slug = slugify(name)
    if slug.endswith(EASY_READ_SUFFIX):  # "North West Easy Read" -> north-west-easy-read-area
        return f"{slug}-area"
    return f"region-{slug}" if slug in RESERVED_SLUGS else slug


def check_distinct_slugs(frame: pl.DataFrame, path: Path) -> None:
    """InputError where two regions would share a file name ("Beta" and "BETA!")."""
    names = frame.select("region", "region_slug").unique(maintain_order=True)
    clashes = names.filter(pl.col("region_slug").is_duplicated())
    if clashes.height:
        slug = clashes["region_slug"][0]
        both = [r for r, s in clashes.iter_rows() if s == slug]
        raise InputError(
            f"{path}: the regions {' and '.join(map(repr, both))} would share the report "
            f"file {slug}.html: give them names that differ in their letters or digits "
            "(or use one name for both)"
        )


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
        _display_name("region"), _display_name("locality").replace("", None)
    ).filter(pl.col("region").is_not_null() & (pl.col("region") != ""))
    frame = frame.with_columns(
        pl.col("region").map_elements(region_slug, return_dtype=pl.String).alias("region_slug")
    )
    check_distinct_slugs(frame, path)
    return frame


def _display_name(column: str) -> pl.Expr:
    """A name as shown: zero-width, bidirectional and other invisible characters removed."""
    return pl.col(column).map_elements(strip_invisible, return_dtype=pl.String).str.strip_chars()


def population_file(consultation_dir: Path | None, root: Path | None) -> Path | None:
    """The population.csv that describes the consultation's geography: its own, else the
    shared one, but none where it has its own regions.csv and no population.csv of its own
    (the shared population describes the shared geography only)."""
    if consultation_dir is not None and (consultation_dir / "population.csv").is_file():
        return consultation_dir / "population.csv"
    if consultation_dir is not None and (consultation_dir / "regions.csv").is_file():
        return None
    return reference_dir(root) / "population.csv"


def load_population(consultation_dir: Path | None = None, root: Path | None = None) -> pl.DataFrame:
    """Population rows (``region, locality, dimension, category, population``), or none: a
    consultation with its own regions.csv and no population.csv has none."""
    path = population_file(consultation_dir, root)
    if path is None or not path.is_file():
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
        if name in (region, slug) or region_slug(name) == slug or slugify(name) == slug:
            return region
    choices = ", ".join(names["region_slug"].to_list())
    raise InputError(f"Unknown region {name!r}: choose one of {choices}")
