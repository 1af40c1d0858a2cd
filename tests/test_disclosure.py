"""Disclosure control: the restricted, public and none profiles, and attempts to undo them."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.disclosure import TableSpec, complementary, control, control_count, round_half_up

SPEC = TableSpec(count="responses", percents={"percent": "responses"})


def table(counts: list[int]) -> pl.DataFrame:
    total = sum(counts)
    return pl.DataFrame(
        {
            "group": [f"g{i}" for i in range(len(counts))],
            "responses": counts,
            "percent": [c / total * 100 if total else None for c in counts],
        }
    )


def test_restricted_suppresses_small_counts_and_what_derives_from_them() -> None:
    published = control("t", table([120, 5, 30, 0]), SPEC, "restricted", 10).published()
    assert published["responses"].to_list() == ["120", "[c]", "[c]", "0"]
    assert published["percent"].to_list()[1:3] == ["[c]", "[c]"]
    assert published["percent"][3] == "0.0"


def test_two_small_cells_protect_each_other_only_if_their_sum_is_not_small() -> None:
    published = control("t", table([120, 5, 6, 40]), SPEC, "restricted", 10).published()
    assert published["responses"].to_list() == ["120", "[c]", "[c]", "40"]  # 5 + 6 = 11
    published = control("t", table([120, 5, 3, 40]), SPEC, "restricted", 10).published()
    assert published["responses"].to_list() == ["120", "[c]", "[c]", "[c]"]  # 5 + 3 < 10


def test_cells_that_could_only_be_ones_are_not_left_alone() -> None:
    published = control("t", table([1, 1, 50]), SPEC, "restricted", 2).published()
    assert published["responses"].to_list() == ["[c]", "[c]", "[c]"]


def test_min_cell_is_the_threshold() -> None:
    assert (
        control("t", table([9, 8, 10, 50]), SPEC, "restricted", 10).published()["responses"][2]
        == "10"
    )
    assert (
        control("t", table([9, 8, 10, 50]), SPEC, "restricted", 11).published()["responses"][2]
        == "[c]"
    )


def test_public_profile_rounds_and_recomputes_percentages() -> None:
    published = control("t", table([122, 7, 33, 0, 8]), SPEC, "public").published()
    assert published["responses"].to_list() == ["120", "[c]", "35", "0", "10"]
    total = round_half_up(122 + 7 + 33 + 8)  # 170: from unrounded values, then rounded
    assert float(published["percent"][0]) == pytest.approx(120 / total * 100)


def test_none_profile_is_exact() -> None:
    frame = table([120, 5, 3])
    assert control("t", frame, SPEC, "none").frame.equals(frame)


def test_two_way_table_protects_rows_and_columns() -> None:
    frame = pl.DataFrame(
        {
            "group": ["a", "a", "a", "b", "b", "b"],
            "locality": ["x", "y", "z", "x", "y", "z"],
            "responses": [40, 3, 50, 60, 70, 80],
        }
    )
    spec = TableSpec(count="responses", lines=(("group",), ("locality",)))
    hidden = control("t", frame, spec, "restricted", 10).suppressed["responses"].to_list()
    cells = dict(zip(zip(frame["group"], frame["locality"], strict=True), hidden, strict=True))
    for key in ("group", "locality"):
        for value in frame[key].unique():
            in_line = [
                h for (g, loc), h in cells.items() if (g if key == "group" else loc) == value
            ]
            assert sum(in_line) != 1, f"{key}={value} has a lone [c]"


def test_headline_counts() -> None:
    assert control_count(9) is None and control_count(10) == 10 and control_count(0) == 0
    assert control_count(7, "public") is None and control_count(8, "public") == 10
    assert control_count(3, "none") == 3


def test_things_that_are_not_people_pass_through() -> None:
    spec = TableSpec(count="actions", counts_people=False)
    frame = pl.DataFrame({"status": ["done"], "actions": [2]})
    assert control("t", frame, spec, "restricted").published()["actions"].to_list() == ["2"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=8),
    st.integers(min_value=2, max_value=12),
)
def test_no_suppressed_cell_can_be_recovered_by_differencing(
    counts: list[int], min_cell: int
) -> None:
    """An attacker knows the total (the headline) and every shown cell and percentage."""
    controlled = control("t", table(counts), SPEC, "restricted", min_cell)
    hidden = controlled.suppressed["responses"].to_list()
    for count, is_hidden in zip(counts, hidden, strict=True):
        if 1 <= count < min_cell:
            assert is_hidden, f"small count {count} shown in {counts}"
    total = sum(counts)
    shown_total = sum(c for c, h in zip(counts, hidden, strict=True) if not h)
    n_hidden = sum(hidden)
    if n_hidden == 1 and control_count(total, "restricted", min_cell) is not None:
        pytest.fail(f"one [c] among {counts}: recoverable as {total - shown_total}")
    # shown percentages never give away a hidden cell: they are null where hidden
    for pct, is_hidden in zip(controlled.frame["percent"].to_list(), hidden, strict=True):
        if is_hidden:
            assert pct is None


def test_complementary_picks_the_smallest_non_zero_cell() -> None:
    assert complementary(
        [50, 3, 20, 0, 12], [False, True, False, False, False], [[0, 1, 2, 3, 4]]
    ) == [False, True, False, False, True]


def test_representation_shares_do_not_give_away_a_lone_stated_cell() -> None:
    """female 100, male 6, prefer-not-to-say 12: the shares reveal the stated total (106)."""
    from pipelines.report.specs import REPRESENTATION

    frame = pl.DataFrame(
        {
            "category": ["female", "male", "prefer_not_to_say", "not_answered"],
            "respondents": [100, 6, 12, 0],
            "respondent_share": [100 / 106, 6 / 106, None, None],
            "population_share": [0.5, 0.5, None, None],
            "ratio": [100 / 106 / 0.5, 6 / 106 / 0.5, None, None],
            "ci_low": [1.7, 0.05, None, None],
            "ci_high": [1.9, 0.2, None, None],
            "flag": ["over", "under", "", ""],
        }
    )
    hidden = (
        control("r", frame, REPRESENTATION, "restricted", 10).suppressed["respondents"].to_list()
    )
    assert hidden[:2] == [True, True], "female must be hidden too, or male = 106 − 100"


def test_wave_change_under_public_uses_rounded_counts() -> None:
    from pipelines.report.specs import WAVE_CHANGE

    frame = pl.DataFrame(
        {
            "group": ["a"],
            "responses": [13],
            "previous": [9],
            "change": [4],
            "change_percent": [44.4],
        }
    )
    row = control("c", frame, WAVE_CHANGE, "public").frame.row(0, named=True)
    assert (row["responses"], row["previous"], row["change"]) == (15, 10, 5)
    assert row["change_percent"] == pytest.approx(50.0)


def test_a_count_hidden_in_another_table_stays_hidden() -> None:
    frame = table([40, 12, 50])
    controlled = control("t", frame, SPEC, "restricted", 10, hidden_elsewhere=[False, True, False])
    assert controlled.suppressed["responses"].to_list() == [True, True, False]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=30), min_size=2, max_size=8),
    st.integers(min_value=2, max_value=12),
)
def test_lp_attacker_pins_no_cell_in_a_one_way_table(counts: list[int], min_cell: int) -> None:
    from lp_attack import pinned_cells

    hidden = (
        control("t", table(counts), SPEC, "restricted", min_cell).suppressed["responses"].to_list()
    )
    if control_count(sum(counts), "restricted", min_cell) is None:
        return  # the total itself is [c]: no line to work from
    assert pinned_cells(counts, hidden, [list(range(len(counts)))]) == []
