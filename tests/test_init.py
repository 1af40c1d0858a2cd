"""``workbook init``: a drafted consultation.yml validates as it stands on the export it came
from (every export of the corpus, tests/exports/), marks every guess for checking, never
overwrites a consultation.yml and never touches the export."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest
import yaml

from pipelines.draft import draft_consultation
from pipelines.draft.columns import ColumnGroup, ExportColumn
from pipelines.draft.dates import guess_date_format
from pipelines.draft.export import recognise
from pipelines.draft.questions import guess_column, guess_group, rank_positions
from pipelines.draft.settings import draft_settings
from pipelines.errors import InputError
from pipelines.paths import ROOT
from pipelines.validate.run import validate_consultation

WORKBOOK = str(Path(sys.executable).with_name("workbook"))
CORPUS = ROOT / "tests" / "exports"
EXPORTS = sorted(p for p in CORPUS.glob("*/responses.*") if p.suffix in (".csv", ".xlsx"))


def _project(tmp_path: Path, export: Path) -> Path:
    """A project root holding the shared geography and ``export`` alone in its folder."""
    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    folder = tmp_path / "data" / "raw" / export.parent.name
    folder.mkdir(parents=True)
    shutil.copy(export, folder / export.name)
    return folder / export.name


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("export", EXPORTS, ids=[p.parent.name for p in EXPORTS])
def test_a_draft_validates_as_it_stands_and_keeps_every_valid_response(
    tmp_path: Path, export: Path
) -> None:
    copied = _project(tmp_path, export)
    before = _digest(copied)
    drafted = draft_consultation(copied, tmp_path)
    text = drafted.path.read_text(encoding="utf-8")
    mapping = yaml.safe_load(text)
    assert mapping["export"] != "generic" or "generic" in export.parent.name
    for line in text.splitlines():
        if line.lstrip().startswith("type:"):
            assert "# check:" in line, line  # every question's guess says what it saw
    summary = validate_consultation(export.parent.name, tmp_path)
    expected = yaml.safe_load((export.parent / "expected.yml").read_text(encoding="utf-8"))
    if "rows_read" in expected:  # (an export that stops validate unmapped has none)
        assert summary.rows_read == expected["rows_read"]
        # the draft loses no response the hand mapping keeps (it may keep more: its opened
        # and closed dates are the export's first and last)
        assert summary.rows_valid >= expected["valid"]
    assert summary.rows_valid > 0
    assert _digest(copied) == before  # the export is read, never written


def test_init_never_overwrites(tmp_path: Path) -> None:
    export = next(p for p in EXPORTS if p.parent.name.startswith("google_forms"))
    copied = _project(tmp_path, export)
    draft_consultation(copied, tmp_path)
    written = (copied.parent / "consultation.yml").read_bytes()
    with pytest.raises(InputError, match="never overwrites"):
        draft_consultation(copied, tmp_path)
    assert (copied.parent / "consultation.yml").read_bytes() == written


def test_the_command_drafts_and_says_what_to_run_next(tmp_path: Path) -> None:
    export = next(p for p in EXPORTS if p.parent.name.startswith("surveymonkey"))
    copied = _project(tmp_path, export)
    argument = f"data/raw/{copied.parent.name}/{copied.name}"
    env = {**os.environ, "WORKBOOK_ROOT": str(tmp_path)}
    first = subprocess.run(
        [WORKBOOK, "init", argument], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert first.returncode == 0, first.stderr
    assert f"workbook validate {copied.parent.name}" in first.stdout
    again = subprocess.run(
        [WORKBOOK, "init", argument], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert again.returncode == 2
    assert "never overwrites" in again.stderr


@pytest.mark.parametrize(
    "name", ["../reference/regions.csv", "/etc/passwd.csv", "data/raw/nowhere/responses.csv"]
)
def test_an_export_outside_a_consultation_folder_is_refused(tmp_path: Path, name: str) -> None:
    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    (tmp_path / "data" / "raw").mkdir(parents=True)
    with pytest.raises(InputError):
        draft_consultation(name, tmp_path)
    assert not list((tmp_path / "data" / "raw").rglob("consultation.yml"))


GENERIC = """\
Submitted,Email,Postcode district,Which best describes you?,Services used,How satisfied are you?,Rank: buses,Rank: trains,Why?
03/04/2026 10:00,a@example.org,M1,Carer,"Meals, snacks and drinks, Home care",Satisfied,1,2,Late buses
05/04/2026 11:00,b@example.org,M2,Carer,Home care,Very satisfied,2,1,Too few trains on Sundays
06/04/2026 12:00,c@example.org,M1,Public,"Meals, snacks and drinks",Dissatisfied,1,2,
07/04/2026 12:30,d@example.org,LA1,Public,"Home care, Meals, snacks and drinks",Satisfied,,,The drivers are kind
"""


def test_a_generic_export_is_drafted_from_its_answers(tmp_path: Path) -> None:
    """No survey tool's header: one header row; the dates read either way (day-first, said
    in a check); the e-mail column never mapped; no region (a constant and a one-region
    regions.csv); the comma inside an option kept; a free-text question by its header."""
    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    folder = tmp_path / "data" / "raw" / "generic"
    folder.mkdir(parents=True)
    (folder / "responses.csv").write_text(GENERIC, encoding="utf-8")
    drafted = draft_consultation(folder / "responses.csv", tmp_path)
    text = drafted.path.read_text(encoding="utf-8")
    mapping = yaml.safe_load(text)
    assert mapping["export"] == "generic" and mapping["header_rows"] == 1
    assert "date_format" not in mapping
    assert "read day-first they span 4 days, month-first 122" in text
    assert ": read day-first; check" in text
    assert mapping["opened"].isoformat() == "2026-04-03"  # day-first: 3 April
    assert mapping["constants"] == {"region": "Whole area"}
    assert (folder / "regions.csv").read_text() == "region,locality\nWhole area,\n"
    assert drafted.regions == folder / "regions.csv"
    assert '"Email": identifies a person' in text
    assert '"Postcode district": a postcode: it can identify a person' in text
    assert "Email" not in str(mapping["columns"]) + str(mapping["questions"])
    by_text = {q["text"]: q for q in mapping["questions"]}
    services = by_text["Services used"]
    assert services["type"] == "multi" and services["delimiter"] == ", "
    assert sorted(services["labels"].values()) == ["Home care", "Meals, snacks and drinks"]
    assert by_text["How satisfied are you?"]["type"] == "likert"
    assert by_text["Why?"]["type"] == "free_text"
    summary = validate_consultation("generic", tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (4, 4)


def test_month_first_dates_get_their_pattern_and_one_cell_rankings_are_left_out(
    tmp_path: Path,
) -> None:
    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    folder = tmp_path / "data" / "raw" / "forms"
    folder.mkdir(parents=True)
    (folder / "responses.csv").write_text(
        "ID,Start time,Completion time,Email,Name,Region,Rank these\n"
        "1,3/14/26 9:00,3/14/26 9:05,anonymous,,London,Trains;Buses;\n"
        "2,3/15/26 9:00,3/15/26 9:05,anonymous,,London,Buses;Trains;\n",
        encoding="utf-8",
    )
    drafted = draft_consultation(folder / "responses.csv", tmp_path)
    text = drafted.path.read_text(encoding="utf-8")
    mapping = yaml.safe_load(text)
    assert mapping["export"] == "microsoft_forms"
    assert mapping["date_format"] == ["%m/%d/%y %H:%M"]
    assert (mapping["opened"].isoformat(), mapping["closed"].isoformat()) == (
        "2026-03-14",
        "2026-03-15",
    )
    assert "ranking in one cell" in text and not mapping.get("questions")
    assert validate_consultation("forms", tmp_path).rows_valid == 2


def _column(name: str, cells: list[str | None]) -> ExportColumn:
    return ExportColumn(name, (name,), pl.Series(name, cells, dtype=pl.String))


def test_ticks_of_1_are_a_multi_select_not_a_ranking() -> None:
    """Qualtrics' split multi-value fields hold 1 or blank: all ranks 1 is no ranking."""
    settings = draft_settings()
    group = ColumnGroup(
        "Which?",
        ("Home care", "Meals", "Transport"),
        tuple(_column(f"Q4_{i}", ["1", None, "1", None]) for i in (1, 2, 3)),
    )
    guess = guess_group(group, settings)
    assert guess is not None and guess.type == "multi"


