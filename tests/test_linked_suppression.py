"""Suppression across linked tables (pipelines/linked_suppression.py), attacked by LP."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from lp_attack import pinned_in_system

from pipelines.linked_suppression import LinkedCell, protect_linked


def hierarchy(counts: list[list[int]], min_cell: int = 10) -> list[LinkedCell]:
    """Regions (rows of ``counts``) by groups (columns): each region's group cells and its
    total, the overview's group cells and its total, as a run publishes them."""
    cells = []
    for r, row in enumerate(counts):
        for g, value in enumerate(row):
            cells.append(LinkedCell(frozenset({(g, r)}), value, 1 <= value < min_cell))
        if not 1 <= sum(row) < min_cell:  # a smaller total is itself [c]: not published
            inner = frozenset((g, r) for g in range(len(row)))
            cells.append(LinkedCell(inner, sum(row), False, complement=False))
    for g in range(len(counts[0])):
        inner = frozenset((g, r) for r in range(len(counts)))
        value = sum(row[g] for row in counts)
        cells.append(LinkedCell(inner, value, 1 <= value < min_cell))
    everyone = frozenset((g, r) for r in range(len(counts)) for g in range(len(counts[0])))
    if not 1 <= sum(map(sum, counts)) < min_cell:
        cells.append(LinkedCell(everyone, sum(map(sum, counts)), False, complement=False))
    return cells


def hidden_after(cells: list[LinkedCell]) -> list[bool]:
    """What is published as [c] after the linked step: hidden on entry, or a secret."""
    return [c.hidden or s for c, s in zip(cells, protect_linked(cells), strict=True)]


def attack(cells: list[LinkedCell], hidden: list[bool]) -> list[int]:
    """The LP attacker: every inner cell ≥ 0, every shown value exact; which [c] is pinned."""
    inner = sorted({i for c in cells for i in c.inner})
    truth = {i: None for i in inner}
    for c in cells:  # the tests' inner cells are each some cell's only inner cell
        if len(c.inner) == 1:
            truth[next(iter(c.inner))] = c.value
    lows: list[float] = [0.0] * len(inner)
    highs: list[float | None] = [None] * len(inner)
    position = {i: j for j, i in enumerate(inner)}
    equations = []
    flags = [False] * len(inner)
    for c, h in zip(cells, hidden, strict=True):
        index = len(lows)
        lows.append(0.0 if h else c.value)
        highs.append(None if h else c.value)
        flags.append(h)
        equations.append([*((position[i], 1.0) for i in c.inner), (index, -1.0)])
    pinned = pinned_in_system(lows, highs, flags, equations)
    return [p - len(inner) for p in pinned]


def test_the_overview_minus_the_other_regions_no_longer_gives_a_region_away() -> None:
    counts = [[5, 40, 30], [20, 35, 25], [30, 12, 44]]
    cells = hierarchy(counts)
    before = [c.hidden for c in cells]
    assert attack(cells, before), "the premise: the unprotected run leaks"
    after = hidden_after(cells)
    assert attack(cells, after) == []
    assert all(a or not b for a, b in zip(after, before, strict=True)), "only adds suppression"


def test_a_value_published_twice_is_hidden_in_both_places() -> None:
    cells = [
        LinkedCell(frozenset({"a"}), 4, True),
        LinkedCell(frozenset({"a"}), 4, False),  # the same people, another table
        LinkedCell(frozenset({"b"}), 30, False),
        LinkedCell(frozenset({"a", "b"}), 34, False, complement=False),
    ]
    hidden = hidden_after(cells)
    assert hidden[0] and hidden[1]
    assert hidden[2], "and the total then needs a second [c]"


def test_a_value_hidden_only_with_its_row_is_no_secret_to_keep() -> None:
    # 40 is hidden in one table only because its row holds a small count in another column;
    # the same 40 shown elsewhere gives nothing away, so nothing more is hidden for it
    cells = [
        LinkedCell(frozenset({"a"}), 40, True, secret=False),
        LinkedCell(frozenset({"a"}), 40, False),
        LinkedCell(frozenset({"b"}), 30, False),
        LinkedCell(frozenset({"a", "b"}), 70, False, complement=False),
    ]
    assert hidden_after(cells) == [True, False, False, False]


def test_totals_are_never_complements_and_shown_zeros_are_known() -> None:
    cells = [
        LinkedCell(frozenset({"a"}), 3, True),
        LinkedCell(frozenset({"b"}), 0, False),
        LinkedCell(frozenset({"c"}), 25, False),
        LinkedCell(frozenset({"a", "b", "c"}), 28, False, complement=False),
    ]
    hidden = hidden_after(cells)
    assert hidden == [True, False, True, False]


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 4).flatmap(
        lambda groups: st.lists(
            st.lists(st.integers(0, 30), min_size=groups, max_size=groups), min_size=2, max_size=5
        )
    )
)
def test_random_runs_pin_no_suppressed_value(counts: list[list[int]]) -> None:
    cells = hierarchy(counts)
    assert attack(cells, hidden_after(cells)) == []


def test_a_secret_only_totals_could_free_is_reported_not_passed_over(caplog) -> None:
    # three regions' headline totals (never hidden) give the smallest one away: nothing the
    # plan may hide can protect it, and the run says so
    cells = [
        LinkedCell(frozenset({"r1"}), 3, True),
        LinkedCell(frozenset({"r2"}), 12, False, complement=False),
        LinkedCell(frozenset({"r3"}), 15, False, complement=False),
        LinkedCell(frozenset({"r1", "r2", "r3"}), 30, False, complement=False),
    ]
    with caplog.at_level("WARNING", logger="workbook.disclosure"):
        protect_linked(cells)
    assert "can still be worked out" in caplog.text


def test_a_complement_only_totals_give_away_is_no_warning_when_no_small_count_is(caplog) -> None:
    # the 3 is hidden with the 12 and the 15 as complements; a line total of the 12 and a
    # 0 a total shows gives the 12 away, but the 3 stays free behind the 15: no warning
    cells = [
        LinkedCell(frozenset({"a"}), 3, True),
        LinkedCell(frozenset({"b"}), 12, True, secret=True),
        LinkedCell(frozenset({"z"}), 0, False, complement=False),  # a total: 0 for good
        LinkedCell(frozenset({"b", "z"}), 12, False, complement=False),
        LinkedCell(frozenset({"c"}), 15, True, secret=True),
        LinkedCell(frozenset({"a", "b", "c"}), 30, False, complement=False),
    ]
    with caplog.at_level("DEBUG", logger="workbook.disclosure"):
        protect_linked(cells, small=9)
    assert "can still be worked out from published totals and headline" not in caplog.text
    assert "complements chosen to hide small counts" in caplog.text
    caplog.clear()
    with caplog.at_level("DEBUG", logger="workbook.disclosure"):
        protect_linked(cells)  # without ``small`` every secret counts: the warning
    assert "can still be worked out from published totals and headline" in caplog.text
