"""The sections of a report, each built from the analyses, published through disclosure
control, charted and put into plain words. Notebooks display these; they hold no logic.
"""

from __future__ import annotations

import importlib.metadata
from datetime import UTC, datetime

import polars as pl

from pipelines.analysis import actions as act
from pipelines.analysis import aggregates as agg
from pipelines.analysis import events as ev
from pipelines.analysis import participation as part
from pipelines.analysis import questions as qs
from pipelines.analysis import representation as rep
from pipelines.analysis import themes as th
from pipelines.charts import vegalite
from pipelines.charts.render import chart_svg
from pipelines.consultation import Question
from pipelines.disclosure import SUPPRESSED, Controlled, control_count
from pipelines.fields import MONITORING_FIELDS
from pipelines.labels import (
    category_label,
    category_subject,
    code_label,
    dimension_label,
    rule_text,
)
from pipelines.report import html
from pipelines.report import specs as sp
from pipelines.report.html import Fragment, format_number
from pipelines.report.publish import Report

PACKAGES = ("polars", "altair", "great-expectations", "papermill", "nbconvert", "vl-convert-python")


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


def _alt_for_bars(title: str, frame: pl.DataFrame, category: str) -> str:
    items = "; ".join(
        f"{c}: {s}"
        for c, s in zip(frame[category].to_list(), frame["shown"].to_list(), strict=True)
    )
    return f"Bar chart. {title}. {items}."


def _bar_figure(
    report: Report,
    table_id: str,
    frame: pl.DataFrame,
    category: str,
    value: str,
    title: str,
    axis: str,
    sort: list[str] | None = None,
    name: str | None = None,
    caption: str | None = None,
) -> Fragment:
    chart = vegalite.bar_chart(frame, category, value, "shown", title, axis, sort=sort)
    return html.figure(
        chart_svg(chart),
        _alt_for_bars(title, frame, category),
        caption or source_note(report),
        report.href(table_id),
        name or title,
    )


def source_note(report: Report, source: str = "valid responses", people: bool = True) -> str:
    """The caption under a chart: where its numbers come from and, for counts of people
    under disclosure control, what [c] means."""
    data = report.data
    note = f"Source: {data.consultation.title}, {source}, {data.area.name}."
    if not people:
        return note
    if report.profile == "restricted":
        note += f" [c]: fewer than {report.min_cell} people, or hidden so such a figure cannot be worked out."
    elif report.profile == "public":
        note += " Counts rounded to the nearest 5; [c]: 1 to 7 people."
    return note


def count_text(report: Report, value: int) -> str:
    controlled = control_count(value, report.profile, report.min_cell)
    return SUPPRESSED if controlled is None else format_number(controlled)


# ---------------------------------------------------------------- title and headline


def title_block(report: Report, kind: str = "region") -> Fragment:
    data = report.data
    c = data.consultation
    heading = f"{c.title}: {data.area.name}" if kind == "region" else f"{c.title}: all regions"
    parts = [html.heading(1, heading)]
    parts.append(
        html.paragraph(f"{c.owner} · open {c.opened:%d %B %Y} to {c.closed:%d %B %Y}", css="lede")
    )
    if report.profile == "none":
        parts.append(
            html.notice(
                "Not for circulation: no disclosure control. Exact counts, including small numbers."
            )
        )
    return html.join(parts)


def headline(report: Report) -> Fragment:
    """Headline figures and three key messages generated from the numbers."""
    data = report.data
    responses = part.total_responses(data)
    attendees = int(data.attendance.select(pl.col("attendees").sum()).collect().item() or 0)
    by_group = report.tables.get("participation_by_group") or report.publish(
        "participation_by_group", part.participation_by_group(data), sp.PARTICIPATION
    )
    reached = int((by_group.frame["responses"].fill_null(1) > 0).sum())
    stats = [
        (count_text(report, responses), "responses"),
        (
            count_text(report, attendees) if data.has("events") else "None recorded",
            "people at events",
        ),
        (f"{reached} of {len(data.consultation.groups)}", "stakeholder groups heard from"),
    ]
    change = _change_since_previous(report, responses)
    if change:
        stats.append(change)
    messages = key_messages(report)
    parts = [html.stat_cards(stats)]
    if messages:
        parts += [html.heading(3, "Key messages"), html.bullet_list(messages, css="key-messages")]
    return html.join(parts)