def test_a_rating_grid_of_n_items_on_a_1_to_n_scale_is_no_ranking() -> None:
    """Five items each rated 1-5 hold only 1..5 across five columns, as a ranking of five
    would; but a ranking gives each number once a person, and ratings tie (4, 5, 4, 5, 3):
    a grid, not "mean rank" and "% ranked it first" of scores."""
    settings = draft_settings()
    rows = [["4", "5", "4", "5", "3"], ["1", "2", "3", "4", "5"], ["2", "2", "1", None, "3"]]
    rated = ColumnGroup(
        "How good is each?",
        ("Home care", "Meals", "Transport", "Day centres", "Advice"),
        tuple(_column(f"Q5[SQ00{i + 1}]", [row[i] for row in rows]) for i in range(5)),
    )
    guess = guess_group(rated, settings)
    assert guess is not None and guess.type == "grid" and guess.scale == ["1", "2", "3", "4", "5"]
    ranks = [["2", "1", "3", "5", "4"], ["1", "2", "3", "4", "5"], ["2", "1", None, None, "3"]]
    ranked = ColumnGroup(
        rated.stem,
        rated.items,
        tuple(_column(f"Q5[SQ00{i + 1}]", [row[i] for row in ranks]) for i in range(5)),
    )
    guess = guess_group(ranked, settings)
    assert guess is not None and guess.type == "ranking"


