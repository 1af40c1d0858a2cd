"""Engagement events (events.csv) and who came to them (attendance.csv)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from pipelines.sample.questionnaire import GROUP_NAMES, window

EVENT_COLUMNS = [
    "event_id",
    "title",
    "date",
    "venue",
    "region",
    "locality",
    "format",
    "ladder_rung",
]
ATTENDANCE_COLUMNS = ["event_id", "group", "attendees"]

#: format -> (title patterns, venue patterns, ladder rungs and their weights)
FORMATS: dict[str, tuple[list[str], list[str], dict[str, float]]] = {
    "workshop": (
        ["Care at home workshop – {locality}", "What matters to you? Workshop in {locality}"],
        ["Community Centre, {locality}", "Town Hall, {locality}", "Central Library, {locality}"],
        {"consulting": 0.5, "engaging": 0.4, "co_designing": 0.1},
    ),
    "drop_in": (
        ["Carers' drop-in – {locality}", "Coffee morning drop-in, {locality}"],
        [
            "Carers' Centre, {locality}",
            "Methodist Church Hall, {locality}",
            "Older people's day centre, {locality}",
        ],
        {"informing": 0.5, "consulting": 0.5},
    ),  # fmt: skip
    "focus_group": (
        [
            "Focus group: paid care workers ({locality})",
            "Easy read focus group – {locality}",
            "Focus group with carers from minority ethnic communities – {locality}",
        ],
        ["Community Centre, {locality}", "Carers' Centre, {locality}"],
        {"consulting": 0.6, "engaging": 0.4},
    ),
    "online": (
        ["Online conversation: care at home in the {region}", "Evening webinar – {region}"],
        ["Online (video call)"],
        {"informing": 0.5, "consulting": 0.5},
    ),
    "visioning_event": (
        ["Visioning event: care at home in 2030 – {locality}"],
        ["Town Hall, {locality}", "Community Centre, {locality}"],
        {"co_designing": 0.6, "co_producing": 0.4},
    ),
}
FORMAT_WEIGHTS = {"workshop": 0.3, "drop_in": 0.25, "focus_group": 0.2, "online": 0.15,
                  "visioning_event": 0.1}  # fmt: skip

#: Mean attendance by format and group: providers and professionals fill workshops,
#: service users and carers come to drop-ins.
ATTENDANCE_MEANS: dict[str, dict[str, float]] = {
    "workshop": {"service_user": 4, "unpaid_carer": 4, "provider": 8, "professional": 9,
                 "advocacy": 3, "commissioner": 2, "paid_care_worker": 3},
    "drop_in": {"service_user": 9, "unpaid_carer": 8, "public": 5, "voluntary_sector": 2},
    "focus_group": {"paid_care_worker": 6, "unpaid_carer": 5, "service_user": 4},
    "online": {"public": 6, "professional": 5, "unpaid_carer": 4, "voluntary_sector": 3,
               "provider": 3},
    "visioning_event": {"service_user": 7, "unpaid_carer": 6, "provider": 9, "professional": 10,
                        "advocacy": 5, "commissioner": 3},
}  # fmt: skip

EVENTS_PER_REGION = 5


def events_frame(regions: pl.DataFrame, year: int, rng: np.random.Generator) -> pl.DataFrame:
    """Five events per region (more where it has many localities), dates in the window."""
    opened, closed = window(year)
    days = (closed - opened).days + 1
    formats = list(FORMAT_WEIGHTS)
    p = np.array([FORMAT_WEIGHTS[f] for f in formats])
    rows: list[dict[str, str]] = []
    for region in dict.fromkeys(regions["region"].to_list()):
        localities = [
            loc for loc in regions.filter(pl.col("region") == region)["locality"].to_list() if loc
        ]
        count = max(EVENTS_PER_REGION, len(localities))
        dates = sorted(int(d) for d in rng.integers(2, days - 3, size=count))
        for k in range(count):
            fmt = formats[int(rng.choice(len(formats), p=p / p.sum()))]
            locality = localities[k % len(localities)] if localities else ""
            if fmt != "online" and not locality:
                fmt = "online"
            titles, venues, rungs = FORMATS[fmt]
            rung_names = list(rungs)
            rung_p = np.array(list(rungs.values()))
            where = {"locality": locality, "region": region}
            rows.append(
                {
                    "title": titles[int(rng.integers(len(titles)))].format(**where),
                    "date": (opened + dt.timedelta(days=dates[k])).strftime("%d/%m/%Y"),
                    "venue": venues[int(rng.integers(len(venues)))].format(**where),
                    "region": region,
                    "locality": "" if fmt == "online" else locality,
                    "format": fmt,
                    "ladder_rung": rung_names[int(rng.choice(len(rung_names), p=rung_p))],
                }
            )
    prefix = f"CAH{year % 100:02d}"
    return pl.DataFrame(
        [{"event_id": f"{prefix}-{i + 1:02d}", **row} for i, row in enumerate(rows)]
    ).select(EVENT_COLUMNS)


def attendance_frame(events: pl.DataFrame, rng: np.random.Generator) -> pl.DataFrame:
    """Head counts by group for each event (group codes; groups that sent nobody left out)."""
    rows: list[dict[str, object]] = []
    for event_id, fmt in events.select("event_id", "format").iter_rows():
        for group, mean in ATTENDANCE_MEANS[fmt].items():
            count = int(rng.negative_binomial(2, 2 / (2 + mean)))
            if count > 0 and group in GROUP_NAMES:
                rows.append({"event_id": event_id, "group": group, "attendees": str(count)})
    return pl.DataFrame(rows, schema={c: pl.String for c in ATTENDANCE_COLUMNS})


def plant_attendance(
    attendance: pl.DataFrame, events: pl.DataFrame, year: int, rng: np.random.Generator
) -> tuple[pl.DataFrame, list[dict[str, object]]]:
    """Insert four bad attendance rows (two unknown events, a negative and a fractional count)."""
    ids = events["event_id"].to_list()
    seen = set(attendance.select("event_id", "group").iter_rows())
    bad: list[tuple[dict[str, str], str, str]] = [
        ({"event_id": f"CAH{year % 100:02d}-{k}", "group": group, "attendees": count},
         "event_id", "event_known")
        for k, group, count in (("99", "public", "4"), ("00", "unpaid_carer", "7"))
    ]  # fmt: skip
    for value in ("-3", "2.5"):
        event_id = ids[int(rng.integers(len(ids)))]
        group = next(g for g in GROUP_NAMES if (event_id, g) not in seen)
        seen.add((event_id, group))
        bad.append(
            ({"event_id": event_id, "group": group, "attendees": value},
             "attendees", "count_whole_nonnegative")
        )  # fmt: skip
    rows = attendance.to_dicts()
    positions = sorted(int(x) for x in rng.choice(len(rows) + 1, size=len(bad), replace=False))
    for offset, (position, planted) in enumerate(zip(positions, bad, strict=True)):
        rows.insert(position + offset, planted[0])
    located = sorted((rows.index(row) + 2, field, rule) for row, field, rule in bad)
    key: list[dict[str, object]] = [
        {
            "source_file": "attendance.csv",
            "row_number": row_number,
            "response_id": None,
            "field": field,
            "rule": rule,
        }
        for row_number, field, rule in located
    ]
    frame = pl.DataFrame(rows, schema={c: pl.String for c in ATTENDANCE_COLUMNS})
    return frame, key
