"""Quicker ways of reading an export give what the plain ones give: coded fields mapped by
category, the month-first check without its capture groups (per-option cells judged once:
tests/test_ingest_cells.py)."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_series_equal

from pipelines.ingest.mapping import SLASH_DATE, coded_values, month_first_example

LOOKUP = {"yes": "yes", "no": "no", "prefer not to say": "prefer_not_to_say"}
CELLS = st.sampled_from(["Yes", " yes ", "NO", "No", "Prefer not to say", "maybe", "", "  "])


def _month_first_by_parts(values: pl.Series) -> str | None:
    """The check as first written: each distinct value's two parts captured and compared."""
    distinct = values.drop_nulls().unique(maintain_order=True)
    parts = distinct.str.extract_groups(SLASH_DATE)
    first = parts.struct.field("1").cast(pl.Int32, strict=False)
    second = parts.struct.field("2").cast(pl.Int32, strict=False)
    if (first > 12).any() or not (second > 12).any():
        return None
    return distinct.filter(second > 12)[0]


PART = st.sampled_from(["1", "01", "9", "12", "13", "21", "31", "99", "0", "123", "١٣", "1٣"])
DATE = st.builds(
    lambda pad, a, b, year, rest: f"{pad}{a}/{b}/{year}{rest}",
    st.sampled_from(["", " ", "\t"]),
    PART,
    PART,
    st.sampled_from(["2026", "26", "202", "20266"]),
    st.sampled_from(["", " 13:10", "x", "5"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(DATE, st.none(), st.text(max_size=8)), max_size=12))
def test_the_month_first_check_is_the_check_by_parts(cells: list[str | None]) -> None:
    values = pl.Series(cells, dtype=pl.String)
    assert month_first_example(values) == _month_first_by_parts(values)


def test_the_month_first_check_finds_the_first_example() -> None:
    values = pl.Series(["8/1/2019", "8/21/2019 13:10", "9/30/2019"])
    assert month_first_example(values) == "8/21/2019 13:10"
    assert month_first_example(pl.Series(["8/21/2019", "21/8/2019"])) is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(CELLS, st.none()), max_size=20))
def test_a_categorical_column_is_coded_as_its_text(cells: list[str | None]) -> None:
    """Mapped by category, a Categorical column gives the codes its text gives, as
    Categorical."""
    text = pl.Series("field", cells, dtype=pl.String)
    by_category = coded_values(text.cast(pl.Categorical), LOOKUP)
    assert by_category.dtype == pl.Categorical
    assert_series_equal(by_category.cast(pl.String), coded_values(text, LOOKUP))
