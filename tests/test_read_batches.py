"""The batched CSV reader (exports over ``STREAM_BYTES``): the cp1252 fallback and the errors.

The threshold is lowered here rather than writing a 256 MB file: every export is then read in
batches of one row, as a big one would be.
"""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from conftest import RESPONSES, write_consultation
from polars.testing import assert_frame_equal

from pipelines.errors import InputError
from pipelines.ingest import read
from pipelines.ingest.read import NotUtf8Error, read_table, read_table_chunks
from pipelines.validate.run import validate_consultation

#: A row with a field too many: polars refuses it (ragged lines are not truncated).
RAGGED = RESPONSES + "r4,2026-03-06,,Online,London,Camden,service_user,,,,,Agree,,extra\n"


@pytest.fixture
def batched(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every CSV counts as big: read in batches of one row."""
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "CHUNK_ROWS", 1)


def _cp1252_export(root: Path, text: str = RESPONSES) -> Path:
    folder = write_consultation(root)
    path = folder / "responses.csv"
    path.write_bytes(text.encode("cp1252"))
    return path


def test_a_big_cp1252_export_is_refused_in_batches(tmp_path: Path, batched: None) -> None:
    path = _cp1252_export(tmp_path)
    chunks = read_table_chunks(path)
    with pytest.raises(NotUtf8Error):
        list(chunks.chunks)


def test_a_big_cp1252_export_read_again_whole_gives_the_whole_file_reading(
    tmp_path: Path, batched: None
) -> None:
    path = _cp1252_export(tmp_path)
    whole = read_table_chunks(path, stream=False)
    assert whole.encoding == "cp1252"
    assert_frame_equal(pl.concat(list(whole.chunks)), read_table(path).frame)


def test_a_big_cp1252_export_validates_as_a_small_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small, big = tmp_path / "small", tmp_path / "big"
    _cp1252_export(small)
    _cp1252_export(big)
    validate_consultation("tiny", root=small)
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "CHUNK_ROWS", 1)
    validate_consultation("tiny", root=big)
    clean = [root / "data" / "clean" / "tiny" for root in (small, big)]
    for path in sorted(clean[0].glob("*.parquet")):
        assert_frame_equal(pl.read_parquet(clean[1] / path.name), pl.read_parquet(path))
    ledgers = [json.loads((folder / "validation.json").read_text()) for folder in clean]
    for ledger in ledgers:
        del ledger["run_id"], ledger["validated_at"]
    assert ledgers[0] == ledgers[1]
    assert ledgers[1]["inputs"][0]["encoding"] == "cp1252"
    assert "£5" in pl.read_parquet(clean[1] / "comments.parquet")["text"][0]


def _message(path: Path, *, in_batches: bool) -> str:
    with pytest.raises(InputError) as error:
        if in_batches:
            list(read_table_chunks(path).chunks)
        else:
            read_table(path)
    return str(error.value)


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_an_unreadable_big_export_is_named_as_a_small_one_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    path = write_consultation(tmp_path) / "responses.csv"
    path.write_bytes(RAGGED.encode(encoding))
    whole = _message(path, in_batches=False)
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "CHUNK_ROWS", 1)
    if encoding == "cp1252":  # found in batches, then read whole: the whole reader's error
        with pytest.raises(NotUtf8Error):
            list(read_table_chunks(path).chunks)
        batched = _message(path, in_batches=False)
    else:
        batched = _message(path, in_batches=True)
    assert whole.startswith(f"{path} could not be read as CSV: ")
    assert batched == whole


def test_an_unreadable_big_export_stops_the_run_and_writes_nothing(
    tmp_path: Path, batched: None
) -> None:
    path = write_consultation(tmp_path) / "responses.csv"
    path.write_text(RAGGED, encoding="utf-8")
    with pytest.raises(InputError, match="could not be read as CSV"):
        validate_consultation("tiny", root=tmp_path)
    assert not (tmp_path / "data" / "clean").exists()
    assert path.read_text(encoding="utf-8") == RAGGED  # the raw file is never touched


def test_a_batched_export_is_held_in_one_chunk_per_column(tmp_path: Path, batched: None) -> None:
    """Read in batches, the standardised responses and an optional table are one chunk per
    column: an eager ``with_columns`` (the response keys, the coding keys) on a frame of
    many chunks copies every column into one, holding the table twice (1.4 GiB more at ten
    million responses)."""
    from pipelines.validate.optional_tables import read_optional
    from pipelines.validate.run import read_inputs

    folder = write_consultation(tmp_path)
    (folder / "coding.csv").write_text(
        "response_id,question_id,theme\n"
        + "".join(f"r{n % 3 + 1},Q1,Kindness\n" for n in range(40)),
        encoding="utf-8",
    )
    inputs, standard = read_inputs("tiny", tmp_path)
    assert standard.responses.height == 3
    assert all(series.n_chunks() == 1 for series in standard.responses.iter_columns())
    coding = read_optional(folder, "coding")
    assert coding is not None and coding.frame.height == 40
    assert all(series.n_chunks() == 1 for series in coding.frame.iter_columns())
