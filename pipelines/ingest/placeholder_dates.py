"""Submission dates a survey tool writes when it records none: refused as dates."""

from __future__ import annotations

import polars as pl

from pipelines.consultation import Consultation
from pipelines.errors import InputError

#: LimeSurvey's date for every response of a survey with anonymised responses or without
#: date stamps (its submit date stays blank for an unfinished response).
LIMESURVEY_NO_DATE = "1980-01-01 00:00:00"


def all_placeholders(values: pl.Series) -> bool:
    """Every non-blank date in ``values`` is :data:`LIMESURVEY_NO_DATE` (and there is one)."""
    dates = values.drop_nulls().cast(pl.String).str.strip_chars()
    dates = dates.filter(dates != "")
    return dates.len() > 0 and bool((dates.str.starts_with(LIMESURVEY_NO_DATE[:16])).all())


def check_dates_recorded(values: pl.LazyFrame, consultation: Consultation, source: str) -> None:
    """Stop (InputError, exit 2) where every submission date (``submitted_at`` in ``values``,
    every batch: one streaming pass) is LimeSurvey's "no date": read as dates, every
    response would have been sent on 1 January 1980, inside a window of that day or
    outside the consultation's real one."""
    if "submitted_at" not in consultation.columns:
        return
    found = (
        values.select(pl.col("submitted_at").cast(pl.String).str.strip_chars())
        .filter(pl.col("submitted_at").is_not_null() & (pl.col("submitted_at") != ""))
        .select(
            pl.len().alias("dates"),
            pl.col("submitted_at").str.starts_with(LIMESURVEY_NO_DATE[:16]).all().alias("none"),
        )
        .collect(engine="streaming")
    )
    dates, none = found.row(0)
    if not dates or not none:
        return
    column = consultation.columns["submitted_at"]
    raise InputError(
        f"{source}: column {column!r} (submitted_at) says {LIMESURVEY_NO_DATE} for all "
        f"{dates:,} responses: LimeSurvey writes that date where a survey records none "
        "(anonymised responses, or date stamps off). Set dates_recorded: false in "
        "consultation.yml (and remove columns.submitted_at and date_format if given), and "
        "give opened and closed as the consultation's real dates."
    )
