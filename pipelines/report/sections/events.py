"""Events and the ladder of participation: attendance by group and by event, how far the
events went, and the people reached."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from pipelines.disclosure import Controlled
from pipelines.labels import code_label
from pipelines.report import html
from pipelines.report import wording as words
from pipelines.report.html import Fragment
from pipelines.report.publish import Report
from pipelines.report.sections.common import bar_figure, source_note, with_label


def render(report: Report, tables: Mapping[str, Controlled]) -> Fragment:
    """Attendance by group and by event, the ladder of participation, and people reached
    (or a sentence when the area recorded no event)."""
    if "attendance_by_group" not in tables:
        return html.join(
            [
                html.paragraph(
                    "No events were recorded for this area, so there is no attendance to report."
                )
            ]
        )
    attendance = words.shown_column(
        tables["attendance_by_group"], "percent", "percent", "attendees"
    )
    ladder = words.shown_column(tables["ladder_profile"], "attendees", "count").with_columns(
        pl.col("ladder_rung")
        .map_elements(lambda c: code_label("ladder_rungs", c), return_dtype=pl.String)
        .alias("rung")
    )
    return html.join(
        [
            bar_figure(
                report, "attendance_by_group", attendance, "label", "percent",
                words.attendance_title(attendance), "% of attendees", heading=3,
                table=html.data_table(
                    tables["attendance_by_group"], ATTENDANCE, "People at events by stakeholder group",
                    report.href("attendance_by_group"),
                ),
            ),
            _by_event(report, tables["attendance_by_event"]),
            bar_figure(
                report, "ladder_profile", ladder, "rung", "attendees", words.ladder_title(ladder),
                "People at events", sort=ladder["rung"].to_list(), heading=3,
                table=html.data_table(
                    with_label(tables["ladder_profile"], ladder, "rung"), LADDER,
                    "Events and people at them, by how far the events went",
                    report.href("ladder_profile"),
                ),
            ),
            html.paragraph(words.ladder_events_sentence(tables["ladder_profile"].frame)),
            _reached(report, tables["people_reached_by_group"]),
            source_note(report, "events and attendance recorded"),
        ]
    )  # fmt: skip


ATTENDANCE = {
    "label": ("Stakeholder group", "text"),
    "attendees": ("People at events", "count"),
    "percent": ("% of attendees", "percent"),
}
LADDER = {
    "rung": ("How far the events went", "text"),
    "events": ("Events", "count"),
    "attendees": ("People at events", "count"),
}


def _by_event(report: Report, by_event: Controlled) -> Fragment:
    return html.data_table(
        by_event,
        {
            "title": ("Event", "text"),
            "date": ("Date", "text"),
            "attendees": ("People", "count"),
        },
        "Events and how many people came",
        report.href("attendance_by_event"),
        folded=False,
    )


def _reached(report: Report, reached: Controlled) -> Fragment:
    return html.data_table(
        reached,
        {
            "label": ("Group", "text"),
            "responses": ("Responses", "count"),
            "attendees": ("At events", "count"),
            "reached": ("Reached", "count"),
            "percent": ("% of reached", "percent"),
        },
        "People reached: responses plus people at events (a person who did both counts twice)",
        report.href("people_reached_by_group"),
    )