def _change_since_previous(report: Report, responses: int) -> tuple[str, str] | None:
    if report.previous is None:
        return ("–", "no earlier wave to compare with")
    before = part.total_responses(report.previous)
    shown_now = control_count(responses, report.profile, report.min_cell)
    shown_before = control_count(before, report.profile, report.min_cell)
    if not shown_now or not shown_before:
        return (SUPPRESSED, "change since the previous wave")
    change = (shown_now - shown_before) / shown_before * 100
    return (f"{change:+.0f}%", f"responses since the previous wave ({format_number(shown_before)})")


def key_messages(report: Report) -> list[str]:
    """Up to three sentences: the largest group, the most under-represented group, the top theme."""
    messages = []
    data = report.data
    groups = report.tables.get("participation_by_group")
    if groups is not None and groups.frame.height:
        top = groups.frame.row(0, named=True)
        if top["responses"] and not groups.is_suppressed("responses")[0]:
            messages.append(
                f"{top['label']} were the largest group: {format_number(top['percent'], 'percent')} of responses."
            )
    under = []
    for dimension in MONITORING_FIELDS:
        if not rep.has_population(data, dimension):
            continue
        table = report.tables.get(f"representation_{dimension}") or _publish_representation(
            report, dimension
        )
        frame = table.frame.filter(pl.col("flag") == "under")
        for row in frame.iter_rows(named=True):
            under.append((row["ratio"], dimension, row))
    if under:
        _, dimension, row = min(under, key=lambda item: item[0])
        messages.append(_under_sentence(dimension, row))
    for question in data.consultation.questions:
        if question.type != "free_text" or not data.has("themes"):
            continue
        table = report.tables.get(f"themes_{question.id}") or _publish_themes(report, question)
        if table.frame.height and not table.is_suppressed("count")[0]:
            top = table.frame.row(0, named=True)
            messages.append(
                f"The most common theme in answers to “{question.title}” was {top['theme']}, "
                f"raised by {format_number(top['pct_respondents'], 'percent')} of those whose comments were coded."
            )
            break
    return messages[:3]


def _under_sentence(dimension: str, row: dict) -> str:
    return (
        f"{category_subject(dimension, row['category'])} are under-represented: "
        f"{format_number(row['respondent_share'], 'share')} of respondents, "
        f"{format_number(row['population_share'], 'share')} of the population."
    )


def _over_sentence(dimension: str, row: dict) -> str:
    return (
        f"{category_subject(dimension, row['category'])} are over-represented: "
        f"{format_number(row['respondent_share'], 'share')} of respondents, "
        f"{format_number(row['population_share'], 'share')} of the population."
    )


# ---------------------------------------------------------------- who took part


