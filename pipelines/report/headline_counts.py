"""The headline figures as counts of the run's disclosure plan.

A report's headline cards show single counts: the area's responses, the people at its events,
and the previous wave's responses. They are no table of their own, but the run's other pages
add up to them (the overview's row for the region, the overview's total, the region's own
tables), so they are recorded in the plan like a table's one row: a region too small to show
can then not be worked back as the overview's total minus the other regions' headlines,
because the plan hides as many of those as it must (:mod:`pipelines.report.protect`).

The same function records them while the plan is made and shows them while the report is
written, so what the plan decided is what the page shows.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from pipelines.analysis import participation as part
from pipelines.disclosure import TableSpec
from pipelines.report.protect import HEADLINE_ATTENDEES, HEADLINE_PREVIOUS, HEADLINE_RESPONSES
from pipelines.report.publish import Report

#: The plan's names for the headline counts (never written as CSV files).
RESPONSES, ATTENDEES, PREVIOUS = HEADLINE_RESPONSES, HEADLINE_ATTENDEES, HEADLINE_PREVIOUS

#: Each headline count's column: the measure it shares with the tables that add up to it.
COLUMNS = {RESPONSES: "responses", ATTENDEES: "attendees", PREVIOUS: "previous"}


@dataclass(frozen=True)
class HeadlineCounts:
    """The headline counts as this report shows them: None is ``[c]``.

    ``attendees`` is None also where no events were recorded (``events_recorded``);
    ``previous`` also where there is no earlier wave (``compared``).
    """

    responses: int | None
    attendees: int | None
    previous: int | None
    events_recorded: bool
    compared: bool


def exact_counts(report: Report) -> dict[str, int]:
    """The exact headline counts of the report's area, by the plan's name."""
    data = report.data
    counts = {RESPONSES: part.total_responses(data)}
    if data.has("events"):
        attendees = data.attendance.select(pl.col("attendees").sum()).collect().item()
        counts[ATTENDEES] = int(attendees or 0)
    if report.previous is not None:
        counts[PREVIOUS] = part.total_responses(report.previous)
    return counts


def headline_counts(report: Report) -> HeadlineCounts:
    """Each headline count through disclosure control and the run's plan; while the plan is
    being made (``report.recorded``), each is recorded exact for it."""
    shown: dict[str, int | None] = {}
    for table_id, value in exact_counts(report).items():
        column = COLUMNS[table_id]
        frame = pl.DataFrame({column: [value]}, schema={column: pl.Int64})
        spec = TableSpec(column, lines=())  # one count: no total it adds up to on its own
        shown[table_id] = report.controlled(table_id, frame, spec).frame[column][0]
    return HeadlineCounts(
        responses=shown[RESPONSES],
        attendees=shown.get(ATTENDEES),
        previous=shown.get(PREVIOUS),
        events_recorded=ATTENDEES in shown,
        compared=PREVIOUS in shown,
    )
