"""docs/data-dictionary.md stays in step with what ``workbook validate`` really writes.

A small synthetic consultation is validated in a temporary project tree; every parquet file
written must have a ``## <table>.parquet`` section whose ``| column | type | meaning |`` rows
equal the file's schema exactly (any Enum written "Enum"; the ``<question_id>`` row stands for
the Float64 column of each ``number`` question), and validation.json's top-level keys must be
the documented ones.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import polars as pl
import pytest

from pipelines.consultation import load_consultation
from pipelines.paths import ROOT
from pipelines.sample import write_sample
from pipelines.validate.run import validate_consultation

DICTIONARY = ROOT / "docs" / "data-dictionary.md"
PATTERN = "<question_id>"
CONSULTATION = "dd"


def parse_dictionary(text: str) -> dict[str, dict[str, str]]:
    """``{section: {name: type}}`` from every ``## <section>`` heading and its first table."""
    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if line.startswith("#"):
            heading = re.match(r"^##\s+`?([\w.-]+)`?\s*$", line)
            current = sections.setdefault(heading.group(1), {}) if heading else None
            continue
        if current is None or not line.startswith("|"):
            continue
        cells = [c.strip().strip("`").strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or set(cells[0]) <= {"-", ":", " "}:
            continue
        if cells[0].lower() in ("column", "key") and cells[1].lower() == "type":
            continue
        current[cells[0]] = cells[1]
    return sections


def dtype_name(dtype: pl.DataType) -> str:
    """A dtype as the dictionary writes it: ``Enum``, ``Datetime(us)``, ``String``, ..."""
    if isinstance(dtype, pl.Enum):
        return "Enum"
    if isinstance(dtype, pl.Datetime):
        zone = f", {dtype.time_zone}" if dtype.time_zone else ""
        return f"Datetime({dtype.time_unit}{zone})"
    return str(dtype)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project tree with the shared reference data and one validated 300-response sample."""
    root = tmp_path_factory.mktemp("dictionary")
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    write_sample(root / "data" / "raw" / CONSULTATION, responses=300, seed=3)
    validate_consultation(CONSULTATION, root=root)
    return root


@pytest.fixture(scope="module")
def documented() -> dict[str, dict[str, str]]:
    return parse_dictionary(DICTIONARY.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def clean(project: Path) -> Path:
    return project / "data" / "clean" / CONSULTATION


def number_questions(project: Path) -> set[str]:
    consultation = load_consultation(project / "data" / "raw" / CONSULTATION)
    return {q.id for q in consultation.questions if q.type == "number"}


def test_every_parquet_file_written_is_documented(
    clean: Path, documented: dict[str, dict[str, str]]
) -> None:
    written = {p.name for p in clean.glob("*.parquet")}
    described = {name for name in documented if name.endswith(".parquet")}
    assert written, "validation wrote no parquet files"
    assert written - described == set(), "parquet files written but not in the dictionary"
    assert described - written == set(), "dictionary documents files the sample did not write"


def test_documented_columns_and_types_equal_the_real_schema(
    project: Path, clean: Path, documented: dict[str, dict[str, str]]
) -> None:
    numbers = number_questions(project)
    for path in sorted(clean.glob("*.parquet")):
        schema = pl.read_parquet_schema(path)
        rows = dict(documented.get(path.name, {}))
        pattern = rows.pop(PATTERN, None)
        actual = {name: dtype_name(dtype) for name, dtype in schema.items()}
        if pattern is not None:
            assert numbers, f"{path.name}: a {PATTERN} row but the sample has no number question"
            for question in numbers:
                assert actual.pop(question, None) == pattern, (
                    f"{path.name}: number question {question} is not a {pattern} column"
                )
        assert rows == actual, f"{path.name}: documented columns/types differ from the file"


def test_validation_json_keys_are_documented(
    clean: Path, documented: dict[str, dict[str, str]]
) -> None:
    ledger = json.loads((clean / "validation.json").read_text(encoding="utf-8"))
    rows = documented.get("validation.json", {})
    top_level = {re.split(r"[.\[]", name, maxsplit=1)[0] for name in rows}
    assert top_level == set(ledger)
