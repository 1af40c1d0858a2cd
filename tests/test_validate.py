"""workbook validate: reading, mapping, the Great Expectations rules, quarantine, atomicity."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import polars as pl
import pytest
from conftest import CONSULTATION_YML, RESPONSES, write_consultation

from pipelines.errors import InputError
from pipelines.paths import ROOT
from pipelines.validate.run import validate_consultation

HEADER = RESPONSES.splitlines()[0]
GOOD = "r9,02/03/2026 10:15:00,10.0.0.9,Online,North West,Cumbria,I use care at home services,75 - 84,Yes,Fine,workforce,Agree,4"
COLUMNS = HEADER.split(",")


def with_row(**changes: str) -> str:
    """The tiny export plus one extra row: a valid one with ``changes`` applied by header."""
    cells = dict(zip(COLUMNS, GOOD.split(","), strict=True))
    cells.update(changes)
    return RESPONSES + ",".join(cells[c] for c in COLUMNS) + "\n"


def quarantine(root: Path, name: str = "tiny") -> pl.DataFrame:
    return pl.read_parquet(root / "data" / "clean" / name / "quarantine.parquet")


def test_tiny_consultation_is_clean_and_typed(tiny: Path) -> None:
    summary = validate_consultation("tiny", root=tiny)
    assert (summary.rows_read, summary.rows_valid, summary.rows_quarantined) == (3, 3, 0)
    clean = tiny / "data" / "clean" / "tiny"
    responses = pl.read_parquet(clean / "responses.parquet")
    assert responses["region"].to_list() == ["North West", "North West", "London"]
    assert responses["age_band"].to_list() == ["75_84", "prefer_not_to_say", None]
    assert isinstance(responses.schema["group"], pl.Enum)
    assert responses.schema["submitted_at"] == pl.Datetime("us")
    assert responses["consent_to_quote"].to_list() == [True, False, False]
    assert responses["q4"].to_list() == [12.0, 3.0, None]
    assert "IP Address" not in responses.columns and "ip_address" not in responses.columns
    answers = pl.read_parquet(clean / "answers.parquet")
    assert sorted(answers.filter(pl.col("response_id") == "r1")["option"].to_list()) == [
        "agree",
        "settings",
        "workforce",
    ]
    assert answers.filter(pl.col("response_id") == "r2")["option"].to_list() == ["strongly_agree"]
    comments = pl.read_parquet(clean / "comments.parquet")
    assert comments["text"].to_list() == [
        "Carers are kind – £5 well spent",
        "Ring me on [phone number removed]",
    ]
    ledger = json.loads((clean / "validation.json").read_text())
    assert ledger["tables"]["responses"] == {"rows_read": 3, "valid": 3, "quarantined": 0}
    assert ledger["inputs"][0]["encoding"] == "utf-8"


def test_validation_does_not_compile_an_iri_grammar_nothing_checks(tiny: Path) -> None:
    # Great Expectations imports jsonschema, which would compile rfc3987-syntax's grammar
    # (about 1.3 s of CPU, beside the read); the suites and Data Docs do without it
    import subprocess
    import sys

    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from pipelines.validate.run import validate_consultation\n"
        f"summary = validate_consultation('tiny', root=Path({str(tiny)!r}))\n"
        "print(summary.rows_valid, summary.data_docs.is_file())\n"
        "print(sys.modules.get('rfc3987_syntax', 'absent'), 'great_expectations' in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["3", "True", "None", "True"], run.stdout + run.stderr


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"Respondent ID": "r1"}, "response_id", "response_id_unique"),
        ({"Region": ""}, "region", "required"),
        ({"Which best describes you?": ""}, "group", "required"),
        ({"Completed": ""}, "submitted_at", "required"),
        ({"Region": "Narnia", "Area": ""}, "region", "region_known"),
        ({"Area": "Camden"}, "locality", "locality_in_region"),
        ({"Which best describes you?": "Astronaut"}, "group", "group_known"),
        ({"Completed": "31/02/2026 10:00"}, "submitted_at", "submitted_at_parseable"),
        ({"Completed": "01/09/2026 10:00"}, "submitted_at", "submitted_at_in_window"),
    ],
)
def test_each_response_rule_quarantines_its_row(
    tmp_path: Path, changes: dict, field: str, rule: str
) -> None:
    write_consultation(tmp_path, responses=with_row(**changes))
    summary = validate_consultation("tiny", root=tmp_path)
    assert (summary.rows_read, summary.rows_valid, summary.rows_quarantined) == (4, 3, 1)
    found = quarantine(tmp_path).select("row_number", "field", "rule").rows()
    assert found == [(5, field, rule)]
    message = quarantine(tmp_path)["message"][0]
    assert message.endswith(".") and len(message) > 20


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"How did you respond?": "Carrier pigeon"}, "channel", "channel_known"),
        ({"Age": "200"}, "age_band", "code_known"),
    ],
)
def test_an_optional_field_rule_blanks_the_field_and_keeps_the_response(
    tmp_path: Path, changes: dict, field: str, rule: str
) -> None:
    write_consultation(tmp_path, responses=with_row(**changes))
    summary = validate_consultation("tiny", root=tmp_path)
    assert (summary.rows_read, summary.rows_valid, summary.rows_quarantined) == (4, 4, 0)
    assert quarantine(tmp_path).select("row_number", "field", "rule").rows() == [(5, field, rule)]
    clean = pl.read_parquet(tmp_path / "data" / "clean" / "tiny" / "responses.parquet")
    assert clean.filter(pl.col("source_row") == 5)[field].to_list() == [None]


def test_unknown_answer_quarantines_the_answer_not_the_response(tmp_path: Path) -> None:
    write_consultation(tmp_path, responses=with_row(Q3="Sometimes"))
    summary = validate_consultation("tiny", root=tmp_path)
    assert summary.rows_quarantined == 0 and summary.rows_valid == 4
    rows = quarantine(tmp_path).select("row_number", "field", "value", "rule").rows()
    assert rows == [(5, "q3", "Sometimes", "answer_known")]


def test_non_number_is_quarantined(tmp_path: Path) -> None:
    write_consultation(tmp_path, responses=with_row(Q4="lots"))
    validate_consultation("tiny", root=tmp_path)
    assert quarantine(tmp_path).select("field", "rule").rows() == [("q4", "number_parseable")]


@pytest.mark.parametrize(("written", "read"), [("2,5", None), ("1,25", None), ("1,250", 1250.0)])
def test_a_comma_in_a_number_is_read_only_as_thousands(
    tmp_path: Path, written: str, read: float | None
) -> None:
    """A decimal comma ("2,5" in a German export) is not 25: a comma groups thousands only
    as "1,250" does; any other comma makes the answer unreadable (quarantined alone)."""
    write_consultation(tmp_path, responses=with_row(Q4=f'"{written}"'))
    validate_consultation("tiny", root=tmp_path)
    rules = quarantine(tmp_path).select("field", "rule").rows()
    assert rules == ([] if read is not None else [("q4", "number_parseable")])
    clean = pl.read_parquet(tmp_path / "data" / "clean" / "tiny" / "responses.parquet")
    assert clean.filter(pl.col("source_row") == 5)["q4"].to_list() == [read]


def test_grace_days_widen_the_window(tmp_path: Path) -> None:
    write_consultation(tmp_path, responses=with_row(Completed="05/06/2026 09:00"))
    assert validate_consultation("tiny", root=tmp_path).rows_quarantined == 0
    strict = CONSULTATION_YML.replace("series: tiny", "series: tiny\ngrace_days: 0")
    write_consultation(tmp_path, responses=with_row(Completed="05/06/2026 09:00"), yml=strict)
    assert validate_consultation("tiny", root=tmp_path).failures_by_rule == {
        "submitted_at_in_window": 1
    }


def test_optional_tables_rules(tmp_path: Path) -> None:
    write_consultation(
        tmp_path,
        events_csv="event_id,title,date,venue,region,locality,format,ladder_rung\nE1,Drop-in,03/03/2026,Hall,North West,Cumbria,drop_in,consulting\nE2,Bad,03/03/2026,Hall,North West,Camden,drop_in,shouting\n",
        attendance_csv="event_id,group,attendees\nE1,service_user,12\nE9,service_user,3\nE1,unpaid_carer,-1\nE1,unpaid_carer,2.5\n",
        coding_csv="response_id,question_id,theme\nr1,q1,Kindness\nr404,q1,Kindness\nr1,q2,Kindness\n",
        actions_csv="action_id,region,locality,theme,you_said,we_did,owner,status,due,feedback_given\nA1,North West,Cumbria,Kindness,More time,Longer visits,Team,done,01/05/2026,15/05/2026\nA2,North West,,Cost,Too dear,Review,Team,finished,01/05/2026,\n",
    )
    validate_consultation("tiny", root=tmp_path)
    found = set(quarantine(tmp_path).select("source_file", "row_number", "rule").rows())
    assert found == {
        ("events.csv", 3, "locality_in_region"),
        ("events.csv", 3, "ladder_rung_known"),
        ("attendance.csv", 3, "event_known"),
        ("attendance.csv", 4, "count_whole_nonnegative"),
        ("attendance.csv", 5, "count_whole_nonnegative"),
        ("coding.csv", 3, "response_known"),
        ("coding.csv", 4, "question_known"),
        ("actions.csv", 3, "status_known"),
    }
    clean = tmp_path / "data" / "clean" / "tiny"
    assert pl.read_parquet(clean / "attendance.parquet")["attendees"].to_list() == [12]
    assert pl.read_parquet(clean / "themes.parquet").height == 1


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_encodings_round_trip_without_loss(tmp_path: Path, encoding: str) -> None:
    folder = write_consultation(tmp_path)
    (folder / "responses.csv").write_bytes(RESPONSES.encode(encoding))
    validate_consultation("tiny", root=tmp_path)
    clean = tmp_path / "data" / "clean" / "tiny"
    assert "£5" in pl.read_parquet(clean / "comments.parquet")["text"][0]
    assert json.loads((clean / "validation.json").read_text())["inputs"][0]["encoding"] == encoding


def test_multi_select_as_one_column_per_option(tmp_path: Path) -> None:
    yml = CONSULTATION_YML.replace(
        '    column: "Q2"\n    options: [settings, workforce]',
        '    columns: {settings: "Q2 - Settings", workforce: "Q2 - Workforce"}\n    options: [settings, workforce]',
    )
    responses = RESPONSES.replace(",Q2,", ",Q2 - Settings,Q2 - Workforce,")
    responses = (
        responses.replace(
            "Dignity in care settings;workforce", "Dignity in care settings,Workforce"
        )
        .replace(",,  STRONGLY", ",,,  STRONGLY")
        .replace(",workforce,Disagree", ",,Workforce,Disagree")
    )
    write_consultation(tmp_path, responses=responses, yml=yml)
    validate_consultation("tiny", root=tmp_path)
    answers = pl.read_parquet(tmp_path / "data" / "clean" / "tiny" / "answers.parquet").filter(
        pl.col("question_id") == "q2"
    )
    assert sorted(answers.rows()) == [
        ("r1", "q2", "settings"),
        ("r1", "q2", "workforce"),
        ("r3", "q2", "workforce"),
    ]


def test_a_multi_select_counts_a_person_once_per_option(tmp_path: Path) -> None:
    """Two columns that mean one option (one of them through a spelling in ``values``), or a
    cell naming an option twice: one answer per person and option, as the tallies count.
    A cell's unknown values are quarantined once each."""
    yml = CONSULTATION_YML.replace(
        '    column: "Q2"\n    options: [settings, workforce]',
        '    columns: {settings: "Q2 - Settings", workforce: "Q2 - Workforce", '
        'dignity: "Q2 - Dignity"}\n    options: [settings, workforce]',
    ).replace(
        '    "I use care at home services": service_user',
        '    "I use care at home services": service_user\n  q2:\n    "Dignity": settings',
    )
    responses = RESPONSES.replace(",Q2,", ",Q2 - Settings,Q2 - Workforce,Q2 - Dignity,")
    responses = (
        responses.replace("Dignity in care settings;workforce", "Yes,Yes,Yes")
        .replace(",,  STRONGLY", ",,,,  STRONGLY")
        .replace(",workforce,Disagree", ",,Yes,,Disagree")
    )
    write_consultation(tmp_path, responses=responses, yml=yml)
    validate_consultation("tiny", root=tmp_path)
    clean = tmp_path / "data" / "clean" / "tiny"
    answers = pl.read_parquet(clean / "answers.parquet").filter(pl.col("question_id") == "q2")
    assert sorted(answers.rows()) == [
        ("r1", "q2", "settings"),
        ("r1", "q2", "workforce"),
        ("r3", "q2", "workforce"),
    ]
    from pipelines.analysis.questions import multi_choice
    from pipelines.store.clean_data import for_area, load_clean

    data = for_area(load_clean("tiny", tmp_path))
    counts = multi_choice(data, data.consultation.question("q2"))
    assert dict(counts.select("option", "count").iter_rows()) == {"settings": 1, "workforce": 2}

    delimited = RESPONSES.replace(
        "Dignity in care settings;workforce", "workforce;Nope;Nah;WORKFORCE"
    )
    write_consultation(tmp_path, name="cells", responses=delimited)
    validate_consultation("cells", root=tmp_path)
    answers = pl.read_parquet(tmp_path / "data" / "clean" / "cells" / "answers.parquet")
    assert answers.filter(pl.col("response_id") == "r1", pl.col("question_id") == "q2").rows() == [
        ("r1", "q2", "workforce")
    ]
    unknown = quarantine(tmp_path, "cells").filter(pl.col("rule") == "answer_known")
    assert sorted(unknown["value"].to_list()) == ["Nah", "Nope"]


