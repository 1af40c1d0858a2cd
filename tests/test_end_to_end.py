"""The main job end to end, through the real command, on a small generated consultation."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import polars as pl
import pytest
from conftest import region_notebook_failing_for

from pipelines.paths import ROOT
from pipelines.report import promote, runner, workers
from pipelines.sample import write_sample

pytestmark = pytest.mark.slow
WORKBOOK = str(Path(sys.executable).with_name("workbook"))
REGION_SLUGS = {
    "north-east", "north-west", "yorkshire-and-the-humber", "east-midlands", "west-midlands",
    "east-of-england", "london", "south-east", "south-west",
}  # fmt: skip


def workbook(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "WORKBOOK_ROOT": str(root)}
    return subprocess.run([WORKBOOK, *args], capture_output=True, text=True, env=env, timeout=900)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    write_sample(root / "data" / "raw" / "small-2026", responses=900, seed=11, year=2026)
    write_sample(root / "data" / "raw" / "small-2025", responses=700, seed=12, year=2025)
    for name in ("small-2026", "small-2025"):  # one series, so the report compares waves
        yml = root / "data" / "raw" / name / "consultation.yml"
        yml.write_text(yml.read_text().replace("series: care-at-home", "series: small"))
    return root


@pytest.fixture(scope="module")
def run(project: Path) -> subprocess.CompletedProcess[str]:
    return workbook(project, "report", "small-2026", "--jobs", "2", "--no-progress")


def test_report_writes_index_overview_and_every_region(
    project: Path, run: subprocess.CompletedProcess[str]
) -> None:
    assert run.returncode == 0, run.stderr[-3000:]
    out = project / "reports" / "small-2026"
    assert f"index: {out / 'index.html'}" in run.stdout
    reports = REGION_SLUGS | {"overview"}
    easy_read = {f"{slug}-easy-read" for slug in reports}
    assert {p.stem for p in out.glob("*.html")} == reports | easy_read | {"index", "about"}
    assert {p.stem for p in (out / "executed").glob("*.ipynb")} == reports
    index = (out / "index.html").read_text()
    for slug in reports:
        assert f'href="{slug}.html"' in index
        assert f'href="{slug}-easy-read.html"' in index
    assert not list(out.glob(".staging-*"))


def test_validation_ran_first_for_both_waves(
    project: Path, run: subprocess.CompletedProcess[str]
) -> None:
    for name in ("small-2026", "small-2025"):
        assert (project / "data" / "clean" / name / "validation.json").is_file()
    north_west = (project / "reports" / "small-2026" / "north-west.html").read_text()
    assert "since the previous wave" in north_west and "first wave" not in north_west


def test_reports_are_finished_and_self_contained(
    project: Path, run: subprocess.CompletedProcess[str]
) -> None:
    for path in (project / "reports" / "small-2026").glob("*.html"):
        html = path.read_text()
        assert "<script" not in html.lower(), path.name
        assert "http://" not in html and "https://" not in html, path.name
        assert "default-src 'none'" in html
        assert "No description has been provided" not in html
        assert "Traceback" not in html and "In&nbsp;[" not in html and "In [" not in html
    region = (project / "reports" / "small-2026" / "london.html").read_text()
    assert region.count('src="data:image/svg+xml;base64,') >= 10
    assert (
        "Who is missing" in region
        and "What we did" in region
        and "About these statistics" in region
    )


def test_every_contract_table_is_written(
    project: Path, run: subprocess.CompletedProcess[str]
) -> None:
    out = project / "reports" / "small-2026"
    region_tables = {p.stem for p in (out / "north-west" / "tables").glob("*.csv")}
    overview_tables = {p.stem for p in (out / "overview" / "tables").glob("*.csv")}
    contract = {
        "participation_by_group",
        "participation_by_channel",
        "attendance_by_group",
        "attendance_by_event",
        "actions_by_status",
    }
    contract |= {
        f"representation_{d}"
        for d in ("age_band", "sex", "ethnic_group", "disability", "imd_quintile")
    }
    contract |= {f"question_q{i}" for i in (1, 2, 4, 5, 6, 7, 8)} | {"themes_q3", "themes_q9"}
    assert contract | {"participation_by_locality"} <= region_tables
    assert contract | {"participation_by_region"} <= overview_tables
    table = pl.read_csv(
        out / "north-west" / "tables" / "participation_by_group.csv", infer_schema=False
    )
    assert table.columns == ["group", "label", "responses", "percent"]
    assert (
        (out / "north-west" / "tables" / "participation_by_group.csv")
        .read_bytes()
        .startswith(b"\xef\xbb\xbf")
    )
    representation = pl.read_csv(
        out / "north-west" / "tables" / "representation_age_band.csv", infer_schema=False
    )
    assert representation.columns == [
        "category",
        "respondents",
        "respondent_share",
        "population_share",
        "ratio",
        "ci_low",
        "ci_high",
        "flag",
    ]


def test_small_numbers_are_suppressed_in_the_tables(
    project: Path, run: subprocess.CompletedProcess[str]
) -> None:
    out = project / "reports" / "small-2026"
    suppressed = 0
    for csv in (out / "london" / "tables").glob("*.csv"):
        frame = pl.read_csv(csv, infer_schema=False)
        for column in ("responses", "count", "respondents", "attendees"):
            if column in frame.columns:
                values = [v for v in frame[column].to_list() if v not in (None, "[c]")]
                assert all(int(v) == 0 or int(v) >= 10 for v in values), csv.name
                suppressed += frame[column].to_list().count("[c]")
    assert suppressed > 0


def test_manifest_records_the_run(project: Path, run: subprocess.CompletedProcess[str]) -> None:
    manifest = json.loads((project / "reports" / "small-2026" / "manifest.json").read_text())
    assert {r["status"] for r in manifest["reports"]} == {"ok"} and len(manifest["reports"]) == 10
    assert {i["file"] for i in manifest["inputs"]} >= {"responses.csv", "consultation.yml"}
    assert all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert manifest["parameters"]["disclosure"] == "restricted" and "polars" in manifest["packages"]


def test_plain_papermill_runs_a_region(
    project: Path, run: subprocess.CompletedProcess[str], tmp_path: Path
) -> None:
    env = {**os.environ, "WORKBOOK_ROOT": str(project)}
    papermill = str(Path(sys.executable).with_name("papermill"))
    result = subprocess.run(
        [papermill, str(ROOT / "notebooks" / "20_region_report.ipynb"), str(tmp_path / "out.ipynb"),
         "-p", "consultation", "small-2026", "-p", "region", "south-west", "-p", "tables_dir", str(tmp_path / "tables")],
        capture_output=True, text=True, env=env, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    assert (tmp_path / "tables" / "participation_by_group.csv").is_file()


def test_one_region_failing_does_not_stop_the_others(
    project: Path,
    run: subprocess.CompletedProcess[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    out = project / "reports" / "small-2026"
    good_london = (out / "london.html").read_bytes()
    path = region_notebook_failing_for("London", tmp_path)
    monkeypatch.setattr(workers, "REGION_NOTEBOOK", path)
    result = runner.run_reports(
        "small-2026", regions=["London", "North East"], jobs=2, root=project, progress=False
    )
    assert [(o.slug, o.status) for o in result.outcomes] == [
        ("london", "failed"),
        ("north-east", "ok"),
    ]
    assert "planned failure" in result.failed[0].error
    # the last good report stays, marked out of date at its top (and nothing else changed)
    stale = (out / "london.html").read_text(encoding="utf-8")
    assert "Out of date: this report could not be made again" in stale
    assert promote.unmarked(stale).encode("utf-8") == good_london
    executed = nbformat.read(out / "executed" / "london.ipynb", as_version=4)
    assert any(
        o.get("output_type") == "error" for c in executed.cells for o in c.get("outputs", [])
    )
    index = (out / "index.html").read_text()
    # readers are told the page is not available; its stale page is not linked
    assert "London: not available" in index and 'href="london.html"' not in index


def test_bad_input_exits_2_and_writes_nothing(project: Path) -> None:
    result = workbook(project, "validate", "no-such-consultation")
    assert result.returncode == 2 and "no-such-consultation" in result.stderr
    result = workbook(project, "report", "small-2026", "--region", "Atlantis")
    assert result.returncode == 2 and "Unknown region 'Atlantis'" in result.stderr
    result = workbook(project, "report", "small-2026", "--disclosure", "secret")
    assert result.returncode == 2
    assert not (project / "data" / "clean" / "no-such-consultation").exists()


def test_sample_command(project: Path, tmp_path: Path) -> None:
    result = workbook(
        project, "sample", "--out", str(tmp_path / "s"), "--responses", "40", "--seed", "5"
    )
    assert result.returncode == 0, result.stderr
    assert pl.read_csv(tmp_path / "s" / "responses.csv").height == 40


def test_naive_baseline_writes_a_region_report(
    project: Path, run: subprocess.CompletedProcess[str], tmp_path: Path
) -> None:
    from pipelines.bench.naive import naive_reports

    seconds = naive_reports("small-2026", ["North West"], tmp_path / "naive", root=project)
    page = (tmp_path / "naive" / "north-west.html").read_text()
    assert seconds > 0 and "Who is missing" in page
    assert (tmp_path / "naive" / "north-west" / "tables" / "participation_by_group.csv").is_file()
