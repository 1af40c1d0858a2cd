"""The clean rows validate keeps in memory for the tallies (``HeldTables``): the same rows
as the files it wrote, read back, and so the same tallies."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from pipelines import prepare
from pipelines.analysis.in_memory import in_memory
from pipelines.paths import ROOT
from pipelines.prepare import quote_places
from pipelines.store.aggregates import NAMES, Aggregates, read_aggregates, summarise
from pipelines.store.clean_data import load_clean
from pipelines.store.quotes import MIN_QUOTE_LENGTH
from pipelines.store.tallies import QuoteDepth
from pipelines.validate.held_rows import HeldTables
from pipelines.validate.run import validate_consultation

DEMO = "demo-care-at-home-2026"
TABLES = ("responses", "answers", "comments", "themes")


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    """A project tree holding a copy of the demo's latest wave (with planted errors)."""
    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    shutil.copytree(ROOT / "data" / "raw" / DEMO, tmp_path / "data" / "raw" / DEMO)
    return tmp_path


def _as_text(frame: pl.DataFrame, id_text: pl.Series | None = None) -> pl.DataFrame:
    """The rows with their ids (and categoricals) as text, in one order (the files' order is
    not the held one); ``id_text``: held ids are source rows, these their text."""
    ids = pl.col("response_id")
    text = ids.cast(pl.String) if id_text is None else pl.lit(id_text).gather(ids)
    frame = frame.with_columns(text.alias("response_id"))
    coded = [c for c, t in frame.schema.items() if isinstance(t, pl.Categorical)]
    frame = frame.with_columns(pl.col(coded).cast(pl.String))
    return frame.sort(frame.columns, nulls_last=True)


def _held_and_read_back(root: Path, name: str) -> tuple[HeldTables, dict[str, pl.DataFrame]]:
    """What validate held for its step, and its staged files as the tallies read them back."""
    seen: list[tuple[HeldTables | None, dict[str, pl.DataFrame]]] = []

    def capture(staging: Path, held: HeldTables | None) -> None:
        data = in_memory(load_clean(name, root, folder=staging))
        seen.append((held, {t: getattr(data, t).collect() for t in TABLES}))

    validate_consultation(name, root, then=capture, hold_responses=10**9)
    [(held, files)] = seen
    assert held is not None
    return held, files


def test_the_held_rows_are_the_files_rows(demo_copy: Path) -> None:
    """Every region-ordered table held equals its file read back, row for row (as a set:
    the order differs), with the same columns and types (ids: source rows, whose text
    ``id_text`` gives; the answers' codes: categorical)."""
    held, files = _held_and_read_back(demo_copy, DEMO)
    for table in TABLES:
        kept = getattr(held, table).collect()
        assert kept.schema.names() == files[table].schema.names(), table
        assert kept.schema["response_id"] == pl.Int64, table
        if table == "themes":  # of no valid response: null here, the id in the file
            kept, file = kept.drop_nulls("response_id"), files[table]
            placed = file.filter(
                pl.col("response_id").cast(pl.String).is_in(held.id_text.implode())
            )
            assert kept.height == placed.height > 0
            assert getattr(held, table).collect().height == file.height
            files[table] = placed
        assert_frame_equal(
            _as_text(kept, held.id_text),
            _as_text(files[table]),
            check_exact=True,  # table
        )


def test_held_comments_keep_only_approved_quotes_quotable(demo_copy: Path) -> None:
    """With an approved_quotes.csv, the held comments are quotable as the file's are."""
    folder = demo_copy / "data" / "raw" / DEMO
    first = pl.read_csv(folder / "responses.csv", infer_schema=False).head(400)
    ids = first.select(pl.col(first.columns[0]).str.strip_chars().alias("response_id"))
    ids.with_columns(pl.lit("q3").alias("question_id")).write_csv(folder / "approved_quotes.csv")
    held, files = _held_and_read_back(demo_copy, DEMO)
    comments = held.comments.collect()
    assert 0 < comments["quotable"].sum() < comments["consent_to_quote"].sum()
    assert_frame_equal(
        _as_text(comments, held.id_text), _as_text(files["comments"]), check_exact=True
    )


def test_tallies_of_the_held_rows_are_the_tallies_read_back(demo_copy: Path) -> None:
    """summarise over the held rows gives the tallies of the files read back (sorted: the
    tallies' row order is not fixed)."""
    held, files = _held_and_read_back(demo_copy, DEMO)
    depth = QuoteDepth(3, MIN_QUOTE_LENGTH)
    data = load_clean(DEMO, demo_copy)  # published by now
    from_held = summarise(held, depth, quote_places(held, 3), held.id_text)
    read_back = summarise(in_memory(data), depth, quote_places(data, 3))
    assert quote_places(held, 3) == quote_places(data, 3)
    assert from_held["quote_candidates"].height > 0
    for name in NAMES:
        assert_frame_equal(_sorted(from_held[name]), _sorted(read_back[name]), check_exact=True)


def _sorted(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort(frame.columns, nulls_last=True)


def _stored(root: Path) -> Aggregates:
    stored = read_aggregates(root / "data" / "clean" / DEMO)
    assert stored is not None
    return stored


def test_prepare_tallies_the_held_rows_only_up_to_its_bound(
    demo_copy: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Prepare tallies the rows validate held up to ``MAX_RESPONSES`` valid responses, and
    reads the files back above it: the stored tallies are the same either way."""
    given: list[HeldTables | None] = []
    tally = prepare.tally_regions

    def recording(*args: object) -> None:
        given.append(args[-1])  # type: ignore[arg-type]
        tally(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(prepare, "tally_regions", recording)
    prepare.prepare_consultation(DEMO, root=demo_copy)
    other = tmp_path_factory.mktemp("read_back")
    shutil.copytree(demo_copy / "data" / "reference", other / "data" / "reference")
    shutil.copytree(demo_copy / "data" / "raw" / DEMO, other / "data" / "raw" / DEMO)
    monkeypatch.setattr(prepare, "MAX_RESPONSES", 1)
    prepare.prepare_consultation(DEMO, root=other)
    assert isinstance(given[0], HeldTables) and given[1] is None
    held, read_back = _stored(demo_copy), _stored(other)
    assert held.quotes == read_back.quotes
    for name in NAMES:
        assert_frame_equal(_sorted(held[name]), _sorted(read_back[name]), check_exact=True)


def test_no_coding_holds_no_themes(tiny: Path) -> None:
    """Without coding.csv there is no themes file: the held themes are empty, typed as a
    missing file reads (ids: the held categorical)."""
    held, files = _held_and_read_back(tiny, "tiny")
    themes = held.themes.collect()
    assert themes.is_empty()
    assert themes.schema.names() == files["themes"].schema.names()
    assert themes.schema["response_id"] == pl.Int64
    assert themes.drop("response_id").schema == files["themes"].drop("response_id").schema
