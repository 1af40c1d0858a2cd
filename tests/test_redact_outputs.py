"""No personal detail in any stored or published output (issue #15, Must 2).

A small consultation whose comments, event titles and venues, action texts, owners and
themes, theme names and a quarantined value carry the disguises the issue lists. After
``validate``, no clean parquet, quarantine or validation.json holds any of them; after
``report`` (slow), no page (base64 SVG data URIs decoded), table CSV or executed notebook
does. Each detail is looked for in normalised, compacted form (digits and letters only),
so a thin space or a zero-width character cannot hide one from the check.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import polars as pl
import pytest
from conftest import CONSULTATION_YML, write_consultation

from pipelines.paths import ROOT
from pipelines.validate.run import validate_consultation

NAME = "pii"
HEADER = [
    "Respondent ID",
    "Completed",
    "IP Address",
    "How did you respond?",
    "Region",
    "Area",
    "Which best describes you?",
    "Age",
    "May we quote you?",
    "Q1",
    "Q2",
    "Q3",
    "Q4",
]
#: One comment per response, each quotable (consent given), each with details in it.
COMMENTS = [
    "Email me: jo145\u200b@nhs.net about the visits",
    "Text 07700\u2009900\u2009123 if the carer is late",
    "I live at 12 Acacia Avenue, SW1A-1AA, and the carers are kind",
    "Post to M11 AE or GIR 0AA please, the service is good",
    "Write to jo.bloggs\uff20nhs.net or jo.bloggs @ nhs.net, carers are kind",
    "Or jo.bloggs[at]nhs.net, or jo dot bloggs at nhs dot net",
    "My NI number is QQ 12 34 56 C and I was born 14/02/1951",
    "My name is Kezia Thistlewood and Dr Oyelaran was lovely",
    "See bit.ly/x1 and example.co.uk about carers",
    "Thanks to Sharon Whitfield and Gemma on reception, always kind",
]
#: What must not survive anywhere, compacted (letters and digits only, lower case).
SECRETS = [
    "jo145",
    "07700900123",
    "acaciaavenue",
    "sw1a1aa",
    "m11ae",
    "gir0aa",
    "jobloggs",
    "qq123456c",
    "14021951",
    "kezia",
    "thistlewood",
    "oyelaran",
    "bitlyx1",
    "examplecouk",
    "sharon",
    "whitfield",
    "gemma",
    # the optional tables and the quarantine
    "07700900456",
    "wharfedale",
    "ls11ub",
    "07700900789",
    "jotheme",
    "qzrejected",
    "07700900321",
    "fennimore",
    "01614960333",
    "bitlyx2",
]
EVENTS = (
    "event_id,title,date,venue,region,locality,format,ladder_rung\n"
    "E1,Drop-in with Dr Wharfedale (07700 900456),03/03/2026,"
    '"14 High St, LS1-1UB",North West,Cumbria,drop_in,consulting\n'
)
ATTENDANCE = "event_id,group,attendees\nE1,service_user,12\n"
CODING = (
    "response_id,question_id,theme\n"
    + "".join(f"r{i},q1,Kindness\n" for i in range(1, len(COMMENTS) + 1))
    + "r1,q1,Call jo.theme@nhs.net\n"
)
ACTIONS = (
    "action_id,region,locality,theme,you_said,we_did,owner,status,due,feedback_given\n"
    'A1,North West,Cumbria,More at bit.ly/x2,"Ring 07700\u00a0900\u00a0789",'
    '"Wrote to jo dot bloggs at nhs dot net","Mrs. Ada Fennimore, 0161 496 0333",'
    "done,01/05/2026,15/05/2026\n"
)


def responses_csv() -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    regions = [("North West", "Cumbria"), ("London", "Camden")]
    for i, comment in enumerate(COMMENTS, start=1):
        region, area = regions[i % 2]
        writer.writerow(
            [f"r{i}", "02/03/2026 10:15:00", "10.0.0.1", "Online", region, area]
            + ["I use care at home services", "75 - 84", "Yes", comment]
            + ["workforce", "Agree", "4"]
        )
    # rejected (channel unknown): its value carries an address and a phone number
    writer.writerow(
        ["r99", "02/03/2026 10:15:00", "10.0.0.9", "qzrejected@nhs.net 07700 900321"]
        + ["London", "Camden", "I use care at home services", "", "Yes", "Fine"]
        + ["workforce", "Agree", "4"]
    )
    return out.getvalue()


def compact(text: str) -> str:
    """``text`` in NFKC with everything but letters and digits removed, lower-cased."""
    return re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text)).lower()


def leaks(label: str, text: str) -> list[str]:
    flat = compact(text)
    return [f"{label}: {secret}" for secret in SECRETS if secret in flat]


def with_data_uris_decoded(html: str) -> str:
    """``html`` and the text of every base64 data URI in it (SVG charts hide text so)."""
    decoded = [
        base64.b64decode(match).decode("utf-8", errors="replace")
        for match in re.findall(r"data:[\w/+.-]+;base64,([A-Za-z0-9+/=]+)", html)
    ]
    return "\n".join([html, *decoded])


def project(root: Path) -> Path:
    write_consultation(
        root,
        name=NAME,
        responses=responses_csv(),
        yml=CONSULTATION_YML,
        events_csv=EVENTS,
        attendance_csv=ATTENDANCE,
        coding_csv=CODING,
        actions_csv=ACTIONS,
    )
    shutil.copy(ROOT / "data" / "reference" / "population.csv", root / "data" / "reference")
    return root


def validated_outputs(root: Path) -> list[tuple[str, str]]:
    """(file, text) of every clean output: each parquet's every cell, validation.json."""
    clean = root / "data" / "clean" / NAME
    files: list[tuple[str, str]] = []
    for path in sorted(clean.glob("*.parquet")):
        frame = pl.read_parquet(path)
        cells = frame.select(pl.all().cast(pl.String)).rows()
        files.append((path.name, "\n".join(str(c) for row in cells for c in row)))
    files.append(("validation.json", (clean / "validation.json").read_text(encoding="utf-8")))
    return files


