"""Invalid rows planted on purpose, each breaking exactly one validation rule.

The plan is made before any row is written; each chunk then applies the plants that fall
inside it. ``planted_errors.csv`` is the answer key validation tests compare with.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.sample.questionnaire import FIELD_HEADERS, QUESTION_BY_ID, window
from pipelines.sample.responses import uk_datetime

PLANTED_COLUMNS = ["source_file", "row_number", "response_id", "field", "rule"]

#: rule -> what to plant, one entry per planted row (cycled when more are asked for):
#: (field, bad value); the value None means "leave blank"; "{typo}" / "{other_locality}"
#: are filled from the row itself.
RESPONSE_PLANTS: dict[str, list[tuple[str, str | None]]] = {
    "response_id_unique": [("response_id", "{duplicate}")],
    "required": [("region", None), ("group", None), ("region", None)],
    "region_known": [("region", "Scotland"), ("region", "{typo}"), ("region", "Wales")],
    "locality_in_region": [("locality", "{other_locality}")],
    "group_known": [("group", "Student"), ("group", "Housing officer"), ("group", "Retired nurse")],
    "channel_known": [
        ("channel", "Text message"),
        ("channel", "Through my social worker"),
        ("channel", "Fax"),
    ],
    "code_known": [("age_band", "200"), ("disability", "Sometimes"), ("age_band", "42")],
    "submitted_at_parseable": [
        ("submitted_at", "31/02/{year} 10:00:00"),
        ("submitted_at", "yesterday"),
        ("submitted_at", "31/04/{year} 09:15:00"),
    ],
    "submitted_at_in_window": [
        ("submitted_at", "{before}"),
        ("submitted_at", "{after}"),
        ("submitted_at", "{long_after}"),
    ],
    "answer_known": [("q4", "Sometimes"), ("q6", "Not sure"), ("q5", "Excellent")],
}


@dataclass(frozen=True)
class Plant:
    """One planted error: the data row (0-based), the field and rule, and how to break it."""

    row: int
    rule: str
    field: str
    value: str | None
    source_row: int = -1  # for duplicates: the earlier row that is re-submitted
    pick: int = 0  # a random number for choices made from the row itself


def header_of(field: str) -> str:
    """The export header holding a standard field or a question."""
    if field in FIELD_HEADERS:
        return FIELD_HEADERS[field]
    return QUESTION_BY_ID[field].headers()[0]


def per_rule(total: int, wanted: int) -> int:
    """How many rows to plant per rule: fewer in tiny samples, none below 50 rows."""
    return max(0, min(wanted, total // 50))


def plan_plants(total: int, chunk_rows: int, wanted: int, rng: np.random.Generator) -> list[Plant]:
    """Choose the rows to break, spread through the file, sorted by row."""
    count = per_rule(total, wanted)
    wanted_rows = [
        (rule, specs[k % len(specs)])
        for rule, specs in RESPONSE_PLANTS.items()
        for k in range(count)
    ]
    taken: set[int] = set()
    plants: list[Plant] = []
    for rule, (field, value) in wanted_rows:
        row = _free_row(total, chunk_rows, taken, rng)
        source = -1
        if rule == "response_id_unique":
            source = _duplicate_source(row, chunk_rows, taken, rng)
            taken.add(source)
        taken.add(row)
        plants.append(Plant(row, rule, field, value, source, int(rng.integers(1 << 30))))
    return sorted(plants, key=lambda p: p.row)


def _free_row(total: int, chunk_rows: int, taken: set[int], rng: np.random.Generator) -> int:
    """A row not yet used, with room before it in its chunk for a re-submitted original."""
    while True:
        row = int(rng.integers(1, total))
        if row not in taken and row % chunk_rows >= 1 and row - 1 not in taken:
            return row


def _duplicate_source(row: int, chunk_rows: int, taken: set[int], rng: np.random.Generator) -> int:
    """An earlier row in the same chunk whose submission is repeated at ``row``."""
    chunk_start = row - row % chunk_rows
    for _ in range(200):
        source = row - int(rng.integers(1, 60))
        if source >= chunk_start and source not in taken:
            return source
    return row - 1


def _fill(
    plant: Plant, frame: pl.DataFrame, local: int, year: int, places: pl.DataFrame
) -> str | None:
    """The bad value for a plant, worked out from the row where it depends on it."""
    value = plant.value
    if value is None:
        return None
    opened, closed = window(year)
    if value == "{typo}":
        region = frame[header_of("region")][local]
        return region[0] + region[2] + region[1] + region[3:]
    if value == "{other_locality}":
        region = frame[header_of("region")][local]
        others = places.filter((pl.col("region") != region) & (pl.col("locality") != ""))
        return others["locality"][plant.pick % others.height] if others.height else "Nowhere"
    shifted = {
        "{before}": dt.datetime.combine(opened - dt.timedelta(days=30), dt.time(11, 20, 5)),
        "{after}": dt.datetime.combine(closed + dt.timedelta(days=21), dt.time(15, 2, 44)),
        "{long_after}": dt.datetime.combine(closed + dt.timedelta(days=75), dt.time(9, 41, 17)),
    }
    if value in shifted:
        return shifted[value].strftime("%d/%m/%Y %H:%M:%S")
    return value.format(year=year)


def apply_plants(
    frame: pl.DataFrame,
    plants: list[Plant],
    start: int,
    year: int,
    places: pl.DataFrame,
) -> tuple[pl.DataFrame, list[dict[str, object]]]:
    """Break the chunk's planted rows; return the chunk and its planted_errors rows."""
    inside = [p for p in plants if start <= p.row < start + frame.height]
    edits: dict[str, dict[int, str | None]] = {}
    for plant in inside:
        local = plant.row - start
        if plant.rule == "response_id_unique":
            source = frame.row(plant.source_row - start)
            for name, value in zip(frame.columns, source, strict=True):
                edits.setdefault(name, {})[local] = value
            continue
        edits.setdefault(header_of(plant.field), {})[local] = _fill(
            plant, frame, local, year, places
        )
        if plant.field == "region":  # a bad region leaves nothing to check the locality with
            edits.setdefault(header_of("locality"), {})[local] = None
        if plant.rule == "submitted_at_in_window":
            edits.setdefault("Start Date", {})[local] = _start_before(
                edits[header_of("submitted_at")][local]
            )
    frame = frame.with_columns(_scatter(frame[name], cells) for name, cells in edits.items())
    key = [
        {
            "source_file": "responses.csv",
            "row_number": p.row + 2,
            "response_id": frame["Respondent ID"][p.row - start],
            "field": p.field,
            "rule": p.rule,
        }
        for p in inside
    ]
    return frame, key


def _start_before(end: str | None) -> str | None:
    """A start time eight minutes before a planted (parseable) end time."""
    if end is None:
        return None
    moment = dt.datetime.strptime(end, "%d/%m/%Y %H:%M:%S") - dt.timedelta(minutes=8)
    return uk_datetime(np.array([calendar.timegm(moment.timetuple())]))[0]


def _scatter(column: pl.Series, cells: dict[int, str | None]) -> pl.Series:
    """The column with some cells replaced (None = blank)."""
    rows = sorted(cells)
    return column.clone().scatter(rows, pl.Series([cells[r] for r in rows], dtype=column.dtype))


def planted_frame(rows: list[dict[str, object]]) -> pl.DataFrame:
    """planted_errors.csv's rows, in file then row order."""
    schema = {
        "source_file": pl.String,
        "row_number": pl.Int64,
        "response_id": pl.String,
        "field": pl.String,
        "rule": pl.String,
    }
    return pl.DataFrame(rows, schema=schema)
