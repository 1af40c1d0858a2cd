"""The summary: headline figures, three key messages generated from the numbers, and "We
asked, you said, we did, what happens next" (GOV.UK's pattern for consultation outcomes)."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from pipelines.disclosure import Controlled
from pipelines.fields import MONITORING_FIELDS
from pipelines.report import html
from pipelines.report import wording as words
from pipelines.report.facts import Facts
from pipelines.report.html import Fragment
from pipelines.report.publish import Report

#: How many coded questions' top themes "You said" names, and how many actions "We did".
SAID = 2
DID = 3


def render(report: Report, tables: Mapping[str, Controlled], facts: Facts) -> Fragment:
    """Responses, people at events, groups heard from, the change since the previous wave,
    the key messages, and what we asked, heard and did."""
    consultation = report.data.consultation
    by_group = tables["participation_by_group"]
    shown = facts.headline
    stats = [
        (words.shown_count(shown.responses), "responses"),
        (
            words.shown_count(shown.attendees) if shown.events_recorded else "None recorded",
            "people at events",
        ),
        (
            f"{words.groups_reached(by_group)} of {len(consultation.groups)}",
            "stakeholder groups heard from",
        ),
        words.change_stat(shown.responses, shown.previous, shown.compared),
    ]
    representation = {
        d: tables[f"representation_{d}"]
        for d in MONITORING_FIELDS
        if d in facts.with_population and f"representation_{d}" in tables
    }
    messages = words.key_messages(
        by_group, representation, themes(report, tables), consultation.categories
    )
    parts = [html.stat_cards(stats)]
    if messages:
        parts += [html.heading(3, "Key messages"), html.bullet_list(messages, css="key-messages")]
    block = asked_said_did(report, tables)
    if block:
        parts += [html.heading(3, "We asked, you said, we did"), block]
    return html.join(parts)


def themes(report: Report, tables: Mapping[str, Controlled]) -> list[tuple[str, Controlled]]:
    """(question title, themes table) of the free-text questions with coded comments."""
    return [
        (q.title, tables[f"themes_{q.id}"])
        for q in report.data.consultation.questions
        if f"themes_{q.id}" in tables
    ]


def asked_said_did(report: Report, tables: Mapping[str, Controlled]) -> Fragment | None:
    """We asked (the purpose), you said (the top theme of each coded question), we did (the
    actions done), what happens next: a line with nothing to say is left out (None: all)."""
    consultation = report.data.consultation
    lines = [
        ("We asked", consultation.purpose.strip()),
        ("You said", you_said(themes(report, tables))),
        ("We did", we_did(tables.get("you_said_we_did"))),
        ("What happens next", consultation.next_steps.strip()),
    ]
    items = [
        f"<li><strong>{html.text(name)}</strong> {html.text(body)}</li>"
        for name, body in lines
        if body
    ]
    return Fragment(f'<ul class="asked-said-did">{"".join(items)}</ul>') if items else None


def you_said(coded: list[tuple[str, Controlled]]) -> str:
    """The most common theme (all of them, when tied) of the first coded questions, where
    its count is shown."""
    said = []
    for title, table in coded[:SAID]:
        frame = table.frame.filter(~table.is_suppressed("count"))
        if not frame.height or not frame["count"].max():
            continue
        leaders = frame.filter(pl.col("count") == frame["count"].max())
        names = [f"“{name}”" for name in leaders["theme"].to_list()]
        share = html.format_number(leaders["pct_respondents"][0], "percent")
        if len(names) == 1:
            theme = f"the most common theme was {names[0]} ({share}"
        else:
            listed = ", ".join(names[:-1]) + " and " + names[-1]
            theme = f"the most common themes were {listed} ({share} each"
        said.append(f"asked “{title}”, {theme} of those whose comments were coded)")
    return ("When " + "; when ".join(said) + ".") if said else ""


def we_did(log: Controlled | None) -> str:
    """The actions done, in the log's own words, and how many more are under way."""
    if log is None or not log.frame.height:
        return ""
    done = log.frame.filter(pl.col("status") == "Done")["we_did"].to_list()
    under_way = log.frame.filter(pl.col("status") == "In progress").height
    parts = [text.rstrip(".") + "." for text in done[:DID]]
    if len(done) > DID:
        parts.append(f"{len(done) - DID} more actions are done.")
    if under_way:
        parts.append(f"{under_way} {'action is' if under_way == 1 else 'actions are'} in progress.")
    return " ".join(parts)