def who_took_part(report: Report, place: str = "locality") -> Fragment:
    """By group, by place, by channel, group × place, and change since the previous wave."""
    data = report.data
    parts = [html.heading(3, "By stakeholder group")]
    groups = report.tables.get("participation_by_group") or report.publish(
        "participation_by_group", part.participation_by_group(data), sp.PARTICIPATION
    )
    frame = shown_column(groups, "percent", "percent", "responses")
    top = frame.row(0, named=True) if frame.height else None
    title = (
        f"{top['label']} gave the most responses"
        if top and top["shown"] != SUPPRESSED and top["responses"]
        else "Responses by stakeholder group"
    )
    parts.append(
        _bar_figure(
            report, "participation_by_group", frame, "label", "percent", title, "% of responses"
        )
    )

    parts.append(html.heading(3, "By place"))
    if place == "locality":
        places = report.publish(
            "participation_by_locality", part.participation_by_locality(data), sp.PARTICIPATION
        )
        label = "locality"
    else:
        places = report.publish(
            "participation_by_region", part.participation_by_region(data), sp.PARTICIPATION
        )
        label = "region"
    frame = shown_column(places, "percent", "percent", "responses")
    quiet = [
        r[label]
        for r in frame.iter_rows(named=True)
        if r["shown"] == SUPPRESSED or not r["responses"]
    ]
    title = f"Responses by {label}"
    if quiet:
        title += (
            f": few or none from {', '.join(quiet[:3])}{' and others' if len(quiet) > 3 else ''}"
        )
    parts.append(
        _bar_figure(
            report, f"participation_by_{label}", frame, label, "percent", title, "% of responses"
        )
    )

    parts.append(html.heading(3, "By how people responded"))
    channels = report.publish(
        "participation_by_channel", part.participation_by_channel(data), sp.PARTICIPATION
    )
    frame = shown_column(channels, "percent", "percent", "responses").with_columns(
        pl.col("channel")
        .map_elements(lambda c: code_label("channels", c), return_dtype=pl.String)
        .alias("channel_label")
    )
    top = frame.row(0, named=True) if frame.height else None
    title = (
        f"Most people responded {top['channel_label'].lower()}"
        if top and top["responses"] and top["shown"] != SUPPRESSED
        else "Responses by channel"
    )
    if top and top["channel"] == "event":
        title = "Most people responded at an event"
    parts.append(
        _bar_figure(
            report,
            "participation_by_channel",
            frame,
            "channel_label",
            "percent",
            title,
            "% of responses",
        )
    )

    parts.append(html.heading(3, f"Stakeholder groups in each {label}"))
    cells = part.participation_by_group_and_place(data, label)
    hidden_groups = report.hidden_groups("participation_by_group")
    hidden_places = report.hidden_groups(f"participation_by_{label}", key=label)
    grid = report.publish(
        f"participation_by_group_and_{label}",
        cells,
        sp.GROUP_BY_PLACE[label],
        [
            g in hidden_groups or p in hidden_places
            for g, p in zip(cells["group"], cells[label], strict=True)
        ],
    )
    frame = shown_column(grid, "responses", "count").with_columns(
        pl.col("responses").fill_null(0).alias("_value")
    )
    if frame.height:
        chart = vegalite.heatmap(
            frame, "label", label, "shown", "_value", f"Responses by group and {label}"
        )
        alt = f"Grid of responses by stakeholder group and {label}; the same figures are in the table below."
        parts.append(
            html.figure(
                chart_svg(chart), alt, source_note(report), report.href(grid.table_id), alt[:60]
            )
        )
        wide = _wide(grid, label)
        parts.append(
            html.data_table(
                wide,
                {
                    c: (c if c != "label" else "Group", "text" if c == "label" else "text")
                    for c in wide.columns
                },
                f"Responses by group and {label} ([c] = suppressed)",
            )
        )

    parts.append(_wave_change(report))
    return html.join(parts)


def _wide(grid: Controlled, place: str) -> pl.DataFrame:
    frame = grid.published()
    return frame.pivot(on=place, index="label", values="responses", aggregate_function="first")


def _wave_change(report: Report) -> Fragment:
    parts = [html.heading(3, "Change since the previous wave")]
    if report.previous is None:
        parts.append(
            html.paragraph(
                "This is the first wave of this consultation series, so there is nothing to compare with yet."
            )
        )
        return html.join(parts)
    now = part.participation_by_group(report.data)
    before = part.participation_by_group(report.previous)
    change = part.change_since_previous_wave(now, before, "group").join(
        now.select("group", "label"), on="group"
    )
    change = change.select("group", "label", "responses", "previous", "change", "change_percent")
    already = report.hidden_groups("participation_by_group")
    table = report.publish(
        "change_by_group", change, sp.WAVE_CHANGE, [g in already for g in change["group"]]
    )
    parts.append(
        html.data_table(
            table,
            {
                "label": ("Group", "text"),
                "previous": ("Previous wave", "count"),
                "responses": ("This wave", "count"),
                "change": ("Change", "count"),
                "change_percent": ("Change (%)", "decimal"),
            },
            "Responses by group, this wave and the previous one",
            report.href("change_by_group"),
        )
    )
    return html.join(parts)


