"""What we did: you said, we did; the status of the actions, the log, and how long people
waited to hear back."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from pipelines.disclosure import Controlled
from pipelines.labels import code_label
from pipelines.report import html
from pipelines.report import wording as words
from pipelines.report.facts import Facts
from pipelines.report.html import Fragment
from pipelines.report.publish import Report
from pipelines.report.sections.common import bar_figure, source_note, with_label

STATUS = {
    "status_label": ("Status", "text"),
    "actions": ("Actions", "count"),
    "percent": ("% of actions", "percent"),
}
LOG = {
    "you_said": ("You said", "text"),
    "we_did": ("We did", "text"),
    "status": ("Status", "text"),
    "theme": ("Theme", "text"),
    "owner": ("Owner", "text"),
    "due": ("Due", "text"),
    "feedback_given": ("People told", "text"),
}


def render(report: Report, tables: Mapping[str, Controlled], facts: Facts) -> Fragment:
    """Status, feedback, the log and the themes no action addresses (or a sentence when the
    area has no action yet)."""
    if "actions_by_status" not in tables or facts.feedback is None:
        return html.paragraph("No actions have been recorded for this area yet.")
    status = words.shown_column(
        tables["actions_by_status"], "percent", "percent", "actions"
    ).with_columns(
        pl.col("status")
        .map_elements(lambda c: code_label("statuses", c), return_dtype=pl.String)
        .alias("status_label")
    )
    lag = facts.feedback
    overview = report.data.area.level == "consultation"
    columns = ({"region": ("Region", "text")} if overview else {}) | LOG
    parts = [
        bar_figure(
            report, "actions_by_status", status, "status_label", "actions",
            words.actions_title(status), "Actions", sort=status["status_label"].to_list(),
            heading=3, table=html.data_table(
                with_label(tables["actions_by_status"], status, "status_label"), STATUS,
                "Actions by status",
                report.href("actions_by_status"),
            ),
        ),
        html.paragraph(
            words.feedback_sentence(lag.told, lag.not_yet_told, lag.median_days, lag.within_30_days)
        ),
        html.data_table(
            tables["you_said_we_did"], columns, "You said, we did", report.href("you_said_we_did"),
            folded=overview,  # every region's log: one click away on the overview
        ),
    ]  # fmt: skip
    missing = words.unaddressed_sentence(facts.unaddressed_themes)
    if missing:
        parts.append(html.paragraph(missing))
    parts.append(source_note(report, "the actions log", people=False))
    return html.join(parts)
