"""The project's promises to a new user: two commands, one lock, clean notebooks, CI."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import papermill

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from write_environment_yml import environment_yml, locked_pins  # noqa: E402


def test_readme_commands_are_make_targets() -> None:
    readme = (ROOT / "README.md").read_text()
    makefile = (ROOT / "Makefile").read_text()
    for command in ("make report", "make test"):
        assert f"    {command}" in readme
        target = command.split()[1]
        assert re.search(rf"^{target}:", makefile, re.MULTILINE)


def test_ci_runs_the_readme_test_command() -> None:
    lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    assert "make test" in lines


def test_make_alone_prints_help() -> None:
    result = subprocess.run(
        ["make", "-s", "-C", str(ROOT)], capture_output=True, text=True, check=True
    )
    assert "make report" in result.stdout and "make test" in result.stdout


def test_environment_yml_has_the_lock_pins() -> None:
    pins = locked_pins(ROOT / "requirements.lock")
    assert any(p.startswith("polars==") for p in pins)
    assert (ROOT / "environment.yml").read_text() == environment_yml(pins)


def test_every_dependency_is_pinned_in_the_lock() -> None:
    pins = {p.split("==")[0].lower() for p in locked_pins(ROOT / "requirements.lock")}
    for name in (
        "jupyterlab",
        "polars",
        "altair",
        "vl-convert-python",
        "papermill",
        "nbconvert",
        "great-expectations",
        "pyarrow",
        "pytest",
        "ruff",
    ):
        assert name in pins


def test_notebooks_are_committed_without_outputs() -> None:
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        notebook = json.loads(path.read_text())
        for cell in notebook["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [], path.name
                assert cell["execution_count"] is None, path.name


def test_notebooks_hold_no_logic() -> None:
    for path in (ROOT / "notebooks").glob("*.ipynb"):
        for cell in json.loads(path.read_text())["cells"]:
            source = "".join(cell["source"])
            assert not re.search(r"^\s*(def|class) ", source, re.MULTILINE), path.name


def test_report_notebook_parameters() -> None:
    expected = {
        "20_region_report.ipynb": {
            "consultation": "str",
            "region": "str",
            "disclosure": "str",
            "min_cell": "int",
            "tables_dir": "str",
            "run_id": "str",
        },
        "30_overview.ipynb": {
            "consultation": "str",
            "disclosure": "str",
            "min_cell": "int",
            "tables_dir": "str",
            "run_id": "str",
        },
        "10_validation.ipynb": {"consultation": "str"},
        "12_theme_review.ipynb": {"consultation": "str"},
    }
    for name, params in expected.items():
        found = papermill.inspect_notebook(str(ROOT / "notebooks" / name))
        assert {k: v["inferred_type_name"] for k, v in found.items()} == params


def test_raw_data_readme_says_read_only() -> None:
    text = (ROOT / "data" / "raw" / "README.md").read_text().lower()
    assert "never" in text and "edit" in text


def test_outputs_are_git_ignored_but_their_readmes_are_not() -> None:
    ignored = subprocess.run(
        ["git", "check-ignore", "reports/x.html", "data/clean/x/responses.parquet"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ignored.stdout.split() == ["reports/x.html", "data/clean/x/responses.parquet"]
    kept = subprocess.run(
        ["git", "check-ignore", "reports/README.md", "data/clean/README.md"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert kept.stdout == ""