def test_header_rows_skip_the_second_header(tmp_path: Path) -> None:
    lines = RESPONSES.splitlines()
    responses = "\n".join([lines[0], ",".join(["Response"] * len(COLUMNS)), *lines[1:]]) + "\n"
    write_consultation(
        tmp_path,
        responses=responses,
        yml=CONSULTATION_YML.replace("series: tiny", "series: tiny\nheader_rows: 2"),
    )
    summary = validate_consultation("tiny", root=tmp_path)
    assert summary.rows_read == 3 and summary.rows_quarantined == 0


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        (lambda f: (f / "responses.csv").unlink(), "responses.csv is missing"),
        (lambda f: (f / "responses.csv").write_text(""), "is empty"),
        (lambda f: (f / "responses.csv").write_bytes(b"PK\x03\x04\x00\x00binary"), "not a CSV"),
        (
            lambda f: (f / "responses.csv").write_text(RESPONSES.replace("Region", "Place")),
            "no column 'Region'",
        ),
        (lambda f: (f / "consultation.yml").write_text("title: [unclosed"), "not valid YAML"),
        (
            lambda f: (f / "consultation.yml").write_text(
                CONSULTATION_YML.replace("type: number", "type: matrix")
            ),
            "questions.3.type",
        ),
        (
            lambda f: (f / "consultation.yml").write_text(
                CONSULTATION_YML.replace('  region: "Region"\n', "")
            ),
            "region",
        ),
        (
            lambda f: (f / "events.csv").write_text("event_id,title\nE1,x\n"),
            "missing column(s) date",
        ),
    ],
)
def test_structural_failures_stop_and_keep_earlier_outputs(
    tiny: Path, breakage, expected: str
) -> None:
    validate_consultation("tiny", root=tiny)
    clean = tiny / "data" / "clean" / "tiny"
    before = {p.name: p.read_bytes() for p in clean.glob("*.parquet")}
    breakage(tiny / "data" / "raw" / "tiny")
    with pytest.raises(InputError, match=expected.replace("(", r"\(").replace(")", r"\)")):
        validate_consultation("tiny", root=tiny)
    assert {p.name: p.read_bytes() for p in clean.glob("*.parquet")} == before
    assert not list((tiny / "data" / "clean").glob(".tiny.tmp-*"))


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_validation_leaves_raw_files_as_they_were(demo_root: Path) -> None:
    committed = _hashes(ROOT / "data" / "raw" / "demo-care-at-home-2026")
    assert _hashes(demo_root / "data" / "raw" / "demo-care-at-home-2026") == committed


