"""Survey tools' header rows and presets (``export:``, ``header:``) and truthful encoding
(docs/data-contract.md, "Reading what survey tools really export")."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import polars as pl
import pytest
from conftest import RESPONSES, write_consultation

from pipelines.consultation import Consultation, Incomplete, load_consultation
from pipelines.errors import InputError
from pipelines.ingest import encoding, read
from pipelines.ingest.headers import HeaderNaming, check_separator, column_names, header_grid
from pipelines.ingest.presets import with_export_defaults
from pipelines.ingest.read import ROW, read_table, read_table_chunks
from pipelines.validate.run import read_inputs, validate_consultation

SCALE = '["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]'
BASE = """\
title: "Header test"
opened: 2026-03-01
closed: 2026-05-31
"""

SURVEYMONKEY_YML = (
    BASE
    + f"""\
export: surveymonkey
columns:
  region: "Where do you live?"
  group: "Which best describes you?"
questions:
  - id: help
    text: "Which help do you get?"
    type: multi
    columns:
      meals: "Which help do you get? - Meals"
      shopping: "Which help do you get? - Shopping"
  - id: care
    text: "Care is good"
    type: likert
    column: "Care is good"
    scale: {SCALE}
  - id: why
    type: free_text
    column: "Why?"
"""
)
#: SurveyMonkey's two header rows: a question over its columns (blank after the first, as
#: its merged cells are written), "Response" / "Open-Ended Response" or the option below.
SURVEYMONKEY_CSV = """\
Respondent ID,Collector ID,Start Date,End Date,IP Address,Where do you live?,Which best describes you?,Which help do you get?,,Care is good,Why?
,,,,,Response,Response,Meals,Shopping,Response,Open-Ended Response
1001,C1,02/03/2026 10:00,02/03/2026 10:05,10.0.0.1,London,service_user,Meals,,Agree,Kind staff
1002,C1,03/03/2026 11:00,03/03/2026 11:09,10.0.0.2,North West,unpaid_carer,,Shopping,Disagree,
1003,C1,04/03/2026 12:00,04/03/2026 12:01,10.0.0.3,London,service_user,Meals,Shopping,Agree,Too short
"""

QUALTRICS_YML = (
    BASE
    + f"""\
export: qualtrics
columns:
  region: "Q1"
  group: "Q2"
questions:
  - id: care
    type: likert
    column: "Q3"
    scale: {SCALE}
  - id: help
    type: multi
    columns: {{meals: "Q4_1", shopping: "Q4_2"}}
