"""Themes put in their responses' region order: matched on 64-bit keys of the ids, the same
order as matching the ids as text, and matched as text wherever keys could mislead."""

from __future__ import annotations

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.validate import region_order
from pipelines.validate.region_order import in_region_order

#: Valid responses: id, source row, region (position in regions.csv).
ORDER = pl.DataFrame(
    {
        "__row": [2, 3, 4, 5, 6],
        "response_id": ["r1", "r2", "r3", "r4", "r5"],
        "_region": pl.Series([1, 0, 1, 0, 2], dtype=pl.UInt32),
    }
)
#: Themes: several per response, one of no valid response (r9), one with no id.
THEMES = pl.DataFrame(
    {
        "response_id": ["r1", "r9", "r2", "r1", None, "r5", "r4", "r3", "r2"],
        "theme": ["a", "b", "c", "d", "e", "f", "g", "h", "i"],
    }
)


def _by_text(frame: pl.DataFrame, order: pl.DataFrame) -> pl.DataFrame:
    """The order as a join on the text ids and a sort by (region, row) gives it."""
    keyed = order.select("response_id", "_region", pl.col("__row").alias("_row"))
    joined = frame.join(keyed, on="response_id", how="left", maintain_order="left")
    ordered = joined.sort("_region", "_row", maintain_order=True, nulls_last=True)
    return ordered.drop("_row")


def test_themes_follow_their_responses_region_then_row() -> None:
    ordered = in_region_order(THEMES, ORDER)
    assert ordered["theme"].to_list() == ["c", "i", "g", "a", "d", "h", "f", "b", "e"]
    assert_frame_equal(ordered, _by_text(THEMES, ORDER))


def test_keys_that_collide_are_matched_as_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every id given one key: the keys cannot tell the responses apart."""
    constant = pl.when(pl.col("response_id").is_not_null()).then(pl.lit(7, pl.UInt64))
    monkeypatch.setattr(region_order, "_id_key", lambda: constant.alias("_key"))
    assert region_order._placed_by_id_key(THEMES, ORDER) is None
    assert_frame_equal(in_region_order(THEMES, ORDER), _by_text(THEMES, ORDER))


def test_an_id_whose_key_matches_another_id_is_matched_as_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """r9 (no valid response) given r1's key: a key match that is not a text match."""
    column = pl.col("response_id")
    key = pl.when(column == "r9").then(pl.lit("r1")).otherwise(column).hash(seed=11)
    monkeypatch.setattr(
        region_order, "_id_key", lambda: pl.when(column.is_not_null()).then(key).alias("_key")
    )
    assert region_order._placed_by_id_key(THEMES, ORDER) is None
    assert_frame_equal(in_region_order(THEMES, ORDER), _by_text(THEMES, ORDER))


def test_responses_with_no_region_sort_as_the_pair_does() -> None:
    order = ORDER.with_columns(
        pl.when(pl.col("response_id") == "r2")
        .then(None)
        .otherwise(pl.col("_region"))
        .alias("_region")
    )
    assert_frame_equal(in_region_order(THEMES, order), _by_text(THEMES, order))


def test_no_themes_and_no_responses() -> None:
    assert in_region_order(THEMES.clear(), ORDER).height == 0
    ordered = in_region_order(THEMES, ORDER.clear())
    assert ordered["theme"].to_list() == THEMES["theme"].to_list()


@pytest.mark.parametrize("collide", [False, True])
def test_with_row_each_row_names_its_response_s_source_row(
    collide: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``with_row``: each row also carries its response's source row (null where it names
    no valid response), as a join on the text ids gives it, keys colliding or not."""
    if collide:
        constant = pl.when(pl.col("response_id").is_not_null()).then(pl.lit(7, pl.UInt64))
        monkeypatch.setattr(region_order, "_id_key", lambda: constant.alias("_key"))
    ordered = in_region_order(THEMES, ORDER, with_row=True)
    keyed = ORDER.select("response_id", "_region", pl.col("__row").alias("_row"))
    expected = THEMES.join(keyed, on="response_id", how="left", maintain_order="left").sort(
        "_region", "_row", maintain_order=True, nulls_last=True
    )
    assert_frame_equal(ordered, expected)
    assert_frame_equal(ordered.drop("_row"), in_region_order(THEMES, ORDER))
    assert ordered["_row"].to_list() == [3, 3, 5, 2, 2, 4, 6, None, None]
