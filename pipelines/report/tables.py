"""Every table of a report, published once, in one fixed order.

:func:`publish_tables` is the only place a report's tables are made: it calls the analyses,
puts each table through disclosure control (:meth:`Report.publish`, which adds the run's
plan and writes the CSV), and decides every suppression that crosses tables here, where the
tables it depends on are already published: a grid and the wave comparison hide what the
group and place tables hid; the people-reached table hides what the group and attendance
tables hid. The sections only read the mapping it returns.

The order is the order the report reads, and it is the order the run's disclosure plan
records the tables in (:func:`pipelines.report.plan.record_run`).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

import polars as pl

from pipelines.analysis import actions as act
from pipelines.analysis import aggregates as agg
from pipelines.analysis import events as ev
from pipelines.analysis import participation as part
from pipelines.analysis import questions as qs
from pipelines.analysis import regions as rg
from pipelines.analysis import representation as rep
from pipelines.analysis import themes as th
from pipelines.consultation import Consultation, Question
from pipelines.disclosure import Controlled, TableSpec, control, control_count, round_to
from pipelines.fields import MONITORING_FIELDS
from pipelines.labels import category_subject, code_label
from pipelines.report import specs as sp
from pipelines.report.publish import Report, Wave
from pipelines.store.clean_data import CleanData


def _recompute_per_head(rounded: pl.DataFrame, exact: pl.DataFrame) -> pl.DataFrame:
    """Under ``public``: responses per 10,000 people from the rounded responses."""
    return rg.per_head(
        rounded.drop("population", "responses_per_10k"), exact.select("region", "population")
    )


#: The overview's table of every region's headline figures, and, where there are
#: population figures, responses per 10,000 people (which falls with its count).
SIDE_BY_SIDE = TableSpec(count="responses", also=("attendees",))
SIDE_BY_SIDE_PER_HEAD = TableSpec(
    count="responses",
    also=("attendees",),
    derived=("responses_per_10k",),
    recompute=_recompute_per_head,
)


def _grid_percents(rounded: pl.DataFrame, exact: pl.DataFrame) -> pl.DataFrame:
    """Under ``public``: each item's percentages from its rounded counts, of its rounded
    total (the people who answered the item, worked out exact, then rounded)."""
    bases = exact.select(round_to(pl.col("count").sum().over("item")).alias("_base"))
    return (
        rounded.with_columns(bases["_base"])
        .with_columns(
            pl.when(pl.col("_base") > 0)
            .then(pl.col("count") / pl.col("_base") * 100)
            .alias("percent")
        )
        .drop("_base")
    )


#: A grid question: each item's scale points add up to the people who answered the item
#: (one line per item); percent is of that base.
GRID = TableSpec(
    count="count", percents={"percent": "count"}, lines=(("item",),), recompute=_grid_percents
)
#: A ranking question: ``ranked`` counts people (an option's counts add up to no shown
#: total); its mean rank falls with it, and ``pct_first`` also where the people who ranked
#: the option first, or those who did not, are few.
RANKING = TableSpec(count="ranked", derived=("mean_rank",), parts=("pct_first",), lines=())


def mapped_fields(consultation: Consultation) -> frozenset[str]:
    """The standard fields this consultation maps, as a column or a constant (``age``, a
    number of years, gives ``age_band``): a report shows no table, chart or key message for
    any other."""
    mapped = set(consultation.columns) | set(consultation.constants)
    if "age" in mapped:
        mapped.add("age_band")
    return frozenset(mapped)


def shown_monitoring(consultation: Consultation) -> tuple[str, ...]:
    """The monitoring fields a report shows: those the consultation maps, in their order."""
    mapped = mapped_fields(consultation)
    return tuple(d for d in MONITORING_FIELDS if d in mapped)


def compared_fields(data: CleanData) -> tuple[str, ...]:
    """The shown monitoring fields with population figures to compare with, in order."""
    return tuple(d for d in shown_monitoring(data.consultation) if rep.has_population(data, d))


def publish_tables(report: Report) -> Mapping[str, Controlled]:
    """Publish every table of ``report`` (a region's, a locality's or the overview's) and
    return them, read-only, by table id.

    Order: participation by group, the representation tables the key messages read, the
    themes tables, the overview's regions side by side, the rest of who took part, events,
    the other representation tables, each question, the actions.
    """
    data = report.data
    place = "locality" if report.area else "region"
    by_group = report.publish(
        "participation_by_group", part.participation_by_group(data), sp.PARTICIPATION
    )
    monitoring = shown_monitoring(data.consultation)
    with_population = compared_fields(data)
    for dimension in with_population:
        _publish_representation(report, dimension)
    themed = _publish_key_theme(report)
    if not report.area:
        _publish_side_by_side(report)
    _publish_participation(report, by_group, place)
    if data.has("events") and data.events.select(pl.len()).collect().item() > 0:
        _publish_events(report, by_group)
    for dimension in monitoring:
        if dimension not in with_population:
            _publish_representation(report, dimension)
    for question in data.consultation.questions:
        _publish_question(report, question, themed)
    if data.has("actions") and data.actions.select(pl.len()).collect().item() > 0:
        _publish_actions(report)
    return MappingProxyType(dict(report.tables))


def hidden_keys(table: Controlled, key: str = "group") -> set[str]:
    """The ``key`` values of the rows whose count ``table`` suppressed."""
    if table.suppressed.width == 0:
        return set()
    mask = table.suppressed[table.suppressed.columns[0]].to_list()
    return {k for k, h in zip(table.frame[key].to_list(), mask, strict=True) if h}


def _publish_representation(report: Report, dimension: str) -> Controlled:
    return report.publish(
        f"representation_{dimension}", rep.representation(report.data, dimension), sp.REPRESENTATION
    )


def _publish_themes(report: Report, question: Question) -> Controlled:
    frame = th.themes(report.data, question.id)
    respondents = agg.respondents(report.data, question.id, "themes")
    return report.publish(f"themes_{question.id}", frame, sp.multi(respondents))


def _publish_key_theme(report: Report) -> set[str]:
    """The themes tables of the free-text questions, up to the first whose top theme is
    shown (the one a key message names); the others follow with their questions. Returns
    the ids of the questions whose themes were published."""
    published: set[str] = set()
    if not report.data.has("themes"):
        return published
    for question in report.data.consultation.questions:
        if question.type != "free_text":
            continue
        table = _publish_themes(report, question)
        published.add(question.id)
        if table.frame.height and not table.is_suppressed("count")[0]:
            break
    return published


def _publish_participation(report: Report, by_group: Controlled, place: str) -> None:
    """By place, by channel, group x place, the change since the previous wave, and the
    trend over every wave."""
    data = report.data
    places = report.publish(
        f"participation_by_{place}",
        part.participation_by_locality(data)
        if place == "locality"
        else part.participation_by_region(data),
        sp.PARTICIPATION,
    )
    if "channel" in mapped_fields(data.consultation):
        report.publish(
            "participation_by_channel", part.participation_by_channel(data), sp.PARTICIPATION
        )
    hidden_groups, hidden_places = hidden_keys(by_group), hidden_keys(places, key=place)
    if _has_places(report, place):  # a region without localities has no group x place grid
        cells = part.participation_by_group_and_place(data, place)
        report.publish(
            f"participation_by_group_and_{place}",
            cells,
            sp.GROUP_BY_PLACE[place],
            [
                g in hidden_groups or p in hidden_places
                for g, p in zip(cells["group"], cells[place], strict=True)
            ],
        )
    if report.previous is not None:
        now = part.participation_by_group(data)
        before = part.participation_by_group(report.previous)
        change = part.change_since_previous_wave(now, before, "group").join(
            now.select("group", "label"), on="group"
        )
        change = change.select(
            "group", "label", "responses", "previous", "change", "change_percent"
        )
        report.publish(
            "change_by_group", change, sp.WAVE_CHANGE, [g in hidden_groups for g in change["group"]]
        )
    _publish_trend(report, hidden_groups)


def _publish_trend(report: Report, hidden_groups: set[str]) -> None:
    """Responses by group in every wave of the series, where there are
    :data:`~pipelines.analysis.participation.TREND_WAVES` or more (this one included).

    Every count is one another report published: this wave's rows hide what its group
    table hid (``hidden_groups``), an earlier wave's rows what that wave's own report of
    this area hid (:func:`earlier_hidden`); the table's own control then hides small counts
    and, within each wave, what would let a ``[c]`` be worked back.
    """
    if len(report.earlier) + 1 < part.TREND_WAVES:
        return
    this = report.data.consultation
    waves = [(w.data.consultation.id, w.opened, w.data) for w in report.earlier]
    frame = part.responses_by_wave([*waves, (this.id, this.opened, report.data)])
    hidden = {w.data.consultation.id: earlier_hidden(report, w) for w in report.earlier}
    hidden[this.id] = hidden_groups
    mask = [g in hidden[w] for w, g in zip(frame["wave"], frame["group"], strict=True)]
    report.publish("responses_by_wave", frame, sp.WAVES, mask, repeats=True)


def earlier_hidden(report: Report, wave: Wave) -> set[str]:
    """The groups an earlier wave's own report of this area showed as ``[c]``: its group
    table put through disclosure control again, under this report's profile, with the rows
    that wave's plan hid (a locality's report, and any report under ``none``, had no plan)."""
    table = part.participation_by_group(wave.data)
    forced = wave.plan.forced(report.area, "participation_by_group", table) if wave.plan else None
    source = control(
        "participation_by_group", table, sp.PARTICIPATION, report.profile, report.min_cell, forced
    )
    return hidden_keys(source)


def _has_places(report: Report, place: str) -> bool:
    """Whether the report's area has any ``place`` (a region may have no localities)."""
    regions = report.data.regions
    if place == "locality" and report.data.area.region:
        regions = regions.filter(pl.col("region") == report.data.area.region)
    return regions[place].drop_nulls().len() > 0


