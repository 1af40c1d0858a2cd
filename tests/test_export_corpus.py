"""Real survey tools' exports (issue #17): each gives the figures worked out by hand.

Each folder under ``tests/exports/`` is one tool's export in that tool's own shape (header
rows, meta columns, date format, encoding; ``docs/survey-tools.md`` says where each shape
comes from), its ``consultation.yml`` (mapped by the data contract's keys only) and
``expected.yml``: the figures worked out by hand from the export. The folder is copied into
a scratch project with the shared regions and population, validated
(:func:`pipelines.prepare.prepare_consultation`: ``validate_consultation`` and the tallies
the reports read) and compared:

- ``exit: 2`` and ``message_contains``: validation must stop with those words;
- ``rows_read``, ``valid``, ``quarantined``: responses, as validation.json counts them;
- ``encoding``: the encoding validation.json records for the export;
- ``quarantine``: rule -> the number of export rows with a quarantine record under it;
- ``fields``: field -> {value: clean responses}, ``""`` for blank;
- ``response_ids`` and ``submitted_dates``: the clean responses' ids and dates;
- ``questions``: question id -> ``columns`` and ``rows`` of its table ``question_<id>``,
  from the analysis the reports use (:mod:`pipelines.analysis.questions`) before disclosure
  control, i.e. as profile ``none`` shows it; every row of the table is listed;
- ``comments``: question id -> ``count``, and texts that must (``contain``) or must not
  (``exclude``) appear in comments.parquet.

``tests/exports/build_exports.py`` wrote the exports; the test reads them as committed.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from pipelines.analysis import questions
from pipelines.consultation import Question
from pipelines.errors import InputError
from pipelines.paths import ROOT
from pipelines.prepare import prepare_consultation
from pipelines.store.clean_data import CleanData, load_clean

EXPORTS = Path(__file__).resolve().parent / "exports"
CASES = sorted(p.name for p in EXPORTS.iterdir() if (p / "expected.yml").is_file())
#: the analysis behind each question type's table ``question_<id>``, by function name
TABLES: dict[str, str] = {
    "single": "single_choice",
    "likert": "single_choice",
    "multi": "multi_choice",
    "grid": "grid",
    "ranking": "ranking",
}


def _project(root: Path, case: str) -> None:
    """``root`` as a project holding ``case`` and the shared regions and population."""
    (root / "data" / "reference").mkdir(parents=True)
    for name in ("regions.csv", "population.csv"):
        shutil.copy(ROOT / "data" / "reference" / name, root / "data" / "reference" / name)
    target = root / "data" / "raw" / case
    shutil.copytree(EXPORTS / case, target, ignore=shutil.ignore_patterns("expected.yml"))


def _expected(case: str) -> dict[str, Any]:
    return yaml.safe_load((EXPORTS / case / "expected.yml").read_text(encoding="utf-8"))


def _same_rows(actual: pl.DataFrame, columns: list[str], rows: list[list[Any]]) -> list[str]:
    """How ``actual``'s rows (those columns) differ from ``rows``, in any order; numbers to
    1e-6 (empty: the same)."""
    missing = [c for c in columns if c not in actual.columns]
    if missing:
        return [f"no column(s) {missing} in {actual.columns}"]
    keys = [c for c in columns if actual.schema[c] in (pl.String, pl.Categorical, pl.Enum)]

    def key(row: dict[str, Any] | list[Any]) -> tuple[str, ...]:
        if isinstance(row, dict):
            return tuple(str(row[c]) for c in keys)
        return tuple(str(row[columns.index(c)]) for c in keys)

    got = {key(row): row for row in actual.select(columns).to_dicts()}
    want = {key(row): row for row in rows}
    if sorted(got) != sorted(want):
        return [f"rows {sorted(got)}, expected {sorted(want)}"]
    return [
        f"{found} {column}: {got[found][column]}, expected {value}"
        for found, row in want.items()
        for column, value in zip(columns, row, strict=True)
        if column not in keys and got[found][column] != pytest.approx(value, abs=1e-6)
    ]


def _counts(values: pl.Series) -> dict[str, int]:
    return dict(Counter("" if v is None else str(v) for v in values.to_list()))


def _ledger_problems(clean: Path, source: str, summary: Any, expected: dict[str, Any]) -> list[str]:
    problems = [
        f"{key}: {found}, expected {expected[key]}"
        for key, found in (
            ("rows_read", summary.rows_read),
            ("valid", summary.rows_valid),
            ("quarantined", summary.rows_quarantined),
        )
        if key in expected and found != expected[key]
    ]
    if "encoding" in expected:
        ledger = json.loads((clean / "validation.json").read_text(encoding="utf-8"))
        found = {i["file"]: i.get("encoding") for i in ledger["inputs"]}.get(source)
        if found != expected["encoding"]:
            problems.append(f"encoding: {found}, expected {expected['encoding']}")
    quarantine = pl.read_parquet(clean / "quarantine.parquet")
    rules = quarantine.group_by("rule").agg(pl.col("row_number").n_unique().alias("rows"))
    found = dict(rules.iter_rows())
    if "quarantine" in expected and found != expected["quarantine"]:
        shown = quarantine.unique(["rule", "field"]).sort("rule", "field").to_dicts()
        problems.append(
            f"quarantine rules {found}, expected {expected['quarantine']}; e.g.\n"
            + "\n".join(
                f"    {r['rule']} {r['field']} row {r['row_number']}: {r['message']}" for r in shown
            )
        )
    return problems


def _response_problems(responses: pl.DataFrame, expected: dict[str, Any]) -> list[str]:
    problems = []
    for field, counts in (expected.get("fields") or {}).items():
        want = {str(k): v for k, v in counts.items()}
        found = _counts(responses[field]) if field in responses.columns else None
        if found != want:
            problems.append(f"field {field}: {found}, expected {want}")
    if "response_ids" in expected:
        ids = set(responses["response_id"].to_list())
        if ids != set(expected["response_ids"]):
            problems.append(f"response ids {sorted(ids)}, expected {expected['response_ids']}")
    if "submitted_dates" in expected:
        dates = sorted(str(d) for d in responses["submitted_at"].dt.date().drop_nulls())
        want = sorted(str(d) for d in expected["submitted_dates"])
        if dates != want:
            problems.append(f"submitted dates {dates}, expected {want}")
    return problems


def _comment_problems(comments: pl.DataFrame, expected: dict[str, Any]) -> list[str]:
    problems = []
    for question_id, wanted in (expected.get("comments") or {}).items():
        texts = comments.filter(pl.col("question_id") == question_id)["text"].to_list()
        if len(texts) != wanted["count"]:
            problems.append(f"comments {question_id}: {texts}, expected {wanted['count']}")
        problems += [
            f"comments {question_id}: no comment holds {text!r}"
            for text in wanted.get("contain", [])
            if not any(text in t for t in texts)
        ]
        problems += [
            f"comments {question_id}: {text!r} reached the comments"
            for text in wanted.get("exclude", [])
            if any(text in t for t in texts)
        ]
    return problems


def _question_problems(data: CleanData, expected: dict[str, Any]) -> list[str]:
    problems = []
    for question_id, table in (expected.get("questions") or {}).items():
        question = data.consultation.question(question_id)
        name = TABLES[question.type]
        analysis: Callable[[CleanData, Question], pl.DataFrame] | None = getattr(
            questions, name, None
        )
        if analysis is None:
            problems.append(f"question_{question_id}: no questions.{name} ({question.type})")
            continue
        found = _same_rows(analysis(data, question), table["columns"], table["rows"])
        problems += [f"question_{question_id}: {problem}" for problem in found]
    return problems


@pytest.mark.parametrize("case", CASES)
def test_export_gives_the_hand_figures(case: str, tmp_path: Path) -> None:
    expected = _expected(case)
    _project(tmp_path, case)
    if expected.get("exit") == 2:
        with pytest.raises(InputError) as stopped:
            prepare_consultation(case, root=tmp_path)
        for text in expected.get("message_contains", []):
            assert text in str(stopped.value), f"{text!r} not in: {stopped.value}"
        assert not (tmp_path / "data" / "clean" / case).exists()
        return
    summary = prepare_consultation(case, root=tmp_path)
    clean = summary.clean_dir
    data = load_clean(case, tmp_path)
    problems = [
        *_ledger_problems(clean, data.consultation.source, summary, expected),
        *_response_problems(pl.read_parquet(clean / "responses.parquet"), expected),
        *_question_problems(data, expected),
        *_comment_problems(pl.read_parquet(clean / "comments.parquet"), expected),
    ]
    assert not problems, f"{case}:\n" + "\n".join(f"- {p}" for p in problems)


def test_every_case_has_its_export_and_mapping() -> None:
    """A case folder holds its export (the ``source`` its consultation.yml names, default
    responses.csv) beside consultation.yml and expected.yml, and nothing from a run."""
    assert len(CASES) >= 10
    for case in CASES:
        folder = EXPORTS / case
        mapping = yaml.safe_load((folder / "consultation.yml").read_text(encoding="utf-8"))
        assert (folder / mapping.get("source", "responses.csv")).is_file(), case
        assert not (folder / "data").exists(), case