def test_a_consultation_folder_can_bring_its_own_geography(tmp_path: Path) -> None:
    folder = write_consultation(tmp_path, responses=with_row(Region="Wessex", Area="Casterbridge"))
    (folder / "regions.csv").write_text(
        "region,locality\nNorth West,Cumbria\nNorth West,Lancashire\nLondon,Camden\nWessex,Casterbridge\n"
    )
    summary = validate_consultation("tiny", root=tmp_path)
    assert summary.rows_quarantined == 0
    ledger = json.loads((tmp_path / "data" / "clean" / "tiny" / "validation.json").read_text())
    assert "regions.csv" in {i["file"] for i in ledger["inputs"]}


def test_demo_planted_rows_are_exactly_the_quarantined_ones(demo_root: Path) -> None:
    planted = pl.read_csv(
        demo_root / "data" / "raw" / "demo-care-at-home-2026" / "planted_errors.csv",
        infer_schema=False,
    )
    expected = set(
        planted.select("source_file", pl.col("row_number").cast(pl.Int64), "field", "rule").rows()
    )
    found = set(
        quarantine(demo_root, "demo-care-at-home-2026")
        .select("source_file", "row_number", "field", "rule")
        .rows()
    )
    assert found == expected


def test_ledger_adds_up(demo_root: Path) -> None:
    ledger = json.loads(
        (demo_root / "data" / "clean" / "demo-care-at-home-2026" / "validation.json").read_text()
    )
    for counts in ledger["tables"].values():
        assert counts["rows_read"] == counts["valid"] + counts["quarantined"]
    responses = pl.read_parquet(
        demo_root / "data" / "clean" / "demo-care-at-home-2026" / "responses.parquet"
    )
    # 30 planted response rows: 3 fail on an answer only and 6 on an optional field only
    # (channel or a monitoring answer: the field is left blank), and those responses are kept
    assert responses.height == ledger["tables"]["responses"]["valid"] == 6000 - 21
    assert sum(ledger["failures_by_rule"].values()) == 36