"""
)
#: Qualtrics' three header rows: ids, question texts, import ids (with a quoted newline).
QUALTRICS_CSV = """\
StartDate,EndDate,Status,Progress,Finished,RecordedDate,ResponseId,Q1,Q2,Q3,Q4_1,Q4_2
Start Date,End Date,Response Type,Progress,Finished,Recorded Date,Response ID,"Where do you
live?",Which best describes you? - Selected Choice,How good is care at home?,Which help do you get? - Meals,Which help do you get? - Shopping
"{""ImportId"":""startDate""}","{""ImportId"":""endDate""}","{""ImportId"":""status""}","{""ImportId"":""progress""}","{""ImportId"":""finished""}","{""ImportId"":""recordedDate""}","{""ImportId"":""_recordId""}","{""ImportId"":""QID1""}","{""ImportId"":""QID2""}","{""ImportId"":""QID3""}","{""ImportId"":""QID4_1""}","{""ImportId"":""QID4_2""}"
2026-03-02 10:00:00,2026-03-02 10:05:00,IP Address,100,True,2026-03-02 10:05:01,R_1aaa,London,service_user,Agree,1,
2026-03-03 11:00:00,2026-03-03 11:09:00,IP Address,100,True,2026-03-03 11:09:01,R_2bbb,North West,unpaid_carer,Disagree,,1
2026-03-04 11:00:00,2026-03-04 11:09:00,IP Address,100,True,2026-03-04 11:09:01,R_3ccc,Atlantis,unpaid_carer,Agree,1,1
"""


def _clean(root: Path) -> Path:
    return root / "data" / "clean" / "tiny"


# --- naming -----------------------------------------------------------------------------


def test_joined_names_fill_merged_cells_from_the_left_and_number_duplicates() -> None:
    grid = header_grid(
        [
            ["Respondent ID", "Which help?", None, "", "Rate", "", "Notes", ""],
            ["", "Meals", "Shopping", "Meals", "Speed", "Speed", "", ""],
        ],
        8,
    )
    assert column_names(grid, HeaderNaming(row=None)) == [
        "Respondent ID",  # a blank last row is not filled from the left
        "Which help? - Meals",
        "Which help? - Shopping",
        "Which help? - Meals (2)",
        "Rate - Speed",
        "Rate - Speed (2)",
        "Notes",
        "Notes (2)",  # a blank cell above the last row is its left neighbour's
    ]


def test_joined_names_drop_the_words_below_the_first_row_only() -> None:
    grid = header_grid([["Response", "How did you hear?", "Q2"], ["", "Response", "Other"]], 3)
    naming = HeaderNaming(row=None, drop=("Response", "Open-Ended Response"))
    assert column_names(grid, naming) == ["Response", "How did you hear?", "Q2 - Other"]


def test_row_n_names_by_that_row_and_a_blank_name_gets_its_column_letters() -> None:
    grid = header_grid([["a", "b", "c"], ["x", "", "x"]], 3)
    assert column_names(grid, HeaderNaming(row=2)) == ["x", "(column B)", "x (2)"]
    assert column_names(grid, HeaderNaming(row=1)) == ["a", "b", "c"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("header_rows: 2\nheader: row 3\n", "header: row 3"),
        ("header: middle\n", "first, joined or row N"),
        ("export: typeform\n", "export"),
    ],
)
def test_a_header_or_export_that_cannot_be_is_refused(
    tmp_path: Path, extra: str, message: str
) -> None:
    yml = BASE + extra + "columns: {region: R, group: G}\n"
    folder = write_consultation(tmp_path, yml=yml)
    with pytest.raises(InputError, match=message):
        load_consultation(folder)


def test_a_preset_sets_header_rows_and_header_and_what_is_given_wins(tmp_path: Path) -> None:
    columns = "columns: {region: R, group: G}\n"
    folder = write_consultation(tmp_path, yml=BASE + "export: qualtrics\n" + columns)
    qualtrics = load_consultation(folder)
    assert (qualtrics.header_rows, qualtrics.header, qualtrics.header_row) == (3, "row 1", 1)
    folder = write_consultation(
        tmp_path, yml=BASE + "export: surveymonkey\nheader_rows: 3\n" + columns
    )
    monkey = load_consultation(folder)
    assert (monkey.header_rows, monkey.header_row) == (3, None)
    folder = write_consultation(tmp_path, yml=BASE + columns)
    assert load_consultation(folder).header_rows == 1


# --- SurveyMonkey -----------------------------------------------------------------------


def test_a_surveymonkey_export_is_mapped_by_its_visible_names(tmp_path: Path) -> None:
    write_consultation(tmp_path, responses=SURVEYMONKEY_CSV, yml=SURVEYMONKEY_YML)
    summary = validate_consultation("tiny", root=tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (3, 3)
    responses = pl.read_parquet(_clean(tmp_path) / "responses.parquet").sort("response_id")
    assert responses["response_id"].to_list() == ["1001", "1002", "1003"]  # preset's id
    assert responses["submitted_at"].dt.minute().to_list() == [5, 9, 1]  # "End Date"
    answers = pl.read_parquet(_clean(tmp_path) / "answers.parquet")
    help_ = answers.filter(pl.col("question_id") == "help").sort("response_id", "option")
    assert help_.select("response_id", "option").rows() == [
        ("1001", "meals"),
        ("1002", "shopping"),
        ("1003", "meals"),
        ("1003", "shopping"),
    ]
    comments = pl.read_parquet(_clean(tmp_path) / "comments.parquet")
    assert sorted(comments["text"].to_list()) == ["Kind staff", "Too short"]


def test_a_surveymonkey_column_can_be_named_only_by_its_visible_name(tmp_path: Path) -> None:
    yml = SURVEYMONKEY_YML.replace('"Why?"', '"Why? - Open-Ended Response"')
    folder = write_consultation(tmp_path, responses=SURVEYMONKEY_CSV, yml=yml)
    with pytest.raises(InputError) as error:
        validate_consultation("tiny", root=tmp_path)
    assert "no column 'Why? - Open-Ended Response'" in str(error.value)
    assert "Which help do you get? - Shopping" in str(error.value)  # the names it has
    assert not (tmp_path / "data" / "clean").exists() and folder.is_dir()


def test_a_surveymonkey_workbook_with_two_header_rows_reads_as_its_csv(tmp_path: Path) -> None:
    import xlsxwriter

    folder = write_consultation(tmp_path, responses=SURVEYMONKEY_CSV, yml=SURVEYMONKEY_YML)
    rows = [line.split(",") for line in SURVEYMONKEY_CSV.splitlines()]
    book = xlsxwriter.Workbook(folder / "responses.xlsx")
    sheet = book.add_worksheet()
    for r, row in enumerate(rows):
        for c, cell in enumerate(row):
            if cell:
                sheet.write_string(r, c, cell)
    book.close()
    consultation = load_consultation(folder)
    naming = HeaderNaming(row=None, drop=("Response", "Open-Ended Response"))
    sheet_table = read_table(folder / "responses.xlsx", 2, naming=naming)
    csv_table = read_table(folder / "responses.csv", 2, naming=naming)
    assert sheet_table.frame.columns == csv_table.frame.columns
    assert sheet_table.frame[ROW].to_list() == [3, 4, 5]
    assert sheet_table.headers["Which help do you get? - Shopping"] == ("", "Shopping")
    (folder / "consultation.yml").write_text(
        SURVEYMONKEY_YML.replace(
            "export: surveymonkey", "export: surveymonkey\nsource: responses.xlsx"
        ),
        encoding="utf-8",
    )
    assert consultation.export == "surveymonkey"
    summary = validate_consultation("tiny", root=tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (3, 3)
    ledger = json.loads((_clean(tmp_path) / "validation.json").read_text())
    assert ledger["inputs"][0]["encoding"] == "xlsx"


# --- Qualtrics --------------------------------------------------------------------------


def test_a_qualtrics_export_is_named_by_row_1_and_titled_by_row_2(tmp_path: Path) -> None:
    write_consultation(tmp_path, responses=QUALTRICS_CSV, yml=QUALTRICS_YML)
    inputs, _ = read_inputs("tiny", tmp_path)
    consultation = inputs.consultation
    assert consultation.question("care").title == "How good is care at home?"
    assert consultation.question("help").title == "Which help do you get?"
    assert consultation.columns["response_id"] == "ResponseId"
    assert consultation.columns["submitted_at"] == "EndDate"
    assert consultation.incomplete == Incomplete(column="Finished", values=["False", "0"])
    summary = validate_consultation("tiny", root=tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (3, 2)
    responses = pl.read_parquet(_clean(tmp_path) / "responses.parquet").sort("response_id")
    assert responses["response_id"].to_list() == ["R_1aaa", "R_2bbb"]
    quarantine = pl.read_parquet(_clean(tmp_path) / "quarantine.parquet")
    region = quarantine.filter(pl.col("rule") == "region_known")
    # three header rows (the second holds a line break): the third response is row 6
    assert region.select("row_number", "value").rows() == [(6, "Atlantis")]


def test_a_qualtrics_export_with_two_header_rows_is_stopped_not_shortened(
    tmp_path: Path,
) -> None:
    # an older export, or its import-id row deleted by hand: read with the preset's three
    # header rows, its first response (R_1aaa) would be taken for a header, without a word
    lines = QUALTRICS_CSV.splitlines(keepends=True)
    two_rows = "".join(lines[:3] + lines[4:])  # row 2 spans two lines (a quoted newline)
    write_consultation(tmp_path, responses=two_rows, yml=QUALTRICS_YML)
    with pytest.raises(InputError, match="row 3 is not Qualtrics' import-id row") as stopped:
        validate_consultation("tiny", root=tmp_path)
    assert "header_rows: 2" in str(stopped.value) and "R_1aaa" not in str(stopped.value)
    assert not _clean(tmp_path).exists()
    yml = QUALTRICS_YML.replace("export: qualtrics\n", "export: qualtrics\nheader_rows: 2\n")
    write_consultation(tmp_path, responses=two_rows, yml=yml)
    summary = validate_consultation("tiny", root=tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (3, 2)  # every response read


IMPORT_ID_5_1, IMPORT_ID_5_2 = '{"ImportId":"QID5_1"}', '{"ImportId":"QID5_2"}'


def test_row_2_text_titles_a_grid_and_a_single_choice_question() -> None:
    consultation = Consultation.model_validate(
        {
            "title": "t",
            "opened": "2026-03-01",
            "closed": "2026-05-31",
            "export": "qualtrics",
            "columns": {"region": "Q1", "group": "Q2"},
            "questions": [
                {
                    "id": "rate",
                    "type": "grid",
                    "items": {"speed": "Q5_1", "staff": "Q5_2"},
                    "scale": ["Poor", "Good"],
                },
                {
                    "id": "one",
                    "type": "grid",
                    "items": {"speed": "Q5_1"},
                    "scale": ["Poor", "Good"],
                },
                {"id": "who", "type": "single", "column": "Q2", "options": ["a"]},
                {"id": "own", "text": "Given", "type": "single", "column": "Q2", "options": ["a"]},
            ],
        }
    )
    headers = {
        "Q5_1": ("Q5_1", "How satisfied are you with the - service - Speed", IMPORT_ID_5_1),
        "Q5_2": ("Q5_2", "How satisfied are you with the - service - Staff", IMPORT_ID_5_2),
        "Q2": ("Q2", "Who are you? - Selected Choice", '{"ImportId":"QID2"}'),
    }
    filled = with_export_defaults(consultation, headers)
    assert filled.question("rate").title == "How satisfied are you with the - service"
    assert filled.question("one").title == "How satisfied are you with the - service"
    assert filled.question("who").title == "Who are you?"
    assert filled.question("own").title == "Given"
    assert consultation.question("who").text == ""  # the consultation itself is unchanged


# --- header: row N ----------------------------------------------------------------------


def test_header_row_2_names_the_columns_by_the_second_row(tmp_path: Path) -> None:
    yml = (
        BASE
        + """\
