"""Preparing clean data (validate, then tally) and the report runner's use of it: the runner
never validates on its own, and the command prepares only once the run's request is known
to be good."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.errors import InputError
from pipelines.prepare import ensure_prepared, prepare_consultation
from pipelines.report.runner import run_reports
from pipelines.settings import load_settings
from pipelines.store import is_stale, stale_waves
from pipelines.store.aggregates import stored_quote_depth


def test_prepare_writes_clean_data_and_its_tallies(tiny: Path) -> None:
    settings = load_settings()
    assert stale_waves("tiny", tiny, settings) == ["tiny"]
    summary = prepare_consultation("tiny", tiny, settings)
    assert summary.rows_valid > 0
    assert stored_quote_depth(summary.clean_dir) is not None  # tallies written with the data
    assert stale_waves("tiny", tiny, settings) == []
    assert not is_stale("tiny", tiny, settings.quotes_per_theme)


def test_a_deeper_quote_need_makes_the_tallies_stale(tiny: Path) -> None:
    settings = load_settings()
    prepare_consultation("tiny", tiny, settings)
    assert is_stale("tiny", tiny, settings.quotes_per_theme + 100)


def test_the_runner_stops_on_clean_data_it_was_not_given(tiny: Path) -> None:
    """Without clean data, run_reports says what to run and writes nothing."""
    with pytest.raises(InputError, match="run `workbook validate tiny` first"):
        run_reports("tiny", root=tiny, progress=False, jobs=1)
    assert not (tiny / "data" / "clean" / "tiny").exists()
    assert not (tiny / "reports" / "tiny").exists()


def test_a_wrong_region_stops_before_anything_is_prepared(tiny: Path) -> None:
    """The command's prepare step runs once the regions asked for are known: a mistyped
    region is exit 2 at once, not after a validation."""
    with pytest.raises(InputError):
        run_reports(
            "tiny",
            regions=["Nowhere"],
            root=tiny,
            progress=False,
            jobs=1,
            prepare=ensure_prepared,
        )
    assert not (tiny / "data" / "clean" / "tiny").exists()


def test_prepare_is_called_with_the_run_s_settings(tiny: Path) -> None:
    """The hook gets the consultation, the root and the run's own settings; a hook that
    prepares nothing leaves the runner to stop on the missing data."""
    calls = []

    def record(name: str, root: Path | None, settings: object) -> None:
        calls.append((name, root, settings.disclosure, settings.min_cell))

    with pytest.raises(InputError, match="workbook validate"):
        run_reports("tiny", root=tiny, progress=False, jobs=1, min_cell=12, prepare=record)
    assert calls == [("tiny", tiny, "restricted", 12)]
