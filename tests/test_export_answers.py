"""Answers and fields as survey tools write them: per-option columns ("Yes"/"No"), one-cell
multi-selects with labels holding the delimiter, ``missing`` spellings, ``constants`` and
``other_text`` "please specify" answers (data contract: "Reading what survey tools really
export")."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from pipelines.analysis import questions
from pipelines.errors import InputError
from pipelines.ingest.answers import split_cell
from pipelines.prepare import prepare_consultation
from pipelines.store.clean_data import load_clean
from tests.conftest import write_consultation

HEAD = """\
title: "Export shapes"
owner: "Test team"
opened: 2026-03-01
closed: 2026-05-31
series: shapes
groups:
  service_user: "People who use services"
  unpaid_carer: "Family and unpaid carers"
"""

LIME_YML = (
    HEAD
    + """\
columns:
  response_id: "id"
  submitted_at: "submitdate"
  region: "Region"
  group: "Group"
questions:
  - id: q1
    text: "Which work streams?"
    type: multi
    columns: {settings: "q1[SQ001]", workforce: "q1[SQ002]"}
"""
)

LIME = """\
id,submitdate,Region,Group,q1[SQ001],q1[SQ002]
1,2026-03-02 10:00:00,North West,service_user,Yes,No
2,2026-03-02 11:00:00,North West,service_user,Yes,Yes
3,2026-03-02 12:00:00,North West,unpaid_carer,No,No
4,2026-03-02 13:00:00,North West,unpaid_carer,,
5,2026-03-02 14:00:00,North West,unpaid_carer, no ,NOT SELECTED
"""


def _prepared(root: Path, responses: str, yml: str, name: str = "shapes"):
    write_consultation(root, name, responses=responses, yml=yml)
    summary = prepare_consultation(name, root=root)
    return summary, load_clean(name, root)


def _counts(frame: pl.DataFrame) -> dict[str, int]:
    return dict(zip(frame["option"], frame["count"], strict=True))


def test_per_option_no_is_not_chosen(tmp_path: Path) -> None:
    _, data = _prepared(tmp_path, LIME, LIME_YML)
    frame = questions.multi_choice(data, data.consultation.question("q1"))
    assert _counts(frame) == {"settings": 2, "workforce": 1}
    # before: every "No" counted as chosen, so each option showed 100%. Rows 3 and 5 said
    # "No" to both: they answered and chose nothing, so they are in the base (4 people)
    assert dict(zip(frame["option"], frame["pct_respondents"], strict=True)) == {
        "settings": 50.0,
        "workforce": 25.0,
    }
    answers = data.answers.collect()
    assert answers.height == 5
    assert sorted(answers["option"].cast(pl.String).to_list(), key=str) == [
        None,
        None,
        "settings",
        "settings",
        "workforce",
    ]
    chose_nothing = answers.filter(pl.col("option").is_null())
    assert chose_nothing["question_id"].cast(pl.String).to_list() == ["q1", "q1"]


def test_all_no_counts_as_answered(tmp_path: Path) -> None:
    _, data = _prepared(tmp_path, LIME, LIME_YML)
    # rows 1, 2 chose options; rows 3 and 5 said "No" to both (answered); row 4 is blank
    assert questions.respondents(data, "q1") == 4


def test_chosen_spellings_only(tmp_path: Path) -> None:
    yml = LIME_YML.replace('"q1[SQ002]"}', '"q1[SQ002]"}\n    chosen: ["Y"]')
    responses = """\
