"""Map a raw export onto the standard fields and canonical codes of the data contract.

Headers and answers are matched case- and space-insensitively, by code or label. A value that
maps to nothing is kept as written (trimmed), so validation can name it in quarantine.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import polars as pl

from pipelines.consultation import Consultation, Question
from pipelines.errors import InputError
from pipelines.fields import (
    PREFER_NOT_TO_SAY,
    field_codes,
    field_specs,
    normalise,
    prefer_not_to_say_labels,
)
from pipelines.ingest.read import ROW, RawTable

#: Formats tried, in order, for date-times; the name is recorded per row.
DATETIME_FORMATS: tuple[tuple[str, str], ...] = (
    ("iso", "%Y-%m-%dT%H:%M:%S%.f"),
    ("iso", "%Y-%m-%dT%H:%M:%S"),
    ("iso", "%Y-%m-%d %H:%M:%S%.f"),
    ("iso", "%Y-%m-%d %H:%M:%S"),
    ("iso", "%Y-%m-%dT%H:%M"),
    ("iso", "%Y-%m-%d %H:%M"),
    ("iso", "%Y-%m-%d"),
    ("uk", "%d/%m/%Y %H:%M:%S"),
    ("uk", "%d/%m/%Y %H:%M"),
    ("uk", "%d/%m/%Y"),
)
#: A literal every format of that name holds: text without it cannot parse that way.
FORMAT_SEPARATORS: dict[str, str] = {"iso": "-", "uk": "/"}
#: The name recorded for a date read with consultation.yml's own ``date_format``.
DATE_FORMAT = "date_format"
PARSED_FORMATS: tuple[str, ...] = ("iso", "uk", "excel_serial", DATE_FORMAT)
#: A slash date's first two parts: ``8/21/2019`` -> 8, 21.
SLASH_DATE = r"^\s*(\d{1,2})/(\d{1,2})/\d{2,4}(?:\D|$)"
UNRECOGNISED = "unrecognised"
#: A time followed by a UTC offset or zone (``09:14:52+01:00``, ``09:14Z``, ``09:14 UTC``,
#: Google Forms' ``9:00:00 AM GMT+1``):
#: the offset is dropped, so a date-time is its local time as written, never moved to UTC
#: (``00:30+01:00`` on 1 April stays 1 April).
_TIME = r"\d:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:\s*[AaPp]\.?[Mm]\.?)?"
_ZONE = r"\s*(?:[+-]\d{2}(?::?\d{2})?|Z|(?:UTC|GMT)(?:\s?[+-]\d{1,2}(?::?\d{2})?)?)$"
TIME_WITH_OFFSET = rf"^(.*{_TIME}){_ZONE}"
#: The cheap test run first: text ending in a time and an offset or zone.
OFFSET_AT_END = _TIME + _ZONE
#: strptime's UTC-offset directives (``%z`` and its spellings; never ``%Z``, a zone's
#: name, which a pattern may hold with its text as written).
OFFSET_DIRECTIVES = re.compile(r"\s*%(?:z|:z|::z|#z)")
#: A date-time before this year is a two-digit year read as four digits ("26" as 0026):
#: never a submission date, so the cell is left unrecognised (set ``date_format``).
MIN_YEAR = 1900
EXCEL_EPOCH = date(1899, 12, 30)


def header_index(raw: RawTable) -> dict[str, str]:
    """Normalised header -> the header as written."""
    return {normalise(column): column for column in raw.frame.columns if column != ROW}


def find_header(raw: RawTable, header: str, what: str) -> str:
    """The export's column matching ``header``, or an InputError naming what was expected."""
    found = header_index(raw).get(normalise(header))
    if found is None:
        raise InputError(
            f"{raw.path}: no column {header!r} (consultation.yml {what}). "
            f"The export's columns are: {', '.join(c for c in raw.frame.columns if c != ROW)}"
        )
    return found


