"""What each standard field means when an export is real (docs/data-contract.md, "Reading what
survey tools really export"): an optional id and date, ``incomplete``, optional fields that
never cost a response, a consultation's own ``categories`` and a column of ages in years.

Each test validates a tiny export end to end (``validate_consultation``) and reads what was
written: responses.parquet, quarantine.parquet and validation.json.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import polars as pl
import pytest
from conftest import write_consultation
from test_analysis import RESPONSES as ANALYSIS_RESPONSES
from test_analysis import clean_data

from pipelines.analysis import representation
from pipelines.consultation import Consultation
from pipelines.errors import InputError
from pipelines.fields import age_bands, field_codes
from pipelines.labels import category_label, category_subject
from pipelines.validate.quarantine import QUARANTINE_SCHEMA, set_aside_records
from pipelines.validate.run import validate_consultation
from pipelines.validate.summary import blanked_table

BASE_YML = """\
title: "Fields"
opened: 2026-03-01
closed: 2026-05-31
columns:
{columns}
groups:
  service_user: "People who use services"
  public: "Members of the public"
"""

#: The standard columns every export below has; each test adds its own.
PLACE_AND_GROUP = {"region": "Region", "group": "Group"}


def yml(columns: dict[str, str], extra: str = "") -> str:
    mapped = "".join(f'  {field}: "{header}"\n' for field, header in columns.items())
    return BASE_YML.format(columns=mapped.rstrip("\n")) + extra


def export(header: str, *rows: str) -> str:
    return "\n".join([header, *rows]) + "\n"


def run(root: Path, columns: dict[str, str], responses: str, extra: str = "") -> dict:
    """Validate the export; validation.json as written."""
    write_consultation(root, "fields", responses=responses, yml=yml(columns, extra))
    validate_consultation("fields", root=root)
    return json.loads((clean(root) / "validation.json").read_text(encoding="utf-8"))


def clean(root: Path) -> Path:
    return root / "data" / "clean" / "fields"


def responses(root: Path) -> pl.DataFrame:
    return pl.read_parquet(clean(root) / "responses.parquet")


def quarantine(root: Path) -> pl.DataFrame:
    return pl.read_parquet(clean(root) / "quarantine.parquet")


# --- optional id and date ----------------------------------------------------------------


def test_without_an_id_column_a_response_is_its_data_row_number(tmp_path: Path) -> None:
    columns = {**PLACE_AND_GROUP, "submitted_at": "Date"}
    rows = export(
        "Date,Region,Group",
        "2026-03-02,North West,service_user",
        "2026-03-02,North West,service_user",  # the same answers twice: nothing to tell them apart
        "2026-03-04,London,public",
    )
    ledger = run(tmp_path, columns, rows)
    assert responses(tmp_path)["response_id"].to_list() == ["1", "2", "3"]
    assert ledger["tables"]["responses"] == {"rows_read": 3, "valid": 3, "quarantined": 0}
    assert ledger["response_ids"] == "row_number"
    assert ledger["duplicates_checked"] is False
    assert any("duplicate responses could not be detected" in note for note in ledger["notes"])


def test_row_numbers_count_data_rows_below_every_header_row(tmp_path: Path) -> None:
    columns = {**PLACE_AND_GROUP, "submitted_at": "Date"}
    rows = export(
        "Date,Region,Group",
        ",Response,Response",  # a survey tool's second header row
        "2026-03-02,North West,service_user",
        "2026-03-03,Narnia,public",
    )
    run(tmp_path, columns, rows, extra="header_rows: 2\n")
    assert responses(tmp_path)["response_id"].to_list() == ["1"]
    set_aside = quarantine(tmp_path).select("row_number", "response_id", "rule").rows()
    assert set_aside == [(4, "2", "region_known")]


def test_without_a_date_column_no_date_is_read_or_windowed(tmp_path: Path) -> None:
    columns = {"response_id": "ID", **PLACE_AND_GROUP}
    rows = export("ID,Region,Group", "a1,North West,service_user", "a2,London,public")
    ledger = run(tmp_path, columns, rows)
    clean_rows = responses(tmp_path)
    assert clean_rows.schema["submitted_at"] == pl.Datetime("us")
    assert clean_rows["submitted_at"].to_list() == [None, None]
    assert ledger["tables"]["responses"]["valid"] == 2
    assert ledger["dates_recorded"] is False and ledger["duplicates_checked"] is True
    assert any("Submission dates were not recorded" in note for note in ledger["notes"])
    # the date rules were not run at all (not run and passed)
    evaluated = ledger["suites"]["responses"]["evaluated_expectations"]
    mapped = run(
        tmp_path,
        {**columns, "submitted_at": "Date"},
        export("ID,Date,Region,Group", "a1,2026-03-02,North West,service_user"),
    )
    assert mapped["suites"]["responses"]["evaluated_expectations"] == evaluated + 3
    assert mapped["dates_recorded"] is True and mapped["notes"] == []


def test_a_mapped_id_and_date_stay_required_in_every_row(tmp_path: Path) -> None:
    columns = {"response_id": "ID", "submitted_at": "Date", **PLACE_AND_GROUP}
    rows = export(
        "ID,Date,Region,Group",
        "a1,2026-03-02,North West,service_user",
        ",2026-03-02,North West,service_user",
        "a3,,London,public",
        "a1,2026-03-05,London,public",
    )
    ledger = run(tmp_path, columns, rows)
    assert ledger["failures_by_rule"] == {"required": 2, "response_id_unique": 1}
    assert ledger["tables"]["responses"] == {"rows_read": 4, "valid": 1, "quarantined": 3}


# --- incomplete --------------------------------------------------------------------------

INCOMPLETE = 'incomplete: {column: "Finished", values: ["False", "0"]}\n'


def test_rows_the_tool_marks_unfinished_are_set_aside_whole(tmp_path: Path) -> None:
    columns = {"response_id": "ID", **PLACE_AND_GROUP}
    rows = export(
        "ID,Finished,Region,Group",
        "a1,True,North West,service_user",
        "a2, false ,North West,service_user",
        "a3,0,London,public",
        "a4,,London,public",  # blank is not one of the values: kept
    )
    ledger = run(tmp_path, columns, rows, extra=INCOMPLETE)
    assert responses(tmp_path)["response_id"].to_list() == ["a1", "a4"]
    assert ledger["tables"]["responses"] == {"rows_read": 4, "valid": 2, "quarantined": 2}
    assert ledger["failures_by_rule"] == {"incomplete": 2}
    found = quarantine(tmp_path).select("row_number", "response_id", "field", "value", "rule")
    assert found.rows() == [
        (3, "a2", "incomplete", " false ", "incomplete"),
        (4, "a3", "incomplete", "0", "incomplete"),
    ]
    message = quarantine(tmp_path)["message"][0]
    assert message.startswith("The survey tool marks this response unfinished ('Finished' = ")
    assert "'false'" in message and message.endswith(".")


def test_missing_spellings_do_not_blank_the_completion_mark(tmp_path: Path) -> None:
    columns = {"response_id": "ID", **PLACE_AND_GROUP}
    rows = export("ID,Finished,Region,Group", "a1,0,North West,service_user")
    extra = INCOMPLETE + 'missing: ["0"]\n'
    write_consultation(tmp_path, "fields", responses=rows, yml=yml(columns, extra))
    with pytest.raises(InputError, match="incomplete"):
        validate_consultation("fields", root=tmp_path)  # its only response is unfinished


def test_blank_can_mean_unfinished(tmp_path: Path) -> None:
    """LimeSurvey leaves ``submitdate`` blank for a response never submitted."""
    columns = {"response_id": "ID", **PLACE_AND_GROUP}
    rows = export(
        "ID,submitdate,Region,Group",
        "a1,2026-03-02 10:00:00,North West,service_user",
        "a2,,North West,service_user",
        "a3,N/A,London,public",
    )
    extra = 'incomplete: {column: "submitdate", blank: true}\nmissing: ["N/A"]\n'
    ledger = run(tmp_path, columns, rows, extra=extra)
    assert responses(tmp_path)["response_id"].to_list() == ["a1"]
    assert ledger["failures_by_rule"] == {"incomplete": 2}
    assert "(blank)" in quarantine(tmp_path)["message"][0]


# --- optional fields never cost a response -----------------------------------------------

OPTIONAL = {
    "response_id": "ID",
    **PLACE_AND_GROUP,
    "channel": "How",
    "age_band": "Age",
    "sex": "Sex",
    "consent_to_quote": "Quote?",
    "volunteer": "Volunteer?",
}
OPTIONAL_HEADER = "ID,Region,Group,How,Age,Sex,Quote?,Volunteer?"


def test_an_unmapped_age_band_keeps_the_response_with_age_band_blank(tmp_path: Path) -> None:
    """The issue's case: "18-29" is no age band of the contract; 1,046 of 1,186 responses
    were lost for it. Now only the age band is."""
    rows = export(
        OPTIONAL_HEADER,
        "a1,North West,service_user,Online,18-29,Female,Yes,No",
        "a2,London,public,Paper,25-34,Male,No,Yes",
    )
    ledger = run(tmp_path, OPTIONAL, rows)
    kept = responses(tmp_path)
    assert kept["response_id"].to_list() == ["a1", "a2"]
    assert kept["age_band"].to_list() == [None, "25_34"]
    assert kept["sex"].to_list() == ["female", "male"]
    assert ledger["tables"]["responses"] == {"rows_read": 2, "valid": 2, "quarantined": 0}
    assert ledger["failures_by_rule"] == {"code_known": 1}
    assert ledger["fields_blanked"] == {"age_band": 1}
    record = quarantine(tmp_path).row(0, named=True)
    assert record["row_number"] == 2 and record["response_id"] == "a1"
    assert (record["field"], record["value"], record["rule"]) == ("age_band", "18-29", "code_known")
    assert "'18-29'" in record["message"] and "kept with age band blank" in record["message"]
    assert blanked_table(ledger).rows() == [("age_band", 1)]


@pytest.mark.parametrize(
    ("cells", "field", "rule", "blank"),
    [
        ({"How": "Carrier pigeon"}, "channel", "channel_known", "channel"),
        ({"Sex": "Sometimes"}, "sex", "code_known", "sex"),
        ({"Quote?": "Maybe"}, "consent_to_quote", "code_known", "consent_to_quote"),
        ({"Volunteer?": "Perhaps"}, "volunteer", "code_known", "volunteer"),
    ],
)
def test_each_optional_field_failure_blanks_only_that_field(
    tmp_path: Path, cells: dict[str, str], field: str, rule: str, blank: str
) -> None:
    good = dict(
        zip(
            OPTIONAL_HEADER.split(","),
            ["a1", "North West", "service_user", "Online", "18-24", "Female", "Yes", "Yes"],
            strict=True,
        )
    )
    good.update(cells)
    ledger = run(tmp_path, OPTIONAL, export(OPTIONAL_HEADER, ",".join(good.values())))
    assert ledger["tables"]["responses"] == {"rows_read": 1, "valid": 1, "quarantined": 0}
    assert ledger["failures_by_rule"] == {rule: 1}
    assert ledger["fields_blanked"] == {field: 1}
    kept = responses(tmp_path).row(0, named=True)
    expected = {"channel": "online", "sex": "female", "age_band": "18_24"}
    expected |= {"consent_to_quote": True, "volunteer": True}
    # blank is "not answered": no consent (False), volunteering unknown (null)
    expected[blank] = False if blank == "consent_to_quote" else None
    assert {name: kept[name] for name in expected} == expected
    record = quarantine(tmp_path).row(0, named=True)
    assert (record["field"], record["rule"]) == (field, rule)
    assert "the response is kept" in record["message"]


def test_a_required_failure_still_sets_the_response_aside(tmp_path: Path) -> None:
    rows = export(
        OPTIONAL_HEADER,
        "a1,Narnia,service_user,Carrier pigeon,18-29,Female,Yes,No",
        "a2,London,public,Paper,25-34,Male,No,Yes",
    )
    ledger = run(tmp_path, OPTIONAL, rows)
    assert ledger["tables"]["responses"] == {"rows_read": 2, "valid": 1, "quarantined": 1}
    # every failure is recorded, but a response set aside has no field "kept blank"
    assert ledger["failures_by_rule"] == {"channel_known": 1, "code_known": 1, "region_known": 1}
    assert ledger["fields_blanked"] == {}


def test_set_aside_records_leave_out_fields_kept_blank_and_answers() -> None:
    records = pl.DataFrame(
        {
            "source_file": ["r.csv"] * 5 + ["events.csv"],
            "row_number": [2, 3, 4, 5, 6, 2],
            "field": ["channel", "region", "q1", "age", "incomplete", "region"],
            "rule": [
                "channel_known",
                "region_known",
                "answer_known",
                "age_in_range",
                "incomplete",
                "region_known",
            ],
        }
    ).with_columns(pl.lit(None, pl.String).alias(c) for c in ("response_id", "value", "message"))
    kept = set_aside_records(records.select(list(QUARANTINE_SCHEMA)), "r.csv")
    assert kept.select("row_number", "rule").rows() == [(3, "region_known"), (6, "incomplete")]


def test_quarantine_keeps_the_contract_columns_exactly(tmp_path: Path) -> None:
    rows = export(OPTIONAL_HEADER, "a1,North West,service_user,Fax,18-29,Female,Yes,No")
    run(tmp_path, OPTIONAL, rows, extra=INCOMPLETE.replace("Finished", "Group"))
    assert quarantine(tmp_path).schema == pl.Schema(QUARANTINE_SCHEMA)
    assert list(QUARANTINE_SCHEMA) == [
        "source_file",
        "row_number",
        "response_id",
        "field",
        "value",
        "rule",
        "message",
    ]


# --- categories --------------------------------------------------------------------------

CATEGORIES = """\
categories:
  age_band: {"18_29": "18–29", "30_44": "30–44", "45_60": "45–60", "60_plus": "Over 60"}
  sex: {female: "Female", male: "Male", another: "Another way"}
