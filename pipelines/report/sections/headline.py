"""The summary: headline figures and three key messages generated from the numbers."""

from __future__ import annotations

from collections.abc import Mapping

from pipelines.disclosure import Controlled
from pipelines.fields import MONITORING_FIELDS
from pipelines.report import html
from pipelines.report import wording as words
from pipelines.report.facts import Facts
from pipelines.report.html import Fragment
from pipelines.report.publish import Report
from pipelines.report.sections.common import count


def render(report: Report, tables: Mapping[str, Controlled], facts: Facts) -> Fragment:
    """Responses, people at events, groups heard from, the change since the previous wave,
    and the key messages."""
    consultation = report.data.consultation
    by_group = tables["participation_by_group"]
    stats = [
        (count(report, facts.responses), "responses"),
        (
            count(report, facts.attendees) if facts.events_recorded else "None recorded",
            "people at events",
        ),
        (
            f"{words.groups_reached(by_group)} of {len(consultation.groups)}",
            "stakeholder groups heard from",
        ),
        words.change_stat(
            facts.responses, facts.previous_responses, report.profile, report.min_cell
        ),
    ]
    representation = {
        d: tables[f"representation_{d}"]
        for d in MONITORING_FIELDS
        if d in facts.with_population and f"representation_{d}" in tables
    }
    themes = [
        (q.title, tables[f"themes_{q.id}"])
        for q in consultation.questions
        if f"themes_{q.id}" in tables
    ]
    messages = words.key_messages(by_group, representation, themes, consultation.categories)
    parts = [html.stat_cards(stats)]
    if messages:
        parts += [html.heading(3, "Key messages"), html.bullet_list(messages, css="key-messages")]
    return html.join(parts)