def field_lookup(name: str, consultation: Consultation) -> dict[str, str]:
    """Normalised raw answer -> canonical code for a standard field.

    A monitoring field with its own ``categories`` matches those codes and labels instead
    of the canonical ones (whose spellings would name codes it does not have).
    """
    spec = field_specs()[name]
    lookup: dict[str, str] = {}
    own = consultation.categories.get(name)
    codes = (
        list(consultation.groups) if name == "group" else field_codes(name, consultation.categories)
    )
    for code in codes:
        lookup[normalise(code)] = code
    labels = {label: code for code, label in own.items()} if own else spec.labels
    for label, code in labels.items():
        lookup[normalise(label)] = code
    if name == "group":
        for code, label in consultation.groups.items():
            lookup[normalise(label)] = code
    if spec.monitoring:
        lookup[normalise(PREFER_NOT_TO_SAY)] = PREFER_NOT_TO_SAY
        for label in prefer_not_to_say_labels():
            lookup[normalise(label)] = PREFER_NOT_TO_SAY
    for raw, code in consultation.values.get(name, {}).items():
        lookup[normalise(str(raw))] = str(code)
    return lookup


def question_lookup(question: Question, consultation: Consultation) -> dict[str, str]:
    """Normalised raw answer -> option code for a coded question."""
    lookup: dict[str, str] = {}
    for code in question.option_codes:
        lookup[normalise(code)] = code
        lookup[normalise(question.option_label(code))] = code
    for raw, code in consultation.values.get(question.id, {}).items():
        lookup[normalise(str(raw))] = str(code)
    return lookup


def normalised(expr: pl.Expr) -> pl.Expr:
    """The polars twin of :func:`pipelines.fields.normalise`."""
    spaced = expr.str.replace_all(r"[\s_]+", " ").str.strip_chars().str.to_lowercase()
    return spaced.str.replace_all(r" ?[-–] ?", "-")


def coded(expr: pl.Expr, lookup: dict[str, str]) -> pl.Expr:
    """Map answers through ``lookup``; unmapped answers stay as written (trimmed)."""
    mapped = normalised(expr).replace_strict(lookup, default=None, return_dtype=pl.String)
    return pl.coalesce(mapped, expr.str.strip_chars())


def coded_values(values: pl.Series, lookup: dict[str, str]) -> pl.Series:
    """:func:`coded` over a column, each distinct answer mapped once (same result). A
    Categorical column is mapped by category (no text hashed again) and stays Categorical."""
    if values.dtype == pl.Categorical:
        categories = values.unique().drop_nulls()
        texts = categories.cast(pl.String).to_frame("answer")
        codes = texts.select(coded(pl.col("answer"), lookup).cast(pl.Categorical))["answer"]
        physical = categories.to_physical()
        mapped = values.to_physical().replace_strict(
            physical, codes, default=None, return_dtype=pl.Categorical
        )
        return mapped.alias(values.name)
    distinct = values.drop_nulls().unique()
    codes = distinct.to_frame("answer").select(coded(pl.col("answer"), lookup))["answer"]
    return values.replace_strict(distinct, codes, default=None, return_dtype=pl.String)


def _datetime_attempts(text: pl.Expr, excel_serials: bool) -> list[tuple[str, pl.Expr]]:
    """Each accepted date-time format, in order, as (name, parsed expression)."""
    attempts = [
        (name, text.str.strptime(pl.Datetime("us"), fmt, strict=False))
        for name, fmt in DATETIME_FORMATS
    ]
    if excel_serials:
        days = text.str.extract(r"^(\d{1,6}(?:\.\d+)?)$").cast(pl.Float64)
        serial = pl.lit(EXCEL_EPOCH).cast(pl.Datetime("us")) + pl.duration(
            # Excel keeps time to the millisecond; calamine writes serials with 9 decimals
            microseconds=(days * 86_400_000).round(0).cast(pl.Int64) * 1000
        )
        attempts.append(("excel_serial", serial))
    return attempts


