"""Submission dates a survey tool writes when it records none: refused as dates."""

from __future__ import annotations

import polars as pl

from pipelines.consultation import Consultation
from pipelines.errors import InputError

#: LimeSurvey's date for every response of a survey with anonymised responses or without
#: date stamps (its submit date stays blank for an unfinished response).
LIMESURVEY_NO_DATE = "1980-01-01 00:00:00"
#: What such a date starts with, written with or without its seconds.
_NO_DATE_MINUTE = LIMESURVEY_NO_DATE[: len("1980-01-01 00:00")]


def _placeholders(frame: pl.LazyFrame) -> tuple[int, bool]:
    """How many non-blank dates ``frame``'s ``submitted_at`` holds (one streaming pass), and
    whether every one is :data:`LIMESURVEY_NO_DATE`."""
    date = pl.col("submitted_at").cast(pl.String).str.strip_chars()
    found = (
        frame.select(date)
        .filter(date.is_not_null() & (date != ""))
        .select(pl.len(), date.str.starts_with(_NO_DATE_MINUTE).all())
        .collect(engine="streaming")
    )
    dates, none = found.row(0)
    return dates, bool(none)


def all_placeholders(values: pl.Series) -> bool:
    """Every non-blank date in ``values`` is :data:`LIMESURVEY_NO_DATE` (and there is one)."""
    dates, none = _placeholders(values.rename("submitted_at").to_frame().lazy())
    return dates > 0 and none


def check_dates_recorded(values: pl.LazyFrame, consultation: Consultation, source: str) -> None:
    """Stop (InputError, exit 2) where every submission date (``submitted_at`` in ``values``,
    every batch: one streaming pass) is LimeSurvey's "no date": read as dates, every
    response would have been sent on 1 January 1980, inside a window of that day or
    outside the consultation's real one."""
    if "submitted_at" not in consultation.columns:
        return
    dates, none = _placeholders(values)
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
