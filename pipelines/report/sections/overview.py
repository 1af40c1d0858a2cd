"""The overview's regions side by side."""

from __future__ import annotations

from collections.abc import Mapping

from pipelines.disclosure import Controlled
from pipelines.geography import region_slug
from pipelines.report import html
from pipelines.report import wording as words
from pipelines.report.html import Fragment
from pipelines.report.publish import Report

COLUMNS = {
    "region": ("Region", "text"),
    "responses": ("Responses", "count"),
    "population": ("Population", "count"),
    "responses_per_10k": ("Responses per 10,000 people", "decimal"),
    "groups": ("Groups heard from", "count"),
    "attendees": ("People at events", "count"),
    "actions_done": ("Actions done", "count"),
    "most_under_represented": ("Most under-represented", "text"),
}


def report_links(table: Controlled) -> dict[str, str]:
    """Each region's name -> its report page, beside the overview (``<slug>.html``)."""
    return {name: f"{region_slug(name)}.html" for name in table.frame["region"].to_list()}


def render(report: Report, tables: Mapping[str, Controlled]) -> Fragment:
    """One row per region: responses, groups heard from, people at events, actions done, and
    the most under-represented group, all under the report's disclosure profile."""
    table = tables["regions_side_by_side"]
    return html.join(
        [
            html.paragraph(words.side_by_side_lead(table)),
            html.data_table(
                table,
                {c: shown for c, shown in COLUMNS.items() if c in table.frame.columns},
                "Regions side by side",
                report.href("regions_side_by_side"),
                folded=False,
                row_links=report_links(table),
            ),
        ]
    )