def test_gx_artefacts_hold_no_comment_text_or_identifier(demo_root: Path) -> None:
    clean = demo_root / "data" / "clean" / "demo-care-at-home-2026"
    comments = pl.read_parquet(clean / "comments.parquet")["text"]
    long_texts = [t for t in comments.to_list() if len(t) > 25][:300]
    ids = pl.read_parquet(clean / "responses.parquet")["response_id"].head(300).to_list()
    docs = [
        p.read_text(errors="ignore")
        for p in (clean / "data-docs").rglob("*")
        if p.suffix in (".html", ".json")
    ]
    docs.append((clean / "validation.json").read_text())
    blob = "\n".join(docs)
    assert (
        "region_locality" in blob and "must belong to this set" in blob
    )  # the docs are really there
    assert not [t for t in long_texts if t in blob]
    assert not [i for i in ids if i in blob]
    assert (
        "Nroth" not in blob and "yesterday" not in blob
    )  # even coded bad values stay out of GX output


def test_xlsx_with_excel_serial_dates(tmp_path: Path) -> None:
    import xlsxwriter

    folder = write_consultation(
        tmp_path,
        yml=CONSULTATION_YML.replace("source: responses.csv", "") + "source: responses.xlsx\n",
    )
    (folder / "responses.csv").unlink()
    rows = [line.split(",") for line in RESPONSES.splitlines()]
    workbook = xlsxwriter.Workbook(str(folder / "responses.xlsx"))
    sheet = workbook.add_worksheet("Export")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    sheet.write_number(1, 1, 46083.5)  # 02/03/2026 12:00 as an Excel serial date
    sheet.write_number(1, 12, 12)  # a real number cell
    workbook.close()
    summary = validate_consultation("tiny", root=tmp_path)
    assert summary.rows_quarantined == 0
    responses = pl.read_parquet(tmp_path / "data" / "clean" / "tiny" / "responses.parquet")
    assert responses["submitted_at"][0] == dt.datetime(2026, 3, 2, 12, 0)
    assert responses["q4"][0] == 12.0
    assert (
        "£5"
        in pl.read_parquet(tmp_path / "data" / "clean" / "tiny" / "comments.parquet")["text"][0]
    )