"""


def test_own_categories_replace_the_canonical_set(tmp_path: Path) -> None:
    columns = {"response_id": "ID", **PLACE_AND_GROUP, "age_band": "Age", "sex": "Sex"}
    rows = export(
        "ID,Region,Group,Age,Sex",
        "a1,North West,service_user,18-29,Another way",  # a label, spelt with a hyphen
        "a2,North West,service_user, over 60 ,female",
        "a3,London,public,30_44,Prefer not to say",
        "a4,London,public,Prefer not to say,Woman",  # Woman: a canonical spelling, not theirs
        "a5,London,public,25-34,Male",  # 25-34: a canonical band, not theirs
    )
    ledger = run(tmp_path, columns, rows, extra=CATEGORIES)
    kept = responses(tmp_path)
    assert kept.schema["age_band"] == pl.Enum(
        ["18_29", "30_44", "45_60", "60_plus", "prefer_not_to_say"]
    )
    assert kept.schema["sex"] == pl.Enum(["female", "male", "another", "prefer_not_to_say"])
    assert kept["age_band"].to_list() == ["18_29", "60_plus", "30_44", "prefer_not_to_say", None]
    assert kept["sex"].to_list() == ["another", "female", "prefer_not_to_say", None, "male"]
    assert ledger["fields_blanked"] == {"age_band": 1, "sex": 1}
    assert ledger["tables"]["responses"]["valid"] == 5


def test_own_categories_read_with_their_labels() -> None:
    own = {"age_band": {"60_plus": "Over 60"}}
    assert category_label("age_band", "60_plus", own) == "Over 60"
    assert category_label("age_band", "prefer_not_to_say", own) == "Prefer not to say"
    assert category_subject("age_band", "60_plus", own) == "People in the category Over 60"
    assert category_label("age_band", "85_plus") != "85 plus"  # config/labels.yml's, as before
    assert field_codes("sex", own) == ("female", "male")  # no own categories for sex


def test_a_category_without_a_population_row_is_profiled_without_a_comparison() -> None:
    consultation = Consultation.model_validate(
        {
            "title": "T",
            "opened": "2026-03-01",
            "closed": "2026-05-31",
            "columns": {"region": "c", "group": "d"},
            "categories": {"sex": {"female": "Female", "male": "Male", "another": "Another"}},
        }
    )
    people = ANALYSIS_RESPONSES.with_columns(
        pl.Series("sex", ["female", "another", "male", "female", "another"])
    )
    data = replace(clean_data(people), consultation=consultation)
    frame = representation.representation(data, "sex")
    assert frame["category"].to_list()[:3] == ["female", "male", "another"]
    another = frame.row(2, named=True)
    assert another["respondents"] == 2 and another["respondent_share"] == pytest.approx(2 / 5)
    assert [another[c] for c in ("population_share", "ratio", "ci_low", "ci_high")] == [None] * 4
    assert another["flag"] == ""
    assert representation.has_population(data, "sex")
    # the shared population's canonical codes are no population for a consultation's own
    own_only = {"sex": {"f": "Female", "m": "Male"}}
    other = replace(data, consultation=consultation.model_copy(update={"categories": own_only}))
    assert not representation.has_population(other, "sex")
    # female and male are compared among the respondents who have a population: 2 of 3
    female = frame.row(0, named=True)
    assert female["population_share"] == pytest.approx(800 / 2000)
    assert female["ratio"] == pytest.approx((2 / 3) / 0.4)


# --- ages in years -----------------------------------------------------------------------

AGES = [
    ("17", "under_18"),
    ("18", "18_24"),
    ("24", "18_24"),
    ("25", "25_34"),
    ("84", "75_84"),
    ("85", "85_plus"),
    ("120", "85_plus"),
    ("0", "under_18"),
    ("42.0", "35_44"),
    ("Prefer not to say", "prefer_not_to_say"),
    ("rather NOT say", "prefer_not_to_say"),
    ("", None),
    ("121", None),
    ("-1", None),
    ("forty", None),
    ("42.5", None),
]


def test_ages_in_years_are_banded_at_every_boundary(tmp_path: Path) -> None:
    columns = {"response_id": "ID", **PLACE_AND_GROUP, "age": "How old are you?"}
    rows = export(
        "ID,Region,Group,How old are you?",
        *(f"a{i},London,public,{age}" for i, (age, _) in enumerate(AGES)),
    )
    ledger = run(tmp_path, columns, rows)
    kept = responses(tmp_path)
    assert kept.height == len(AGES) and "age" not in kept.columns
    assert kept["age_band"].to_list() == [band for _, band in AGES]
    assert kept.schema["age_band"] == pl.Enum([*field_codes("age_band"), "prefer_not_to_say"])
    refused = quarantine(tmp_path).select("field", "value", "rule").rows()
    assert refused == [("age", age, "age_in_range") for age in ("121", "-1", "forty", "42.5")]
    assert "kept with its age band blank" in quarantine(tmp_path)["message"][0]
    assert ledger["fields_blanked"] == {"age": 4}
    assert ledger["failures_by_rule"] == {"age_in_range": 4}


def test_age_bands_are_read_from_the_codes() -> None:
    bands = {band.code: (band.low, band.high) for band in age_bands(field_codes("age_band"))}
    assert bands["under_18"] == (0, 17) and bands["85_plus"] == (85, 120)
    assert bands["18_24"] == (18, 24)
    with pytest.raises(ValueError, match="under_N, N_M or N_plus"):
        age_bands(["young"])


def test_ages_band_into_a_consultations_own_age_bands(tmp_path: Path) -> None:
    columns = {"response_id": "ID", **PLACE_AND_GROUP, "age": "Age"}
    rows = export("ID,Region,Group,Age", "a1,London,public,29", "a2,London,public,61")
    run(tmp_path, columns, rows, extra=CATEGORIES)
    assert responses(tmp_path)["age_band"].to_list() == ["18_29", "60_plus"]


def test_own_age_bands_that_name_no_ages_stop_with_the_fix(tmp_path: Path) -> None:
    columns = {"response_id": "ID", **PLACE_AND_GROUP, "age": "Age"}
    extra = 'categories:\n  age_band: {young: "Young", old: "Old"}\n'
    write_consultation(
        tmp_path,
        "fields",
        responses=export("ID,Region,Group,Age", "a1,London,public,29"),
        yml=yml(columns, extra),
    )
    with pytest.raises(InputError, match=r"categories\.age_band: the age band 'young'"):
        validate_consultation("fields", root=tmp_path)


def test_submitted_at_is_still_read_when_mapped(tmp_path: Path) -> None:
    columns = {**PLACE_AND_GROUP, "submitted_at": "Date"}
    run(tmp_path, columns, export("Date,Region,Group", "02/03/2026 10:15,London,public"))
    assert responses(tmp_path)["submitted_at"].to_list() == [dt.datetime(2026, 3, 2, 10, 15)]
