"""The linear-programming attacker against every table the demo and corpus reports publish.

Each report level has its tables published (as in ``test_golden``) under
``restricted`` and ``public``; every call to disclosure control is recorded with the exact
table it was given. The attacker (``lp_attack``) then gets, per table, every shown cell, every
line total and what a ``[c]`` can be under the profile, and solves for each ``[c]``.

A group × place grid is attacked together with its margins, the one-way tables of groups and
of places in the same report: a margin is known only as that table shows it (exactly, rounded,
or ``[c]``), and the table's own total links the margins. Responses without a place are
handed to the attacker exactly (stronger than any real reader). No ``[c]`` may be pinned.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lp_attack import pinned_in_system
from test_corpus import CORPUS, expected_of, project
from test_golden import LEVELS, build_tables

from pipelines.disclosure import (
    PUBLIC_MAX_SUPPRESSED,
    Controlled,
    TableSpec,
    control,
    control_count,
    line_ids,
    round_half_up,
)
from pipelines.report import publish
from pipelines.validate.run import validate_consultation

PROFILES = ("restricted", "public")
MIN_CELL = 10
CORPUS_CASES = [
    case for case in sorted(p.name for p in CORPUS.iterdir()) if (CORPUS / case).is_dir()
    and (CORPUS / case / "expected.yml").is_file() and expected_of(case)["exit"] == 0
]  # fmt: skip


@dataclass(frozen=True)
class Record:
    """One table as disclosure control saw it: the exact frame, its spec and the result."""

    frame: pl.DataFrame
    spec: TableSpec
    elsewhere: list[bool]
    controlled: Controlled

    @property
    def counts(self) -> list[int]:
        return [int(c or 0) for c in self.frame[self.spec.count].to_list()]

    @property
    def hidden(self) -> list[bool]:
        return self.controlled.is_suppressed(self.spec.count).to_list()

    def lines(self) -> list[list[int]]:
        lines = [ids for keys in self.spec.lines for ids in line_ids(self.frame, keys)]
        return lines + (self.spec.extra_lines(self.frame) if self.spec.extra_lines else [])

    def any_value(self, row: int) -> bool:
        """Could this row's ``[c]`` stand for more than a small count (public)?"""
        small = [self.frame[c][row] for c in self.spec.also]
        return self.elsewhere[row] or any(1 <= (v or 0) <= PUBLIC_MAX_SUPPRESSED for v in small)


class System:
    """Cells a reader knows something about, and the equations that tie them."""

    def __init__(self, profile: str) -> None:
        self.profile = profile
        self.lows: list[float] = []
        self.highs: list[float | None] = []
        self.hidden: list[bool] = []
        self.names: list[str] = []
        self.equations: list[list[tuple[int, float]]] = []

    def cell(self, name: str, value: int, hidden: bool, any_value: bool = False) -> int:
        """Add a cell as the reader sees it; returns its index."""
        if self.profile == "restricted":
            low, high = (0, None) if hidden else (value, value)
        elif hidden:
            low, high = (0, None) if any_value else (1, PUBLIC_MAX_SUPPRESSED)
        elif value == 0:
            low, high = 0, 0
        else:
            shown = round_half_up(value)
            low, high = max(shown - 2, PUBLIC_MAX_SUPPRESSED + 1), shown + 2
        self.lows.append(low)
        self.highs.append(high)
        self.hidden.append(hidden)
        self.names.append(name)
        return len(self.lows) - 1

    def total(self, name: str, value: int) -> int:
        """A line's total: exact, or rounded under public; unknown where it would be ``[c]``."""
        hidden = control_count(value, self.profile, MIN_CELL) is None
        index = self.cell(name, value, hidden)
        self.hidden[index] = False  # a total is given, not attacked
        return index

    def adds_up(self, parts: list[int], total: int, known_rest: int = 0) -> None:
        rest = self.cell("rest", known_rest, False)
        self.lows[rest] = self.highs[rest] = known_rest  # handed over exactly
        self.equations.append([*((p, 1.0) for p in parts), (rest, 1.0), (total, -1.0)])

    def table(self, table_id: str, record: Record) -> list[int]:
        cells = [
            self.cell(f"{table_id}[{i}]", c, h, record.any_value(i))
            for i, (c, h) in enumerate(zip(record.counts, record.hidden, strict=True))
        ]
        for n, line in enumerate(record.lines()):
            total = self.total(f"{table_id} line {n}", sum(record.counts[i] for i in line))
            self.adds_up([cells[i] for i in line], total)
        return cells

    def pinned(self) -> list[str]:
        found = pinned_in_system(self.lows, self.highs, self.hidden, self.equations)
        return [self.names[i] for i in found]


def grid_system(grid: Record, by_group: Record, by_place: Record, place: str, profile: str):
    system = System(profile)
    group_cells = system.table("by_group", by_group)
    place_cells = system.table("by_place", by_place)
    cells = [
        system.cell(f"grid[{i}]", c, h, grid.elsewhere[i])
        for i, (c, h) in enumerate(zip(grid.counts, grid.hidden, strict=True))
    ]
    for key, margin, cells_of in (("group", by_group, group_cells), (place, by_place, place_cells)):
        for row, name in enumerate(margin.frame[key].to_list()):
            members = [i for i, v in enumerate(grid.frame[key].to_list()) if v == name]
            in_grid = sum(grid.counts[i] for i in members)
            system.adds_up([cells[i] for i in members], cells_of[row], margin.counts[row] - in_grid)
    return system