def wall_clock(text: pl.Expr) -> pl.Expr:
    """Date-time text without a UTC offset or zone after its time (:data:`TIME_WITH_OFFSET`).
    Only text ending like an offset is rewritten (an end-anchored test is cheap; the
    rewrite is not)."""
    ends_like_offset = text.str.contains(OFFSET_AT_END)
    return (
        pl.when(ends_like_offset).then(text.str.replace(TIME_WITH_OFFSET, "${1}")).otherwise(text)
    )


def _local_time(text: pl.Expr) -> pl.Expr:
    """Date-time text as the usual formats read it: :func:`wall_clock`, and a final ``Z``
    (left by a date without a time) dropped."""
    return wall_clock(text).str.strip_suffix("Z")


def _pattern_attempts(text: pl.Expr, patterns: Sequence[str]) -> list[tuple[str, pl.Expr]]:
    """consultation.yml's ``date_format`` patterns, in order, each named ``date_format``. A
    pattern with an offset directive (``%z``) reads the text without its offset (the local
    time as written) and without the directive; any other pattern reads the text as it is."""
    attempts = []
    for pattern in patterns:
        local = OFFSET_DIRECTIVES.sub("", pattern)
        read = wall_clock(text) if local != pattern else text
        attempts.append((DATE_FORMAT, read.str.strptime(pl.Datetime("us"), local, strict=False)))
    return attempts


def parsed_datetime_values(
    values: pl.Series, excel_serials: bool, formats: Sequence[str] | None = None
) -> pl.DataFrame:
    """:func:`parsed_datetime` over a column: ``value, format`` (same result), each format
    tried only on the cells that earlier formats did not parse.

    ``formats`` (consultation.yml's ``date_format``): these strptime patterns and only
    these are tried (format ``date_format``), not ISO, UK or Excel serials.
    """
    text = values.str.strip_chars()
    if not formats:  # the usual formats read the local time: an offset or a final Z dropped
        text = text.to_frame("text").select(_local_time(pl.col("text")))["text"]
    parsed = pl.Series("value", [None] * text.len(), dtype=pl.Datetime("us"))
    fmt = pl.Series("format", [None] * text.len(), dtype=pl.String)
    waiting = text.is_not_null().arg_true()
    # a format's literal separator must occur in the text: others are not tried on it
    has = {sep: text.str.contains(sep, literal=True) for sep in set(FORMAT_SEPARATORS.values())}
    attempts = (
        _pattern_attempts(pl.col("text"), formats)
        if formats
        else _datetime_attempts(pl.col("text"), excel_serials)
    )
    for name, attempt in attempts:
        if waiting.len() == 0:
            break
        separator = FORMAT_SEPARATORS.get(name)
        rows = waiting if separator is None else waiting.filter(has[separator].gather(waiting))
        tried = text.gather(rows).to_frame("text").select(attempt.alias("value"))["value"]
        # "10/03/26" read by %Y is the year 26: no submission date; never take it
        tried = tried.to_frame().select(
            pl.when(pl.col("value").dt.year() >= MIN_YEAR).then(pl.col("value"))
        )["value"]
        done = rows.filter(tried.is_not_null())
        parsed = parsed.scatter(done, tried.drop_nulls())
        fmt = fmt.scatter(done, name)
        waiting = waiting.filter(~waiting.is_in(done.implode()))
    fmt = fmt.scatter(waiting, UNRECOGNISED) if waiting.len() else fmt
    return pl.DataFrame([parsed, fmt])


def parsed_datetime(expr: pl.Expr, excel_serials: bool) -> tuple[pl.Expr, pl.Expr]:
    """(date-time, format name) for ISO 8601, UK ``dd/mm/yyyy[ hh:mm[:ss]]`` or Excel serials."""
    text = _local_time(expr.str.strip_chars())
    attempts = _datetime_attempts(text, excel_serials)
    value = pl.coalesce([parsed for _, parsed in attempts])
    fmt = pl.when(expr.is_null()).then(None)
    for name, parsed in attempts:
        fmt = fmt.when(parsed.is_not_null()).then(pl.lit(name))
    return value, fmt.otherwise(pl.lit(UNRECOGNISED))