header_rows: 2
header: row 2
columns: {response_id: id, submitted_at: date, region: area, group: who}
"""
    )
    responses = "A,B,C,D\nid,date,area,who\nr1,2026-03-05,London,service_user\n"
    write_consultation(tmp_path, responses=responses, yml=yml)
    summary = validate_consultation("tiny", root=tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (1, 1)


# --- presets' usual columns -------------------------------------------------------------


def _consultation(export: str, **given: object) -> Consultation:
    body = {
        "title": "t",
        "opened": "2026-03-01",
        "closed": "2026-05-31",
        "export": export,
        "columns": {"region": "Region", "group": "Group"},
        **given,
    }
    return Consultation.model_validate(body)


def _headers(*names: str) -> dict[str, tuple[str, ...]]:
    return {name: (name,) for name in names}


def test_a_presets_usual_columns_are_used_where_the_export_has_them() -> None:
    google = with_export_defaults(
        _consultation("google_forms"), _headers("Timestamp", "Email address", "Region", "Group")
    )
    assert google.columns == {"submitted_at": "Timestamp", "region": "Region", "group": "Group"}
    forms = with_export_defaults(
        _consultation("microsoft_forms"), _headers("ID", "Start time", "Completion time", "Region")
    )
    assert (forms.columns["response_id"], forms.columns["submitted_at"]) == (
        "ID",
        "Completion time",
    )
    lime = with_export_defaults(
        _consultation("limesurvey"), _headers("Response ID", "Date submitted", "Last page")
    )
    assert lime.columns["response_id"] == "Response ID"
    assert lime.incomplete == Incomplete(column="Date submitted", blank=True)


def test_what_consultation_yml_gives_wins_and_an_absent_column_is_not_used() -> None:
    explicit = _consultation(
        "microsoft_forms",
        columns={"response_id": "Email", "region": "Region", "group": "Group"},
        incomplete={"column": "Status", "values": ["Partial"]},
    )
    forms = with_export_defaults(explicit, _headers("ID", "Email", "Completion time", "Status"))
    assert forms.columns["response_id"] == "Email"
    assert forms.incomplete == Incomplete(column="Status", values=["Partial"])
    lime = with_export_defaults(_consultation("limesurvey"), _headers("lastpage", "Region"))
    assert "response_id" not in lime.columns and "submitted_at" not in lime.columns
    assert lime.incomplete is None
    generic = with_export_defaults(_consultation("generic"), _headers("Timestamp", "ID"))
    assert set(generic.columns) == {"region", "group"}


def test_a_usual_column_already_mapped_to_another_field_is_not_taken_again() -> None:
    taken = _consultation("google_forms", columns={"region": "Timestamp", "group": "Group"})
    assert "submitted_at" not in with_export_defaults(taken, _headers("Timestamp")).columns


# --- encoding ---------------------------------------------------------------------------

CP1252_YML = (
    BASE
    + """\
