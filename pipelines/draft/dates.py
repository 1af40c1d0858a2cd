"""Guess how an export writes its submission dates: never month-first without evidence."""

from __future__ import annotations

from itertools import product

import polars as pl

from pipelines.ingest.mapping import (
    UNRECOGNISED,
    month_first_example,
    parsed_datetime_values,
    wall_clock,
)

#: Day-first dates before month-first ones: where every date reads either way, day-first
#: (a UK workbook) wins, and the draft says so.
DATES = ("%d/%m/%Y", "%d/%m/%y", "%Y/%m/%d", "%d.%m.%Y", "%d-%m-%Y", "%m/%d/%Y", "%m/%d/%y")
CLOCKS = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
MONTH_FIRST = ("%m/%d/%Y", "%m/%d/%y")
DAY_FIRST = ("%d/%m/%Y", "%d/%m/%y")


#: Years a submission date can have: a pattern that reads "26" as the year 26 is wrong.
YEARS = (1990, 2100)


def _parses_all(values: pl.Series, pattern: str) -> bool:
    """``pattern`` reads every value, each to a year a submission can have."""
    parsed = values.str.strptime(pl.Datetime("us"), pattern, strict=False)
    if parsed.null_count():
        return False
    years = parsed.dt.year()
    return bool(((years >= YEARS[0]) & (years <= YEARS[1])).all())


def guess_date_format(values: pl.Series, excel: bool) -> tuple[list[str] | None, str]:
    """``date_format`` for ``values`` (None: the default reading is right) and the
    ``# check:`` comment saying what was seen. A UTC offset or zone after the time
    (``+01:00``, ``GMT+1``) is left out while patterns are tried, and a pattern found ends in
    ``%z``, which reads the local time as written (docs/data-contract.md, "Dates")."""
    dates = values.drop_nulls().str.strip_chars()
    dates = dates.filter(dates != "").unique(maintain_order=True)
    if dates.len() == 0:
        return None, "no dates in the column"
    local = dates.to_frame("date").select(wall_clock(pl.col("date")))["date"]
    formats, check = _guess(local, excel)
    changed = (local != dates).arg_true()
    if formats is None or changed.len() == 0:
        return formats, check
    offset = dates[changed[0]][len(local[changed[0]]) :]
    suffix = " %z" if offset[:1].isspace() else "%z"
    dropped = f"; offsets such as {offset.strip()!r} dropped (%z): the local time as written"
    return [f + suffix for f in formats], check + dropped


def _guess(dates: pl.Series, excel: bool) -> tuple[list[str] | None, str]:
    """:func:`guess_date_format` of distinct dates without offsets."""
    example = month_first_example(dates)
    ambiguous = example is None and _all_ambiguous(dates)
    if ambiguous:
        either = _either_way(dates, excel)
        if either is not None:
            return either
    if example is None:
        formats = parsed_datetime_values(dates, excel_serials=excel)["format"]
        if not (formats == UNRECOGNISED).any():
            return None, f"{dates.len()} dates, read as written (such as {dates[0]!r})"
    candidates = [d + c for d, c in product(DATES, CLOCKS)]
    if example is not None:
        candidates = [p for p in candidates if p.startswith(MONTH_FIRST)]
    for pattern in candidates:
        if _parses_all(dates, pattern):
            if example is not None:
                return [pattern], f"dates written month-first, such as {example!r}"
            return [pattern], f"dates written such as {dates[0]!r}"
    return None, (
        f"dates such as {dates[0]!r} match no familiar pattern: set date_format "
        "(a strptime pattern) before validating"
    )


#: Where every date reads either way, month-first is drafted only if its dates span at most
#: this share of the days day-first ones do (a consultation's responses come in one period:
#: US dates of 2-11 February read day-first run from 2 February to 2 November).
TIGHTER = 0.5
#: ... and only from this many distinct days: UK dates all on one day of the month ("10/03",
#: "10/04") look like a few days of one month read month-first.
MIN_DAYS_FOR_MONTH_FIRST = 5


def _either_way(dates: pl.Series, excel: bool) -> tuple[list[str] | None, str] | None:
    """How to read dates that all read either way (every slash date's day and month 12 or
    under): day-first, the UK reading, unless month-first puts them in a clearly shorter
    period (:data:`TIGHTER`), judged on :data:`MIN_DAYS_FOR_MONTH_FIRST` days or more;
    each ``# check:`` gives both periods. None where no pattern
    of either order reads them all."""
    day_first = _first_reading(dates, DAY_FIRST)
    month_first = _first_reading(dates, MONTH_FIRST)
    if day_first is None or month_first is None:
        return None
    day_read, month_read = _days(dates, day_first), _days(dates, month_first)
    day_span, month_span = _span(day_read), _span(month_read)
    spans = (
        f"read day-first they span {day_span} days, month-first {month_span} (such as {dates[0]!r})"
    )
    if month_span < TIGHTER * day_span and day_read.n_unique() >= MIN_DAYS_FOR_MONTH_FIRST:
        return [month_first], f"every date reads either way; {spans}: read month-first; check"
    default = parsed_datetime_values(dates, excel_serials=excel)["format"]
    formats = None if not (default == UNRECOGNISED).any() else [day_first]
    return formats, f"every date reads either way; {spans}: read day-first; check"


def _first_reading(dates: pl.Series, orders: tuple[str, ...]) -> str | None:
    """The first pattern of ``orders`` (dates) with any of :data:`CLOCKS` that reads every
    date, or None."""
    return next((d + c for d, c in product(orders, CLOCKS) if _parses_all(dates, d + c)), None)


def _days(dates: pl.Series, pattern: str) -> pl.Series:
    """``dates`` read by ``pattern``, as days."""
    return dates.str.strptime(pl.Datetime("us"), pattern, strict=False).dt.date()


def _span(days: pl.Series) -> int:
    """Days from the first to the last of ``days``."""
    return (days.max() - days.min()).days  # type: ignore[operator, union-attr]


def _all_ambiguous(dates: pl.Series) -> bool:
    """Every date is a slash date whose first two parts are both 12 or under."""
    parts = dates.str.extract_groups(r"^\s*(\d{1,2})/(\d{1,2})/")
    first = parts.struct.field("1").cast(pl.Int32, strict=False)
    second = parts.struct.field("2").cast(pl.Int32, strict=False)
    return bool(first.is_not_null().all() and (first <= 12).all() and (second <= 12).all())
