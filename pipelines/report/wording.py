"""The report's words: titles, key messages and sentences, from published tables.

Pure functions: each takes a table (or the rows of one) and the few facts it needs (the
area's name, the disclosure profile, ``min_cell``, a question's title) and returns text. No
file is read and no report object is needed, so each sentence can be tested on a table of
three rows. A figure a sentence names is taken from the published table, so the words never
give away a number the table hides: a ``[c]`` row is never called "the largest".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

from pipelines.analysis.representation import NOT_ANSWERED, OTHER_AGES
from pipelines.disclosure import (
    PUBLIC_MAX_SUPPRESSED,
    PUBLIC_ROUNDING,
    SUPPRESSED,
    Controlled,
    control_count,
)
from pipelines.fields import PREFER_NOT_TO_SAY, Categories
from pipelines.labels import category_label, category_subject
from pipelines.report.html import format_number, govuk_date

#: Categories of a representation table counted apart from the shares (the age bands the
#: consultation was not for, ``population_ages``, together as one).
APART = (OTHER_AGES, PREFER_NOT_TO_SAY, NOT_ANSWERED)
Row = Mapping[str, Any]


def shown_count(value: int | None) -> str:
    """A count already through disclosure control: ``[c]`` for None."""
    return SUPPRESSED if value is None else format_number(value)


def count_text(value: int, profile: str, min_cell: int) -> str:
    """A count of people as the profile lets it be shown: rounded, exact, or ``[c]``."""
    return shown_count(control_count(value, profile, min_cell))


def shown_column(
    table: Controlled, value: str, kind: str, count: str | None = None
) -> pl.DataFrame:
    """The table's frame with ``shown``: the label each bar carries ("41% (1,234)" or ``[c]``)."""
    hidden = table.is_suppressed(value).to_list()
    values = table.frame[value].to_list()
    counts = table.frame[count].to_list() if count else [None] * len(values)
    labels = []
    for h, v, c in zip(hidden, values, counts, strict=True):
        if h:
            labels.append(SUPPRESSED)
        elif c is not None:
            labels.append(f"{format_number(v, kind)} ({format_number(c)})")
        else:
            labels.append(format_number(v, kind))
    return table.frame.with_columns(pl.Series("shown", labels, dtype=pl.String))


def bars_alt(title: str, frame: pl.DataFrame, category: str) -> str:
    """A bar chart's text alternative: its title and every bar's label."""
    items = "; ".join(
        f"{c}: {s}"
        for c, s in zip(frame[category].to_list(), frame["shown"].to_list(), strict=True)
    )
    return f"Bar chart. {title}. {items}."


# ---- disclosure, in words -------------------------------------------------------------------


def public_rule() -> tuple[str, str]:
    """The public profile's rule: the counts shown as ``[c]`` ("1 to 7") and the rounding
    ("the nearest 5"), from :mod:`pipelines.disclosure`."""
    return f"1 to {PUBLIC_MAX_SUPPRESSED}", f"the nearest {PUBLIC_ROUNDING}"


def source_note(
    consultation: str,
    area: str,
    profile: str,
    min_cell: int,
    source: str = "valid responses",
    people: bool = True,
) -> str:
    """The caption under a chart: where its numbers come from and, for counts of people
    under disclosure control, what [c] means."""
    note = f"Source: {consultation}, {source}, {area}."
    if not people:
        return note
    hidden, rounding = public_rule()
    if profile == "restricted":
        note += (
            f" [c]: fewer than {min_cell} people, or hidden so such a figure cannot be worked out."
        )
    elif profile == "public":
        note += f" Counts rounded to {rounding}; [c]: {hidden} people."
    return note


def small_numbers(profile: str, min_cell: int) -> str | None:
    """How small numbers are shown, in a paragraph (None: no disclosure control)."""
    hidden, rounding = public_rule()
    if profile == "restricted":
        return f"Counts from 1 to {min_cell - 1} are shown as [c] (confidential), and so is anything worked out from them. Where a [c] could be worked back from a total or the other figures, the next smallest figure is also shown as [c]. 0 is shown."
    if profile == "public":
        return f"Counts from {hidden} are shown as [c] (confidential); other counts are rounded to {rounding}, and percentages are worked out from the rounded counts, so they may not add up to 100%."
    return None


# ---- headline -------------------------------------------------------------------------------


def lede(owner: str, opened: dt.date, closed: dt.date) -> str:
    """Who runs the consultation (where consultation.yml names them) and when it was open."""
    when = f"open {govuk_date(opened)} to {govuk_date(closed)}"
    return f"{owner.strip()} · {when}" if owner.strip() else f"O{when[1:]}"