def events(report: Report) -> Fragment:
    """Attendance by group and by event, and the ladder of participation."""
    data = report.data
    parts = []
    if not data.has("events") or data.events.select(pl.len()).collect().item() == 0:
        parts.append(
            html.paragraph(
                "No events were recorded for this area, so there is no attendance to report."
            )
        )
        return html.join(parts)
    attendance = report.publish("attendance_by_group", ev.attendance_by_group(data), sp.ATTENDANCE)
    frame = shown_column(attendance, "percent", "percent", "attendees")
    top = frame.row(0, named=True)
    title = (
        f"{top['label']} were the largest group at events"
        if top["attendees"] and top["shown"] != SUPPRESSED
        else "People at events by group"
    )
    parts.append(
        _bar_figure(
            report,
            "attendance_by_group",
            frame,
            "label",
            "percent",
            title,
            "% of attendees",
            caption=source_note(report, "attendance recorded at events"),
        )
    )
    by_event = report.publish(
        "attendance_by_event", ev.attendance_by_event(data), sp.ATTENDANCE_BY_EVENT
    )
    parts.append(
        html.data_table(
            by_event,
            {
                "title": ("Event", "text"),
                "date": ("Date", "text"),
                "attendees": ("People", "count"),
            },
            "Events and how many people came",
            report.href("attendance_by_event"),
        )
    )
    ladder = report.publish("ladder_profile", ev.ladder_profile(data), sp.LADDER)
    frame = shown_column(ladder, "attendees", "count").with_columns(
        pl.col("ladder_rung")
        .map_elements(lambda c: code_label("ladder_rungs", c), return_dtype=pl.String)
        .alias("rung")
    )
    deep = frame.filter(pl.col("ladder_rung").is_in(["co_designing", "co_producing"]))[
        "events"
    ].sum()
    title = f"{deep} of {frame['events'].sum()} events went as far as co-designing or co-producing"
    rungs = frame["rung"].to_list()
    parts.append(
        _bar_figure(
            report,
            "ladder_profile",
            frame,
            "rung",
            "attendees",
            title,
            "People at events",
            sort=rungs,
            caption=source_note(report, "events and attendance recorded"),
        )
    )
    reach = ev.people_reached_by_group(data)
    already = report.hidden_groups("participation_by_group") | report.hidden_groups(
        "attendance_by_group"
    )
    reached = report.publish(
        "people_reached_by_group", reach, sp.PEOPLE_REACHED, [g in already for g in reach["group"]]
    )
    parts.append(
        html.data_table(
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
    )
    return html.join(parts)


# ---------------------------------------------------------------- who is missing


def _publish_representation(report: Report, dimension: str) -> Controlled:
    return report.publish(
        f"representation_{dimension}", rep.representation(report.data, dimension), sp.REPRESENTATION
    )


def who_is_missing(report: Report) -> Fragment:
    """The respondent profile against the population for each monitoring dimension."""
    data = report.data
    parts = []
    for dimension in MONITORING_FIELDS:
        name = dimension_label(dimension)
        parts.append(html.heading(3, name))
        table = report.tables.get(f"representation_{dimension}") or _publish_representation(
            report, dimension
        )
        frame = table.frame.with_columns(
            pl.col("category")
            .map_elements(lambda c, d=dimension: category_label(d, c), return_dtype=pl.String)
            .alias("label")
        )
        stated = frame.filter(~pl.col("category").is_in(["prefer_not_to_say", rep.NOT_ANSWERED]))
        apart = frame.filter(pl.col("category").is_in(["prefer_not_to_say", rep.NOT_ANSWERED]))
        apart_text = "; ".join(
            f"{r['label']}: {SUPPRESSED if h else format_number(r['respondents'])}"
            for r, h in zip(
                apart.iter_rows(named=True),
                table.is_suppressed("respondents").to_list()[-2:],
                strict=True,
            )
        )
        if rep.has_population(data, dimension):
            sentences = [
                _under_sentence(dimension, r)
                for r in stated.iter_rows(named=True)
                if r["flag"] == "under"
            ]
            sentences += [
                _over_sentence(dimension, r)
                for r in stated.iter_rows(named=True)
                if r["flag"] == "over"
            ]
            chart_frame = representation_chart_frame(table, dimension)
            if chart_frame.height:
                title = (
                    sentences[0]
                    if sentences
                    else f"{name}: respondents broadly in line with the population"
                )
                chart = vegalite.representation_chart(chart_frame, title)
                alt = (
                    f"Chart of respondent share against population share by {name.lower()}. "
                    + " ".join(sentences or ["No group is clearly under- or over-represented."])
                )
                parts.append(
                    html.figure(
                        chart_svg(chart),
                        alt,
                        source_note(report),
                        report.href(table.table_id),
                        f"{name}: {title}",
                    )
                )
            if sentences:
                parts.append(html.bullet_list(sentences))
            else:
                parts.append(
                    html.paragraph(
                        f"By {name.lower()}, no category is clearly under- or over-represented, given the uncertainty that the numbers carry."
                    )
                )
        else:
            parts.append(
                html.paragraph(
                    f"There are no population figures for {name.lower()} in this area, so the respondent profile is shown without a comparison."
                )
            )
        parts.append(
            html.data_table(
                table_with_labels(table, frame),
                {
                    "label": (name, "text"),
                    "respondents": ("Respondents", "count"),
                    "respondent_share": ("Share of respondents", "share"),
                    "population_share": ("Share of population", "share"),
                    "ratio": ("Ratio", "ratio"),
                    "ci_low": ("95% interval from", "ratio"),
                    "ci_high": ("to", "ratio"),
                    "flag": ("Flag", "text"),
                },
                f"{name}: respondents and population",
                report.href(table.table_id),
            )
        )
        if apart_text:
            parts.append(
                html.paragraph(
                    f"Counted apart and left out of the shares: {apart_text}.", css="small"
                )
            )
    return html.join(parts)


def representation_chart_frame(table: Controlled, dimension: str) -> pl.DataFrame:
    """The stated categories of a published representation table, labelled, each with its
    verdict in words ("under-represented", "[c] too few to show", ...), for the chart."""
    apart = ["prefer_not_to_say", rep.NOT_ANSWERED]
    return (
        table.frame.with_columns(
            pl.Series("_hidden", table.is_suppressed("respondents")),
            pl.col("category")
            .map_elements(lambda c: category_label(dimension, c), return_dtype=pl.String)
            .alias("label"),
        )
        .filter(~pl.col("category").is_in(apart))
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


def table_with_labels(table: Controlled, labelled: pl.DataFrame) -> Controlled:
    """The controlled table with a display label column (same rows, same mask)."""
    mask = table.suppressed.with_columns(pl.lit(False).alias("label"))
    return Controlled(table.table_id, labelled, mask, table.profile, table.min_cell)


# ---------------------------------------------------------------- what people said


def _publish_themes(report: Report, question: Question) -> Controlled:
    frame = th.themes(report.data, question.id)
    respondents = agg.respondents(report.data, question.id, "themes")
    return report.publish(f"themes_{question.id}", frame, sp.multi(respondents))


def what_people_said(report: Report) -> Fragment:
    """Each question as the right chart, then themes and quotes for free text."""
    parts = []
    for question in report.data.consultation.questions:
        parts.append(html.heading(3, question.title))
        parts.append(_question(report, question))
    return html.join(parts)


def _question(report: Report, question: Question) -> Fragment:
    data = report.data
    table_id = f"question_{question.id}"
    if question.type in ("single", "likert"):
        table = report.publish(table_id, qs.single_choice(data, question), sp.QUESTION)
        frame = shown_column(table, "percent", "percent", "count")
        order = frame["label"].to_list()
        if question.type == "likert":
            chart = vegalite.diverging_likert(frame, _likert_title(table, question))
            mean = qs.likert_mean_score(data, question, report.min_cell)
            mean_text = (
                f"Mean score {mean:.1f} on a scale of 1 ({order[0]}) to {len(order)} ({order[-1]})."
                if mean is not None and not table.any_suppressed() and report.profile != "public"
                else "No mean score is shown: too few answers, or some are suppressed."
            )
            figure = html.figure(
                chart_svg(chart),
                _alt_for_bars(_likert_title(table, question), frame, "label"),
                source_note(report),
                report.href(table_id),
                f"{question.title}: {_likert_title(table, question)}",
            )
            return html.join(
                [
                    figure,
                    html.paragraph(mean_text),
                    _answer_table(report, table, question, table_id),
                    group_differences(report, question),
                ]
            )
        best = (
            frame.sort("count", descending=True, nulls_last=True).row(0, named=True)
            if frame.height
            else None
        )
        title = (
            f"Most chose “{best['label']}”"
            if best and best["count"] and best["shown"] != SUPPRESSED
            else "Answers"
        )
        return html.join(
            [
                _bar_figure(
                    report,
                    table_id,
                    frame,
                    "label",
                    "percent",
                    title,
                    "% of respondents",
                    sort=order,
                    name=f"{question.title}: {title}",
                ),
                _answer_table(report, table, question, table_id),
                group_differences(report, question),
            ]
        )
    if question.type == "multi":
        respondents = agg.respondents(data, question.id)
        table = report.publish(table_id, qs.multi_choice(data, question), sp.multi(respondents))
        frame = shown_column(table, "pct_respondents", "percent", "count")
        top = frame.row(0, named=True) if frame.height else None
        title = (
            f"“{top['label']}” was chosen most often"
            if top and top["count"] and top["shown"] != SUPPRESSED
            else "Options chosen"
        )
        figure = _bar_figure(
            report,
            table_id,
            frame,
            "label",
            "pct_respondents",
            title,
            "% of respondents (people could choose more than one)",
            name=f"{question.title}: {title}",
        )
        return html.join(
            [
                figure,
                html.paragraph(
                    f"Of {count_text(report, respondents)} people who answered. “% of respondents” can add up to more than 100% because people could choose several options; “% of mentions” adds up to 100%."
                ),
                html.data_table(
                    table,
                    {
                        "label": ("Option", "text"),
                        "count": ("People", "count"),
                        "pct_respondents": ("% of respondents", "percent"),
                        "pct_mentions": ("% of mentions", "percent"),
                    },
                    f"Options chosen: {question.title}",
                    report.href(table_id),
                ),
            ]
        )
    if question.type == "number":
        summary = qs.number_summary(data, question).drop("minimum", "maximum")  # single answers
        table = report.publish(table_id, summary, sp.NUMBER)
        return html.data_table(
            table,
            {
                "answered": ("People who answered", "count"),
                "median": ("Median", "decimal"),
                "lower_quartile": ("Lower quartile", "decimal"),
                "upper_quartile": ("Upper quartile", "decimal"),
                "mean": ("Mean", "decimal"),
            },
            f"Summary of answers to: {question.title}",
            report.href(table_id),
        )
    return _free_text(report, question)


def _likert_title(table: Controlled, question: Question) -> str:
    """The finding, in the scale's own words: "45% answered Good or Very good; 20% Poor or Very poor"."""
    frame = table.frame
    n = frame.height
    if n < 2 or table.any_suppressed():
        return "How people answered"
    labels = frame["label"].to_list()
    top = (frame["percent"][n - n // 2 :].sum(), " or ".join(labels[n - n // 2 :]))
    bottom = (frame["percent"][: n // 2].sum(), " or ".join(labels[: n // 2]))
    first, second = (top, bottom) if top[0] >= bottom[0] else (bottom, top)
    return f"{first[0]:.0f}% answered {first[1]}; {second[0]:.0f}% {second[1]}"


def group_differences(report: Report, question: Question) -> Fragment:
    """Whether stakeholder groups answered differently: the chi-square test in words, and
    up to three cells that stand out (adjusted residual beyond ±1.96), only where both the
    cell and its group have at least ``min_cell`` people."""
    result = qs.crosstab_by_group(report.data, question)
    if not result.tested:
        return html.paragraph(f"Differences between groups: {result.note}", css="small")
    groups = report.data.consultation.groups
    group_sizes = result.table.group_by("group").agg(pl.col("count").sum().alias("n"))
    cells = (
        result.table.join(group_sizes, on="group")
        .filter(
            (pl.col("adjusted_residual").abs() > 1.96)
            & (pl.col("count") >= report.min_cell)
            & (pl.col("n") >= report.min_cell)
        )
        .sort(pl.col("adjusted_residual").abs(), descending=True)
        .head(3)
    )
    notes = [
        f"{groups.get(r['group'], r['group'])} chose “{question.option_label(r['option'])}” "
        f"{'more' if r['adjusted_residual'] > 0 else 'less'} often than other groups."
        for r in cells.iter_rows(named=True)
    ]
    parts = [html.paragraph(f"Differences between groups: {result.note}", css="small")]
    if notes and result.p_value is not None and result.p_value < 0.05:
        parts.append(html.bullet_list(notes, css="small"))
    return html.join(parts)


def _answer_table(report: Report, table: Controlled, question: Question, table_id: str) -> Fragment:
    return html.data_table(
        table,
        {
            "label": ("Answer", "text"),
            "count": ("People", "count"),
            "percent": ("% of respondents", "percent"),
        },
        f"Answers to: {question.title}",
        report.href(table_id),
    )


def _free_text(report: Report, question: Question) -> Fragment:
    data = report.data
    answered = qs.free_text_answered(data, question)
    parts = [html.paragraph(f"{count_text(report, answered)} people wrote an answer.")]
    if not data.has("themes"):
        parts.append(
            html.paragraph("The comments have not been coded into themes, so no themes are shown.")
        )
        return html.join(parts)
    table = report.tables.get(f"themes_{question.id}") or _publish_themes(report, question)
    if table.frame.height == 0:
        parts.append(html.paragraph("No coded comments for this area."))
        return html.join(parts)
    frame = shown_column(table, "pct_respondents", "percent", "count")
    top = frame.row(0, named=True)
    title = (
        f"{top['theme']} was the most common theme"
        if top["shown"] != SUPPRESSED
        else "Themes in the comments"
    )
    parts.append(
        _bar_figure(
            report,
            table.table_id,
            frame,
            "theme",
            "pct_respondents",
            title,
            "% of coded comments",
            caption=source_note(report, "comments coded into themes"),
            name=f"Themes in answers to {question.title}: {title}",
        )
    )
    parts.append(
        html.data_table(
            table,
            {
                "theme": ("Theme", "text"),
                "count": ("People", "count"),
                "pct_respondents": ("% of respondents", "percent"),
                "pct_mentions": ("% of mentions", "percent"),
            },
            f"Themes in answers to: {question.title}",
            report.href(table.table_id),
        )
    )
    quotes = th.quotes(data, question.id, report.quotes_per_theme)
    shown_themes = set(frame.filter(pl.col("shown") != SUPPRESSED)["theme"].to_list())
    quotes = quotes.filter(pl.col("theme").is_in(list(shown_themes)))
    if quotes.height:
        parts.append(html.heading(4, "In their own words"))
        blocks = [
            f"<blockquote><p>{html.text(row['text'])}</p><footer>Theme: {html.text(row['theme'])}</footer></blockquote>"
            for row in quotes.iter_rows(named=True)
        ]
        parts.append(Fragment("".join(blocks)))
        parts.append(
            html.paragraph(
                "Quotes are from people who agreed to be quoted. Contact details, identifying "
                "numbers, dates of birth, addresses and names have been removed.",
                css="small",
            )
        )
    return html.join(parts)


# ---------------------------------------------------------------- what we did


def what_we_did(report: Report) -> Fragment:
    """You said, we did: status, the log, and how long people waited to hear back."""
    data = report.data
    if not data.has("actions") or data.actions.select(pl.len()).collect().item() == 0:
        return html.paragraph("No actions have been recorded for this area yet.")
    parts = []
    status = report.publish("actions_by_status", act.actions_by_status(data), sp.ACTIONS)
    frame = shown_column(status, "percent", "percent", "actions").with_columns(
        pl.col("status")
        .map_elements(lambda c: code_label("statuses", c), return_dtype=pl.String)
        .alias("status_label")
    )
    done = frame.filter(pl.col("status") == "done")["actions"].sum()
    title = f"{done} of {frame['actions'].sum()} actions are done"
    parts.append(
        _bar_figure(
            report,
            "actions_by_status",
            frame,
            "status_label",
            "actions",
            title,
            "Actions",
            sort=frame["status_label"].to_list(),
            caption=source_note(report, "the actions log", people=False),
        )
    )
    lag = act.feedback_lag(data).row(0, named=True)
    if lag["told"]:
        parts.append(
            html.paragraph(
                f"People have been told the outcome of {lag['told']} actions; {lag['not_yet_told']} are still waiting. "
                f"Typically people heard back {abs(lag['median_days'] or 0):.0f} days {'after' if (lag['median_days'] or 0) >= 0 else 'before'} the due date; "
                f"{lag['within_30_days']} of {lag['told']} within 30 days of it."
            )
        )
    else:
        parts.append(
            html.paragraph(
                f"Nobody has yet been told the outcome of these {lag['not_yet_told']} actions."
            )
        )
    log = act.you_said_we_did(data).with_columns(
        pl.col("status").map_elements(lambda c: code_label("statuses", c), return_dtype=pl.String)
    )
    log = report.publish("you_said_we_did", log, sp.THINGS)
    parts.append(
        html.data_table(
            log,
            ({"region": ("Region", "text")} if data.area.level == "consultation" else {})
            | {
                "you_said": ("You said", "text"),
                "we_did": ("We did", "text"),
                "status": ("Status", "text"),
                "theme": ("Theme", "text"),
                "owner": ("Owner", "text"),
                "due": ("Due", "text"),
                "feedback_given": ("People told", "text"),
            },
            "You said, we did",
            report.href("you_said_we_did"),
        )
    )
    missing = act.themes_without_action(data)
    if missing.height:
        parts.append(
            html.paragraph(
                "Themes people raised that no action addresses yet: "
                + ", ".join(missing["theme"].to_list())
                + "."
            )
        )
    return html.join(parts)


# ---------------------------------------------------------------- about


def about(report: Report, run_id: str = "") -> Fragment:
    """Data quality, disclosure, definitions and provenance."""
    validation = report.data.validation
    ledger = validation["tables"]["responses"]
    parts = [html.heading(3, "Data quality")]
    parts.append(
        html.paragraph(
            f"Across the whole consultation, {ledger['rows_read']:,} responses were read; {ledger['valid']:,} passed validation and "
            f"{ledger['quarantined']:,} were set aside (quarantined) with the reason recorded. "
            "Set-aside rows are kept for the analysts to check; they are not in any figure."
        )
    )
    rules = validation.get("failures_by_rule", {})
    if rules:
        parts.append(
            html.bullet_list([f"{count} where {rule_text(rule)}" for rule, count in rules.items()])
        )
    parts.append(html.heading(3, "Small numbers"))
    if report.profile == "restricted":
        parts.append(
            html.paragraph(
                f"Counts from 1 to {report.min_cell - 1} are shown as [c] (confidential), and so is anything worked out from them. Where a [c] could be worked back from a total or the other figures, the next smallest figure is also shown as [c]. 0 is shown."
            )
        )
    elif report.profile == "public":
        parts.append(
            html.paragraph(
                "Counts from 1 to 7 are shown as [c] (confidential); other counts are rounded to the nearest 5, and percentages are worked out from the rounded counts, so they may not add up to 100%."
            )
        )
    else:
        parts.append(html.notice("Not for circulation: no disclosure control has been applied."))
    parts.append(html.heading(3, "Definitions"))
    parts.append(
        html.bullet_list(
            [
                "Percentages of responses use all valid responses in the area as the base; for a question, the people who answered it.",
                "For questions where people could choose several options, “% of respondents” can add up to more than 100%; “% of mentions” adds up to 100%.",
                "Representation compares the share of respondents in a group with its share of the population. A group is flagged under-represented when the ratio is below 0.8 and its 95% Wilson interval lies wholly below 1, and over-represented when above 1.25 with the interval wholly above 1.",
                "“Prefer not to say” and blank answers are counted apart and left out of the shares.",
            ]
        )
    )
    parts.append(html.heading(3, "Where the numbers came from"))
    versions = []
    for package in PACKAGES:
        try:
            versions.append(f"{package} {importlib.metadata.version(package)}")
        except importlib.metadata.PackageNotFoundError:
            continue
    items = [f"{i['file']}: sha256 {i['sha256']}" for i in validation["inputs"]]
    items.append(
        f"Validation suites: {'all passed' if validation['success'] else 'rows failing a rule were set aside'} (validation run {validation['run_id']})."
    )
    items.append(
        f"Report run {run_id or 'interactive'}, produced {datetime.now(UTC):%d %B %Y %H:%M} UTC with participation-workbook {importlib.metadata.version('participation-workbook')}; "
        + ", ".join(versions)
        + "."
    )
    parts.append(html.bullet_list(items, css="provenance"))
    return html.join(parts)


# ---------------------------------------------------------------- overview


def regions_side_by_side(report: Report) -> Fragment:
    """One row per region: responses, groups heard from, people at events, actions done, and
    the most under-represented group, all under the report's disclosure profile."""
    from pipelines.analysis import regions as rg
    from pipelines.disclosure import TableSpec

    whole = report.data
    under: dict[str, list[tuple[float, str, int]]] = {}
    for region, dimension, category, ratio, respondents in rg.under_represented_by_region(
        whole
    ).iter_rows():
        if control_count(respondents, report.profile, report.min_cell):
            under.setdefault(region, []).append(
                (ratio, category_subject(dimension, category), respondents)
            )
    figures = rg.region_figures(whole)
    frame = figures.with_columns(
        pl.Series(
            "most_under_represented",
            [min(under[r])[1] if r in under else "" for r in figures["region"]],
            dtype=pl.String,
        )
    )
    table = report.publish(
        "regions_side_by_side", frame, TableSpec(count="responses", also=("attendees",))
    )
    # from the published figures: naming a region "the most" beside a [c] would bound it
    shown = table.frame.filter(~table.is_suppressed("responses"))
    largest = shown.sort("responses", descending=True, maintain_order=True)
    hidden_any = bool(table.is_suppressed("responses").any())
    lead = (
        f"{largest.row(0, named=True)['region']} gave the most responses. "
        if largest.height and not hidden_any
        else ""
    )
    return html.join(
        [
            html.paragraph(
                f"{lead}Each region's own report has the detail; the table links to nothing outside this file."
            ),
            html.data_table(
                table,
                {
                    "region": ("Region", "text"),
                    "responses": ("Responses", "count"),
                    "groups": ("Groups heard from", "count"),
                    "attendees": ("People at events", "count"),
                    "actions_done": ("Actions done", "count"),
                    "most_under_represented": ("Most under-represented", "text"),
                },
                "Regions side by side",
                report.href("regions_side_by_side"),
            ),
        ]
    )