def test_a_ranking_by_position_is_left_unmapped_not_drawn_as_a_grid() -> None:
    """LimeSurvey writes a ranking as ``rank[1]``, ``rank[2]``, ... each naming the option
    placed there: not a grid of items "1", "2", "3" on a scale of option codes. Columns
    named 1..n whose codes never repeat in a row are left unmapped (the draft says why);
    an array whose answers repeat in a row, or hold numbers, is not."""
    rows = [["A2", "A1", "A3"], ["A1", "A3", "A2"], ["A3", "A1", None]]
    group = ColumnGroup(
        "Rank these",
        ("1", "2", "3"),
        tuple(_column(f"rank[{i + 1}]", [row[i] for row in rows]) for i in range(3)),
    )
    assert rank_positions(group)
    grid_rows = [*rows, ["A1", "A1", "A2"]]
    grid = ColumnGroup(
        "Rate these",
        ("1", "2", "3"),
        tuple(_column(f"rate[{i + 1}]", [row[i] for row in grid_rows]) for i in range(3)),
    )
    assert not rank_positions(grid)
    named = ColumnGroup("Rank these", ("SQ001", "SQ002", "SQ003"), group.columns)
    assert not rank_positions(named)


def test_a_one_cell_multi_select_keeps_labels_whole_and_never_copies_contact_details() -> None:
    settings = draft_settings()
    glued = _column(
        "Q3", ["Day centres, lunch clubs,Home care", "Home care", "Transport,Home care"] * 3
    )
    guess = guess_column(glued, settings)
    assert guess is not None and guess.delimiter == ","
    assert set(guess.labels.values()) == {"Day centres, lunch clubs", "Home care", "Transport"}
    other = _column(
        "Services",
        ["Home care, Meals, snacks and drinks", "Meals, snacks and drinks", "Home care"] * 7
        + ["Home care, ring me on 07700 900123 or jo.bloggs@example.org"],
    )
    guess = guess_column(other, settings)
    assert guess is not None
    assert set(guess.labels.values()) == {"Home care", "Meals, snacks and drinks"}


def test_option_labels_holding_a_comma_and_a_capital_are_kept_whole() -> None:
    """Google Forms joins ticks with ", " and an option may hold ", " before a capital: a
    bracket left open is closed by a later piece, and pieces that are always side by side
    (seen together three times or more) are one option. Text typed into "Other" after
    different ticks ("my neighbour helps") is never glued to the tick before it."""
    settings = draft_settings()
    mental = "Mental health support (e.g. CAMHS, Talking Therapies)"
    advice = "Advice from Age UK, Citizens Advice or similar"
    answers = [
        f"Home care, {mental}",
        f"{mental}, Day centres",
        f"Home care, {advice}",
        f"Day centres, {advice}",
        "Home care, my neighbour helps",
        "Day centres, my neighbour helps",
        f"{advice}, my neighbour helps",
        "Home care",
        "Day centres",
    ] * 3
    guess = guess_column(_column("Which of these services have you used?", answers), settings)
    assert guess is not None and guess.type == "multi" and guess.delimiter == ", "
    assert "read as one option each, holding ','" in guess.check and repr(advice) in guess.check
    assert set(guess.labels.values()) == {
        "Home care",
        "Day centres",
        mental,
        advice,
        "my neighbour helps",
    }
    # a bracket closes where its label is seen twice only; options ticked side by side stay
    # two where one of them is also ticked alone
    few = [f"Home care, {mental}", "Home care", "Day centres, Transport", "Transport"] * 2
    guess = guess_column(_column("Services", few), settings)
    assert guess is not None
    assert set(guess.labels.values()) == {"Home care", mental, "Day centres", "Transport"}


