"""scripts/evaluate_themes.py: the held-out evaluation docs/theme-suggestions.md reports."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from pipelines.paths import ROOT

SPEC = importlib.util.spec_from_file_location(
    "evaluate_themes", ROOT / "scripts" / "evaluate_themes.py"
)
evaluate_themes = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(evaluate_themes)

STAFF = ["the carers are kind", "staff were kind and caring", "lovely kind carers", "kind staff"]
COST = ["the charges cost too much", "cost of care is too high", "fees and charges rise", "costly"]


def _labelled(folder: Path) -> Path:
    rows = ["text,theme"]
    for i in range(6):
        rows += [f"{t} {i},Staff" for t in STAFF] + [f"{t} {i},Cost" for t in COST]
    rows += ['"kind staff, high cost",Staff', '"kind staff, high cost",Cost']  # two themes
    path = folder / "labelled.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_learns_from_the_coded_share_and_scores_the_rest(tmp_path: Path, capsys) -> None:
    texts = evaluate_themes.labelled_csv(_labelled(tmp_path))
    assert len(texts) == 49 and texts["kind staff 0"] == {"Staff"}
    assert texts["kind staff, high cost"] == {"Staff", "Cost"}
    assert evaluate_themes.main(["--csv", str(tmp_path / "labelled.csv"), "--coded", "0.5"]) == 0
    printed = capsys.readouterr().out
    assert "49 texts, 2 themes; learnt from 24 (50%, seed 7), held out 25" in printed
    assert "| Cost | " in printed and "| Staff | " in printed
    held = next(line for line in printed.splitlines() if line.startswith("held out: micro"))
    assert float(held.split()[4].rstrip(",")) >= 0.9  # cue words: nearly every one right


def test_fortunes_are_read_as_texts_with_their_topic(tmp_path: Path) -> None:
    (tmp_path / "food").write_text("Eat your greens.\n%\nx\n%\nSoup of the day.\n", "utf-8")
    (tmp_path / "kids").write_text("Eat your greens.\n%\n", "utf-8")
    texts = evaluate_themes.fortunes(tmp_path, ("food", "kids"))
    assert texts == {"Eat your greens.": {"food", "kids"}, "Soup of the day.": {"food"}}


def test_a_share_outside_zero_to_one_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit):
        evaluate_themes.main(["--csv", str(_labelled(tmp_path)), "--coded", "1.5"])