def _publish_events(report: Report, by_group: Controlled) -> None:
    """Attendance by group and by event, the ladder, and people reached."""
    data = report.data
    attendance = report.publish("attendance_by_group", ev.attendance_by_group(data), sp.ATTENDANCE)
    report.publish("attendance_by_event", ev.attendance_by_event(data), sp.ATTENDANCE_BY_EVENT)
    report.publish("ladder_profile", ev.ladder_profile(data), sp.LADDER)
    reach = ev.people_reached_by_group(data)
    already = hidden_keys(by_group) | hidden_keys(attendance)
    report.publish(
        "people_reached_by_group", reach, sp.PEOPLE_REACHED, [g in already for g in reach["group"]]
    )


def _publish_question(report: Report, question: Question, themed: set[str]) -> None:
    """A question's answers (free text: its themes, unless among the ``themed`` questions
    already published)."""
    data = report.data
    table_id = f"question_{question.id}"
    if question.type in ("single", "likert"):
        report.publish(table_id, qs.single_choice(data, question), sp.QUESTION)
    elif question.type == "multi":
        respondents = agg.respondents(data, question.id)
        report.publish(table_id, qs.multi_choice(data, question), sp.multi(respondents))
    elif question.type == "number":
        summary = qs.number_summary(data, question).drop("minimum", "maximum")  # single answers
        report.publish(table_id, summary, sp.NUMBER)
    elif question.type == "grid":
        report.publish(table_id, qs.grid(data, question), GRID)
    elif question.type == "ranking":
        report.publish(table_id, qs.ranking(data, question), RANKING)
    elif data.has("themes") and question.id not in themed:
        _publish_themes(report, question)