def test_events_and_actions_identity_and_dates(tmp_path: Path) -> None:
    write_consultation(
        tmp_path,
        events_csv="event_id,title,date,venue,region,locality,format,ladder_rung\nE1,a,03/03/2026,v,London,,f,engaging\nE1,b,04/03/2026,v,London,,f,engaging\nE2,c,sometime,v,London,,f,engaging\n",
        actions_csv="action_id,region,locality,theme,you_said,we_did,owner,status,due,feedback_given\nA1,,,t,x,y,o,planned,01/07/2026,\nA1,,,t,x,y,o,planned,01/07/2026,\nA2,,,t,Email me at jo@example.org,y,o,done,soon,\n",
    )
    validate_consultation("tiny", root=tmp_path)
    found = set(quarantine(tmp_path).select("source_file", "row_number", "rule").rows())
    assert found == {
        ("events.csv", 3, "event_id_unique"),
        ("events.csv", 4, "date_parseable"),
        ("actions.csv", 3, "action_id_unique"),
        ("actions.csv", 4, "date_parseable"),
    }
    actions = pl.read_parquet(tmp_path / "data" / "clean" / "tiny" / "actions.parquet")
    assert actions["action_id"].to_list() == ["A1"]


def test_every_suite_parameter_is_supplied_at_run_time() -> None:
    from pipelines.consultation import Consultation
    from pipelines.geography import load_regions
    from pipelines.validate.gx_suites import SUITES, suite_parameter_names
    from pipelines.validate.table_checks import suite_parameters

    consultation = Consultation.model_validate(
        {
            "title": "t",
            "opened": "2026-01-01",
            "closed": "2026-02-01",
            "columns": {"response_id": "a", "submitted_at": "b", "region": "c", "group": "d"},
        }
    )
    supplied = set(suite_parameters(consultation, load_regions(), grace_days=7))
    supplied |= {
        "event_ids",
        "response_keys",
        "codebook",
    }  # known only after events, responses and coding are read
    for suite in SUITES:
        assert suite_parameter_names(suite) <= supplied, suite


