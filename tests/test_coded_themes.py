"""coding.csv's themes as validation keeps them: each (response, question, theme) once, as
first coded among the rows that passed, judged on 64-bit hashes of the keys and, where a
hash is met twice, on the keys themselves (``pipelines.validate.coded_themes``)."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.ingest.read import ROW
from pipelines.validate import coded_themes
from pipelines.validate.checked import Checked
from pipelines.validate.coded_themes import THEME_KEYS, first_themes
from pipelines.validate.gx_suites import RuleResult


def coding(rows: list[tuple[str, str, str]], failed: tuple[int, ...] = ()) -> Checked:
    frame = pl.DataFrame(
        {
            ROW: list(range(len(rows))),
            "response_id": [r for r, _, _ in rows],
            "question_id": [q for _, q, _ in rows],
            "theme": [t for _, _, t in rows],
        }
    ).with_columns(pl.col("question_id", "theme").cast(pl.Categorical))
    results = (
        [
            RuleResult(
                suite="coding",
                rule="theme_in_codebook",
                field="theme",
                column="theme",
                rows=failed,
                message="",
            )
        ]
        if failed
        else []
    )
    return Checked(frame=frame, quarantine=pl.DataFrame(), results=results)


def as_rows(frame: pl.DataFrame) -> list[tuple[str, str, str]]:
    return frame.cast({"question_id": pl.String, "theme": pl.String}).rows()


ROWS = [
    ("R1", "q3", "cost"),
    ("R2", "q3", "staff"),
    ("R1", "q3", "cost"),  # the same coding twice: kept once
    ("R1", "q9", "cost"),  # another question: kept
    ("R3", "q3", "staff"),
    ("R2", "q3", "staff"),
]


def test_each_key_is_kept_once_in_the_order_first_coded() -> None:
    kept = as_rows(first_themes(coding(ROWS)))
    assert kept == [ROWS[0], ROWS[1], ROWS[3], ROWS[4]]


def test_a_row_set_aside_does_not_hide_a_later_row_that_passed() -> None:
    kept = as_rows(first_themes(coding(ROWS, failed=(0,))))
    assert kept == [ROWS[1], ROWS[2], ROWS[3], ROWS[4]]


def test_where_nothing_is_dropped_coding_columns_are_returned_as_they_are() -> None:
    table = coding(ROWS[:2] + ROWS[3:5])
    themes = first_themes(table)
    assert themes.columns == list(THEME_KEYS)
    assert themes.equals(table.frame.select(THEME_KEYS))


@pytest.mark.parametrize("parts", [1, 3, 8])
def test_keys_sharing_a_hash_are_told_apart_by_their_values(
    monkeypatch: pytest.MonkeyPatch, parts: int
) -> None:
    """Every row given the same hash (as if all collided): the keys decide, not the hash."""
    monkeypatch.setattr(coded_themes, "HASH_PARTS", parts)
    monkeypatch.setattr(
        coded_themes,
        "key_hashes",
        lambda frame, passed: pl.Series("_hash", [7] * frame.height, dtype=pl.UInt64),
    )
    assert as_rows(first_themes(coding(ROWS))) == [ROWS[0], ROWS[1], ROWS[3], ROWS[4]]
    assert as_rows(first_themes(coding(ROWS, failed=(0,)))) == [ROWS[1], ROWS[2], ROWS[3], ROWS[4]]


def test_hashes_are_made_a_slice_at_a_time_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    whole = as_rows(first_themes(coding(ROWS * 50)))
    monkeypatch.setattr(coded_themes, "HASH_ROWS", 7)
    assert as_rows(first_themes(coding(ROWS * 50))) == whole == [ROWS[0], ROWS[1], ROWS[3], ROWS[4]]


def test_an_empty_coding_file_gives_no_themes() -> None:
    assert first_themes(coding([])).height == 0
