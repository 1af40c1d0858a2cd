"""The run's disclosure plan worked out: which rows of the recorded tables must be ``[c]``.

:mod:`pipelines.report.plan` records every table of a full run exact and stores the plan;
this module holds what the plan is made of and how it is decided, with no file read or
written:

1. **Link.** Each published count is described as a sum of inner cells (a measure, a
   category, a region, a locality; see :func:`linked_cells`), so that the overview's count
   of a group is the sum of the regions', a grid repeats the one-way tables, and a wave
   comparison repeats this wave's counts.
2. **Protect.** :func:`pipelines.linked_suppression.protect_linked` suppresses more until
   no ``[c]`` is a combination of shown values; every table is then put through its own
   disclosure control again with those rows hidden; repeated until nothing changes.

Under ``public`` the linked values are made consistent (a count published twice is ``[c]``
in both places or in neither); the rounding protects the rest (docs/security.md says what
is and is not proven).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import polars as pl

from pipelines.disclosure import (
    PUBLIC_MAX_SUPPRESSED,
    PUBLIC_ROUNDING,
    Controlled,
    TableSpec,
    control,
    line_ids,
)
from pipelines.linked_suppression import LinkedCell, protect_linked, protect_rounded

log = logging.getLogger("workbook.disclosure")

PLAN_VERSION = 2

#: Columns that name a category of a table's rows, in the order they are looked for.
CATEGORY_COLUMNS = ("group", "channel", "category", "option", "theme", "event_id", "ladder_rung")
#: Columns that name the part of a question a row belongs to (a grid's item): with the
#: option they name the row, so one grid's items do not collide.
ITEM_COLUMNS = ("item",)
#: Columns that name a place within the report's area.
PLACE_COLUMNS = ("region", "locality")
#: The locality column's name for responses that gave none.
NOT_GIVEN = "Not given"
#: Count columns that count the same people whichever table shows them, when the rows are
#: stakeholder groups (or the whole area): one measure, so the tables link.
SHARED_MEASURES = {"responses", "previous", "attendees", "reached"}
#: Tables that repeat counts of the previous wave, each with the table of that wave's own
#: reports it repeats: the wave comparison by group, and the headline's previous total
#: (:mod:`pipelines.report.headline_counts`).
#: The plan's names for the headline counts (never written as CSV files): the area's
#: responses, its people at events, and the previous wave's responses.
HEADLINE_RESPONSES = "headline_responses"
HEADLINE_ATTENDEES = "headline_attendees"
HEADLINE_PREVIOUS = "headline_previous"
WAVE_REPEATS = {
    "change_by_group": "participation_by_group",
    HEADLINE_PREVIOUS: HEADLINE_RESPONSES,
}
REST = "~rest"  # the inner cell of a place's people not in any finer place shown
NO_CATEGORY = "~none"  # the inner cell of people counted in a total but in no category


@dataclass(frozen=True)
class Recorded:
    """One table of one report as disclosure control saw it."""

    area: str  # the region's display name; "" for the whole consultation
    table_id: str
    frame: pl.DataFrame  # exact values
    spec: TableSpec
    elsewhere: tuple[bool, ...]  # rows the report's own sections hid because of another table


@dataclass
class RunPlan:
    """Rows to show as ``[c]``, by report area and table id, named by their keys."""

    profile: str
    min_cell: int
    fingerprint: str = ""
    hidden: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def forced(self, area: str, table_id: str, frame: pl.DataFrame) -> list[bool] | None:
        """Which rows of ``frame`` the plan hides (None: the plan names none of the table)."""
        rows = self.hidden.get(area, {}).get(table_id)
        if not rows:
            return None
        chosen = set(rows)
        return [key in chosen for key in row_keys(frame)]

    def to_json(self) -> str:
        return json.dumps(
            {
                "version": PLAN_VERSION,
                "profile": self.profile,
                "min_cell": self.min_cell,
                "fingerprint": self.fingerprint,
                "hidden": self.hidden,
            },
            indent=1,
            sort_keys=True,
            ensure_ascii=False,
        )


def row_keys(frame: pl.DataFrame) -> list[str]:
    """Each row's name in a plan: its category and place values (its position if none)."""
    columns = [c for c in (*ITEM_COLUMNS, *CATEGORY_COLUMNS, *PLACE_COLUMNS) if c in frame.columns]
    if not columns:
        return [f"#{i}" for i in range(frame.height)]
    return [
        json.dumps([None if v is None else str(v) for v in row], ensure_ascii=False)
        for row in frame.select(columns).iter_rows()
    ]