#: A slash date (:data:`SLASH_DATE`) whose first part, or whose second, is over 12 (as an
#: integer: two ASCII digits from 13).
FIRST_OVER_12 = r"^\s*(?:1[3-9]|[2-9][0-9])/\d{1,2}/\d{2,4}(?:\D|$)"
SECOND_OVER_12 = r"^\s*\d{1,2}/(?:1[3-9]|[2-9][0-9])/\d{2,4}(?:\D|$)"


def month_first_example(values: pl.Series | pl.LazyFrame) -> str | None:
    """A value showing ``values`` (a Series, or a lazy frame of one text column: read in one
    streaming pass) holds month-first slash dates, or None.

    Month-first: some slash date's second part is over 12 and no slash date's first part
    is (``8/21/2019`` and no ``21/08/2019``). A column with both shapes is day-first. The
    example is the first such value in the column.
    """
    day_first, example, _ = slash_evidence(values)
    return None if day_first else example


def slash_evidence(values: pl.Series | pl.LazyFrame) -> tuple[bool, str | None, bool]:
    """In one streaming pass: whether some slash date's first part is over 12 (day-first
    shown), the first slash date whose second part is (or None), and whether any value
    is a slash date at all."""
    frame = values.to_frame().lazy() if isinstance(values, pl.Series) else values
    text = pl.col(frame.collect_schema().names()[0])
    found = frame.select(
        text.str.contains(FIRST_OVER_12).any().alias("day_first"),
        text.filter(text.str.contains(SECOND_OVER_12)).first().alias("example"),
        text.str.contains(SLASH_DATE).any().alias("slashed"),
    ).collect(engine="streaming")
    return bool(found["day_first"][0]), found["example"][0], bool(found["slashed"][0])


#: A slash date with a four- or two-digit year, as its first part, second part and year.
SLASH_PARTS = r"^\s*(?<first>\d{1,2})/(?<second>\d{1,2})/(?<year>\d{4}|\d{2})(?:\D|$)"
#: How a ``date_format`` pattern reading slash dates day-first, or month-first, starts.
DAY_FIRST_SLASH = "%d/%m/"
MONTH_FIRST_SLASH = "%m/%d/"


@dataclass(frozen=True)
class EitherWay:
    """Slash dates that all read either way (no part over 12): how many, one of them, and
    how many fall outside the consultation's window read day-first and read month-first."""

    dates: int
    example: str
    outside_day_first: int
    outside_month_first: int


def either_way(values: pl.Series | pl.LazyFrame, window: tuple[date, date]) -> EitherWay | None:
    """:class:`EitherWay` of ``values`` (a Series, or a lazy frame of one text column: one
    streaming pass, then each distinct date judged once), or None where a slash date's
    first part is over 12 (day-first shown) or no value is a slash date (a two-digit year
    is read as 20yy; a second part over 12 is :func:`slash_evidence`'s to find first)."""
    frame = values.to_frame().lazy() if isinstance(values, pl.Series) else values
    text = pl.col(frame.collect_schema().names()[0])
    parts = text.str.extract_groups(SLASH_PARTS)
    year = parts.struct.field("year").cast(pl.Int32)
    days = (
        frame.select(
            *(parts.struct.field(p).cast(pl.Int32).alias(p) for p in ("first", "second")),
            pl.when(year < 100).then(year + 2000).otherwise(year).alias("year"),  # "2/3/26"
            text.alias("text"),
        )
        .filter(pl.col("first").is_not_null())
        .group_by("first", "second", "year")
        .agg(pl.len().alias("dates"), pl.col("text").first().alias("example"))
        .collect(engine="streaming")
    )
    if days.is_empty() or (days["first"] > 12).any():
        return None
    days = days.filter(pl.col("first").is_between(1, 12) & pl.col("second").is_between(1, 12))
    if days.is_empty():
        return None
    lo, hi = window

    def outside(month: str, day: str) -> int:
        when = pl.date(pl.col("year"), pl.col(month), pl.col(day))
        return int(days.select(pl.col("dates").filter(~when.is_between(lo, hi)).sum()).item())

    first_seen = days.sort("year", "first", "second")["example"][0]
    return EitherWay(
        int(days["dates"].sum()), first_seen, outside("second", "first"), outside("first", "second")
    )


