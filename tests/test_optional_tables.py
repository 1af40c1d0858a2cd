"""The optional tables read with their contract columns: a big coding.csv read in batches,
its questions and themes held as Categorical as read, gives the same cells as read whole,
and its trimming judged once per distinct value gives the same as trimming every cell."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines.errors import InputError
from pipelines.ingest import read
from pipelines.validate.optional_tables import read_optional, standard_coding

#: Spaces around ids, questions and themes, a blank theme, and a column not in the contract.
CODING = (
    "response_id,question_id,theme,coder\n"
    "r1,q1,Kindness,ann\n"
    " r2 ,q1 ,  Kindness,bob\n"
    "r3,q2,Being known as a person ,ann\n"
    "r4,q2,   ,bob\n"
    "r1,q2,Kindness,ann\n"
)


def _folder(tmp_path: Path, text: str = CODING) -> Path:
    (tmp_path / "coding.csv").write_text(text, encoding="utf-8")
    return tmp_path


def _as_text(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.with_columns(pl.col(pl.Categorical).cast(pl.String))


def test_coding_is_read_with_its_contract_columns_questions_and_themes_categorical(
    tmp_path: Path,
) -> None:
    frame = read_optional(_folder(tmp_path), "coding").frame
    assert frame.columns == ["__row", "response_id", "question_id", "theme"]
    assert frame.schema["question_id"] == pl.Categorical
    assert frame.schema["theme"] == pl.Categorical
    expected = pl.DataFrame(
        {
            "__row": [2, 3, 4, 5, 6],
            "response_id": ["r1", " r2 ", "r3", "r4", "r1"],
            "question_id": ["q1", "q1 ", "q2", "q2", "q2"],
            "theme": ["Kindness", "  Kindness", "Being known as a person ", None, "Kindness"],
        }
    )
    assert_frame_equal(_as_text(frame), expected)  # the text as written; blank is null


@pytest.mark.parametrize("rows", [1, 2, 100])
def test_a_big_coding_file_read_in_batches_gives_the_whole_file_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: int
) -> None:
    folder = _folder(tmp_path)
    whole = read_optional(folder, "coding").frame
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "CHUNK_ROWS", rows)
    assert_frame_equal(_as_text(read_optional(folder, "coding").frame), _as_text(whole))


def test_a_big_coding_file_missing_a_column_is_refused_before_its_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "CHUNK_ROWS", 1)
    folder = _folder(tmp_path, "response_id,question_id\nr1,q1\n")
    with pytest.raises(InputError, match=r"missing column\(s\) theme"):
        read_optional(folder, "coding")


def test_a_coding_file_of_headers_only_is_an_empty_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    frame = read_optional(_folder(tmp_path, "response_id,question_id,theme\n"), "coding").frame
    assert frame.height == 0
    assert frame.schema["theme"] == pl.Categorical


def test_standard_coding_trims_as_every_cell_trimmed(tmp_path: Path) -> None:
    raw = read_optional(_folder(tmp_path), "coding").frame
    standard = standard_coding(raw)
    by_cell = _as_text(raw).with_columns(
        pl.col("response_id", "question_id", "theme").str.strip_chars()
    )
    assert standard.schema["question_id"] == pl.Categorical
    assert_frame_equal(_as_text(standard), by_cell)


def test_standard_coding_of_cells_with_nothing_to_trim_keeps_them(tmp_path: Path) -> None:
    text = "response_id,question_id,theme\nr1,q1,Kindness\nr2,q2,Being known\n"
    raw = read_optional(_folder(tmp_path, text), "coding").frame
    standard = standard_coding(raw)
    assert_frame_equal(standard, raw)
    # a frame of plain text (a caller's own) is standardised the same way
    assert_frame_equal(_as_text(standard_coding(_as_text(raw))), _as_text(raw))