columns: {response_id: "Réf", region: "Région", group: "Who"}
questions:
  - {id: cost, text: "Cost", type: number, column: "Cost (£)"}
"""
)
#: Only the header is not ASCII: polars alone reads it as mojibake, as UTF-8.
CP1252_CSV = "Réf,Région,Who,Cost (£)\nr1,London,service_user,5\nr2,North West,unpaid_carer,7\n"


@pytest.fixture(params=[False, True], ids=["whole", "batched"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> bool:
    """Each export read whole, then in batches of one row; True when in batches."""
    if request.param:
        monkeypatch.setattr(read, "STREAM_BYTES", 0)
        monkeypatch.setattr(read, "CHUNK_ROWS", 1)
    return request.param


def test_a_cp1252_header_is_matched_as_its_text_and_recorded(tmp_path: Path, reading: bool) -> None:
    folder = write_consultation(tmp_path, yml=CP1252_YML)
    (folder / "responses.csv").write_bytes(CP1252_CSV.encode("cp1252"))
    summary = validate_consultation("tiny", root=tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (2, 2)
    ledger = json.loads((_clean(tmp_path) / "validation.json").read_text())
    assert ledger["inputs"][0]["encoding"] == "cp1252"
    assert sorted(pl.read_parquet(_clean(tmp_path) / "responses.parquet")["region"]) == [
        "London",
        "North West",
    ]


def test_a_cp1252_header_stops_the_batches_before_any_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "CHUNK_ROWS", 1)
    path = write_consultation(tmp_path) / "responses.csv"
    path.write_bytes(CP1252_CSV.encode("cp1252"))
    chunks = read_table_chunks(path)
    with pytest.raises(read.NotUtf8Error):
        next(chunks.chunks)
    whole = read_table_chunks(path, stream=False)
    assert whole.encoding == "cp1252"
    assert next(whole.chunks).columns == [ROW, "Réf", "Région", "Who", "Cost (£)"]


def test_a_cp1252_second_header_row_makes_the_whole_file_cp1252(tmp_path: Path) -> None:
    """polars never looks at the rows it skips: they are decoded with the header."""
    path = write_consultation(tmp_path) / "responses.csv"
    path.write_bytes("id,q\nRéf,Coût\nr1,5\n".encode("cp1252"))
    table = read_table(path, 2, naming=HeaderNaming(row=2))
    assert (table.encoding, table.frame.columns) == ("cp1252", [ROW, "Réf", "Coût"])
    path.write_bytes("id,q\nRéf,Coût\nr1,5\n".encode())
    table = read_table(path, 2, naming=HeaderNaming(row=2))
    assert (table.encoding, table.frame.columns) == ("utf-8", [ROW, "Réf", "Coût"])
    path.write_bytes(b"\xef\xbb\xbf" + "Réf,q\nr1,5\n".encode())
    table = read_table(path)
    assert (table.encoding, table.frame.columns) == ("utf-8-sig", [ROW, "Réf", "q"])


@pytest.mark.parametrize("in_batches", [False, True], ids=["whole", "batched"])
def test_a_utf8_header_over_cp1252_rows_is_decoded_one_way_and_matched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, in_batches: bool
) -> None:
    """A tool's UTF-8 header over rows saved later as cp1252 (its last row only): the rows
    are read as cp1252, the header as what it says ("Cost (£)", not "Cost (Â£)"), and
    validation.json records cp1252."""
    if in_batches:
        monkeypatch.setattr(read, "STREAM_BYTES", 0)
        monkeypatch.setattr(read, "CHUNK_ROWS", 100)
    folder = write_consultation(tmp_path, yml=CP1252_YML)
    rows = "".join(f"r{n},London,service_user,{n}\n" for n in range(3, 403))
    (folder / "responses.csv").write_bytes(
        (CP1252_CSV + rows).encode() + "r403é,London,service_user,9\n".encode("cp1252")
    )
    summary = validate_consultation("tiny", root=tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (403, 403)
    ledger = json.loads((_clean(tmp_path) / "validation.json").read_text())
    assert ledger["inputs"][0]["encoding"] == "cp1252"
    responses = pl.read_parquet(_clean(tmp_path) / "responses.parquet")
    assert "r403é" in responses["response_id"].to_list()
    assert responses["region"].cast(pl.String).value_counts().sort("region").rows() == [
        ("London", 402),
        ("North West", 1),
    ]
    table = read_table(folder / "responses.csv")
    assert table.encoding == "cp1252" and "Cost (£)" in table.frame.columns


def test_batches_found_cp1252_part_way_are_read_again_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big export UTF-8 for its first 3 MB: batches come, then NotUtf8Error; read again
    whole, every row and the header are cp1252's reading (one way for the whole file)."""
    monkeypatch.setattr(read, "STREAM_BYTES", 0)
    monkeypatch.setattr(read, "CHUNK_ROWS", 1000)
    path = tmp_path / "responses.csv"
    rows = "".join(f"r{n},London,service_user,{n}\n" for n in range(100_000))
    path.write_bytes(
        ("Réf,Région,Who,Cost (£)\n" + rows).encode() + "r,Zürich,x,1\n".encode("cp1252")
    )
    chunks = read_table_chunks(path)
    assert chunks.encoding == "utf-8" and "Région" in chunks.headers
    seen = 0
    with pytest.raises(read.NotUtf8Error):
        for batch in chunks.chunks:
            seen += batch.height
    assert seen > 0  # some batches were read before the cp1252 row
    whole = read_table_chunks(path, stream=False)
    frame = pl.concat(list(whole.chunks))
    assert whole.encoding == "cp1252" and frame.height == 100_001
    assert frame.columns == [ROW, "Réf", "Région", "Who", "Cost (£)"]
    assert frame["Région"][-1] == "Zürich"