def test_the_secrets_are_in_the_raw_files(tmp_path: Path) -> None:
    """The check can fail: every secret is there to find in the raw consultation."""
    folder = project(tmp_path) / "data" / "raw" / NAME
    raw = "\n".join(p.read_text(encoding="utf-8") for p in folder.glob("*.csv"))
    assert not [s for s in SECRETS if s not in compact(raw)]


def test_validate_stores_no_personal_detail_and_counts_each_kind(tmp_path: Path) -> None:
    project(tmp_path)
    summary = validate_consultation(NAME, root=tmp_path)
    # the one bad channel answer is quarantined, its response kept with the channel blank
    assert summary.rows_quarantined == 0
    clean = tmp_path / "data" / "clean" / NAME
    found = [leak for name, text in validated_outputs(tmp_path) for leak in leaks(name, text)]
    assert not found, found

    redaction = json.loads((clean / "validation.json").read_text(encoding="utf-8"))["redaction"]
    for kind in (
        "email",
        "url",
        "phone",
        "postcode",
        "ni_number",
        "date_of_birth",
        "address",
        "name",
    ):
        assert redaction[kind] >= 1, (kind, redaction)
    assert redaction["email"] >= 8  # 6 in comments, a theme name, an action, the quarantine
    assert redaction["phone"] >= 5  # a comment, an event title, an action, an owner, quarantine

    events = pl.read_parquet(clean / "events.parquet").row(0, named=True)
    assert "[phone number removed]" in events["title"] and "Drop-in" in events["title"]
    assert "[address removed]" in events["venue"] and "[postcode removed]" in events["venue"]
    actions = pl.read_parquet(clean / "actions.parquet").row(0, named=True)
    assert actions["owner"].startswith("Mrs. [name removed]")
    assert "[link removed]" in actions["theme"]
    themes = pl.read_parquet(clean / "themes.parquet")["theme"].unique().sort().to_list()
    assert themes == ["Call [email removed]", "Kindness"]
    quarantined = pl.read_parquet(clean / "quarantine.parquet").row(0, named=True)
    # the row after the comments (the file's first line is its header)
    assert quarantined["rule"] == "channel_known"
    assert quarantined["row_number"] == len(COMMENTS) + 2
    assert "[email removed]" in quarantined["value"]
    assert "[email removed]" in quarantined["message"]


def test_the_validation_summary_shows_only_redacted_examples(tmp_path: Path) -> None:
    from pipelines.validate import summary

    project(tmp_path)
    validate_consultation(NAME, root=tmp_path)
    quarantine = pl.read_parquet(tmp_path / "data" / "clean" / NAME / "quarantine.parquet")
    failures = summary.failures_by_rule(quarantine)
    assert not leaks("failures_by_rule", str(failures.rows()))
    raw = quarantine.with_columns(pl.lit("ring 07700 900321 now").alias("value"))
    assert "900321" not in str(summary.failures_by_rule(raw).rows())
    table = summary.redaction_table(summary.read_ledger(NAME, root=tmp_path))
    assert table.filter(pl.col("kind") == "email")["removed"].item() >= 8


@pytest.mark.slow
def test_no_report_output_holds_a_personal_detail(tmp_path: Path) -> None:
    project(tmp_path)
    workbook = str(Path(sys.executable).with_name("workbook"))
    env = {**os.environ, "WORKBOOK_ROOT": str(tmp_path)}
    for args in (["validate", NAME], ["report", NAME, "--jobs", "1", "--no-progress"]):
        result = subprocess.run(
            [workbook, *args], env=env, capture_output=True, text=True, timeout=900, check=False
        )
        assert result.returncode == 0, result.stdout + result.stderr
    reports = tmp_path / "reports" / NAME
    pages = sorted(reports.rglob("*.html"))
    assert len(pages) >= 3, pages
    outputs = [*pages, *reports.rglob("*.csv"), *reports.rglob("*.ipynb"), *reports.rglob("*.json")]
    found: list[str] = []
    for path in outputs:
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".html":
            text = with_data_uris_decoded(text)
        found += leaks(str(path.relative_to(tmp_path)), text)
    assert not found, found
    assert "[email removed]" in "".join(p.read_text(encoding="utf-8") for p in pages)