def check_not_month_first(
    values: pl.Series | pl.LazyFrame,
    consultation: Consultation,
    path: Path,
    header: str | None = None,
    grace_days: int | None = None,
) -> None:
    """Stop (InputError, exit 2) if ``values``, the whole ``submitted_at`` column of every
    batch (a Series, or a lazy frame of that one column), holds month-first dates and
    would be read day-first: consultation.yml gives no ``date_format``, or only day-first
    slash patterns (``%d/%m/...``, as ``workbook init`` drafts where every date reads either
    way). Their day and month would be swapped silently. Month-first is shown by a second
    part over 12 with no first part over 12, or, where every date reads either way, by the
    consultation's dates: read day-first, some fall outside ``opened``-``closed`` (with
    ``grace_days``: the consultation's, else config/settings.yml's), and read month-first,
    fewer do."""
    formats = consultation.date_format
    if formats and all(f.lstrip().startswith(MONTH_FIRST_SLASH) for f in formats):
        _check_not_day_first(values, consultation, path, header, grace_days)
        return
    if formats and not all(f.lstrip().startswith(DAY_FIRST_SLASH) for f in formats):
        return
    column = header or consultation.columns.get("submitted_at", "submitted_at")
    day_first, example, slashed = slash_evidence(values)
    if day_first or not slashed:
        return
    read = (
        f"consultation.yml's date_format ({', '.join(repr(f) for f in formats)}) reads them"
        if formats
        else "they would be read"
    )
    if example is not None:
        raise InputError(
            f"{path}: column {column!r} (submitted_at) holds month-first dates such as "
            f"{example!r}, but {read} day-first, with day and month swapped. Say how to "
            f'read them in consultation.yml, e.g. date_format: "{suggested_format(example)}"'
        )
    window, grace = _window(consultation, grace_days)
    found = either_way(values, window)
    if found is None or not found.outside_day_first:
        return
    if found.outside_month_first >= found.outside_day_first:
        return
    month_first = suggested_format(found.example)
    raise InputError(
        f"{path}: column {column!r} (submitted_at) holds dates that read either way, such as "
        f"{found.example!r}, and {read} day-first. Read day-first, "
        f"{found.outside_day_first:,} of {found.dates:,} "
        f"fall outside the consultation's dates ({consultation.opened} to "
        f"{consultation.closed}, with {grace.days} days' grace); read month-first, "
        f"{found.outside_month_first:,} do: they look month-first. Say how to read them in "
        f'consultation.yml: date_format: "{month_first}" (month first), or '
        + (
            "if they are day-first, correct opened and closed, which month-first dates fit "
            "better than day-first ones."
            if formats
            else f'"{month_first.replace("%m/%d", "%d/%m", 1)}" if they are day-first and '
            "some responses really came outside those dates."
        )
    )


def _window(
    consultation: Consultation, grace_days: int | None
) -> tuple[tuple[date, date], timedelta]:
    """The days a submission may fall on (``opened``-``closed`` widened by the grace), and
    the grace: the consultation's, the run's ``grace_days`` (else config/settings.yml's) by
    default."""
    if grace_days is None:
        from pipelines.settings import load_settings

        grace_days = load_settings().grace_days
    grace = consultation.grace(grace_days)
    return (consultation.opened - grace, consultation.closed + grace), grace