id,submitdate,Region,Group,q1[SQ001],q1[SQ002]
1,2026-03-02 10:00:00,North West,service_user,Y,N
2,2026-03-02 11:00:00,North West,service_user, y ,Yes
3,2026-03-02 12:00:00,North West,unpaid_carer,N,Y
4,2026-03-02 13:00:00,North West,unpaid_carer,,1
"""
    _, data = _prepared(tmp_path, responses, yml)
    frame = questions.multi_choice(data, data.consultation.question("q1"))
    # "Yes" and "1" are not the `chosen` spelling "Y"
    assert _counts(frame) == {"settings": 2, "workforce": 1}
    # row 4 wrote "1", not the chosen spelling: it answered and chose nothing
    assert questions.respondents(data, "q1") == 4


GOOGLE_YML = (
    HEAD
    + """\
columns:
  submitted_at: "Timestamp"
  response_id: "Ref"
  region: "Region"
  group: "Group"
questions:
  - id: q2
    text: "Do you use the service?"
    type: multi
    column: "Do you use the service?"
    delimiter: ", "
    options: [sometimes, never, other]
    labels: {sometimes: "Yes, sometimes", never: "No", other: "Other"}
values:
  q2:
    "Not now, not ever": never
"""
)

GOOGLE = """\
Timestamp,Ref,Region,Group,Do you use the service?
2026-03-02 10:00:00,a,North West,service_user,"Yes, sometimes, Other"
2026-03-02 11:00:00,b,North West,service_user,"Other, "
2026-03-02 12:00:00,c,North West,unpaid_carer,"Not now, not ever, "
2026-03-02 13:00:00,d,North West,unpaid_carer,"yes, sometimes"
"""


def test_one_cell_multi_matches_labels_with_the_delimiter_whole(tmp_path: Path) -> None:
    summary, data = _prepared(tmp_path, GOOGLE, GOOGLE_YML)
    assert summary.failures_by_rule == {}
    frame = questions.multi_choice(data, data.consultation.question("q2"))
    assert _counts(frame) == {"sometimes": 2, "never": 1, "other": 2}
    assert questions.respondents(data, "q2") == 4


def test_split_cell() -> None:
    whole = ["Yes, sometimes"]
    assert split_cell("Yes, sometimes, Other, ", ", ", whole) == ["Yes, sometimes", "Other"]
    assert split_cell("Other, YES, sometimes", ", ", whole) == ["Other", "YES, sometimes"]
    # a label is matched whole only where it fills a part
    assert split_cell("Yes, sometimesX, B", ", ", whole) == ["Yes", "sometimesX", "B"]
    assert split_cell("a;b;", ";", []) == ["a", "b"]


MISSING_YML = (
    HEAD
    + """\
missing: ["N/A", "-"]
columns:
  response_id: "id"
  submitted_at: "submitdate"
  region: "Region"
  group: "Group"
  age_band: "Age"
questions:
  - id: q3
    text: "Care is good"
    type: likert
    column: "Q3"
    scale: ["Disagree", "Neither", "Agree"]
