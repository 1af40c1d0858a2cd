"""The hostile and messy-input corpus (issue #7): every case meets its expected outcome.

Each folder under ``tests/corpus/`` is a consultation plus ``expected.yml``. It is copied into
a scratch project tree as ``data/raw/<case>/`` and ``workbook validate`` runs on it as a
subprocess (``WORKBOOK_ROOT``); cases with ``report: true`` are also reported and every page,
table CSV, executed notebook and Data Docs file is searched for script, live formulas and
contact details. ``tests/corpus/build_corpus.py`` wrote the files; the test reads them as
committed.

expected.yml keys: ``exit`` (0 or 2); ``message_contains`` (exit 2); ``encoding``;
``rows_valid``; ``quarantine`` (the exact set of {rule, field} quarantined); ``answers``
({question: {option: count}}); ``submitted_at`` (ISO values that must be in clean data);
``comments_contain`` / ``comments_exclude`` (comments.parquet after redaction; the excluded
strings must also appear in no report output); ``min_comment_length``;
``submitted_dates`` (the exact set of
dates); ``redaction_at_least`` ({kind: n} in validation.json; ``a+b`` sums kinds); ``report``; ``html_contains``
(escaped forms that must appear in a page); ``xfail`` (a known product bug: a reason string,
or {stage: validate|report, reason}; applied as a strict xfail so it flips when fixed).
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest
import yaml

from pipelines.paths import ROOT
from pipelines.store.clean_data import RESPONSES_ONLY

CORPUS = Path(__file__).parent / "corpus"
WORKBOOK = str(Path(sys.executable).with_name("workbook"))
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.yml").is_file())
URL_ATTRIBUTES = {"href", "src", "srcset", "action", "formaction", "poster", "xlink:href", "data"}


def expected_of(case: str) -> dict:
    return yaml.safe_load((CORPUS / case / "expected.yml").read_text(encoding="utf-8"))


def params(stage: str, cases: list[str]) -> list:
    out = []
    for case in cases:
        xfail = expected_of(case).get("xfail")
        if isinstance(xfail, str):
            xfail = {"stage": stage, "reason": xfail}
        marks = []
        if xfail and xfail.get("stage", stage) == stage:
            marks.append(pytest.mark.xfail(reason=xfail["reason"], strict=True))
        out.append(pytest.param(case, marks=marks, id=case))
    return out


def run(root: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WORKBOOK_ROOT": str(root)}
    return subprocess.run(
        [WORKBOOK, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def project(tmp_path: Path, case: str) -> Path:
    """A scratch tree: the case as data/raw/<case>/, and the shared population file."""
    shutil.copytree(
        CORPUS / case,
        tmp_path / "data" / "raw" / case,
        ignore=shutil.ignore_patterns("expected.yml"),
    )
    (tmp_path / "data" / "reference").mkdir(parents=True)
    shutil.copy(ROOT / "data" / "reference" / "population.csv", tmp_path / "data" / "reference")
    return tmp_path


def selected_cases(request: pytest.FixtureRequest, test_name: str) -> list[str]:
    """The cases of ``test_name`` this session will run (so ``-k`` starts no others)."""
    return [
        item.callspec.params["case"]
        for item in request.session.items
        if getattr(item, "originalname", "") == test_name
    ]


def pool_of(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    test_name: str,
    work: Callable,
) -> Callable[[str], tuple[Path, subprocess.CompletedProcess[str]]]:
    """Run ``work(root, case)`` for every selected case two at a time (each run is one
    mostly single-threaded process), in the background; the test of a case waits for its own.
    """
    executor = ThreadPoolExecutor(max_workers=2)
    request.addfinalizer(lambda: executor.shutdown(cancel_futures=True))
    futures: dict[str, Future] = {}

    def start(case: str) -> None:
        root = project(tmp_path_factory.mktemp(case), case)
        futures[case] = executor.submit(lambda: (root, work(root, case)))

    def get(case: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
        if not futures:
            for name in dict.fromkeys(selected_cases(request, test_name)):
                start(name)
        if case not in futures:
            start(case)
        return futures[case].result()

    return get


@pytest.fixture(scope="session")
def validated(request, tmp_path_factory):
    return pool_of(
        request,
        tmp_path_factory,
        "test_corpus_case_validates_as_expected",
        lambda root, case: run(root, "validate", case),
    )


def validate_then_report(root: Path, case: str) -> subprocess.CompletedProcess[str]:
    result = run(root, "validate", case)
    if result.returncode != 0:
        return result
    checked = root / "validated.json"
    checked.write_text(json.dumps([result.stdout, result.stderr]), encoding="utf-8")
    return run(root, "report", case, "--jobs", "1", "--no-progress")


@pytest.fixture(scope="session")
def reported(request, tmp_path_factory):
    return pool_of(
        request,
        tmp_path_factory,
        "test_corpus_report_runs_no_script_and_leaks_nothing",
        validate_then_report,
    )


def check_validation(
    root: Path, case: str, expected: dict, result: subprocess.CompletedProcess[str]
) -> None:
    output = result.stdout + result.stderr
    assert "Traceback" not in output, output
    assert result.returncode == expected["exit"], output
    clean = root / "data" / "clean" / case
    if expected["exit"] == 2:
        assert expected["message_contains"] in result.stderr, result.stderr
        assert not clean.exists(), "nothing is written for unusable input"
        return
    ledger = json.loads((clean / "validation.json").read_text(encoding="utf-8"))
    if "encoding" in expected:
        assert ledger["inputs"][0]["encoding"] == expected["encoding"]
    if "rows_valid" in expected:
        assert ledger["tables"]["responses"]["valid"] == expected["rows_valid"]
    if "quarantine" in expected:
        quarantine = pl.read_parquet(clean / "quarantine.parquet")
        found = {(r["rule"], r["field"]) for r in quarantine.iter_rows(named=True)}
        wanted = {(q["rule"], q["field"]) for q in expected["quarantine"]}
        assert found == wanted
    if "answers" in expected:
        answers = pl.read_parquet(clean / "answers.parquet")
        for question, counts in expected["answers"].items():
            got = answers.filter(pl.col("question_id") == question)["option"].value_counts()
            assert dict(got.iter_rows()) == counts
    if "submitted_at" in expected:
        responses = pl.read_parquet(clean / "responses.parquet")
        stamps = {v.isoformat() for v in responses["submitted_at"].to_list()}
        assert set(expected["submitted_at"]) <= stamps, stamps
    if "submitted_dates" in expected:
        responses = pl.read_parquet(clean / "responses.parquet")
        days = {v.date().isoformat() for v in responses["submitted_at"].to_list()}
        assert days == set(expected["submitted_dates"]), days
    ids = pl.read_parquet(clean / "responses.parquet", columns=["response_id"])
    for table in RESPONSES_ONLY:  # the whole consultation's load relies on it (for_area)
        rows = pl.read_parquet(clean / f"{table}.parquet", columns=["response_id"])
        assert rows.join(ids, on="response_id", how="anti").is_empty(), table
    texts = pl.read_parquet(clean / "comments.parquet")["text"].drop_nulls().to_list()
    joined = "\n".join(texts)
    for wanted in expected.get("comments_contain", []):
        assert wanted in joined, wanted
    for unwanted in expected.get("comments_exclude", []):
        assert unwanted not in joined, unwanted
    if "min_comment_length" in expected:
        assert max(len(t) for t in texts) >= expected["min_comment_length"]
    for kind, least in expected.get("redaction_at_least", {}).items():
        removed = sum(ledger["redaction"][part] for part in kind.split("+"))
        assert removed >= least, (kind, ledger["redaction"])


@pytest.mark.parametrize("case", params("validate", CASES))
def test_corpus_case_validates_as_expected(validated, case: str) -> None:
    root, result = validated(case)
    check_validation(root, case, expected_of(case), result)


class PageAudit(HTMLParser):
    """Everything in a page that could run script or reach the network."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script":
            self.problems.append("<script> element")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"event handler {name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value:
                link = "".join(value.split()).lower()
                if "javascript:" in link:
                    self.problems.append(f"javascript: URL in {tag}[{name}]")
                if link.startswith(("http:", "https:", "//")):
                    self.problems.append(f"external URL in {tag}[{name}]: {value[:80]}")

    handle_startendtag = handle_starttag