def recorded_tables(
    root: Path, tmp: Path, consultation: str, region: str, locality: str, profile: str
) -> dict[str, Record]:
    records: dict[str, Record] = {}
    real = publish.control

    def spy(table_id, frame, spec, profile, min_cell, hidden_elsewhere=None) -> Controlled:
        controlled = real(table_id, frame, spec, profile, min_cell, hidden_elsewhere)
        elsewhere = list(hidden_elsewhere or [False] * frame.height)
        records[table_id] = Record(frame, spec, [bool(e) for e in elsewhere], controlled)
        return controlled

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(publish, "control", spy)
        build_tables(root, tmp, region, locality, consultation, profile)
    return {
        table_id: record
        for table_id, record in records.items()
        if record.spec.counts_people and record.spec.count and record.frame.height
    }


def attack(records: dict[str, Record], profile: str) -> tuple[dict[str, list[str]], int]:
    """Pinned ``[c]`` per table, and how many ``[c]`` were attacked."""
    pinned: dict[str, list[str]] = {}
    attacked = 0
    for table_id, record in records.items():
        if table_id.startswith("participation_by_group_and_"):
            place = table_id.removeprefix("participation_by_group_and_")
            system = grid_system(
                record, records["participation_by_group"], records[f"participation_by_{place}"],
                place, profile,
            )  # fmt: skip
        else:
            system = System(profile)
            system.table(table_id, record)
        attacked += sum(record.hidden)
        if sum(record.hidden) and (found := system.pinned()):
            pinned[table_id] = found
    return pinned, attacked


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("level", list(LEVELS))
def test_demo_tables_pin_no_suppressed_cell(
    level: str, profile: str, demo_root: Path, tmp_path: Path
) -> None:
    region, locality = LEVELS[level]
    records = recorded_tables(
        demo_root, tmp_path, "demo-care-at-home-2026", region, locality, profile
    )
    assert any(t.startswith("participation_by_group_and_") for t in records)
    pinned, attacked = attack(records, profile)
    assert pinned == {}, f"{level}/{profile}: pinned {pinned}"
    assert attacked > 0, "no [c] at all: the attack proved nothing"


@pytest.fixture(scope="module")
def corpus_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every corpus case that validates, validated in one scratch tree."""
    root = tmp_path_factory.mktemp("corpus")
    for case in CORPUS_CASES:
        scratch = project(tmp_path_factory.mktemp(case), case)
        shutil.copytree(scratch / "data" / "raw" / case, root / "data" / "raw" / case)
        if not (root / "data" / "reference").exists():
            shutil.copytree(scratch / "data" / "reference", root / "data" / "reference")
        validate_consultation(case, root=root)
    return root


@pytest.mark.parametrize("profile", PROFILES)
@pytest.mark.parametrize("case", CORPUS_CASES)
def test_corpus_tables_pin_no_suppressed_cell(
    case: str, profile: str, corpus_root: Path, tmp_path: Path
) -> None:
    regions = pl.read_csv(corpus_root / "data" / "raw" / case / "regions.csv", infer_schema=False)
    for region in ["", *regions["region"].unique(maintain_order=True).to_list()]:
        records = recorded_tables(corpus_root, tmp_path, case, region, "", profile)
        pinned, _ = attack(records, profile)
        assert pinned == {}, f"{case}/{region or 'overview'}/{profile}: pinned {pinned}"


ONE_WAY = TableSpec(count="responses")
GRID = TableSpec(count="responses", lines=(("group",), ("locality",)))


def report_of_grid(counts: list[int], places: int, profile: str) -> dict[str, Record]:
    """The three tables a report publishes for a grid: groups, places, and the grid, each
    hiding what the one-way tables hid (as ``tables.publish_tables`` does)."""
    groups = len(counts) // places
    grid = pl.DataFrame(
        {
            "group": [f"g{r}" for r in range(groups) for _ in range(places)],
            "locality": [f"l{c}" for _ in range(groups) for c in range(places)],
            "responses": counts,
        }
    )
    records = {}
    for key in ("group", "locality"):
        frame = grid.group_by(key, maintain_order=True).agg(pl.col("responses").sum())
        controlled = control(key, frame, ONE_WAY, profile, MIN_CELL)
        records[f"participation_by_{key}"] = Record(
            frame, ONE_WAY, [False] * frame.height, controlled
        )
    hidden = {
        value
        for key in ("group", "locality")
        for value, h in zip(
            records[f"participation_by_{key}"].frame[key],
            records[f"participation_by_{key}"].hidden,
            strict=True,
        )
        if h
    }
    elsewhere = [
        g in hidden or p in hidden for g, p in zip(grid["group"], grid["locality"], strict=True)
    ]
    controlled = control("grid", grid, GRID, profile, MIN_CELL, elsewhere)
    records["participation_by_group_and_locality"] = Record(grid, GRID, elsewhere, controlled)
    return records


@settings(max_examples=150, deadline=None)
@given(
    st.integers(min_value=2, max_value=5).flatmap(
        lambda places: st.tuples(
            st.just(places),
            st.lists(
                st.sampled_from([0, 0, 1, 2, 3, 5, 8, 12, 20, 40, 100]),
                min_size=2 * places,
                max_size=6 * places,
            ).map(lambda cells: cells[: len(cells) // places * places]),
        )
    )
)
def test_random_grids_pin_no_suppressed_cell_under_restricted(grid: tuple[int, list[int]]) -> None:
    places, counts = grid
    records = report_of_grid(counts, places, "restricted")
    pinned, _ = attack(records, "restricted")

    # a hidden 0 that a reader can pin gives away no one (hidden only because its group or
    # place is hidden in a one-way table); every other pinned [c] is a failure
    def value(table: str, cell: str) -> int:
        name, index = cell.removesuffix("]").split("[")
        return records[table if name == "grid" else name].counts[int(index)]

    counted = {t: [c for c in cells if value(t, c)] for t, cells in pinned.items()}
    assert not any(counted.values()), f"{places} places, cells {counts}: pinned {pinned}"