def test_approved_quotes_narrow_what_may_be_quoted(tmp_path: Path) -> None:
    write_consultation(tmp_path, approved_quotes_csv="response_id,question_id\nr2,q1\n")
    validate_consultation("tiny", root=tmp_path)
    comments = pl.read_parquet(tmp_path / "data" / "clean" / "tiny" / "comments.parquet")
    # r1 consented but is not approved; r2 is approved but did not consent
    assert comments.select("response_id", "consent_to_quote", "quotable").rows() == [
        ("r1", True, False),
        ("r2", False, False),
    ]
    write_consultation(tmp_path)
    (tmp_path / "data" / "raw" / "tiny" / "approved_quotes.csv").unlink()
    validate_consultation("tiny", root=tmp_path)
    comments = pl.read_parquet(tmp_path / "data" / "clean" / "tiny" / "comments.parquet")
    assert comments["quotable"].to_list() == [True, False]


def test_data_docs_list_each_checked_batch_under_its_own_name(tiny: Path) -> None:
    # every batch goes through one GX asset (adding one per batch saved the project's YAML
    # again each time); the results still name their suite's batch, as Data Docs show them
    summary = validate_consultation("tiny", root=tiny)
    index = summary.data_docs.read_text(encoding="utf-8")
    assert "'asset_name': 'responses.values'" in index
    assert "'asset_name': 'responses.rows'" in index
    assert "'asset_name': 'checked'" not in index


def _q2_answers(cells: list[str]) -> str:
    """The tiny export's header and one valid row per Q2 cell given."""
    rows = []
    for i, cell in enumerate(cells):
        values = dict(zip(COLUMNS, GOOD.split(","), strict=True))
        values.update({"Respondent ID": f"s{i}", "Q2": cell})
        rows.append(",".join(values[c] for c in COLUMNS))
    return HEADER + "\n" + "\n".join(rows) + "\n"