# ---- linking ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Count:
    """One published count before linking: what it measures, for which category and place."""

    record: int
    row: int
    measure: str
    category: str | None  # None: every category of the measure (a place's total)
    region: str | None  # None: every region
    locality: str | None  # None: every locality of the region
    value: int
    total: bool = False  # a line total: shown wherever it is published, never a complement
    members: tuple[int, ...] = ()  # for a line total, the counts it adds up
    whole: bool = False  # a line total of the whole table
    column: str = ""  # the table's column it is in


def _measure(table_id: str, column: str, category: str | None) -> str:
    if column in SHARED_MEASURES and category in (None, "group"):
        return column
    return f"{column}:{category}" if column in SHARED_MEASURES else f"{table_id}:{column}"


def _counts(records: list[Recorded], smallest_total: int) -> list[_Count]:
    counts: list[_Count] = []
    for index, record in enumerate(records):
        spec, frame = record.spec, record.frame
        if not spec.counts_people or spec.count is None or frame.height == 0:
            continue
        category = next((c for c in CATEGORY_COLUMNS if c in frame.columns), None)
        place = next((c for c in PLACE_COLUMNS if c in frame.columns), None)
        categories = frame[category].cast(pl.String).to_list() if category else None
        if categories is not None and "item" in frame.columns:  # a grid: item and option
            items = frame["item"].cast(pl.String).to_list()
            categories = [f"{i}: {c}" for i, c in zip(items, categories, strict=True)]
        places = frame[place].cast(pl.String).to_list() if place else None
        lines = [(ids, not keys) for keys in spec.lines for ids in line_ids(frame, keys)]
        if spec.extra_lines is not None:
            lines += [(ids, False) for ids in spec.extra_lines(frame)]
        for column in (spec.count, *spec.also):
            measure = _measure(record.table_id, column, category)
            first = len(counts)
            for row, value in enumerate(frame[column].to_list()):
                region: str | None = record.area or None
                locality: str | None = None
                if places is not None:
                    if place == "region":
                        region = places[row]
                    else:
                        locality = REST if places[row] in (None, NOT_GIVEN) else places[row]
                counts.append(
                    _Count(
                        index,
                        row,
                        measure,
                        categories[row] if categories else None,
                        region,
                        locality,
                        int(value or 0),
                        column=column,
                    )
                )
            for line, whole in lines:
                members = tuple(first + i for i in line)
                total = sum(counts[m].value for m in members)
                if total == 0 or total >= smallest_total:  # a smaller total is itself [c]
                    counts.append(
                        _Count(index, -1, measure, None, None, None, total, True, members, whole)
                    )
    return counts


def linked_cells(
    records: list[Recorded], smallest_total: int
) -> tuple[list[_Count], list[frozenset]]:
    """Every published count of the run and the inner cells it adds up.

    Inner cells are (measure, category, region, locality): a count for a place is the sum of
    its finer places' inner cells, plus a rest cell where the finer places shown do not add
    up to it; a place's total is the sum of its categories plus a cell for people in none.
    Every link is checked against the exact values; a count that does not add up keeps a
    cell of its own for the difference and a warning is logged (the plan cannot vouch for
    what such a count gives away; none does on the demo).
    """
    counts = _counts(records, smallest_total)
    values: dict[tuple, int] = {}
    for c in counts:
        if not c.total:
            values.setdefault((c.measure, c.category, c.region, c.locality), c.value)
    localities: dict[tuple[str, str], set[str]] = {}
    categories: dict[str, set[str]] = {}
    regions: dict[str, set[str]] = {}
    for measure, category, region, locality in values:
        if category is not None:
            categories.setdefault(measure, set()).add(category)
        if region is not None:
            regions.setdefault(measure, set()).add(region)
            if locality is not None and locality != REST:
                localities.setdefault((measure, region), set()).add(locality)

    for (measure, category, region, locality), value in list(values.items()):
        if category is None and measure not in categories:  # counts with no categories
            values.setdefault((measure, NO_CATEGORY, region, locality), value)

    def inner_of_place(measure: str, category: str, region: str, locality: str | None) -> set:
        finer = localities.get((measure, region), set())
        if locality is not None:
            return {(measure, category, region, locality)}
        whole = values.get((measure, category, region, None))
        if not finer:  # no table lists this category here: none of its people are here
            return set() if whole is None else {(measure, category, region, REST)}
        shown = sum(values.get((measure, category, region, f), 0) for f in finer)
        cells = {(measure, category, region, f) for f in finer}
        if (whole or 0) > shown or values.get((measure, category, region, REST)):
            cells.add((measure, category, region, REST))
        return cells

    def inner_of(c: _Count) -> set:
        names = sorted(categories.get(c.measure, set())) if c.category is None else [c.category]
        places = sorted(regions.get(c.measure, set())) if c.region is None else [c.region]
        cells: set = set()
        for name in names:
            for region in places:
                cells |= inner_of_place(c.measure, name, region, c.locality)
        if c.category is None:
            for region in places:
                cells |= inner_of_place(c.measure, NO_CATEGORY, region, c.locality)
        return cells

    # a category's rest of a place is 0 where its finer places shown hold all its people
    zeros = {
        (measure, category, region, REST)
        for (measure, category, region, locality), whole in values.items()
        if locality is None
        and region is not None
        and category is not None
        and whole
        == sum(
            values.get((measure, category, region, f), 0)
            for f in localities.get((measure, region), set())
        )
    }
    inner: list[frozenset] = []
    for c in counts:
        if c.total:
            cells = set().union(*(inner[m] for m in c.members)) if c.members else set()
        else:
            cells = inner_of(c)
        inner.append(frozenset(cells))
    return counts, _checked(counts, inner, zeros)


