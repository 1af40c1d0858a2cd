"""Every table of a full report run, recorded as a reader would see it and as it really is.

A run publishes the overview (area ``""``) and one report per region. Each report is built in
process with ``publish_tables`` (``test_golden.build_tables``); every call to
``Report.publish`` is recorded with the exact frame it was given and what it returned. The
attacker (``lp_attack.joint_system``) reads only the published text (``Controlled.published``):
a shown value, or ``[c]``. The exact frames serve two purposes only: to say which ``[c]``
stand for a count from 1 to 7 under ``public`` (what NHS England's method promises a reader),
and to check afterwards that the true values satisfy every equation the attacker wrote (so a
modelling mistake shows up as an error, never as a silent pass or a false pin).

Rows are matched between the exact and the published table by their key columns, never by
position, so a report that reorders rows (e.g. suppressed rows in a fixed order) is read
correctly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from test_golden import build_tables

from pipelines.disclosure import SUPPRESSED
from pipelines.report import publish

#: Columns that name a row: whichever of these a table has, in this order, are its key.
KEY_COLUMNS = (
    "group", "region", "locality", "channel", "category", "option", "theme", "event_id",
    "ladder_rung",
)  # fmt: skip
#: Columns that count people (``events``, ``groups``, ``actions``... count things).
COUNT_COLUMNS = ("responses", "previous", "attendees", "reached", "respondents", "count",
                 "answered")  # fmt: skip
#: Rows of a representation table outside its shares, whose stated total the shares give
#: away: the ages the consultation was not for (``other_ages``, where population_ages is
#: set), prefer not to say, not answered (written here apart from the pipeline's own list).
KEPT_APART = ("other_ages", "prefer_not_to_say", "not_answered")
#: Tables that count no people, or whose cells do not add up across reports.
SKIPPED = {
    "actions_by_status": "counts actions, not people (not controlled)",
    "you_said_we_did": "one row per action, no count",
    "responses_by_wave": "repeats each wave's own participation_by_group, [c] wherever that "
    "is (test_trend checks every value against them)",
}


@dataclass(frozen=True)
class Table:
    """One published table: per row key, the exact and the published count columns."""

    table_id: str
    keys: tuple[str, ...]
    columns: tuple[str, ...]
    exact: dict[tuple[str, ...], dict[str, int]]
    shown: dict[tuple[str, ...], dict[str, int | None]]  # None where ``[c]``
    bases: dict[str, int]  # the spec's stated percentage bases (truth only)
    percents: tuple[str, ...]

    def hidden(self) -> int:
        return sum(v is None for row in self.shown.values() for v in row.values())


def _key(row: dict, keys: tuple[str, ...]) -> tuple[str, ...]:
    return tuple("" if row[k] is None else str(row[k]) for k in keys)


def _number(text: str | None) -> int | None:
    if text is None or text == "":
        return 0
    if text == SUPPRESSED:
        return None
    value = float(text)
    assert value == int(value), f"a count that is not whole: {text}"
    return int(value)


def as_table(table_id: str, frame: pl.DataFrame, spec, controlled) -> Table | None:
    if table_id in SKIPPED or frame.height == 0:
        return None
    columns = tuple(c for c in COUNT_COLUMNS if c in frame.columns)
    if table_id == "ladder_profile":
        columns = ("attendees",)
    if not columns:
        return None
    keys = tuple(k for k in KEY_COLUMNS if k in frame.columns)
    if table_id.startswith("participation_by_group_and_"):
        keys = ("group", table_id.removeprefix("participation_by_group_and_"))
    exact = {_key(r, keys): {c: int(r[c] or 0) for c in columns} for r in frame.to_dicts()}
    assert len(exact) == frame.height, f"{table_id}: rows not unique by {keys}"
    published = controlled.published()
    shown = {_key(r, keys): {c: _number(r[c]) for c in columns} for r in published.to_dicts()}
    assert shown.keys() == exact.keys(), f"{table_id}: published rows differ from exact rows"
    percents = tuple(getattr(spec, "percents", {}) or {})
    return Table(table_id, keys, columns, exact, shown, dict(spec.bases or {}), percents)


def record_report(
    root: Path, tmp: Path, consultation: str, region: str, profile: str
) -> dict[str, Table]:
    """One report built in process, every table it publishes recorded.

    Only the tables of the report itself are kept (``Report.publish`` may also be called for
    other reports while this one is prepared, e.g. by a run-level plan): a recorded call
    counts when its result is what the report finally holds under that table id.
    """
    calls: list[tuple[str, pl.DataFrame, object, object]] = []
    real = publish.Report.publish

    def spy(self, table_id, frame, spec, *args, **kwargs):
        controlled = real(self, table_id, frame, spec, *args, **kwargs)
        calls.append((table_id, frame, spec, controlled))
        return controlled

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(publish.Report, "publish", spy)
        published = build_tables(root, tmp, region, "", consultation, profile)
    tables: dict[str, Table] = {}
    for table_id, frame, spec, controlled in calls:
        if published.get(table_id) is controlled:
            table = as_table(table_id, frame, spec, controlled)
            if table is not None:
                tables[table_id] = table
    assert tables, f"nothing recorded for {region or 'the overview'}"
    return tables


#: area ("" for the overview) -> table id -> table
Run = dict[str, dict[str, Table]]


def record_run(
    root: Path,
    tmp: Path,
    consultation: str,
    profile: str,
    report: Callable[..., dict[str, Table]] = record_report,
) -> Run:
    """The overview and every region it lists (its ``participation_by_region`` rows)."""
    run = {"": report(root, tmp / "overview", consultation, "", profile)}
    regions = [key[0] for key in run[""]["participation_by_region"].exact]
    for n, region in enumerate(regions):
        run[region] = report(root, tmp / f"region-{n}", consultation, region, profile)
    return run


# ------------------------------------------------------------------ the reader's equations

MIN_CELL = 10
PUBLIC_TOP = 7  # NHS England: 1-7 is [c]
ROUNDING = 5


def _round5(value: int) -> int:
    return int((value / ROUNDING + 0.5) // 1 * ROUNDING)


def cell_bounds(shown: int | None, truth: int, profile: str) -> tuple[float, float | None]:
    """What a reader knows of a published count cell.

    ``restricted``: a shown count is exact; a ``[c]`` is 0 or more (it may be a complement of
    any size, or a 0 hidden where nothing else could protect a cell). ``public``: a shown 0 is
    0; another shown count is within 2 of what is shown and at least 8; a ``[c]`` is 1 to 7 if
    it is one (NHS England's promise), else 0 or more (a row hidden for another column or
    another table can stand for any count).
    """
    if profile == "restricted":
        return (0, None) if shown is None else (shown, shown)
    if shown is None:
        return (1, PUBLIC_TOP) if 1 <= truth <= PUBLIC_TOP else (0, None)
    if shown == 0:
        return 0, 0
    return max(shown - 2, PUBLIC_TOP + 1), shown + 2


def total_bounds(truth: int, profile: str, min_cell: int) -> tuple[float, float | None]:
    """A line's total as a reader knows it (a headline, or worked out from a percentage
    column): exact under ``restricted`` when at least ``min_cell`` (else unknown); under
    ``public`` rounded (within 2), 1-7 where it would be [c]."""
    if truth == 0:
        return 0, 0
    if profile == "restricted":
        return (truth, truth) if truth >= min_cell else (0, None)
    if truth <= PUBLIC_TOP:
        return 1, PUBLIC_TOP
    shown = _round5(truth)
    return max(shown - 2, PUBLIC_TOP + 1), shown + 2


#: table id -> (column -> name of the total its column adds up to), for one-way tables
def _line_totals(table_id: str, table: Table) -> dict[str, str]:
    if table_id in ("participation_by_group", "participation_by_channel",
                    "participation_by_region", "participation_by_locality"):  # fmt: skip
        return {"responses": "responses"}
    if table_id.startswith("representation_"):
        return {"respondents": "responses"}
    if table_id == "change_by_group":
        return {"responses": "responses", "previous": "previous"}
    if table_id in ("attendance_by_group", "attendance_by_event", "ladder_profile"):
        return {"attendees": "attendees"}
    if table_id == "people_reached_by_group":
        return {"responses": "responses", "attendees": "attendees", "reached": "reached"}
    if table_id == "regions_side_by_side":
        return {"responses": "responses", "attendees": "attendees"}
    if table_id.startswith(("question_", "themes_")) and "count" in table.columns:
        return {"count": f"mentions:{table_id}"}  # single choice: answered; multi: mentions
    return {}


def joint_system(run: Run, profile: str, min_cell: int = MIN_CELL, previous: Run | None = None):
    """One system over every people-count cell of the run and, where given, of the previous
    wave's run (its own reports, published earlier), which the wave comparison repeats."""
    from lp_attack import Joint

    system = Joint()
    cells, totals = _add_run(system, run, profile, min_cell, "")
    if previous is None:
        return system
    before_cells, before_totals = _add_run(system, previous, profile, min_cell, "previous wave ")
    # (e) the wave comparison's previous counts are the previous wave's group tables, and
    # their total is that wave's responses in the same area
    for area, tables in run.items():
        if "change_by_group" not in tables or area not in previous:
            continue
        for key in tables["change_by_group"].exact:
            terms = {cells[area, "change_by_group", key, "previous"]: 1.0}
            if (
                other := before_cells.get((area, "participation_by_group", key, "responses"))
            ) is not None:
                terms[other] = -1.0
            system.eq("wave comparison = previous wave's table", terms)
        if (area, "previous") in totals and (area, "responses") in before_totals:
            system.eq("wave comparison = previous wave's table", {
                totals[area, "previous"]: 1.0, before_totals[area, "responses"]: -1.0,
            })  # fmt: skip
    return system