def test_single_choice_labels_holding_a_comma_are_not_drafted_as_ticks() -> None:
    """ "Yes, I do" always comes whole, with the same words after its comma: one option, not
    the ticks "Yes" and "I do" (which would count each of those people twice)."""
    settings = draft_settings()
    answers = ["Yes, I do", "Yes, someone I look after does", "No"] * 8
    guess = guess_column(_column("Do you receive care at home?", answers), settings)
    assert guess is not None and guess.type == "single" and guess.delimiter is None
    assert set(guess.labels.values()) == set(answers)
    for labels in (
        ["Yes, I do", "Yes, I did", "No"],
        ["Leeds, West Yorkshire", "Bradford, West Yorkshire", "York, North Yorkshire"],
    ):  # cells that share one part, never two: still whole options
        guess = guess_column(_column("Which?", labels * 8), settings)
        assert guess is not None and guess.type == "single", labels
    # ticks joined by ", " do combine: each option alone in one cell, with another elsewhere
    ticks = ["Meals, Transport", "Meals", "Home care, Meals", "Transport"] * 6
    guess = guess_column(_column("Which services do you use?", ticks), settings)
    assert guess is not None and guess.type == "multi" and guess.delimiter == ", "
    assert set(guess.labels.values()) == {"Meals", "Transport", "Home care"}


def test_a_qualtrics_export_without_its_import_id_row_is_drafted_with_two_header_rows(
    tmp_path: Path,
) -> None:
    export = CORPUS / "qualtrics-choice-text" / "responses.csv"
    lines = export.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    third = next(i for i, line in enumerate(lines) if line.startswith('"{""ImportId'))
    copied = _project(tmp_path, export)
    copied.write_text("".join(lines[:third] + lines[third + 1 :]), encoding="utf-8")
    drafted = draft_consultation(copied, tmp_path)
    text = drafted.path.read_text(encoding="utf-8")
    assert yaml.safe_load(text)["header_rows"] == 2
    assert "no ImportId row" in text
    summary = validate_consultation("qualtrics-choice-text", tmp_path)
    expected = yaml.safe_load((CORPUS / "qualtrics-choice-text" / "expected.yml").read_text())
    assert summary.rows_read == expected["rows_read"]  # no response taken for a header


def test_an_age_column_of_codes_is_drafted_as_age_bands_to_label() -> None:
    from pipelines.draft.standard import FieldsDraft, _age

    draft = FieldsDraft()
    assert _age(draft, _column("What is your age?", [str(1 + i % 7) for i in range(30)]))
    assert "age" not in draft.columns and draft.columns["age_band"] == "What is your age?"
    assert "codes for age bands, not years" in draft.checks["age_band"]
    spelt = FieldsDraft()  # as validate judges them: the words beside the codes left out
    codes = [str(1 + i % 7) for i in range(30)] + ["Prefer not to say"] * 3
    assert _age(spelt, _column("What is your age?", codes))
    assert "age" not in spelt.columns and "age_band" in spelt.columns
    years = FieldsDraft()
    assert _age(years, _column("Age", [str(20 + i) for i in range(30)]))
    assert years.columns["age"] == "Age"


@pytest.mark.parametrize(
    ("tool", "headers", "response_id", "submitted_at", "dropped"),
    [
        (
            "Typeform",
            ["#", "Submit Date (UTC)", "Start Date (UTC)", "Stage Date (UTC)", "Network ID"],
            "#",
            "Submit Date (UTC)",
            {"Start Date (UTC)", "Stage Date (UTC)", "Network ID"},
        ),
        (
            "JotForm",
            ["Submission Date", "Submission ID", "Submission IP"],
            "Submission ID",
            "Submission Date",
            {"Submission IP"},
        ),
        ("SmartSurvey", ["UserNo", "IP Address", "Started", "Ended"], None, "Ended", {"UserNo"}),
    ],
)
def test_other_tools_ids_dates_and_machine_columns_are_found_by_their_headers(
    tool: str, headers: list[str], response_id: str | None, submitted_at: str, dropped: set[str]
) -> None:
    """No IP address or device id is drafted as a free-text question (it would reach the
    comments), and the submission date is found, not "the export has no dates"."""
    from pipelines.draft.standard import find_fields
    from pipelines.geography import load_regions

    cells = {
        "#": ["a1b2c3", "d4e5f6"],
        "Submit Date (UTC)": ["2026-03-03 09:14:52", "2026-03-04 10:00:00"],
        "Start Date (UTC)": ["2026-03-03 09:10:00", "2026-03-04 09:55:00"],
        "Stage Date (UTC)": ["2026-03-03 09:12:00", "2026-03-04 09:58:00"],
        "Network ID": ["8f3a9c2e1b", "1c2d3e4f5a"],
        "Submission Date": ["03/03/2026 09:14", "04/03/2026 10:00"],
        "Submission ID": ["5998461234567890123", "5998461234567890124"],
        "Submission IP": ["192.0.2.10", "198.51.100.7"],
        "UserNo": ["1", "2"],
        "IP Address": ["192.0.2.10", "198.51.100.7"],
        "Started": ["03/03/2026 09:10", "04/03/2026 09:55"],
        "Ended": ["03/03/2026 09:14", "04/03/2026 10:00"],
    }
    columns = [_column(header, cells[header]) for header in headers]
    found = find_fields(columns, draft_settings(), load_regions(None, None))
    assert found.columns.get("response_id") == response_id, tool
    assert found.columns.get("submitted_at") == submitted_at, tool
    assert dropped <= {name for name, _ in found.dropped}, tool


