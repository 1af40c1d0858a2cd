"""Shared fixtures: a tiny consultation tree written by the tests themselves."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from pipelines.paths import ROOT
from pipelines.redact import RedactionLog, redact

REGIONS = (
    "region,locality\nNorth West,Cumbria\nNorth West,Lancashire\nLondon,Camden\nLondon,Hackney\n"
)

CONSULTATION_YML = """\
title: "Tiny test consultation"
owner: "Test team"
opened: 2026-03-01
closed: 2026-05-31
series: tiny
columns:
  response_id: "Respondent ID"
  submitted_at: "Completed"
  channel: "How did you respond?"
  region: "Region"
  locality: "Area"
  group: "Which best describes you?"
  age_band: "Age"
  consent_to_quote: "May we quote you?"
groups:
  service_user: "People who use services"
  unpaid_carer: "Family and unpaid carers"
values:
  group:
    "I use care at home services": service_user
questions:
  - id: q1
    text: "What matters most?"
    type: free_text
    column: "Q1"
  - id: q2
    text: "Which work streams?"
    type: multi
    column: "Q2"
    options: [settings, workforce]
    labels: {settings: "Dignity in care settings", workforce: "Workforce development"}
  - id: q3
    text: "Care is good"
    type: likert
    column: "Q3"
    scale: ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
  - id: q4
    text: "Hours of care a week"
    type: number
    column: "Q4"
"""

RESPONSES = """\
Respondent ID,Completed,IP Address,How did you respond?,Region,Area,Which best describes you?,Age,May we quote you?,Q1,Q2,Q3,Q4
r1,02/03/2026 10:15:00,10.0.0.1,Online,North West,Cumbria,I use care at home services,75 - 84,Yes,Carers are kind – £5 well spent,Dignity in care settings;workforce,Agree,12
r2,2026-03-05,10.0.0.2,paper,north-west,Lancashire,Family and unpaid carers,Prefer not to say,No,Ring me on 07700 900123,,  STRONGLY agree ,3
r3,10/04/2026 09:00,10.0.0.3,Online,London,Camden,service_user,,,,workforce,Disagree,
"""


def write_consultation(
    root: Path,
    name: str = "tiny",
    responses: str = RESPONSES,
    yml: str = CONSULTATION_YML,
    **files: str,
) -> Path:
    """A consultation folder under ``root/data/raw/<name>`` with shared regions.csv."""
    (root / "data" / "reference").mkdir(parents=True, exist_ok=True)
    (root / "data" / "reference" / "regions.csv").write_text(REGIONS, encoding="utf-8")
    folder = root / "data" / "raw" / name
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "consultation.yml").write_text(textwrap.dedent(yml), encoding="utf-8")
    (folder / "responses.csv").write_text(responses, encoding="utf-8")
    for file_name, text in files.items():
        (folder / file_name.replace("_csv", ".csv")).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    """A project root holding the tiny consultation."""
    write_consultation(tmp_path)
    return tmp_path


@pytest.fixture(scope="session")
def demo_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The committed demo (both waves), validated once in a scratch tree: raw files are
    copied, never touched; clean data goes to the scratch tree's data/clean."""
    from pipelines.prepare import prepare_consultation

    root = tmp_path_factory.mktemp("demo")
    shutil.copytree(ROOT / "data" / "reference", root / "data" / "reference")
    for wave in ("demo-care-at-home-2026", "demo-care-at-home-2025", "demo-care-at-home-2024"):
        shutil.copytree(ROOT / "data" / "raw" / wave, root / "data" / "raw" / wave)
        prepare_consultation(wave, root=root)
    return root


def two_region_project(root: Path, consultation: str, seed: int) -> Path:
    """A small sampled consultation (300 responses) over two regions of two localities each,
    in a project tree at ``root`` with the shared population file."""
    import polars as pl

    from pipelines.sample import write_sample

    regions = pl.DataFrame(
        {
            "region": ["North West", "North West", "London", "London"],
            "locality": ["Cumbria", "Lancashire", "Camden", "Hackney"],
        }
    )
    (root / "data" / "reference").mkdir(parents=True)
    regions.write_csv(root / "data" / "reference" / "regions.csv")
    shutil.copy(ROOT / "data" / "reference" / "population.csv", root / "data" / "reference")
    write_sample(root / "data" / "raw" / consultation, responses=300, seed=seed, regions=regions)
    return root


def region_notebook_failing_for(region: str, folder: Path) -> Path:
    """A copy of the region report notebook that fails, on purpose, for ``region`` only."""
    import nbformat

    from pipelines.report import workers

    broken = nbformat.read(workers.REGION_NOTEBOOK, as_version=4)
    broken.cells.insert(
        2, nbformat.v4.new_code_cell(f'assert region != "{region}", "planned failure for the test"')
    )
    path = folder / "broken.ipynb"
    nbformat.write(broken, path)
    return path


def removed(text: str) -> tuple[str, dict[str, int]]:
    """``text`` redacted, and the kinds removed from it with their counts (none at 0)."""
    log = RedactionLog()
    cleaned = redact(text, log)
    return cleaned, {kind: n for kind, n in log.as_dict().items() if n}
