"""The validation notebook's summary (#20): rules in the report's words, source rows, the
fix for each failing value (close matches by edit distance), completeness as a chart."""

from __future__ import annotations

import polars as pl
import pytest

from pipelines.consultation import load_consultation
from pipelines.geography import load_regions
from pipelines.labels import _labels
from pipelines.paths import ROOT
from pipelines.report.sections import about
from pipelines.validate import summary

DEMO = ROOT / "data" / "raw" / "demo-care-at-home-2026"


def quarantine(*rows: tuple[str, int, str, str | None, str]) -> pl.DataFrame:
    """A quarantine of ``(source_file, row_number, field, value, rule)`` rows."""
    return pl.DataFrame(
        [
            {
                "source_file": f,
                "row_number": n,
                "response_id": f"r{n}",
                "field": field,
                "value": v,
                "rule": rule,
                "message": "m",
            }
            for f, n, field, v, rule in rows
        ],
        schema={
            "source_file": pl.String,
            "row_number": pl.Int64,
            "response_id": pl.String,
            "field": pl.String,
            "value": pl.String,
            "rule": pl.String,
            "message": pl.String,
        },
    )


@pytest.fixture(scope="module")
def demo() -> tuple:
    return load_consultation(DEMO), load_regions(DEMO)


def test_rule_words_are_the_reports() -> None:
    """One source of the words: the report's About section and the notebook read the same."""
    rules = list(_labels()["rules"])
    assert rules and all(summary.rule_words(r) == about.rule_text(r) for r in rules)
    assert summary.rule_words("locality_in_region") == "the area did not belong to the region given"


def test_failures_by_rule_give_words_and_source_rows() -> None:
    failures = summary.failures_by_rule(
        quarantine(
            ("responses.csv", 738, "locality", "Kent", "locality_in_region"),
            ("responses.csv", 144, "locality", "Newcastle upon Tyne", "locality_in_region"),
            ("responses.csv", 826, "region", "Wales", "region_known"),
        )
    )
    first = failures.row(0, named=True)
    assert first["problem"] == "the area did not belong to the region given"
    assert first["rows"] == "144, 738" and first["failures"] == 2
    assert "locality_in_region" not in first["problem"]


def test_long_row_lists_are_cut() -> None:
    many = quarantine(*[("r.csv", n, "group", "x", "group_known") for n in range(20, 5, -1)])
    assert summary.failures_by_rule(many)["rows"].item() == "6, 7, 8, 9, 10, 11, 12, 13, 14, 15, …"


def test_a_misspelt_region_gets_its_values_line(demo) -> None:
    fixes = summary.fixes(
        quarantine(("responses.csv", 2084, "region", "Esat Midlands", "region_known")), *demo
    )
    row = fixes.row(0, named=True)
    assert row["may_mean"] == "East Midlands"
    assert '"Esat Midlands": East Midlands' in row["fix"] and "values:" in row["fix"]
    assert row["rows"] == "2084" and row["problem"] == "the region was not one we recognise"


def test_fixes_name_the_region_of_a_locality_and_leave_no_guess(demo) -> None:
    fixes = summary.fixes(
        quarantine(
            ("responses.csv", 144, "locality", "Newcastle upon Tyne", "locality_in_region"),
            ("responses.csv", 826, "region", "Wales", "region_known"),
            ("responses.csv", 5, "group", "Unpaid carer", "group_known"),
            ("responses.csv", 9, "response_id", "114208002900", "response_id_unique"),
        ),
        *demo,
    )
    by_value = {r["value"]: r for r in fixes.iter_rows(named=True)}
    assert by_value["Newcastle upon Tyne"]["may_mean"] == "North East"
    assert by_value["Wales"]["may_mean"] is None  # nothing near: no guess
    assert "<one of: North East" in by_value["Wales"]["fix"]
    assert by_value["Unpaid carer"]["may_mean"] == "unpaid_carer"
    assert "114208002900" not in str(fixes.to_dicts())  # identifiers are never shown
    assert summary.fixes(quarantine(), *demo).is_empty()


def test_completeness_chart_highlights_what_is_low_and_fits() -> None:
    responses = pl.DataFrame(
        {
            "region": ["North West"] * 4 + ["London"] * 4,
            "group": ["a"] * 8,
            "channel": ["online", None, None, None, "online", "paper", "online", None],
        }
    )
    long = summary.completeness_long(responses, low_below=80)
    low = long.filter("low")
    assert set(zip(low["region"], low["field"], strict=True)) == {
        ("North West", "channel"),
        ("London", "channel"),
        ("All regions", "channel"),
    }
    spec = summary.completeness_chart(long, low_below=80).to_dict()
    assert spec["width"] <= 1280
    assert any(layer["mark"].get("fontWeight") == "bold" for layer in spec["layer"])
    data = next(iter(spec["datasets"].values()))
    shown = {(d["region"], d["field"]): d["shown"] for d in data}
    assert shown[("London", "channel")] == "75.0%" and shown[("London", "group")] == "100%"


@pytest.mark.slow
def test_the_notebook_runs_with_plain_papermill(demo_root, tmp_path) -> None:
    """10_validation with the plain papermill CLI on the demo: the fix for the demo's
    "Esat Midlands" is shown, completeness is one SVG chart (no 14-column table)."""
    import os
    import subprocess

    import nbformat

    out = tmp_path / "10.ipynb"
    run = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "papermill"), str(ROOT / "notebooks" / "10_validation.ipynb"),
         str(out), "--no-progress-bar"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
        env={**os.environ, "WORKBOOK_ROOT": str(demo_root)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-3000:]
    outputs = [o for c in nbformat.read(out, as_version=4).cells for o in c.get("outputs", [])]
    text = " ".join(str(o.get("data", {}).get("text/html", "")) for o in outputs)
    assert "Esat Midlands" in text and "East Midlands" in text
    assert "the area did not belong to the region given" in text
    assert sum("image/svg+xml" in o.get("data", {}) for o in outputs) == 1