"""
)

MISSING = """\
id,submitdate,Region,Group,Age,Q3
1,2026-03-02 10:00:00,North West,service_user,N/A,Agree
2,2026-03-02 11:00:00,North West,service_user,75 - 84,n/a
3,2026-03-02 12:00:00,North West,unpaid_carer, - ,Disagree
"""


def test_missing_spellings_are_not_answered(tmp_path: Path) -> None:
    summary, data = _prepared(tmp_path, MISSING, MISSING_YML)
    assert summary.failures_by_rule == {}
    assert summary.rows_quarantined == 0
    responses = data.responses.collect().sort("response_id")
    assert responses.height == 3
    assert responses["age_band"].cast(pl.String).to_list() == [None, "75_84", None]
    frame = questions.single_choice(data, data.consultation.question("q3"))
    assert _counts(frame)["agree"] == 1
    assert frame["count"].sum() == 2


def test_missing_spelling_is_quarantined_without_missing(tmp_path: Path) -> None:
    summary, _ = _prepared(tmp_path, MISSING, MISSING_YML.replace('missing: ["N/A", "-"]\n', ""))
    # without `missing`, "N/A" is an unknown age band and an unknown answer
    assert summary.failures_by_rule


def test_constant_channel_with_values(tmp_path: Path) -> None:
    yml = MISSING_YML.replace(
        'missing: ["N/A", "-"]\n',
        'constants:\n  channel: "Web form"\nvalues:\n  channel: {"Web form": online}\n',
    )
    summary, data = _prepared(
        tmp_path,
        MISSING.replace("N/A", "45 - 54").replace("n/a", "Agree").replace(" - ,", "45 - 54,"),
        yml,
    )
    assert summary.failures_by_rule == {}
    assert data.responses.collect()["channel"].cast(pl.String).to_list() == ["online"] * 3


def test_constant_region_without_a_column(tmp_path: Path) -> None:
    from pipelines.consultation import load_consultation

    yml = LIME_YML.replace('  region: "Region"\n', "").replace(
        "columns:\n", "constants:\n  region: North West\ncolumns:\n", 1
    )
    responses = LIME.replace(",North West", "").replace("Region,", "")
    folder = write_consultation(tmp_path, "shapes", responses=responses, yml=yml)
    try:
        load_consultation(folder)
    except InputError as error:
        pytest.skip(f"consultation.yml does not yet accept a constant region: {error}")
    _, data = _prepared(tmp_path, responses, yml)
    regions = data.responses.collect()["region"].cast(pl.String).to_list()
    assert regions == ["North West"] * 5


OTHER_YML = (
    HEAD
    + """\
columns:
  response_id: "id"
  submitted_at: "submitdate"
  region: "Region"
  locality: "Area"
  group: "Group"
  consent_to_quote: "Quote?"
questions:
  - id: q1
    text: "What matters most?"
    type: free_text
    column: "Q1"
  - id: q4
    text: "How did you hear?"
    type: single
    column: "Q4"
    options: [leaflet, other]
    other_text: "Q4 other (please specify)"
"""
)

OTHER = """\
id,submitdate,Region,Area,Group,Quote?,Q1,Q4,Q4 other (please specify)
1,2026-03-02 10:00:00,North West,Cumbria,service_user,Yes,Kind staff,other,Email jo.bloggs@example.com
2,2026-03-02 11:00:00,North West,Lancashire,service_user,No,,leaflet,
3,2026-03-02 12:00:00,London,Camden,unpaid_carer,Yes,Good,other,A friend
"""


def test_other_text_comments_are_redacted(tmp_path: Path) -> None:
    _, data = _prepared(tmp_path, OTHER, OTHER_YML)
    comments = data.comments.collect().sort("question_id", "response_id")
    rows = comments.select("question_id", "text").rows()
    assert ("q4_other", "A friend") in rows
    other = comments.filter(pl.col("question_id") == "q4_other")
    assert other.height == 2
    assert not other["text"].str.contains("example.com").any()
    assert set(comments["question_id"]) == {"q1", "q4_other"}
    assert _counts(questions.single_choice(data, data.consultation.question("q4"))) == {
        "leaflet": 1,
        "other": 2,
    }


def test_other_text_header_not_in_export(tmp_path: Path) -> None:
    yml = OTHER_YML.replace('other_text: "Q4 other (please specify)"', 'other_text: "Q4 other"')
    write_consultation(tmp_path, "shapes", responses=OTHER, yml=yml)
    with pytest.raises(InputError) as raised:
        prepare_consultation("shapes", root=tmp_path)
    message = str(raised.value)
    assert "'Q4 other'" in message and "other_text" in message and "q4" in message
    assert not (tmp_path / "data" / "clean" / "shapes").exists()


def test_other_text_report_runs(tmp_path: Path) -> None:
    from pipelines.prepare import ensure_prepared
    from pipelines.report.runner import run_reports

    write_consultation(tmp_path, "shapes", responses=OTHER, yml=OTHER_YML)
    result = run_reports("shapes", root=tmp_path, progress=False, jobs=1, prepare=ensure_prepared)
    assert result.failed == []