def change_stat(shown_now: int | None, shown_before: int | None, compared: bool) -> tuple[str, str]:
    """The headline card for the change in responses since the previous wave, from both
    totals as the report shows them (None: ``[c]``; ``compared`` False: no earlier wave)."""
    if not compared:
        return ("–", "no earlier wave to compare with")
    if not shown_now or not shown_before:  # a [c] on either side, or nothing to divide by
        return (SUPPRESSED, "change since the previous wave")
    change = (shown_now - shown_before) / shown_before * 100
    return (f"{change:+.0f}%", f"responses since the previous wave ({format_number(shown_before)})")


def groups_reached(by_group: Controlled) -> int:
    """Stakeholder groups with any response (a ``[c]`` count is at least one)."""
    return int((by_group.frame["responses"].fill_null(1) > 0).sum())


def key_messages(
    by_group: Controlled,
    representation: Mapping[str, Controlled],
    themes: Sequence[tuple[str, Controlled]],
    categories: Categories | None = None,
) -> list[str]:
    """Up to three sentences: the largest group, the most under-represented group, the top
    theme. ``representation``: the tables of the fields with population figures, by field;
    ``themes``: (question title, themes table) of the free-text questions, in order;
    ``categories``: the consultation's own monitoring categories (their labels)."""
    messages = []
    largest = largest_group_message(by_group)
    if largest:
        messages.append(largest)
    under = [
        (row["ratio"], dimension, row)
        for dimension, table in representation.items()
        for row in table.frame.filter(pl.col("flag") == "under").iter_rows(named=True)
    ]
    if under:
        _, dimension, row = min(under, key=lambda item: item[0])
        messages.append(represented_sentence(dimension, row, categories))
    for title, table in themes:
        top = leaders(shown_column(table, "count", "count"), "count")
        if top:
            share = format_number(top[0]["pct_respondents"], "percent")
            if len(top) > 1:
                names = and_list([r["theme"] for r in top])
                messages.append(
                    f"The most common themes in answers to “{title}” were {names}, "
                    f"each raised by {share} of those whose comments were coded."
                )
            else:
                messages.append(
                    f"The most common theme in answers to “{title}” was {top[0]['theme']}, "
                    f"raised by {share} of those whose comments were coded."
                )
            break
    return messages[:3]


def largest_group_message(by_group: Controlled) -> str | None:
    """The largest stakeholder group (every one of a tie) and its share of responses, read
    from the published table only: the same rule under every profile."""
    top = leaders(shown_column(by_group, "responses", "count"), "responses")
    if not top:
        return None
    share = format_number(top[0]["percent"], "percent")
    if len(top) > 1:
        return f"{and_list([r['label'] for r in top])} were the largest groups: {share} of responses each."
    return f"{top[0]['label']} were the largest group: {share} of responses."


def represented_sentence(dimension: str, row: Row, categories: Categories | None = None) -> str:
    """A flagged category in a sentence: who, which way, and the two shares."""
    way = "under" if row["flag"] == "under" else "over"
    return (
        f"{category_subject(dimension, row['category'], categories)} are {way}-represented: "
        f"{format_number(row['respondent_share'], 'share')} of respondents, "
        f"{format_number(row['population_share'], 'share')} of the population."
    )


# ---- who took part, events and actions: chart titles ---------------------------------------


def top_row(frame: pl.DataFrame, count: str) -> Row | None:
    """The first row if its count is shown and not zero."""
    top = frame.row(0, named=True) if frame.height else None
    return top if top and top[count] and top["shown"] != SUPPRESSED else None


def leaders(frame: pl.DataFrame, count: str) -> list[Row]:
    """The shown rows with the largest non-zero count, every one of a tie, in the table's
    order. None where the first row is hidden: a ranked table, published, puts its ``[c]``
    rows last, so a hidden first row may be the largest (a one-answer question's table is
    put in that order first, :func:`hidden_last`)."""
    if frame.height == 0 or frame["shown"][0] == SUPPRESSED:
        return []
    shown = [r for r in frame.iter_rows(named=True) if r["shown"] != SUPPRESSED and r[count]]
    if not shown:
        return []
    most = max(r[count] for r in shown)
    return [r for r in shown if r[count] == most]