def is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def report_outputs(root: Path, case: str) -> list[Path]:
    reports = root / "reports" / case
    files = [
        *reports.rglob("*.html"),
        *reports.glob("*/tables/*.csv"),
        *reports.glob("executed/*.ipynb"),
    ]
    docs = root / "data" / "clean" / case / "data-docs"
    files += [p for p in docs.rglob("*") if p.is_file()]
    return files


REPORT_CASES = [case for case in CASES if expected_of(case).get("report")]


@pytest.mark.slow
@pytest.mark.parametrize("case", params("report", REPORT_CASES))
def test_corpus_report_runs_no_script_and_leaks_nothing(reported, case: str) -> None:
    expected = expected_of(case)
    root, result = reported(case)
    validation = root / "validated.json"
    assert validation.is_file(), result.stdout + result.stderr
    stdout, stderr = json.loads(validation.read_text(encoding="utf-8"))
    check_validation(root, case, expected, subprocess.CompletedProcess([], 0, stdout, stderr))
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    reports = root / "reports" / case

    pages = sorted(reports.rglob("*.html"))
    assert len(pages) >= 3, pages  # index, overview, the region
    problems: list[str] = []
    page_text = ""
    for page in pages:
        text = page.read_text(encoding="utf-8")
        page_text += text
        audit = PageAudit()
        audit.feed(text)
        audit.close()
        problems += [f"{page.name}: {p}" for p in audit.problems]
    assert not problems, problems
    for escaped in expected.get("html_contains", []):
        assert escaped in page_text, escaped

    tables = sorted(reports.glob("*/tables/*.csv"))
    assert tables
    live: list[str] = []
    for table in tables:
        raw = table.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf"), table
        with table.open(encoding="utf-8-sig", newline="") as handle:
            for cells in csv.reader(handle):
                live += [
                    f"{table.parent.parent.name}/{table.name}: {cell!r}"
                    for cell in cells
                    if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not is_number(cell)
                ]
    assert not live, live

    leaks: list[str] = []
    for path in report_outputs(root, case):
        text = path.read_bytes().decode("utf-8", errors="replace")
        leaks += [
            f"{path.relative_to(root)}: {value}"
            for value in expected.get("comments_exclude", [])
            if value in text
        ]
    assert not leaks, leaks
