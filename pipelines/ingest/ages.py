"""A column of years (``columns: {age: ...}``) read as an age and banded into ``age_band``.

The bands are the age band codes themselves (``under_18``, ``18_24`` ... ``85_plus``, or a
consultation's own ``categories.age_band``), read as bounds by
:func:`pipelines.fields.age_bands`: nothing about them is written down twice. Nothing here
decides validity: an age that is not a whole number in a band is kept as written in
``age`` (and ``age_band`` left blank) so that the rule ``age_in_range`` can name it.
"""

from __future__ import annotations

import re

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
#: and at least :data:`LOW_SHARE` of them at or under :data:`CODE_MIN` (no one aged 2
#: answers a consultation; a child's slip of the keys is one answer, not a tenth).
CODES_AFTER = 20
CODE_MAX = 12
CODE_MIN = 2
LOW_SHARE = 0.1


def look_like_codes(counts: dict[int, int]) -> bool:
    """Whether whole-number answers (value -> how many gave it) are answer codes, not
    years (:data:`CODES_AFTER`, :data:`CODE_MAX`, :data:`CODE_MIN`, :data:`LOW_SHARE`)."""
    answers = sum(counts.values())
    if answers < CODES_AFTER or not counts or max(counts) > CODE_MAX:
        return False
    low = sum(n for value, n in counts.items() if value <= CODE_MIN)
    return low >= LOW_SHARE * answers


def whole_number_counts(values: dict[str, int]) -> dict[int, int]:
    """The whole numbers of years among answers as written (answer -> how many gave it),
    each with its count; other answers ("Prefer not to say") are left out."""
    counts: dict[int, int] = {}
    for text, n in values.items():
        found = re.match(WHOLE_YEARS, (text or "").strip())
        if found:
            value = int(found.group(1))
            counts[value] = counts.get(value, 0) + n
    return counts


def check_ages_are_years(values: pl.LazyFrame, consultation: Consultation, source: str) -> None:
    """Stop (InputError, exit 2) where ``columns.age`` (its column as written in ``values``,
    every batch: one streaming pass, each distinct answer judged once) holds answer codes,
    not years: banded as years, nearly every respondent would be under 18, without a
    word. A consultation with its own ``categories.age_band`` is not checked (its bands
    may be a children's)."""
    if AGE_FIELD not in consultation.columns or "age_band" in consultation.categories:
        return
    distinct = (
        values.select(AGE_FIELD)
        .group_by(pl.col(AGE_FIELD).cast(pl.String).alias("answer"))
        .len()
        .collect(engine="streaming")
    )
    counts = whole_number_counts(dict(distinct.iter_rows()))
    if not look_like_codes(counts):
        return
    low, high, answers = min(counts), max(counts), sum(counts.values())
    column = consultation.columns[AGE_FIELD]
    raise InputError(
        f"{source}: column {column!r} (columns.age) holds only whole numbers from {low} to "
        f"{high} ({answers:,} answers): they look like the survey tool's answer codes, not "
        "years, and read as years nearly every respondent would be under 18. Map the column "
        "as age_band instead and give each code its band under `values: age_band:` (e.g. "
        '"1": 18_24), or export the answers as text (Qualtrics: "Use choice text").'
    )