def _publish_actions(report: Report) -> None:
    """Actions by status, and the you-said-we-did log."""
    data = report.data
    report.publish("actions_by_status", act.actions_by_status(data), sp.ACTIONS)
    log = act.you_said_we_did(data).with_columns(
        pl.col("status").map_elements(lambda c: code_label("statuses", c), return_dtype=pl.String)
    )
    report.publish("you_said_we_did", log, sp.THINGS)


def _publish_side_by_side(report: Report) -> None:
    """One row per region: responses, groups heard from, people at events, actions done,
    and the most under-represented group whose count the report's profile would show."""
    whole = report.data
    under: dict[str, list[tuple[float, str, int]]] = {}
    shown = list(shown_monitoring(whole.consultation))
    own = whole.consultation.categories
    for region, dimension, category, ratio, respondents in (
        rg.under_represented_by_region(whole).filter(pl.col("dimension").is_in(shown)).iter_rows()
    ):
        if control_count(respondents, report.profile, report.min_cell):
            under.setdefault(region, []).append(
                (ratio, category_subject(dimension, category, own), respondents)
            )
    figures = rg.region_figures(whole)
    frame = figures.with_columns(
        pl.Series(
            "most_under_represented",
            [min(under[r])[1] if r in under else "" for r in figures["region"]],
            dtype=pl.String,
        )
    )
    if not compared_fields(whole):  # no comparison: no column
        frame = frame.drop("most_under_represented")
    population = rg.region_population(whole)
    if population.height == 0:  # no population: compared by counts only
        report.publish("regions_side_by_side", frame, SIDE_BY_SIDE)
        return
    report.publish("regions_side_by_side", rg.per_head(frame, population), SIDE_BY_SIDE_PER_HEAD)
