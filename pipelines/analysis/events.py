"""Events: who came, to which events, how deep the involvement went, and people reached."""

from __future__ import annotations

import polars as pl

from pipelines.analysis.participation import participation_by_group, share
from pipelines.contract import LADDER_RUNGS
from pipelines.store.clean_data import CleanData


def attendance_by_group(data: CleanData) -> pl.DataFrame:
    """``group, label, attendees, percent``: people at the area's events by group.

    Base: all attendees counted at the area's events. Every group is listed (0 where none came).
    """
    groups = data.consultation.groups
    counts = (
        data.attendance.group_by(pl.col("group").cast(pl.String))
        .agg(pl.col("attendees").sum().cast(pl.Int64))
        .collect()
    )
    frame = pl.DataFrame({"group": list(groups)}).with_row_index("_order")
    return (
        frame.join(counts, on="group", how="left")
        .with_columns(pl.col("attendees").fill_null(0))
        .with_columns(
            share("attendees").alias("percent"),
            pl.col("group").replace_strict(groups).alias("label"),
        )
        .sort(["attendees", "_order"], descending=[True, False])
        .select("group", "label", "attendees", "percent")
    )


def attendance_by_event(data: CleanData) -> pl.DataFrame:
    """``event_id, title, date, attendees``: each event in the area and how many came, by date."""
    totals = data.attendance.group_by("event_id").agg(pl.col("attendees").sum().cast(pl.Int64))
    return (
        data.events.join(totals, on="event_id", how="left")
        .select("event_id", "title", "date", pl.col("attendees").fill_null(0))
        .sort("date", "event_id")
        .collect()
    )


def ladder_profile(data: CleanData) -> pl.DataFrame:
    """``ladder_rung, events, attendees``: events and people at each rung of the ladder of
    participation, from informing to co-producing (every rung listed)."""
    totals = data.attendance.group_by("event_id").agg(pl.col("attendees").sum())
    counts = (
        data.events.join(totals, on="event_id", how="left")
        .group_by(pl.col("ladder_rung").cast(pl.String))
        .agg(
            pl.len().cast(pl.Int64).alias("events"),
            pl.col("attendees").sum().fill_null(0).cast(pl.Int64),
        )
        .collect()
    )
    rungs = pl.DataFrame({"ladder_rung": list(LADDER_RUNGS)})
    return rungs.join(counts, on="ladder_rung", how="left").with_columns(
        pl.col("events").fill_null(0), pl.col("attendees").fill_null(0)
    )


def people_reached_by_group(data: CleanData) -> pl.DataFrame:
    """``group, label, responses, attendees, reached, percent``: responses plus event attendees.

    A person who both responded and attended is counted twice: the figure is contacts made,
    not unique people (attendance is recorded as counts, not names).
    """
    responses = participation_by_group(data).select("group", "label", "responses")
    attendance = attendance_by_group(data).select("group", "attendees")
    frame = responses.join(attendance, on="group", how="left").with_columns(
        (pl.col("responses") + pl.col("attendees")).alias("reached")
    )
    return frame.with_columns(share("reached").alias("percent")).sort(
        "reached", descending=True, maintain_order=True
    )
