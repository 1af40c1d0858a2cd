"""A column of years (``columns: {age: ...}``) read as an age and banded into ``age_band``.

The bands are the age band codes themselves (``under_18``, ``18_24`` ... ``85_plus``, or a
consultation's own ``categories.age_band``), read as bounds by
:func:`pipelines.fields.age_bands`: nothing about them is written down twice. Nothing here
decides validity: an age that is not a whole number in a band is kept as written in
``age`` (and ``age_band`` left blank) so that the rule ``age_in_range`` can name it.
"""

from __future__ import annotations

import polars as pl

from pipelines.consultation import Consultation
from pipelines.errors import InputError
from pipelines.fields import (
    AGE_FIELD,
    PREFER_NOT_TO_SAY,
    AgeBand,
    age_bands,
    field_codes,
)
from pipelines.ingest.mapping import field_lookup, normalised

#: A whole number of years as exports write it: digits, perhaps with a zero fraction
#: (``42``, ``42.0`` from a spreadsheet); at most three digits.
WHOLE_YEARS = r"^(\d{1,3})(?:\.0+)?$"


def consultation_bands(consultation: Consultation) -> tuple[AgeBand, ...]:
    """The age bands ages fall into: ``age_band``'s codes for this consultation, read as
    bounds; a code of ``categories.age_band`` that names no ages is an InputError."""
    codes = field_codes("age_band", consultation.categories)
    try:
        return age_bands(codes)
    except ValueError as error:
        raise InputError(
            f"consultation.yml categories.age_band: {error}, so that ages from the column "
            f"{consultation.columns[AGE_FIELD]!r} (columns.age) can be banded into it"
        ) from error


def accepted_ages(bands: tuple[AgeBand, ...]) -> list[str]:
    """What ``age`` may hold once read: every whole year some band holds, and
    ``prefer_not_to_say`` (the value set of the rule ``age_in_range``)."""
    years = sorted({year for band in bands for year in range(band.low, band.high + 1)})
    return [*(str(year) for year in years), PREFER_NOT_TO_SAY]


def age_columns(consultation: Consultation) -> list[pl.Expr]:
    """``age`` (a whole number of years as digits, ``prefer_not_to_say``, or else the answer
    as written) and ``age_band`` (its band, or blank), from the ``age`` column of years."""
    bands = consultation_bands(consultation)
    declined = [
        spelling
        for spelling, code in field_lookup("age_band", consultation).items()
        if code == PREFER_NOT_TO_SAY
    ]
    text = pl.col(AGE_FIELD).str.strip_chars()
    years = text.str.extract(WHOLE_YEARS).cast(pl.Int64)
    declines = normalised(text).is_in(declined)
    band: pl.Expr = pl.when(declines).then(pl.lit(PREFER_NOT_TO_SAY))
    for each in bands:
        band = band.when(years.is_between(each.low, each.high)).then(pl.lit(each.code))
    age = (
        pl.when(declines)
        .then(pl.lit(PREFER_NOT_TO_SAY))
        .when(years.is_not_null())
        .then(years.cast(pl.String))
        .otherwise(text)
    )
    return [age.alias(AGE_FIELD), band.otherwise(pl.lit(None, pl.String)).alias("age_band")]


#: Ages that are a survey tool's answer codes, not years (Qualtrics' "numeric values", an
#: SPSS export): at least :data:`CODES_AFTER` whole numbers, none over :data:`CODE_MAX`,
#: and some at or under :data:`CODE_MIN` (no one aged 2 answers a consultation).
CODES_AFTER = 20
CODE_MAX = 12
CODE_MIN = 2


def check_ages_are_years(values: pl.LazyFrame, consultation: Consultation, source: str) -> None:
    """Stop (InputError, exit 2) where ``columns.age`` (``values``: its column as written,
    every batch, read in one streaming pass) holds answer codes, not years: banded as
    years, every respondent would be under 18, without a word."""
    if AGE_FIELD not in consultation.columns:
        return
    years = pl.col(AGE_FIELD).cast(pl.String).str.strip_chars().str.extract(WHOLE_YEARS)
    years = years.cast(pl.Int32)
    found = values.select(
        years.count().alias("answers"), years.min().alias("low"), years.max().alias("high")
    ).collect(engine="streaming")
    answers, low, high = found.row(0)
    if answers < CODES_AFTER or high is None or high > CODE_MAX or low > CODE_MIN:
        return
    column = consultation.columns[AGE_FIELD]
    raise InputError(
        f"{source}: column {column!r} (columns.age) holds only whole numbers from {low} to "
        f"{high} ({answers:,} answers): they look like the survey tool's answer codes, not "
        "years, and read as years every respondent would be under 18. Map the column as "
        "age_band instead and give each code its band under `values: age_band:` (e.g. "
        '"1": 18_24), or export the answers as text (Qualtrics: "Use choice text").'
    )