#: The tiny export with typographic text in a comment, as a Mac and as Windows save it.
TYPOGRAPHIC = RESPONSES.replace("Carers are kind", "They don’t rush – café visits")


def test_a_mac_roman_export_is_stopped_not_read_as_windows_1252(
    tmp_path: Path, reading: bool
) -> None:
    # Excel for Mac's plain "CSV": every byte decodes as cp1252, the text wrongly ("donÕt")
    folder = write_consultation(tmp_path)
    raw = TYPOGRAPHIC.encode("mac_roman")
    (folder / "responses.csv").write_bytes(raw)
    with pytest.raises(
        InputError, match=r"Mac Roman .* line 2 .* 'Õ', where no word has it, and Mac Roman as '’'"
    ):
        validate_consultation("tiny", root=tmp_path)
    assert (folder / "responses.csv").read_bytes() == raw
    assert not (tmp_path / "data" / "clean" / "tiny").exists()


def test_a_windows_1252_export_with_the_same_letters_is_read(tmp_path: Path) -> None:
    # Windows-1252's own ’ – é, and a capital Õ inside a capitalised word, are no sign of a Mac
    text = TYPOGRAPHIC.replace("café visits", "café visits; INFORMAÇÕES")
    folder = write_consultation(tmp_path)
    (folder / "responses.csv").write_bytes(text.encode("cp1252"))
    summary = validate_consultation("tiny", root=tmp_path)
    assert summary.rows_valid == 3
    comments = pl.read_parquet(_clean(tmp_path) / "comments.parquet")["text"].to_list()
    assert comments[0] == "They don’t rush – café visits; INFORMAÇÕES – £5 well spent"