def _checked(counts: list[_Count], inner: list[frozenset], zeros: set) -> list[frozenset]:
    """Inner values solved from the finest counts (``zeros``: cells known to hold no one); a
    count that does not add up from them gets a cell of its own and a warning (a link the
    data does not bear out is not used)."""
    finest: dict = dict.fromkeys(zeros, 0)
    for c, cells in zip(counts, inner, strict=True):
        if len(cells) == 1:
            finest.setdefault(next(iter(cells)), c.value)
        elif c.value == 0:  # no one: every inner cell of it is 0 (people are never negative)
            for i in cells:
                finest.setdefault(i, 0)
    # residual inner cells (rest of a place, people in no category) from their containers,
    # until none more is solved (a cell solved may leave one unknown in another count)
    by_size = sorted(zip(counts, inner, strict=True), key=lambda pair: len(pair[1]))
    solved = True
    while solved:
        solved = False
        for c, cells in by_size:
            unknown = [i for i in cells if i not in finest]
            if len(unknown) == 1:
                finest[unknown[0]] = c.value - sum(finest[i] for i in cells if i in finest)
                solved = True
    checked = []
    for c, cells in zip(counts, inner, strict=True):
        if any(i not in finest for i in cells) or sum(finest[i] for i in cells) != c.value:
            log.warning(
                "%s (%s): a count that does not add up from the counts it links to is kept "
                "apart, so the plan cannot check what it gives away",
                c.measure,
                c.category or "total",
            )
            cells = cells | {("~own", c.record, c.row, c.measure)}
        checked.append(cells)
    dropped = {i for i, v in finest.items() if v == 0 and (i[1] == NO_CATEGORY or i[3] == REST)}
    return [frozenset(cells - dropped) or cells for cells in checked]


# ---- protecting ---------------------------------------------------------------------------


def protect_run(
    records: list[Recorded], profile: str, min_cell: int, prior: RunPlan | None = None
) -> dict[int, list[bool]]:
    """Row masks, by record index, that no combination of the run's tables can undo.

    ``prior``: the previous wave's plan. A wave comparison repeats the previous wave's
    counts, so a count that wave's own reports hide is hidden here too.
    """
    forced: dict[int, list[bool]] = {
        i: list(r.elsewhere) or [False] * r.frame.height for i, r in enumerate(records)
    }
    # the cells whose own value a [c] protects, beyond small counts and each table's own
    # complements: the previous wave's hidden counts, and what the linked step adds
    secrets: set[tuple[int, int, str]] = set()
    for i, r in enumerate(records):
        if prior is not None and r.table_id in WAVE_REPEATS:
            keys = r.frame.select("group") if "group" in r.frame.columns else r.frame
            earlier = prior.forced(r.area, WAVE_REPEATS[r.table_id], keys)
            for row, hidden in enumerate(earlier or []):
                if hidden:
                    forced[i][row] = True
                    secrets.add((i, row, "previous"))
    top = min_cell - 1 if profile == "restricted" else PUBLIC_MAX_SUPPRESSED
    smallest_total = top + 1
    counts, inner = linked_cells(records, smallest_total)
    controlled: dict[int, tuple[tuple[bool, ...], list[bool]]] = {}
    while True:
        masks = {
            i: _controlled_mask(controlled, i, r, profile, min_cell, forced[i])
            for i, r in enumerate(records)
        }
        own = _own_complements(records, masks, forced, top)
        cells = [
            LinkedCell(
                cells,
                c.value,
                hidden=not c.total and masks[c.record][c.row],
                complement=not c.total and records[c.record].spec.counts_people,
                secret=not c.total
                and masks[c.record][c.row]
                and (
                    1 <= c.value <= top
                    or (c.record, c.row, c.column) in secrets
                    or (c.record, c.row, c.column) in own
                ),
            )
            for c, cells in zip(counts, inner, strict=True)
        ]
        if profile == "restricted":
            hidden = protect_linked(cells, small=top)  # secret or not, cell by cell
        else:
            hidden = protect_rounded(
                cells, PUBLIC_MAX_SUPPRESSED, PUBLIC_ROUNDING, _area_totals(records, counts, inner)
            )
        changed = False
        for c, cell, secret in zip(counts, cells, hidden, strict=True):
            if secret and not c.total and not cell.secret:
                secrets.add((c.record, c.row, c.column))
                # only a row newly forced can change a table's control: a row its control
                # will not hide whatever is asked (a 0 whose line fixes it) must not keep
                # the loop going for ever
                changed |= not masks[c.record][c.row] and not forced[c.record][c.row]
                forced[c.record][c.row] = True
        if profile == "restricted":
            for i, row in _hidden_total_rows(records, masks):
                changed |= not masks[i][row] and not forced[i][row]
                forced[i][row] = True
        if not changed:
            return masks