def test_dates_that_read_either_way_are_drafted_in_the_order_that_keeps_them_together() -> None:
    """Every date reads either way. A consultation's responses come in one period, so the
    reading that puts them in a clearly shorter one is drafted, and the check gives both:
    SurveyMonkey's US dates of 2-11 February (AM/PM clock) are month-first (day-first they
    would run to 2 November); a re-saved sheet's two-digit years alike; UK dates of 3-7
    April stay day-first (read as written: no pattern needed); and month-first is chosen
    from five distinct days only."""
    us = pl.Series(
        [
            "02/02/2026 10:15:32 AM",
            "02/03/2026 11:00:00 AM",
            "02/04/2026 09:30:00 AM",
            "02/05/2026 01:00:00 PM",
            "02/11/2026 09:00:00 AM",
        ]
    )
    formats, check = guess_date_format(us, excel=False)
    assert formats == ["%m/%d/%Y %I:%M:%S %p"]
    assert "read day-first they span 273 days, month-first 9" in check
    assert check.endswith("read month-first; check")
    short = pl.Series([f"2/{day}/26 10:00" for day in (3, 4, 5, 8, 9)])
    formats, check = guess_date_format(short, excel=False)
    assert formats == ["%m/%d/%y %H:%M"] and "month-first 6" in check
    # too few days to tell: UK dates on one day of the month stay day-first
    for few in (
        ["10/03/2026 09:00", "10/04/2026 14:00"],
        ["01/03/2026", "01/04/2026", "01/05/2026"],
    ):
        assert guess_date_format(pl.Series(few), excel=False)[0] is None
    uk = pl.Series(["03/04/2026 10:00", "07/04/2026 12:30"])
    formats, check = guess_date_format(uk, excel=False)
    assert formats is None and check.endswith("read day-first; check")
    # day-first with an AM/PM clock (no default reading): a day-first pattern
    uk_pm = pl.Series(["03/04/2026 10:00 AM", "07/04/2026 12:30 PM"])
    assert guess_date_format(uk_pm, excel=False)[0] == ["%d/%m/%Y %I:%M %p"]
    # as close either way: day-first, the UK reading
    assert guess_date_format(pl.Series(["01/02/2026", "02/01/2026"]), excel=False)[0] is None
    assert guess_date_format(pl.Series(["01/02/2026 10:00"] * 3), excel=False)[0] is None


