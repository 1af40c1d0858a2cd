"""Thin data: no valid response is an error that writes nothing; a report shows no standard
field the consultation did not map, and copes with a region without localities, one region,
no events and no coding; a consultation's own regions.csv has no shared population."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from pipelines.errors import InputError
from pipelines.geography import load_population
from pipelines.prepare import ensure_prepared, prepare_consultation
from pipelines.report.runner import run_reports
from tests.conftest import write_consultation

#: A consultation that maps no channel and no monitoring field, over its own geography.
THIN_YML = """\
title: "Thin consultation"
owner: "Test team"
opened: 2026-03-01
closed: 2026-05-31
series: thin
columns:
  response_id: "ID"
  submitted_at: "Date"
  region: "Region"
  group: "Group"
groups:
  service_user: "People who use services"
  unpaid_carer: "Family and unpaid carers"
questions:
  - id: q1
    text: "Care is good"
    type: likert
    column: "Q1"
    scale: ["Disagree", "Neither", "Agree"]
"""

THIN_REGIONS = "region,locality\nNorth West,Cumbria\nNorth West,Lancashire\nIslands,\n"

THIN_RESPONSES = """\
ID,Date,Region,Group,Q1
a1,2026-03-02,North West,service_user,Agree
a2,2026-03-03,North West,unpaid_carer,Neither
a3,2026-03-04,Islands,service_user,Agree
a4,2026-03-05,Islands,unpaid_carer,Disagree
a5,2026-03-06,Islands,service_user,Agree
"""

#: Every response fails: unknown regions (3), bad dates (2), one unknown group too.
BAD_RESPONSES = """\
ID,Date,Region,Group,Q1
b1,2026-03-02,Atlantis,service_user,Agree
b2,2026-03-03,Atlantis,service_user,Agree
b3,2026-03-04,Atlantis,unpaid_carer,Agree
b4,not a date,North West,service_user,Agree
b5,also not,North West,martians,Agree
"""


def _thin(root: Path, responses: str = THIN_RESPONSES) -> Path:
    folder = write_consultation(root, "thin", responses=responses, yml=THIN_YML)
    (folder / "regions.csv").write_text(THIN_REGIONS, encoding="utf-8")
    return folder


def test_no_valid_response_exits_2_naming_the_reasons_and_writes_nothing(tmp_path: Path) -> None:
    _thin(tmp_path, BAD_RESPONSES)
    with pytest.raises(InputError) as caught:
        prepare_consultation("thin", root=tmp_path)
    message = str(caught.value)
    assert "responses.csv" in message and "no valid response" in message
    assert "region_known (3 rows, field region)" in message
    assert "submitted_at_parseable (2 rows, field submitted_at)" in message
    assert "Atlantis" in message  # an example value, from the quarantine message
    assert "fix:" in message and "date_format" in message
    clean = tmp_path / "data" / "clean"
    assert not (clean / "thin").exists()
    assert not (clean.exists() and list(clean.iterdir()))  # no staging folder left either


def test_workbook_validate_with_no_valid_response_exits_2(tmp_path: Path) -> None:
    _thin(tmp_path, BAD_RESPONSES)
    workbook = str(Path(sys.executable).with_name("workbook"))
    env = {**os.environ, "WORKBOOK_ROOT": str(tmp_path)}
    result = subprocess.run(
        [workbook, "validate", "thin"], capture_output=True, text=True, env=env, timeout=600
    )
    assert result.returncode == 2, result.stderr
    assert "no valid response" in result.stderr and "region_known (3 rows" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "data" / "clean" / "thin").exists()


def test_no_valid_response_leaves_an_earlier_good_clean_folder_as_it_was(tmp_path: Path) -> None:
    folder = _thin(tmp_path)
    prepare_consultation("thin", root=tmp_path)
    target = tmp_path / "data" / "clean" / "thin"
    before = {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()}
    (folder / "responses.csv").write_text(BAD_RESPONSES, encoding="utf-8")
    with pytest.raises(InputError, match="no valid response"):
        prepare_consultation("thin", root=tmp_path)
    assert {p.name: p.read_bytes() for p in target.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in target.parent.iterdir()) == ["thin"]


def test_an_empty_export_is_an_error_too(tmp_path: Path) -> None:
    _thin(tmp_path, "ID,Date,Region,Group,Q1\n")
    with pytest.raises(InputError, match="no responses"):
        prepare_consultation("thin", root=tmp_path)
    assert not (tmp_path / "data" / "clean" / "thin").exists()


def test_own_regions_without_population_have_no_population(tmp_path: Path) -> None:
    folder = _thin(tmp_path)
    shared = tmp_path / "data" / "reference" / "population.csv"
    shared.write_text(
        "region,locality,dimension,category,population\nNorth West,,sex,female,100\n",
        encoding="utf-8",
    )
    assert load_population(folder, tmp_path).is_empty()
    (folder / "regions.csv").unlink()  # the shared geography: the shared population
    assert load_population(folder, tmp_path).height == 1
    (folder / "regions.csv").write_text(THIN_REGIONS, encoding="utf-8")
    (folder / "population.csv").write_text(
        "region,locality,dimension,category,population\nIslands,,sex,male,7\n", encoding="utf-8"
    )
    assert load_population(folder, tmp_path)["region"].to_list() == ["Islands"]
    prepare_consultation("thin", root=tmp_path)
    ledger = json.loads((tmp_path / "data/clean/thin/validation.json").read_text())
    files = [i["file"] for i in ledger["inputs"]]
    assert "population.csv" in files and "reference/population.csv" not in files
    (folder / "population.csv").unlink()
    prepare_consultation("thin", root=tmp_path)
    ledger = json.loads((tmp_path / "data/clean/thin/validation.json").read_text())
    assert not [i for i in ledger["inputs"] if "population" in i["file"]]


#: The thinnest export a report is made from: no id, no date, no channel, no monitoring.
NO_ID_NO_DATE_YML = THIN_YML.replace('  response_id: "ID"\n', "").replace(
    '  submitted_at: "Date"\n', ""
)


@pytest.fixture(scope="module")
def thin_reports(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    root = tmp_path_factory.mktemp("thin")
    folder = _thin(root)
    (folder / "consultation.yml").write_text(NO_ID_NO_DATE_YML, encoding="utf-8")
    shared = root / "data" / "reference" / "population.csv"
    shared.write_text(  # the shared population: never compared with this geography
        "region,locality,dimension,category,population\n"
        "North West,,age_band,18_24,100\nNorth West,,sex,female,100\n",
        encoding="utf-8",
    )
    result = run_reports("thin", root=root, progress=False, jobs=1, prepare=ensure_prepared)
    return root, result


def test_thin_reports_are_all_ok(thin_reports: tuple[Path, object]) -> None:
    _, result = thin_reports
    outcomes = [(o.slug, o.status) for o in result.outcomes]  # type: ignore[attr-defined]
    assert outcomes and all(status == "ok" for _, status in outcomes), result.failed  # type: ignore[attr-defined]
    assert {"north-west", "islands"} <= {slug for slug, _ in outcomes}


@pytest.mark.parametrize("page", ["islands.html", "north-west.html", "overview.html"])
def test_no_table_for_an_unmapped_field(thin_reports: tuple[Path, object], page: str) -> None:
    root, _ = thin_reports
    out = root / "reports" / "thin"
    html = (out / page).read_text(encoding="utf-8")
    assert "no equality monitoring questions" in html
    for words in ("By age", "By sex", "Age band", "By how people responded", "under-represented"):
        assert words not in html, words
    slug = page.removesuffix(".html")
    tables = {p.name for p in out.rglob("*.csv") if slug in str(p) or page == "overview.html"}
    assert not [t for t in tables if "representation_" in t or "by_channel" in t], tables


def test_a_region_without_localities_has_its_report(thin_reports: tuple[Path, object]) -> None:
    root, _ = thin_reports
    html = (root / "reports" / "thin" / "islands.html").read_text(encoding="utf-8")
    assert "Islands" in html and "3" in html
    clean = pl.read_parquet(root / "data" / "clean" / "thin" / "responses.parquet")
    assert clean.height == 5


def test_a_report_says_the_export_recorded_no_id_and_no_date(
    thin_reports: tuple[Path, object],
) -> None:
    root, _ = thin_reports
    clean = pl.read_parquet(root / "data" / "clean" / "thin" / "responses.parquet")
    assert clean["response_id"].to_list() == ["1", "2", "3", "4", "5"]  # data row numbers
    assert clean["submitted_at"].null_count() == 5
    ledger = json.loads((root / "data" / "clean" / "thin" / "validation.json").read_text())
    assert ledger["duplicates_checked"] is False and ledger["dates_recorded"] is False
    # said on "About these statistics", which every report links to
    assert 'href="about.html"' in (root / "reports" / "thin" / "north-west.html").read_text()
    html = (root / "reports" / "thin" / "about.html").read_text(encoding="utf-8")
    assert "Submission dates were not recorded" in html
    assert "a response sent twice could not be detected" in html


def test_demo_like_consultation_still_shows_mapped_fields(tiny: Path) -> None:
    """Negative case: a mapped field keeps its table (tiny maps channel and age_band)."""
    from pipelines.consultation import load_consultation
    from pipelines.report.tables import mapped_fields, shown_monitoring

    consultation = load_consultation(tiny / "data" / "raw" / "tiny")
    assert {"channel", "age_band"} <= mapped_fields(consultation)
    assert shown_monitoring(consultation) == ("age_band",)


def test_one_region_without_localities(tmp_path: Path) -> None:
    folder = _thin(tmp_path, THIN_RESPONSES.replace("North West", "Islands"))
    (folder / "regions.csv").write_text("region,locality\nIslands,\n", encoding="utf-8")
    result = run_reports("thin", root=tmp_path, progress=False, jobs=1, prepare=ensure_prepared)
    assert [(o.slug, o.status) for o in result.outcomes] == [("islands", "ok"), ("overview", "ok")]
    out = tmp_path / "reports" / "thin"
    page = (out / "islands.html").read_text(encoding="utf-8")
    assert "This area has no locality recorded" in page
    assert "no equality monitoring questions" in page
    assert "Islands" in (out / "overview.html").read_text(encoding="utf-8")