def test_a_question_none_of_whose_answers_can_be_read_stops_validation(tmp_path: Path) -> None:
    # the export separates options with ", " where consultation.yml says ";": not one of the
    # six answers is an option, so the question would be empty in every report
    write_consultation(tmp_path, responses=_q2_answers(['"settings, workforce"'] * 6))
    with pytest.raises(InputError) as stopped:
        validate_consultation("tiny", root=tmp_path)
    message = str(stopped.value)
    assert "q2 ('Q2'): none of its 6 answers is one of its options" in message
    assert "'settings, workforce'" in message and "delimiter" in message
    assert not (tmp_path / "data" / "clean" / "tiny").exists()  # nothing written
    # a few unknown answers (under 5), or unknown beside known ones: quarantined as before
    for name, cells in (
        ("few", ['"settings, workforce"'] * 4),
        ("mixed", ['"settings, workforce"'] * 6 + ["workforce"]),
    ):
        write_consultation(tmp_path, name=name, responses=_q2_answers(cells))
        validate_consultation(name, root=tmp_path)
        unknown = quarantine(tmp_path, name).filter(pl.col("rule") == "answer_known")
        assert unknown.height == len(cells) - (name == "mixed")


def _many(rows: int, respondent: str = "r{i}", completed: str = "02/03/2026 10:15:00") -> str:
    """``rows`` responses like the tiny test's first, with ids and dates from templates."""
    header, first = RESPONSES.splitlines()[:2]
    rest = first.split(",", 2)[2]
    lines = [f"{respondent.format(i=i)},{completed.format(i=i)},{rest}" for i in range(rows)]
    return "\n".join([header, *lines]) + "\n"


def test_ids_rounded_by_excel_stop_validation(tmp_path: Path) -> None:
    """A SurveyMonkey export saved again from Excel holds ``1.18201E+11`` for 12-digit ids:
    responses that differed share an id, so validate stops (exit 2) instead of setting most
    of them aside as duplicates, and writes nothing."""
    ids = "1.1820{i}E+11"
    write_consultation(tmp_path, responses=_many(12, respondent=ids))
    with pytest.raises(InputError, match=r"12 ids in scientific notation, such as '1\.18200E\+11'"):
        validate_consultation("tiny", tmp_path)
    assert not (tmp_path / "data" / "clean" / "tiny").exists()


def test_most_responses_failing_a_mapping_rule_stop_validation(tmp_path: Path) -> None:
    """A rule no real export fails for many responses (ids unique, dates readable): where
    it sets aside a quarter or more of them (10 at least), the file or consultation.yml is
    wrong, and validate stops saying so instead of publishing what is left; a few such rows
    are quarantined as before."""
    dates = [f"{1 + i % 28:02d}/03/2026 10:15:00" for i in range(12)]
    unreadable = [d if i < 2 else d.replace("/", ".") for i, d in enumerate(dates)]
    responses = _many(12, completed="{i}")
    lines = responses.splitlines()
    body = [line.replace(f",{i},", f",{unreadable[i]},", 1) for i, line in enumerate(lines[1:])]
    write_consultation(tmp_path, responses="\n".join([lines[0], *body]) + "\n")
    with pytest.raises(InputError) as stopped:
        validate_consultation("tiny", tmp_path)
    message = str(stopped.value)
    assert "10 of 12 responses fail submitted_at_parseable (field submitted_at)" in message
    assert "nothing was written" in message and "set `date_format:`" in message
    assert not (tmp_path / "data" / "clean" / "tiny").exists()
    # the same ids twice in 12 rows, and 9 unreadable dates of 40: quarantined, not a stop
    twice = _many(12, respondent="r{i}").replace("\nr11,", "\nr10,")
    write_consultation(tmp_path, responses=twice)
    assert validate_consultation("tiny", tmp_path).failures_by_rule["response_id_unique"] == 1
    few = [d.replace("/", ".") if i < 9 else d for i, d in enumerate(dates * 4)]
    lines = _many(40, completed="{i}").splitlines()
    body = [line.replace(f",{i},", f",{few[i]},", 1) for i, line in enumerate(lines[1:])]
    write_consultation(tmp_path, responses="\n".join([lines[0], *body]) + "\n")
    assert validate_consultation("tiny", tmp_path).failures_by_rule["submitted_at_parseable"] == 9