def test_an_anonymised_limesurvey_export_is_drafted_without_dates(tmp_path: Path) -> None:
    """Every finished response's submit date 1980-01-01 00:00:00 (LimeSurvey's when a
    survey records none): the draft says ``dates_recorded: false`` and asks for the real
    dates, not a consultation that opened and closed on 1 January 1980."""
    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    folder = tmp_path / "data" / "raw" / "anonymised"
    folder.mkdir(parents=True)
    source = ROOT / "tests" / "exports" / "limesurvey-codes" / "responses.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    rows = [lines[0]] + [
        line.replace(line.split(",")[1], '"1980-01-01 00:00:00"', 1)
        if line.split(",")[1] != '""'
        else line
        for line in lines[1:]
    ]
    (folder / "responses.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    drafted = draft_consultation(folder / "responses.csv", tmp_path)
    text = drafted.path.read_text(encoding="utf-8")
    mapping = yaml.safe_load(text)
    assert mapping["dates_recorded"] is False and "submitted_at" not in mapping["columns"]
    assert "LimeSurvey's where a survey records none" in text
    assert mapping["opened"].year != 1980


def _completion(header: str, cells: list[str | None], export: str = "generic"):  # type: ignore[no-untyped-def]
    from pipelines.draft.completion import find_completion

    return find_completion([_column(header, cells)], draft_settings().completion, export)


@pytest.mark.parametrize(
    ("header", "cells", "values"),
    [
        (
            "Status",
            ["Complete", "Partial", "Complete", "Disqualified"],
            ("Partial", "Disqualified"),
        ),
        ("Response Type", ["completed", "partial", "completed"], ("partial",)),
        ("Completed", ["Yes", "No", "Yes"], ("No",)),
        ("Finished", ["True", "False", None], ("False",)),
        ("Finished", ["1", "0", "1"], ("0",)),
    ],
)
def test_a_tools_completion_mark_is_drafted_as_incomplete(
    header: str, cells: list[str | None], values: tuple[str, ...]
) -> None:
    """SmartSurvey's Status, Typeform's Response Type and their like: the unfinished
    answers, as the export spells them, are drafted under ``incomplete``, with their count."""
    found = _completion(header, cells)
    assert found is not None and found.column == header and not found.unmapped
    assert found.values == values
    assert f"1 {values[0]!r}" in found.check


def test_a_completion_mark_with_answers_it_does_not_know_is_left_unmapped_and_says_so() -> None:
    found = _completion("Status", ["Complete", "Pending review", "Partial"])
    assert found is not None and not found.values
    assert "'Pending review'" in found.unmapped and "`incomplete`" in found.unmapped


def test_a_completion_mark_with_every_response_finished_still_lists_the_unfinished_words() -> None:
    found = _completion("Status", ["Complete", "Complete"])
    assert found is not None and {"Partial", "Incomplete"} <= set(found.values)
    assert "every answer is finished" in found.check


def test_the_presets_own_completion_column_and_other_headers_are_not_drafted() -> None:
    """Qualtrics reads ``Finished`` itself; its ``Status`` (0: an ordinary response, 1: a
    preview) is no completion mark: yes/no and numbers are read only under a header that
    asks whether the response is finished. Google Forms and Microsoft Forms export
    submitted responses only, so a "Completed" column there is a question."""
    assert _completion("Finished", ["True", "False"], export="qualtrics") is None
    assert _completion("Status", ["0", "1", "0"], export="qualtrics") is None
    assert _completion("Status", ["0", "1", "0"]).unmapped  # type: ignore[union-attr]
    assert _completion("Status", ["Yes", "No"]).unmapped  # type: ignore[union-attr]
    assert _completion("Completed", ["Yes", "No"], export="google_forms") is None
    assert _completion("Finished", ["Yes", "No"], export="microsoft_forms") is None
    assert _completion("Satisfaction status", ["Complete", "Partial"]) is None
    assert _completion("Status", [None, None]) is None


def test_a_completion_mark_that_can_be_drafted_wins_over_an_earlier_one_that_cannot() -> None:
    """Qualtrics' labels row read as a generic export: "Response Type" holds "IP Address"
    (no completion mark), "Finished" holds True/False (one)."""
    from pipelines.draft.completion import find_completion

    columns = [
        _column("Response Type", ["IP Address", "IP Address", "IP Address"]),
        _column("Finished", ["True", "False", "True"]),
    ]
    found = find_completion(columns, draft_settings().completion, "generic")
    assert found is not None and (found.column, found.values) == ("Finished", ("False",))


def test_an_unknown_completion_answer_is_quoted_short() -> None:
    long = "I care for my husband at home every day of the week"
    found = _completion("Status", ["Complete", long])
    assert found is not None and long not in found.unmapped and "I care for" in found.unmapped


def test_partial_responses_of_a_generic_export_are_set_aside_by_the_draft(tmp_path: Path) -> None:
    """Before, "Status" was dropped as the tool's own data and a partial response counted as
    a whole one; drafted, validate sets it aside with the rule ``incomplete``."""
    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    folder = tmp_path / "data" / "raw" / "smartsurvey"
    folder.mkdir(parents=True)
    rows = ["Response ID,Ended,Status,Which region do you live in?,Which best describes you?"]
    for i in range(12):
        status = "Partial" if i in (3, 7) else "Complete"
        region = ("North West", "London")[i % 2]
        rows.append(f"{100 + i},0{1 + i % 9}/03/2026 10:00,{status},{region},A carer")
    (folder / "responses.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    drafted = draft_consultation(folder / "responses.csv", tmp_path)
    mapping = yaml.safe_load(drafted.path.read_text(encoding="utf-8"))
    assert mapping["incomplete"] == {"column": "Status", "values": ["Partial"]}
    summary = validate_consultation("smartsurvey", tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (12, 10)
    assert summary.failures_by_rule["incomplete"] == 2


def test_a_single_choice_column_holding_contact_details_is_drafted_as_comments() -> None:
    """A column of few short answers, one typed with a phone number, is never drafted with
    its answers as option labels (which reports print): it is read as comments, redacted."""
    column = _column(
        "Which service do you use most?",
        ["Home care", "Day centre"] * 10 + ["ring 07700 900123"],
    )
    guess = guess_column(column, draft_settings())
    assert guess is not None and guess.type == "free_text" and not guess.labels
    assert "contact details" in guess.check
    practices = _column("Which GP practice?", ["Dr Patel's Practice", "Church Street Surgery"] * 10)
    guess = guess_column(practices, draft_settings())
    assert guess is not None and guess.type == "single"  # a name in an option is no typing


@pytest.mark.parametrize(
    ("header", "export"),
    [
        (["Response ID", "Date submitted", "Last page", "Start language", "Q1"], "limesurvey"),
        (["id", "submitdate", "lastpage", "q1"], "limesurvey"),
        # Alchemer heads its columns so too, with a Status column LimeSurvey never writes
        (["Response ID", "Time Started", "Date Submitted", "Status", "Q1"], "generic"),
    ],
)
def test_limesurvey_is_recognised_by_its_own_columns_not_by_two_common_headings(
    header: list[str], export: str
) -> None:
    assert recognise([header, ["1"] * len(header)])[0] == export


def _draft_of(tmp_path: Path, name: str, rows: list[str]) -> dict:  # type: ignore[type-arg]
    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    folder = tmp_path / "data" / "raw" / name
    folder.mkdir(parents=True)
    (folder / "responses.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    drafted = draft_consultation(folder / "responses.csv", tmp_path)
    return yaml.safe_load(drafted.path.read_text(encoding="utf-8"))


def test_a_completed_column_of_dates_is_the_submission_date_and_validates(tmp_path: Path) -> None:
    """Jisc Online Surveys' "Completed" holds when each response was finished: drafted as
    ``submitted_at`` (not left unmapped as an unknown completion mark), so validate checks
    the dates and records them."""
    rows = ["Response ID,Started,Completed,1. Which region do you live in?,2. I am a"]
    for i in range(10):
        rows.append(
            f"{i + 1},0{1 + i % 9}/03/2026 10:00,0{1 + i % 9}/03/2026 10:{10 + i},London,Carer"
        )
    mapping = _draft_of(tmp_path, "jisc", rows)
    assert mapping["columns"]["submitted_at"] == "Completed"
    assert "incomplete" not in mapping
    summary = validate_consultation("jisc", tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (10, 10)


@pytest.mark.parametrize(
    "header",
    ["SessionID", "User Agent", "Referer", "Referrer URL", "Postal", "Login", "Screen name",
     "Serial No", "Time Started"],
)  # fmt: skip
def test_other_tools_session_and_visitor_columns_are_never_questions(
    tmp_path: Path, header: str
) -> None:
    """Alchemer's, Engagement HQ's and Snap's own columns (a session, a browser, where the
    visitor was, a screen name) are set aside, never drafted as a question whose cells would
    reach the comments."""
    rows = [f"Response ID,Date Submitted,{header},Which region do you live in?"]
    rows += [f"{i + 1},0{1 + i % 9}/03/2026 10:00,value {i} x{i * 7},London" for i in range(10)]
    mapping = _draft_of(tmp_path, "tool", rows)
    assert all(q.get("column") != header for q in mapping.get("questions", []))
    assert header not in mapping["columns"].values()


def test_empty_rows_at_the_end_of_an_export_are_set_aside_not_counted(tmp_path: Path) -> None:
    """A spreadsheet saved as CSV often ends in rows of commas; with no id or date column
    (one area, every row a response) they were counted as responses with no answers. Now
    each is set aside under ``empty_row``, with a message, and the rest are counted."""
    rows = ["How satisfied are you?,Which services do you use?,Anything else?"]
    rows += [
        f"{('Satisfied', 'Dissatisfied')[i % 2]},Home care; Day centre,ok {i}" for i in range(12)
    ]
    rows += [",,", ",,", " , ,"]
    _draft_of(tmp_path, "one-area", rows)
    summary = validate_consultation("one-area", tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (15, 12)
    assert summary.failures_by_rule == {"empty_row": 3}  # a cell of spaces is blank
    quarantine = pl.read_parquet(tmp_path / "data" / "clean" / "one-area" / "quarantine.parquet")
    assert quarantine["message"].str.contains("Every cell of this row is blank").all()


def test_a_workbook_whose_first_sheet_is_a_summary_is_drafted_from_its_responses_sheet(
    tmp_path: Path,
) -> None:
    """A tool's .xlsx may put a summary sheet before the responses: drafted from the first
    sheet, its totals became questions and responses. The widest visible sheet with cells
    is drafted from (not a hidden lookup list, an empty sheet or a chart), named under
    ``sheet:`` with a check, and validate reads that sheet."""
    import xlsxwriter

    shutil.copytree(ROOT / "data" / "reference", tmp_path / "data" / "reference")
    folder = tmp_path / "data" / "raw" / "two-sheets"
    folder.mkdir(parents=True)
    book = xlsxwriter.Workbook(str(folder / "responses.xlsx"))
    summary = book.add_worksheet("Summary")
    for r, row in enumerate([["Project", "Care at home review"], ["Total responses", "12"]]):
        summary.write_row(r, 0, row)
    lookups = book.add_worksheet("Lookups")  # hidden, longer than the responses
    for r in range(50):
        lookups.write_row(r, 0, ["code", str(r)])
    lookups.hide()
    sheet = book.add_worksheet("Sheet 3")
    sheet.write_row(0, 0, ["Response ID", "Which region do you live in?", "How satisfied?"])
    for i in range(12):
        sheet.write_row(i + 1, 0, [str(100 + i), ("London", "North West")[i % 2], "Satisfied"])
    book.add_worksheet("Sheet4")  # empty
    chart = book.add_chart({"type": "bar"})
    chart.add_series({"values": "='Sheet 3'!$A$2:$A$13"})
    book.add_chartsheet("Chart").set_chart(chart)
    book.close()
    drafted = draft_consultation(folder / "responses.xlsx", tmp_path)
    text = drafted.path.read_text(encoding="utf-8")
    assert 'sheet: "Sheet 3"  # check: the widest, then longest of 5 sheets' in text
    assert yaml.safe_load(text)["columns"]["response_id"] == "Response ID"
    summary_ = validate_consultation("two-sheets", tmp_path)
    assert (summary_.rows_read, summary_.rows_valid) == (12, 12)
    one = tmp_path / "data" / "raw" / "one-sheet"
    one.mkdir()
    book = xlsxwriter.Workbook(str(one / "responses.xlsx"))
    only = book.add_worksheet("Responses")
    for r, row in enumerate([["Response ID", "Region"], ["1", "London"], ["2", "London"]]):
        only.write_row(r, 0, row)
    book.close()
    assert "sheet:" not in draft_consultation(one / "responses.xlsx", tmp_path).path.read_text()


def test_numbered_headers_are_matched_to_fields_without_their_number(tmp_path: Path) -> None:
    """Snap and Jisc number their questions ("Q1. Region", "5. Age"): the number is left
    out when a header is matched, so the region is found, not left a question with every
    response pooled in one area."""
    rows = ["Serial,Q1. Region,Q2. Which of these best describes you?,Q5. Age"]
    rows += [f"{i},{('London', 'North West')[i % 2]},A carer,25-34" for i in range(10)]
    mapping = _draft_of(tmp_path, "numbered", rows)
    assert mapping["columns"]["region"] == "Q1. Region"
    assert mapping["columns"]["group"] == "Q2. Which of these best describes you?"
    assert mapping["columns"]["age_band"] == "Q5. Age"
    assert "constants" not in mapping


def test_a_question_number_never_makes_a_question_a_tools_column(tmp_path: Path) -> None:
    """The number is left out only to find a question's field: "Q4. Duration of your stay"
    stays a question (not the tool's duration), and "Q1. Date" (an appointment) is not the
    submission date where "Date submitted" is there."""
    rows = ["Response ID,Q1. Date,Date submitted,Q4. Duration of your stay,Region"]
    rows += [
        f"{i},0{1 + i % 9}/02/2026,0{1 + i % 9}/03/2026 10:00,{('1 night', '2 nights')[i % 2]},"
        "London"
        for i in range(10)
    ]
    mapping = _draft_of(tmp_path, "numbered-tool", rows)
    assert mapping["columns"]["submitted_at"] == "Date submitted"
    assert "Q4. Duration of your stay" in {q.get("column") for q in mapping["questions"]}


def test_an_empty_row_is_set_aside_once_not_also_as_required(tmp_path: Path) -> None:
    """With an id, a region and a group mapped, a row of commas fails those rules too; it is
    set aside once, under ``empty_row``, whose message says it is no response."""
    rows = ["Response ID,Which region do you live in?,Which best describes you?,Comments"]
    rows += [f"{i},{('London', 'North West')[i % 2]},A carer,fine {i}" for i in range(10)]
    rows += [",,,"] * 4
    _draft_of(tmp_path, "with-id", rows)
    summary = validate_consultation("with-id", tmp_path)
    assert (summary.rows_read, summary.rows_valid) == (14, 10)
    assert summary.failures_by_rule == {"empty_row": 4}


def test_options_on_lines_of_one_cell_are_a_multi_select_and_comments_stay_comments() -> None:
    """JotForm writes each ticked option on its own line of the cell: drafted as one
    multi-select split at line breaks (not a single choice of every combination); a comment
    written over several lines stays a comment."""
    settings = draft_settings()
    ticked = _column(
        "Which services do you use?",
        ["Home care\nDay centre", "Respite", "Home care\nRespite\nDay centre", "Day centre"] * 5,
    )
    guess = guess_column(ticked, settings)
    assert guess is not None and guess.type == "multi" and guess.delimiter == "\n"
    assert set(guess.labels.values()) == {"Home care", "Day centre", "Respite"}
    assert "holding" not in guess.check
    comments = _column(
        "Anything else you would like to tell us?",
        [
            f"The carers were kind.\nBut visit {i} was late and nobody rang to say so."
            for i in range(20)
        ],
    )
    guess = guess_column(comments, settings)
    assert guess is not None and guess.type == "free_text"