def _check_not_day_first(
    values: pl.Series | pl.LazyFrame,
    consultation: Consultation,
    path: Path,
    header: str | None,
    grace_days: int | None,
) -> None:
    """:func:`check_not_month_first` the other way, for a ``date_format`` of month-first
    slash patterns only (as ``workbook init`` may draft where every date reads either way):
    stop where every date reads either way and, read month-first, more fall outside the
    consultation's dates than read day-first."""
    window, grace = _window(consultation, grace_days)
    found = either_way(values, window)
    if found is None or found.outside_month_first <= found.outside_day_first:
        return
    column = header or consultation.columns.get("submitted_at", "submitted_at")
    raise InputError(
        f"{path}: column {column!r} (submitted_at) holds dates that read either way, such as "
        f"{found.example!r}, and consultation.yml's date_format reads them month-first. Read "
        f"month-first, {found.outside_month_first:,} of {found.dates:,} fall outside the "
        f"consultation's dates ({consultation.opened} to {consultation.closed}, with "
        f"{grace.days} days' grace); read day-first, {found.outside_day_first:,} do: they look "
        "day-first. Say so in consultation.yml: date_format: "
        f'"{suggested_format(found.example).replace("%m/%d", "%d/%m", 1)}" (day first), or, '
        "if they are month-first, correct opened and closed."
    )


def suggested_format(example: str) -> str:
    """A strptime pattern for month-first slash dates shaped like ``example``: a two- or
    four-digit year, minutes with or without seconds, a 24-hour or an AM/PM clock, a UTC
    offset (``8/21/2019 1:10:31 PM`` -> ``%m/%d/%Y %I:%M:%S %p``; ``3/14/2026
    14:40:00+01:00`` -> ``%m/%d/%Y %H:%M:%S%z``)."""
    text = example.strip()
    offset = re.search(OFFSET_AT_END, text) is not None
    if offset:
        text = re.sub(TIME_WITH_OFFSET, r"\1", text)
    day, _, clock = text.partition(" ")
    pattern = "%m/%d/" + ("%Y" if len(day.rsplit("/", 1)[-1]) == 4 else "%y")
    if clock:
        twelve = re.search(r"[AaPp]\.?[Mm]\.?\s*$", clock) is not None
        seconds = ":%S" if clock.split()[0].count(":") == 2 else ""
        pattern += f" %I:%M{seconds} %p" if twelve else f" %H:%M{seconds}"
    return pattern + ("%z" if offset else "")


def _lookup_with_values(
    lookup: dict[str, str], values: dict[str, str] | None, what: str
) -> dict[str, str]:
    """``lookup`` with consultation.yml's ``values.<what>``: raw answer -> a name (or slug)
    the lookup knows; any other name is an InputError naming it and the valid ones."""
    extra: dict[str, str] = {}
    for raw, target in (values or {}).items():
        found = lookup.get(normalise(str(target)))
        if found is None:
            names = ", ".join(sorted(set(lookup.values())))
            raise InputError(
                f"consultation.yml values.{what}: {raw!r} is mapped to {target!r}, which is "
                f"not a {what} of regions.csv; use one of: {names}"
            )
        extra[normalise(str(raw))] = found
    return {**lookup, **extra}


def region_lookup(regions: pl.DataFrame, values: dict[str, str] | None = None) -> dict[str, str]:
    """Normalised raw answer -> region: its display name, slug, and ``values`` (consultation.yml
    ``values.region``: raw answer -> a display name or slug)."""
    lookup: dict[str, str] = {}
    for region, slug in regions.select("region", "region_slug").unique().iter_rows():
        lookup[normalise(region)] = region
        lookup[normalise(slug)] = region
        lookup[normalise(slug.replace("-", " "))] = region
    return _lookup_with_values(lookup, values, "region")


def locality_lookup(regions: pl.DataFrame, values: dict[str, str] | None = None) -> dict[str, str]:
    """Normalised raw answer -> locality, with ``values`` (``values.locality``)."""
    localities = regions["locality"].drop_nulls().unique().to_list()
    lookup = {normalise(name): name for name in localities}
    return _lookup_with_values(lookup, values, "locality")