def _controlled_mask(
    controlled: dict[int, tuple[tuple[bool, ...], list[bool]]],
    index: int,
    record: Recorded,
    profile: str,
    min_cell: int,
    forced: list[bool],
) -> list[bool]:
    """Which rows of ``record`` its own control hides with ``forced`` hidden, from
    ``controlled`` (by record index: the forced rows and the mask they gave) where its
    forced rows have not changed since the last round: control is the same function of the
    same table, and most tables are untouched by a round."""
    key = tuple(forced)
    known = controlled.get(index)
    if known is not None and known[0] == key:
        return known[1]
    mask = _row_mask(control(record.table_id, record.frame, record.spec, profile, min_cell, forced))
    controlled[index] = (key, mask)
    return mask


#: The headline totals of an area (the tables of that area add up to them).
HEADLINE_TOTALS = frozenset({HEADLINE_RESPONSES, HEADLINE_ATTENDEES})


def _hidden_total_rows(
    records: list[Recorded], masks: dict[int, list[bool]]
) -> list[tuple[int, int]]:
    """Rows that would give away a report's hidden headline total: where the plan hides an
    area's responses (or people at events), a table of that area whose rows add up to it
    shows it when every row is shown, or through any shown row's percentage of it; so every
    row of such a table with someone in it is hidden too (zeros give nothing away)."""
    hidden_totals: dict[tuple[str, str], int] = {}
    for i, r in enumerate(records):
        if r.table_id in HEADLINE_TOTALS and masks[i][0]:
            column = r.spec.count or ""
            hidden_totals[r.area, column] = int(r.frame[column][0] or 0)
    rows = []
    for i, r in enumerate(records):
        spec = r.spec
        if r.table_id in HEADLINE_TOTALS or spec.count is None or not spec.counts_people:
            continue
        total = hidden_totals.get((r.area, spec.count))
        if total is None or () not in spec.lines or r.frame.height == 0:
            continue
        values = [int(v or 0) for v in r.frame[spec.count].to_list()]
        if sum(values) == total:
            rows += [(i, row) for row, v in enumerate(values) if v > 0]
    return rows


def _own_complements(
    records: list[Recorded],
    masks: dict[int, list[bool]],
    forced: dict[int, list[bool]],
    top: int,
) -> set[tuple[int, int, str]]:
    """The count cells each table's own control chose as complements: rows it hid that hold
    no small count and that nothing else asked it to hide (complements are chosen by the
    table's count column)."""
    chosen = set()
    for i, record in enumerate(records):
        spec = record.spec
        if spec.count is None or not spec.counts_people:
            continue
        columns = [record.frame[c].to_list() for c in (spec.count, *spec.also)]
        for row, hidden in enumerate(masks[i]):
            small = any(1 <= (column[row] or 0) <= top for column in columns)
            if hidden and not small and not forced[i][row]:
                chosen.add((i, row, spec.count))
    return chosen


def _area_totals(
    records: list[Recorded], counts: list[_Count], inner: list[frozenset]
) -> list[list[frozenset]]:
    """Totals that are the same number, each rounded in its own table: a report area's
    respondents, whole tables of which add up (by group, channel, place, or a monitoring
    field with "not answered"). Grouped by area and exact value, so each link is true."""
    groups: dict[tuple[str, int], list[frozenset]] = {}
    for c, cells in zip(counts, inner, strict=True):
        every_respondent = c.measure == "responses" or c.measure.startswith("responses:")
        every_respondent |= c.measure.startswith("representation_") and c.measure.endswith(
            ":respondents"
        )
        if c.whole and every_respondent:
            groups.setdefault((records[c.record].area, c.value), []).append(cells)
    return [list(dict.fromkeys(g)) for g in groups.values() if len(set(g)) > 1]


def _row_mask(controlled: Controlled) -> list[bool]:
    """Which rows of a controlled table are ``[c]``."""
    if controlled.suppressed.width == 0:
        return [False] * controlled.frame.height
    return controlled.suppressed[controlled.suppressed.columns[0]].to_list()
