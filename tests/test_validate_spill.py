"""An export too big to hold keeps its answers, comments and raw fields on disk until they
are written (``pipelines.ingest.spill``): the clean data, quarantine, ledger and held rows
are the same as when they are held, and the scratch files are gone after the run.

The threshold is lowered here (``spill_over=0``) rather than writing a gigabyte export; the
demo's planted errors put rows, fields and answers in quarantine on both paths.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from conftest import RESPONSES, write_consultation
from polars.testing import assert_frame_equal, assert_series_equal

from pipelines.ingest import read, spill
from pipelines.paths import ROOT
from pipelines.validate.held_rows import HeldTables
from pipelines.validate.run import validate_consultation

DEMO = "demo-care-at-home-2026"
HELD = ("responses", "answers", "comments", "themes")


def _demo_tree(root: Path) -> Path:
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    shutil.copytree(ROOT / "data" / "raw" / DEMO, root / "data" / "raw" / DEMO)
    return root


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every part the spill writes to disk, as it is written."""
    paths: list[Path] = []
    add = spill.Parts.add

    def recording(self: spill.Parts, frame: pl.DataFrame) -> None:
        add(self, frame)
        if self.folder is not None:
            now = {p for p in self.folder.glob(f"{self.name}-*.parquet") if p not in paths}
            paths.extend(sorted(now))

    monkeypatch.setattr(spill.Parts, "add", recording)
    return paths


def _validate(root: Path, name: str, spill_over: int) -> HeldTables:
    kept: list[HeldTables | None] = []
    validate_consultation(
        name,
        root,
        then=lambda staging, held: kept.append(held),
        hold_responses=10**9,
        spill_over=spill_over,
    )
    [held] = kept
    assert held is not None
    return held


def _same_clean_data(held_root: Path, spilled_root: Path, name: str) -> None:
    """Every clean file of the two runs equal: rows, types, region slices and the ledger."""
    folders = [root / "data" / "clean" / name for root in (held_root, spilled_root)]
    files = sorted(p.name for p in folders[0].glob("*.parquet"))
    assert files == sorted(p.name for p in folders[1].glob("*.parquet"))
    assert "quarantine.parquet" in files
    for file in files:
        frames = [pl.read_parquet(folder / file) for folder in folders]
        assert_frame_equal(frames[1], frames[0], check_exact=True)
        metadata = [pl.read_parquet_metadata(folder / file) for folder in folders]
        assert metadata[1].get("workbook.region_rows") == metadata[0].get("workbook.region_rows"), (
            file
        )
    ledgers = [json.loads((folder / "validation.json").read_text()) for folder in folders]
    for ledger in ledgers:
        del ledger["run_id"], ledger["validated_at"]
    assert ledgers[1] == ledgers[0]


def test_a_spilled_export_validates_as_a_held_one(tmp_path: Path, written: list[Path]) -> None:
    held_root, spilled_root = _demo_tree(tmp_path / "held"), _demo_tree(tmp_path / "spilled")
    held = _validate(held_root, DEMO, spill_over=10**12)
    assert written == []
    spilled = _validate(spilled_root, DEMO, spill_over=0)
    assert {path.name.split("-")[0] for path in written} == {"raw_fields", "answers", "comments"}
    answers = [path.stem.split("-")[2] for path in written if path.name.startswith("answers")]
    assert sorted(set(answers)) == [f"{at:04d}" for at in range(9)] + ["x"]  # nine, and none known
    clean = spilled_root / "data" / "clean"
    assert all(path.is_relative_to(clean) for path in written)  # beside the clean data, on disk
    assert not any(path.exists() for path in written)  # the scratch folder went with the run
    assert [folder.name for folder in clean.iterdir()] == [DEMO]
    _same_clean_data(held_root, spilled_root, DEMO)
    quarantine = pl.read_parquet(spilled_root / "data" / "clean" / DEMO / "quarantine.parquet")
    assert {"required", "region_known"} <= set(quarantine["rule"])  # raw values read back
    for table in HELD:
        frames = [getattr(tables, table).collect() for tables in (held, spilled)]
        frames = [f.sort(f.columns, nulls_last=True) for f in frames]
        assert_frame_equal(frames[1], frames[0], check_exact=True)
    assert_series_equal(spilled.id_text, held.id_text)


def test_a_spilled_cp1252_export_read_again_whole_validates_as_a_held_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, written: list[Path]
) -> None:
    """Batches written before the export is found not to be UTF-8 are not read back: it is
    read again whole, into a folder of its own."""
    held_root, spilled_root = tmp_path / "held", tmp_path / "spilled"
    for root in (held_root, spilled_root):
        write_consultation(root)
        path = root / "data" / "raw" / "tiny" / "responses.csv"
        # plain ASCII for many batches (the reader parses ahead), the last row not UTF-8
        text = RESPONSES.replace("Carers are kind – £5 well spent", "Carers are kind")
        first, *rows = text.splitlines(keepends=True)
        ascii_rows = [row.replace("r2,", f"a{n},") for n in range(500) for row in rows[1:2]]
        last = rows[2].replace("r3,", "r3\u00e9,")
        path.write_bytes("".join([first, rows[0], *ascii_rows, last]).encode("cp1252"))
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "CHUNK_ROWS", 1)
    _validate(held_root, "tiny", spill_over=10**12)
    _validate(spilled_root, "tiny", spill_over=0)
    assert written and len({path.parent for path in written}) == 2
    _same_clean_data(held_root, spilled_root, "tiny")