def _add_run(system, run: Run, profile: str, min_cell: int, wave: str):
    """Cells, totals and equations of one run; returns the cell and total indices."""
    cells: dict[tuple[str, str, tuple[str, ...], str], int] = {}
    totals: dict[tuple[str, str], int] = {}
    label = {area: wave + (area or "overview") for area in run}

    for area, tables in run.items():
        for table_id, table in tables.items():
            for key, row in table.shown.items():
                for column in table.columns:
                    truth = table.exact[key][column]
                    low, high = cell_bounds(row[column], truth, profile)
                    name = f"{label[area]}/{table_id}[{'|'.join(key)}].{column}"
                    cells[area, table_id, key, column] = system.var(
                        name, low, high, truth, attacked=row[column] is None
                    )

    def total(area: str, name: str, truth: int) -> int:
        if (area, name) not in totals:
            low, high = total_bounds(truth, profile, min_cell)
            totals[area, name] = system.var(f"{label[area]}/total {name}", low, high, truth)
        return totals[area, name]

    # (a) lines within a table: each count column adds up to its total
    for area, tables in run.items():
        for table_id, table in tables.items():
            for column, name in _line_totals(table_id, table).items():
                values = [table.exact[k][column] for k in table.exact]
                terms = {cells[area, table_id, k, column]: 1.0 for k in table.exact}
                terms[total(area, name, sum(values))] = -1.0
                system.eq("line", terms)
            if table_id.startswith("representation_"):
                stated = [k for k in table.exact if k[0] not in KEPT_APART]
                truth = sum(table.exact[k]["respondents"] for k in stated)
                terms = {cells[area, table_id, k, "respondents"]: 1.0 for k in stated}
                terms[total(area, f"stated:{table_id}", truth)] = -1.0
                system.eq("line (stated)", terms)
            if "pct_respondents" in table.percents:  # multi-select: a respondents base
                base = total(area, f"respondents:{table_id}", table.bases["pct_respondents"])
                for k in table.exact:
                    system.le(
                        "multi (count <= respondents)",
                        {cells[area, table_id, k, "count"]: 1.0, base: -1.0},
                    )
                system.le("multi (respondents <= mentions)",
                          {base: 1.0, totals[area, f"mentions:{table_id}"]: -1.0})  # fmt: skip
            if table_id == "people_reached_by_group":
                for k in table.exact:
                    system.eq("link (reached = responses + attendees)", {
                        cells[area, table_id, k, "reached"]: 1.0,
                        cells[area, table_id, k, "responses"]: -1.0,
                        cells[area, table_id, k, "attendees"]: -1.0,
                    })  # fmt: skip

    # (b) across reports: the overview's cell is the sum of the regions' cells
    regions = [area for area in run if area]
    overview = run[""]
    for table_id, table in overview.items():
        if not any(table_id in run[r] for r in regions):
            continue  # published in the overview only
        for column in table.columns:
            keys = set(table.exact) | {
                k for r in regions if table_id in run[r] for k in run[r][table_id].exact
            }
            for key in sorted(keys):
                terms = {}
                if (cell := cells.get(("", table_id, key, column))) is not None:
                    terms[cell] = 1.0
                for r in regions:
                    if (cell := cells.get((r, table_id, key, column))) is not None:
                        terms[cell] = -1.0
                system.eq("across reports", terms)
    for (area, name), index in list(totals.items()):
        if area:
            continue
        terms = {index: 1.0}
        for r in regions:
            if (r, name) in totals:
                terms[totals[r, name]] = -1.0
        system.eq("across reports (totals)", terms)

    # (c) grids: rows add up to the group table (less the place not given), columns to the
    # place table; the overview's group x region cell is the region's group cell
    for area, tables in run.items():
        for table_id, grid in tables.items():
            if not table_id.startswith("participation_by_group_and_"):
                continue
            place = table_id.removeprefix("participation_by_group_and_")
            by_group, by_place = (
                tables["participation_by_group"],
                tables[f"participation_by_{place}"],
            )
            groups = sorted({k[0] for k in grid.exact})
            places = sorted({k[1] for k in grid.exact})
            rests = {}
            for g in groups:
                in_grid = sum(grid.exact[k]["responses"] for k in grid.exact if k[0] == g)
                rest_truth = by_group.exact[(g,)]["responses"] - in_grid
                rests[g] = system.var(f"{label[area]}/{table_id} rest[{g}]", 0, None, rest_truth)
                terms = {
                    cells[area, table_id, k, "responses"]: 1.0 for k in grid.exact if k[0] == g
                }
                terms[rests[g]] = 1.0
                terms[cells[area, "participation_by_group", (g,), "responses"]] = -1.0
                system.eq("grid rows", terms)
            for p in places:
                terms = {
                    cells[area, table_id, k, "responses"]: 1.0 for k in grid.exact if k[1] == p
                }
                terms[cells[area, f"participation_by_{place}", (p,), "responses"]] = -1.0
                system.eq("grid columns", terms)
            terms = {rest: 1.0 for rest in rests.values()}
            for (p,) in by_place.exact:
                if p not in places:  # e.g. "Not given": the responses outside the grid
                    terms[cells[area, f"participation_by_{place}", (p,), "responses"]] = -1.0
            system.eq("grid columns (not given)", terms)
            if place == "region":
                for g, r in grid.exact:
                    if r in run and "participation_by_group" in run[r]:
                        system.eq("grid = region's group table", {
                            cells[area, table_id, (g, r), "responses"]: 1.0,
                            cells[r, "participation_by_group", (g,), "responses"]: -1.0,
                        })  # fmt: skip

    # the overview's region rows are the regions' totals
    for area_key, index in list(cells.items()):
        area, table_id, key, column = area_key
        if area == "" and table_id in ("participation_by_region", "regions_side_by_side"):
            region = key[0]
            name = "responses" if column == "responses" else "attendees"
            if (region, name) in totals:
                system.eq(
                    "overview region row = region total", {index: 1.0, totals[region, name]: -1.0}
                )
            else:  # the region published no such figure: nobody there
                system.eq("overview region row = region total", {index: 1.0})

    # (d) the same count in two tables of one report: groups in the wave comparison and in
    # people reached are the group tables' counts
    links = (
        ("change_by_group", "responses", "participation_by_group", "responses"),
        ("people_reached_by_group", "responses", "participation_by_group", "responses"),
        ("people_reached_by_group", "attendees", "attendance_by_group", "attendees"),
    )
    for area, tables in run.items():
        for table_id, column, other_id, other_column in links:
            if table_id not in tables:
                continue
            for key in tables[table_id].exact:
                other = cells.get((area, other_id, key, other_column))
                if other is None:  # a group absent from the other table counts 0 there
                    system.eq("same count in two tables", {cells[area, table_id, key, column]: 1.0})
                else:
                    system.eq("same count in two tables", {
                        cells[area, table_id, key, column]: 1.0, other: -1.0,
                    })  # fmt: skip
    return cells, totals