def test_a_mac_roman_sign_across_two_blocks_is_found_on_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encoding, "BLOCK", 4)
    path = tmp_path / "export.csv"
    for start in range(4):  # the sign split at every place a block can end
        path.write_bytes(b"x" * start + b"id,text\n1,ok\n2,it\xd5s\n")
        assert encoding.mac_roman_sign(path) == (3, 0xD5)
    path.write_bytes(b"id,text\n1,INFORMA\xc7\xd5ES\n2,caf\xe9\n")
    assert encoding.mac_roman_sign(path) is None
    path.write_bytes(b"id,text\r1,ok\r2,it\xd5s\r")  # a classic Mac's line ends
    assert encoding.mac_roman_sign(path) == (3, 0xD5)


@pytest.mark.parametrize(
    "text",
    ["I’m told", "my parents’ care", "they said “no”", "good – mostly", "Müller fünf", "más"],
)
def test_each_kind_of_mac_roman_sign_is_found(tmp_path: Path, text: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(f"id,text\n1,{text}\n".encode("mac_roman"))
    assert encoding.mac_roman_sign(path) is not None
    path.write_bytes(f"id,text\n1,{text}\n".encode("cp1252"))  # Windows' own: no sign
    assert encoding.mac_roman_sign(path) is None


@pytest.mark.parametrize(
    "text", ["duties‡ apply", "xˆ2", "Škoda", "Žižek", "São Tomé", "Ó Sé", "Zürich", "Œuvre"]
)
def test_windows_1252_text_shows_no_mac_roman_sign(tmp_path: Path, text: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(f"id,text\n1,{text}\n".encode("cp1252"))
    assert encoding.mac_roman_sign(path) is None


def test_a_utf8_export_with_one_line_saved_otherwise_is_stopped_naming_the_line(
    tmp_path: Path, reading: bool
) -> None:
    # UTF-8's mark, then one comment edited in a Windows-1252 tool: never half-read
    folder = write_consultation(tmp_path)
    lines = RESPONSES.encode("utf-8").split(b"\n")
    lines[1] = lines[1].replace(b"Carers", b"Caf\xe9 carers")
    raw = encoding.BOM + b"\n".join(lines)
    (folder / "responses.csv").write_bytes(raw)
    with pytest.raises(InputError) as error:
        validate_consultation("tiny", root=tmp_path)
    assert str(error.value).endswith(
        "is not text in UTF-8 or Windows-1252 (cp1252): line 2 has the byte 0xE9, which is not "
        "UTF-8 (Windows-1252's 'é'), though the file starts with UTF-8's mark: correct that "
        "line, or re-save the file from the survey tool or Excel as 'CSV UTF-8'"
    )
    assert (folder / "responses.csv").read_bytes() == raw
    assert not (tmp_path / "data" / "clean" / "tiny").exists()


def test_a_file_neither_utf8_nor_windows_1252_names_where_each_reading_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encoding, "BLOCK", 4)  # each byte's line found across blocks
    path = tmp_path / "export.csv"
    path.write_bytes(b"id,text\n1,caf\xe9\n2,ok\n3,\x81\n")  # 0x81: no character in cp1252
    with pytest.raises(InputError) as error:
        encoding.detect_encoding(path)
    assert str(error.value) == (
        f"{path} is not text in UTF-8 or Windows-1252 (cp1252): line 2 has the byte 0xE9, "
        "which is not UTF-8, and line 4 the byte 0x81, which Windows-1252 lacks: re-save it "
        "from the survey tool or Excel as 'CSV UTF-8'"
    )
    for start in range(4):  # a character of several bytes split at every place a block can end
        path.write_bytes(b"x" * start + "id\n1,café\n2,’\n".encode() + b"3,\xff\n")
        assert encoding.first_undecodable(path, "utf-8") == (4, 0xFF)
        path.write_bytes(b"x" * start + "id\n1,café\n2,’".encode() + b"\xe2\x80")
        assert encoding.first_undecodable(path, "utf-8") == (3, 0xE2)  # cut off at the end
    path.write_bytes("id\n1,café\n".encode())
    assert encoding.first_undecodable(path, "utf-8") is None


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Timestamp;Where do you live?;Comments", "semicolons"),
        # a name with a comma splits the header read with commas: still refused
        ("Timestamp;Where do you live?;How satisfied are you, overall?;Comments", "semicolons"),
        ('"Response ID";"Date submitted";"Services [Meals, snacks]";"Why?"', "semicolons"),
        ("Timestamp\tRegion\tHow satisfied, overall?\tWhy?", "tabs"),
    ],
)
def test_a_csv_with_another_separator_is_refused(tmp_path: Path, header: str, name: str) -> None:
    """Excel in many European locales saves with ";": read with commas, the header is one
    cell, or a few where a name holds a comma. Either stops with exit 2 naming the
    separator, before a draft or a validation maps every answer to one made-up field."""
    path = tmp_path / "responses.csv"
    path.write_text(header + "\n", encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as text:
        cells = list(csv.reader(text))
    with pytest.raises(InputError, match=f"has {name} between its cells, not commas"):
        check_separator(path, cells)


def test_a_comma_csv_whose_names_hold_a_separator_is_read() -> None:
    """A question with a semicolon or a bar in its wording is not a separator."""
    cells = [["Timestamp", "Region", "Which help (tick all; we ask again later)?", "A | B", "Why?"]]
    check_separator(Path("responses.csv"), cells)
    check_separator(Path("responses.csv"), [["Why; and how?", "Region"]])