def hidden_last(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` (with ``shown``) with its ``[c]`` rows moved last, order otherwise kept."""
    return frame.sort(pl.col("shown") == SUPPRESSED, maintain_order=True)


def and_list(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def is_majority(percent: float | None) -> bool:
    """ "Most" is said only of more than half."""
    return percent is not None and percent > 50


def group_title(frame: pl.DataFrame) -> str:
    top = leaders(frame, "responses")
    if not top:
        return "Responses by stakeholder group"
    if len(top) > 1:
        names = and_list([r["label"] for r in top])
        return f"{names} gave the most responses ({format_number(top[0]['responses'])} each)"
    return f"{top[0]['label']} gave the most responses"


def place_title(frame: pl.DataFrame, place: str) -> str:
    """Names up to three places with few or no responses."""
    quiet = [
        r[place]
        for r in frame.iter_rows(named=True)
        if r["shown"] == SUPPRESSED or not r["responses"]
    ]
    title = f"Responses by {place}"
    if quiet:
        title += (
            f": few or none from {', '.join(quiet[:3])}{' and others' if len(quiet) > 3 else ''}"
        )
    return title


def channel_title(frame: pl.DataFrame) -> str:
    """``frame`` has ``channel_label`` and ``percent``: "Most people responded online (62%)"
    only above half; otherwise the most common way, and a tie by name."""
    top = leaders(frame, "responses")
    if not top:
        return "Responses by channel"
    ways = and_list([r["channel_label"].lower() for r in top])
    share = format_number(top[0]["percent"], "percent")
    if len(top) > 1:
        return f"As many people responded {ways} ({share} each)"
    if is_majority(top[0]["percent"]):
        return f"Most people responded {ways} ({share})"
    return f"The most common way to respond was {ways} ({share})"


def attendance_title(frame: pl.DataFrame) -> str:
    top = leaders(frame, "attendees")
    if not top:
        return "People at events by group"
    if len(top) > 1:
        return f"{and_list([r['label'] for r in top])} were the largest groups at events"
    return f"{top[0]['label']} were the largest group at events"


def ladder_title(frame: pl.DataFrame) -> str:
    """The ladder chart's finding in its own unit, people (its bars count people at events
    at each rung): "64 of 199 people at events were at ones that went as far as co-designing
    or co-producing". ``frame`` has ``ladder_rung``, ``attendees`` and ``shown``; generic
    where a count it would add up is hidden."""
    deep = frame.filter(pl.col("ladder_rung").is_in(["co_designing", "co_producing"]))
    if frame.height == 0 or (frame["shown"] == SUPPRESSED).any():
        return "People at events, by how far each event went"
    people = int(deep["attendees"].sum())
    total = int(frame["attendees"].sum())
    if total == 0:
        return "People at events, by how far each event went"
    return (
        f"{format_number(people)} of {format_number(total)} people at events were at ones "
        "that went as far as co-designing or co-producing"
    )


def ladder_events_sentence(frame: pl.DataFrame) -> str:
    """The same finding counted in events, for a sentence beside the chart (events are not
    people: no disclosure control)."""
    deep = frame.filter(pl.col("ladder_rung").is_in(["co_designing", "co_producing"]))
    events = int(frame["events"].sum())
    word = "event" if events == 1 else "events"
    return f"{int(deep['events'].sum())} of {events} {word} went as far as co-designing or co-producing."


def actions_title(frame: pl.DataFrame) -> str:
    done = frame.filter(pl.col("status") == "done")["actions"].sum()
    return f"{done} of {frame['actions'].sum()} actions are done"


def feedback_sentence(
    told: int, not_yet_told: int, median_days: float | None, within_30: int
) -> str:
    """How long people waited to hear the outcome of the actions."""
    if not told:
        return f"Nobody has yet been told the outcome of these {not_yet_told} actions."
    days = median_days or 0
    return (
        f"People have been told the outcome of {told} actions; {not_yet_told} are still waiting. "
        f"Typically people heard back {abs(days):.0f} days {'after' if days >= 0 else 'before'} the due date; "
        f"{within_30} of {told} within 30 days of it."
    )


def unaddressed_sentence(themes: Sequence[str]) -> str | None:
    if not themes:
        return None
    return "Themes people raised that no action addresses yet: " + ", ".join(themes) + "."


def side_by_side_lead(table: Controlled) -> str:
    """The overview's regions compared: per 10,000 people where the table has population
    figures (the most and the fewest responses per head), else the region with the most
    responses; nothing named where any region's figure is hidden (naming a region "the
    most" beside a [c] would bound it)."""
    per_head = "responses_per_10k" in table.frame.columns
    column = "responses_per_10k" if per_head else "responses"
    hidden_any = bool(table.is_suppressed(column).any() or table.is_suppressed("responses").any())
    shown = table.frame.filter(pl.col(column).is_not_null())
    lead = ""
    if shown.height and not hidden_any:
        lead = regions_per_head_sentence(shown) if per_head else most_responses_sentence(shown)
    return f"{lead}Each region's own report has the detail: follow its name in the table."


def most_responses_sentence(frame: pl.DataFrame) -> str:
    """The region(s) with the most responses (ties named)."""
    most = frame["responses"].max()
    names = frame.filter(pl.col("responses") == most)["region"].to_list()
    verb = "gave" if len(names) == 1 else "each gave"
    return f"{and_list(names)} {verb} the most responses. "


def regions_per_head_sentence(frame: pl.DataFrame) -> str:
    """Regions compared per head, not by their share of responses: the region(s) with the
    most and the fewest responses per 10,000 people (to one decimal place, ties named)."""
    rates = frame.with_columns(pl.col("responses_per_10k").round(1).alias("_rate"))
    high, low = rates["_rate"].max(), rates["_rate"].min()
    most = and_list(rates.filter(pl.col("_rate") == high)["region"].to_list())
    if high == low:
        return f"Every region gave {high:.1f} responses per 10,000 people. "
    fewest = and_list(rates.filter(pl.col("_rate") == low)["region"].to_list())
    return (
        f"Per 10,000 people, {most} gave the most responses ({high:.1f}) "
        f"and {fewest} the fewest ({low:.1f}). "
    )


# ---- who is missing ---------------------------------------------------------------------------


def flagged_sentences(
    dimension: str, stated: pl.DataFrame, own: Categories | None = None
) -> list[str]:
    """The under-represented categories, then the over-represented ones, each in a sentence."""
    rows = sorted(stated.iter_rows(named=True), key=lambda r: r["flag"] != "under")
    return [represented_sentence(dimension, r, own) for r in rows if r["flag"] in ("under", "over")]


def apart_text(table: Controlled, labelled: pl.DataFrame) -> str:
    """The rows counted apart from the shares ("Prefer not to say: 12; Not answered: [c]"),
    in the table's order. ``labelled``: the table's frame with ``label``."""
    hidden = table.is_suppressed("respondents").to_list()
    return "; ".join(
        f"{r['label']}: {SUPPRESSED if h else format_number(r['respondents'])}"
        for r, h in zip(labelled.iter_rows(named=True), hidden, strict=True)
        if r["category"] in APART
    )


def ages_note(population_ages: Sequence[str] | None, labels: Sequence[str]) -> str | None:
    """Under the age comparison, where ``population_ages`` narrows it: which ages it covers
    (``labels``: their labels, in order) and that other ages are counted apart."""
    if not population_ages:
        return None
    return (
        f"Compared for the ages this consultation was for ({and_list(list(labels))}): "
        "respondents of other ages are counted apart (Other ages), and the population "
        "shares are of these ages only."
    )


def representation_chart_frame(
    table: Controlled, dimension: str, own: Categories | None = None
) -> pl.DataFrame:
    """The stated categories of a published representation table, labelled, each with its
    verdict in words ("under-represented", "[c] too few to show", ...), for the chart."""
    return (
        table.frame.with_columns(
            pl.Series("_hidden", table.is_suppressed("respondents")),
            pl.col("category")
            .map_elements(lambda c: category_label(dimension, c, own), return_dtype=pl.String)
            .alias("label"),
        )
        .filter(~pl.col("category").is_in(list(APART)))
        .with_columns(
            pl.when(pl.col("_hidden"))
            .then(pl.lit(f"{SUPPRESSED} too few to show"))
            .when(pl.col("ratio").is_null())
            .then(pl.lit("no population figure"))
            .when(pl.col("flag") == "under")
            .then(pl.lit("under-represented"))
            .when(pl.col("flag") == "over")
            .then(pl.lit("over-represented"))
            .otherwise(pl.lit(""))
            .alias("verdict")
        )
    )


def provenance_line(
    run_id: str, produced: dt.datetime, workbook: str, versions: Mapping[str, str]
) -> str:
    """The report run, when it was produced, and the versions of the packages that made it."""
    packages = ", ".join(f"{name} {version}" for name, version in versions.items())
    return (
        f"Report run {run_id or 'interactive'}, produced {produced:%d %B %Y %H:%M} UTC with participation-workbook {workbook}; "
        + packages
        + "."
    )


def data_quality(ledger: Mapping[str, int]) -> str:
    """Rows read, passed and set aside, from the validation ledger of the responses."""
    return (
        f"Across the whole consultation, {ledger['rows_read']:,} responses were read; {ledger['valid']:,} passed validation and "
        f"{ledger['quarantined']:,} were set aside (quarantined) with the reason recorded. "
        "Set-aside rows are kept for the analysts to check; they are not in any figure."
    )