@dataclass(frozen=True)
class Attack:
    """What the joint attack found."""

    cells: int
    equations: int
    kinds: dict[str, int]
    attacked: int
    pinned: list[tuple[str, int, float, float]]  # name, true value, min, max
    narrow: list[tuple[str, int, float, float]]  # interval width < 3, not pinned
    reports: int

    def summary(self, profile: str) -> str:
        across = sum(
            n
            for k, n in self.kinds.items()
            if k.startswith(("across", "grid =", "overview", "wave"))
        )
        return (
            f"{profile}: {len(self.pinned)} pinned of {self.attacked} [c] across {self.reports} "
            f"reports ({self.cells} cells, {self.equations} equations, {across} across reports; "
            f"{len(self.narrow)} more [c] with an interval narrower than 3)"
        )


def attack_run(
    run: Run, profile: str, min_cell: int = MIN_CELL, previous: Run | None = None
) -> Attack:
    from lp_attack import is_pinned

    system = joint_system(run, profile, min_cell, previous)
    system.check_truth()
    found = system.intervals()
    pinned, narrow = [], []
    for cell, (low, high) in sorted(found.items()):
        entry = (system.names[cell], system.truth[cell], low, high)
        if is_pinned(low, high):
            pinned.append(entry)
        elif high - low < 3:
            narrow.append(entry)
    return Attack(
        cells=len(system.names),
        equations=len(system.eqs) + len(system.les),
        kinds=system.kinds(),
        attacked=sum(system.attacked),
        pinned=pinned,
        narrow=narrow,
        reports=len(run) + len(previous or {}),
    )
