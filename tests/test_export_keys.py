"""consultation.yml keys that must never give a silently wrong number: ``date_format`` and
month-first dates, strict ``columns``/``values`` keys, ``values`` for region and locality,
``constants`` and ``missing`` (docs/data-contract.md, "Reading what survey tools really
export")."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import polars as pl
import pytest
from conftest import CONSULTATION_YML, write_consultation

from pipelines.consultation import load_consultation
from pipelines.draft.dates import guess_date_format
from pipelines.errors import InputError
from pipelines.geography import load_regions
from pipelines.ingest.mapping import (
    check_not_month_first,
    locality_lookup,
    month_first_example,
    parsed_datetime_values,
    region_lookup,
    suggested_format,
)
from pipelines.prepare import prepare_consultation

#: A Google Forms export: no response id column of its own (a "Email" column stands in
#: here), "Timestamp" in the sheet's US locale, month first.
GOOGLE_YML = """\
title: "Google Forms"
opened: 2019-01-01
closed: 2019-12-31
grace_days: 0
columns:
  response_id: "Email Address"
  submitted_at: "Timestamp"
  region: "Where do you live?"
  group: "Which best describes you?"
"""
GOOGLE_RESPONSES = """\
Timestamp,Email Address,Where do you live?,Which best describes you?
8/21/2019 13:10:31,a@example.org,North West,People who use services
3/4/2019 9:05:00,b@example.org,London,People who use services
12/30/2019 23:59:59,c@example.org,London,People who use services
"""


def _clean(root: Path, name: str) -> Path:
    return root / "data" / "clean" / name


def _responses(root: Path, name: str) -> pl.DataFrame:
    return pl.read_parquet(_clean(root, name) / "responses.parquet")


def _yml(extra: str, base: str = CONSULTATION_YML) -> str:
    return base + extra


def _with_values(extra: str) -> str:
    """The tiny consultation with more ``values`` entries (``extra`` indented under it)."""
    anchor = '    "I use care at home services": service_user\n'
    assert anchor in CONSULTATION_YML
    return CONSULTATION_YML.replace(anchor, anchor + extra)


def _folder_error(tmp_path: Path, yml: str) -> str:
    folder = write_consultation(tmp_path, "keys", yml=yml)
    with pytest.raises(InputError) as raised:
        load_consultation(folder)
    return str(raised.value)


# --- dates -----------------------------------------------------------------------------


def test_month_first_google_timestamps_stop_with_the_fix(tmp_path: Path) -> None:
    write_consultation(tmp_path, "gf", responses=GOOGLE_RESPONSES, yml=GOOGLE_YML)
    with pytest.raises(InputError) as raised:
        prepare_consultation("gf", tmp_path)
    message = str(raised.value)
    assert "'Timestamp'" in message
    assert "8/21/2019 13:10:31" in message or "12/30/2019 23:59:59" in message
    assert 'date_format: "%m/%d/%Y %H:%M:%S"' in message
    assert not _clean(tmp_path, "gf").exists()


def test_date_format_reads_every_row_month_first(tmp_path: Path) -> None:
    yml = GOOGLE_YML + 'date_format: "%m/%d/%Y %H:%M:%S"\n'
    write_consultation(tmp_path, "gf", responses=GOOGLE_RESPONSES, yml=yml)
    summary = prepare_consultation("gf", tmp_path)
    assert summary.rows_quarantined == 0
    when = dict(_responses(tmp_path, "gf").select("response_id", "submitted_at").iter_rows())
    assert when == {
        "a@example.org": dt.datetime(2019, 8, 21, 13, 10, 31),
        "b@example.org": dt.datetime(2019, 3, 4, 9, 5, 0),  # 4 March, not 3 April
        "c@example.org": dt.datetime(2019, 12, 30, 23, 59, 59),
    }


def test_date_format_is_the_only_reading(tmp_path: Path) -> None:
    """With ``date_format``, an ISO or day-first date is not guessed at: it is quarantined."""
    yml = GOOGLE_YML + "date_format: ['%m/%d/%Y %I:%M:%S %p']\n"
    responses = (
        "Timestamp,Email Address,Where do you live?,Which best describes you?\n"
        "8/21/2019 1:10:31 PM,a@example.org,North West,People who use services\n"
        "2019-08-22 10:00:00,b@example.org,London,People who use services\n"
    )
    write_consultation(tmp_path, "gf", responses=responses, yml=yml)
    summary = prepare_consultation("gf", tmp_path)
    assert summary.rows_valid == 1
    assert summary.failures_by_rule == {"submitted_at_parseable": 1}
    clean = _responses(tmp_path, "gf")
    assert clean["submitted_at"].to_list() == [dt.datetime(2019, 8, 21, 13, 10, 31)]


def test_both_slash_shapes_are_day_first_and_do_not_stop(tmp_path: Path) -> None:
    responses = (
        "Timestamp,Email Address,Where do you live?,Which best describes you?\n"
        "21/08/2019 13:10:31,a@example.org,North West,People who use services\n"
        "8/21/2019 13:10:31,b@example.org,London,People who use services\n"
        "03/04/2019 09:00,c@example.org,London,People who use services\n"
    )
    write_consultation(tmp_path, "mixed", responses=responses, yml=GOOGLE_YML)
    summary = prepare_consultation("mixed", tmp_path)
    assert summary.failures_by_rule == {"submitted_at_parseable": 1}
    when = dict(_responses(tmp_path, "mixed").select("response_id", "submitted_at").iter_rows())
    assert when == {
        "a@example.org": dt.datetime(2019, 8, 21, 13, 10, 31),
        "c@example.org": dt.datetime(2019, 4, 3, 9, 0),  # day-first: 3 April
    }


def test_month_first_evidence_is_the_whole_column() -> None:
    assert month_first_example(pl.Series(["1/2/2019", "8/21/2019 13:10"])) == "8/21/2019 13:10"
    # a first part over 12 anywhere makes the column day-first
    assert month_first_example(pl.Series(["8/21/2019", None, "21/08/2019"])) is None
    # all ambiguous, ISO or blank: nothing proves month-first
    assert month_first_example(pl.Series(["01/02/2019", "2019-08-21", None])) is None
    assert month_first_example(pl.Series([], dtype=pl.String)) is None
    # year first is not a slash date of this shape
    assert month_first_example(pl.Series(["2019/08/21"])) is None


def test_month_first_check_names_column_and_is_off_with_date_format(tmp_path: Path) -> None:
    folder = write_consultation(tmp_path, "gf", responses=GOOGLE_RESPONSES, yml=GOOGLE_YML)
    consultation = load_consultation(folder)
    values = pl.Series(["1/2/2019", "1/13/2019"])
    with pytest.raises(InputError, match=r"'Timestamp'.*'1/13/2019'.*date_format: \"%m/%d/%Y\""):
        check_not_month_first(values, consultation, folder / "responses.csv")
    fixed = consultation.model_copy(update={"date_format": ["%m/%d/%Y"]})
    check_not_month_first(values, fixed, folder / "responses.csv")


def test_dates_that_read_either_way_are_judged_by_the_consultations_dates(
    tmp_path: Path,
) -> None:
    """Every date reads either way (no part over 12). A window of 1 March to 31 May (grace
    7 days): read day-first, 3/6, 3/7 and 3/10 are 3, 7 and 10 June, outside it; read
    month-first all fit. That stops, naming both patterns; dates that fit day-first do not."""
    folder = write_consultation(tmp_path, "gf", responses=GOOGLE_RESPONSES, yml=GOOGLE_YML)
    spring = load_consultation(folder).model_copy(
        update={"opened": dt.date(2026, 3, 1), "closed": dt.date(2026, 5, 31)}
    )
    us = pl.Series(["03/03/2026 09:14", "03/06/2026 10:09", "03/07/2026 10:20", "03/10/2026"])
    with pytest.raises(InputError) as stopped:
        check_not_month_first(us, spring, folder / "responses.csv", grace_days=7)
    message = str(stopped.value)
    assert "read day-first, 3 of 4 fall outside" in message.replace("Read", "read")
    assert "read month-first, 0 do" in message
    assert 'date_format: "%m/%d/%Y %H:%M" (month first)' in message
    assert '"%d/%m/%Y %H:%M" if they are day-first' in message
    # the same dates where day-first fits better (a June consultation): read as before
    june = spring.model_copy(update={"opened": dt.date(2026, 6, 1), "closed": dt.date(2026, 6, 30)})
    check_not_month_first(us, june, folder / "responses.csv", grace_days=7)
    # both readings inside the window: day-first, as the contract says
    long = spring.model_copy(update={"closed": dt.date(2026, 12, 31)})
    check_not_month_first(us, long, folder / "responses.csv", grace_days=7)
    # a day over 12 anywhere shows day-first: no second reading
    check_not_month_first(
        pl.Series([*us.to_list(), "13/03/2026"]), spring, folder / "responses.csv", grace_days=7
    )
    # and a date_format says how to read them
    fixed = spring.model_copy(update={"date_format": ["%m/%d/%Y %H:%M"]})
    check_not_month_first(us, fixed, folder / "responses.csv", grace_days=7)


def test_a_day_first_date_format_is_judged_like_no_date_format(tmp_path: Path) -> None:
    """``workbook init`` drafts a day-first pattern where every date reads either way (a
    SurveyMonkey export always writes an AM/PM clock, a re-saved sheet a two-digit year):
    such a pattern gets the same checks as no pattern, so US dates of 2 to 11 February are
    not read as 2 February to 2 November. A pattern that is not day-first slash is trusted."""
    folder = write_consultation(tmp_path, "gf", responses=GOOGLE_RESPONSES, yml=GOOGLE_YML)
    february = load_consultation(folder).model_copy(
        update={"opened": dt.date(2026, 2, 2), "closed": dt.date(2026, 2, 11)}
    )
    us = pl.Series(["02/02/2026 10:15:32 AM", "02/05/2026 01:00:00 PM", "02/11/2026 09:00:00 AM"])
    drafted = february.model_copy(update={"date_format": ["%d/%m/%Y %I:%M:%S %p"]})
    with pytest.raises(InputError) as stopped:
        check_not_month_first(us, drafted, folder / "responses.csv", grace_days=0)
    message = str(stopped.value)
    assert "date_format ('%d/%m/%Y %I:%M:%S %p') reads them day-first" in message
    assert "read day-first, 2 of 3 fall outside" in message.replace("Read", "read")
    assert 'date_format: "%m/%d/%Y %I:%M:%S %p" (month first)' in message
    assert "correct opened and closed" in message
    # two-digit years are judged alike
    short = pl.Series(["2/3/26 10:00", "2/5/26 11:00", "2/9/26 12:00"])
    resaved = february.model_copy(update={"date_format": ["%d/%m/%y %H:%M"]})
    with pytest.raises(InputError, match=r'"%m/%d/%y %H:%M" \(month first\)'):
        check_not_month_first(short, resaved, folder / "responses.csv", grace_days=0)
    # a second part over 12 under a day-first pattern: those dates would not read at all
    with pytest.raises(InputError, match=r"month-first dates such as '2/13/26 10:00'"):
        check_not_month_first(
            pl.Series([*short.to_list(), "2/13/26 10:00"]), resaved, folder / "r.csv"
        )
    # day-first dates that fit the window under that pattern: read as the pattern says
    uk = pl.Series(["02/02/2026 10:15:32 AM", "05/02/2026 01:00:00 PM", "11/02/2026 09:00:00 AM"])
    check_not_month_first(uk, drafted, folder / "responses.csv", grace_days=0)
    # a month-first pattern is judged the other way: UK dates of 2-11 February read through
    # it would run to 2 November
    month_first = february.model_copy(update={"date_format": ["%m/%d/%Y %I:%M:%S %p"]})
    with pytest.raises(InputError) as stopped:
        check_not_month_first(uk, month_first, folder / "responses.csv", grace_days=0)
    message = str(stopped.value)
    assert "Read month-first, 2 of 3 fall outside" in message and "day-first, 0 do" in message
    assert 'date_format: "%d/%m/%Y %I:%M:%S %p" (day first)' in message
    # and US dates that fit it are read as it says; other patterns are the analyst's word
    check_not_month_first(us, month_first, folder / "responses.csv", grace_days=0)
    for pattern in ("%Y/%m/%d %H:%M", "%d.%m.%Y"):
        said = february.model_copy(update={"date_format": [pattern]})
        check_not_month_first(us, said, folder / "responses.csv", grace_days=0)


def test_date_format_patterns_without_a_directive_are_refused(tmp_path: Path) -> None:
    message = _folder_error(tmp_path, _yml('date_format: "mm/dd/yyyy"\n'))
    assert "date_format" in message and "'mm/dd/yyyy'" in message and "%m/%d/%Y" in message


def test_parsed_with_patterns_only() -> None:
    texts = pl.Series(["3/4/2019", "2019-03-04", "45000", None])
    parsed = parsed_datetime_values(texts, excel_serials=True, formats=["%m/%d/%Y"])
    assert parsed["value"].to_list() == [dt.datetime(2019, 3, 4), None, None, None]
    assert parsed["format"].to_list() == ["date_format", "unrecognised", "unrecognised", None]


def test_a_date_times_utc_offset_is_dropped_not_applied() -> None:
    """A submission at 00:30 on 1 April, British Summer Time, is 1 April as the export wrote
    it, not 23:30 on 31 March in UTC; offsets, Z, UTC and GMT alike; with or without
    ``date_format`` (whose ``%z`` is dropped with the offset)."""
    texts = pl.Series(
        [
            "2026-04-01T00:30:00+01:00",
            "2026-04-01T00:30:00-0500",
            "2026-04-01T00:30:00.250Z",
            "2026-04-01 00:30 UTC",
            "2026-04-01 00:30:00 GMT",
            "2026-04-01",  # a date alone: its "-01" is no offset
            "01/04/2026 00:30",
        ]
    )
    for formats in (None, ["%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S%.f%z"]):
        parsed = parsed_datetime_values(texts, excel_serials=False, formats=formats)
        values = parsed["value"].to_list()
        read = [v for v in values if v is not None]
        assert all(v.date() == dt.date(2026, 4, 1) for v in read), values
        assert len(read) == (7 if formats is None else 3)
        assert parsed["value"].dtype == pl.Datetime("us")  # no time zone: as written


def test_google_forms_gmt_and_gmt_plus_1_read_with_one_pattern() -> None:
    """Google Forms' own CSV download writes the zone after an AM/PM clock, ``GMT`` in
    winter and ``GMT+1`` in summer: one ``%z`` pattern reads both as their local time (before,
    ``GMT+1`` read as nothing and those responses were quarantined as unreadable)."""
    texts = pl.Series(["2026/03/16 9:00:00 AM GMT", "2026/04/02 12:30:00 AM GMT+1"])
    formats = ["%Y/%m/%d %I:%M:%S %p %z"]
    parsed = parsed_datetime_values(texts, excel_serials=False, formats=formats)
    assert parsed["value"].to_list() == [
        dt.datetime(2026, 3, 16, 9),
        dt.datetime(2026, 4, 2, 0, 30),
    ]
    assert guess_date_format(texts, excel=False)[0] == formats
    # a glued offset gets a glued %z; a pattern that spells GMT reads only GMT, as written
    assert guess_date_format(pl.Series(["03/14/2026 14:40:00+01:00"]), excel=False)[0] == [
        "%m/%d/%Y %H:%M:%S%z"
    ]
    literal = parsed_datetime_values(texts, False, ["%Y/%m/%d %I:%M:%S %p GMT"])["value"]
    assert literal.to_list() == [dt.datetime(2026, 3, 16, 9), None]


# --- columns and values keys --------------------------------------------------------------


def test_misspelt_values_key_is_refused_with_the_valid_keys(tmp_path: Path) -> None:
    message = _folder_error(tmp_path, _yml("values:\n  chanel:\n    Web: online\n"))
    assert "chanel" in message
    assert "valid keys are" in message
    for key in ("region", "locality", "channel", "age_band", "q2", "q3"):
        assert key in message.split("valid keys are")[1]
    # a free-text or number question has no codes to map
    assert "q1" not in message.split("valid keys are")[1]


def test_values_of_an_uncoded_field_are_refused(tmp_path: Path) -> None:
    message = _folder_error(tmp_path, _yml("values:\n  submitted_at:\n    today: '2026-03-02'\n"))
    assert "`values` has unknown key(s) submitted_at" in message


def test_unknown_columns_key_is_refused(tmp_path: Path) -> None:
    yml = CONSULTATION_YML.replace('  channel: "How', '  chanel: "How')
    message = _folder_error(tmp_path, yml)
    assert "chanel" in message and "the standard fields are response_id" in message


def test_values_region_maps_an_answer_to_a_region(tmp_path: Path) -> None:
    yml = _with_values(
        "  region:\n    NW: North West\n    Ldn: london\n  locality:\n    Camd: Camden\n"
    )
    responses = (
        "Respondent ID,Completed,How did you respond?,Region,Area,Which best describes you?,"
        "Age,May we quote you?,Q1,Q2,Q3,Q4\n"
        "r1,02/03/2026 10:15,Online,NW,Cumbria,service_user,,,,,,\n"
        "r2,03/03/2026 10:15,Online,Ldn,Camd,service_user,,,,,,\n"
        "r3,04/03/2026 10:15,Online,Nowhere,,service_user,,,,,,\n"
    )
    write_consultation(tmp_path, "vals", responses=responses, yml=yml)
    summary = prepare_consultation("vals", tmp_path)
    clean = _responses(tmp_path, "vals").select("response_id", "region", "locality")
    assert clean.rows() == [("r1", "North West", "Cumbria"), ("r2", "London", "Camden")]
    assert summary.rows_quarantined == 1


def test_values_region_to_an_unknown_region_stops(tmp_path: Path) -> None:
    write_consultation(tmp_path, "vals", yml=_with_values("  region:\n    NW: Nort West\n"))
    with pytest.raises(InputError, match=r"values.region: 'NW' is mapped to 'Nort West'.*London"):
        prepare_consultation("vals", tmp_path)
    assert not _clean(tmp_path, "vals").exists()


def test_region_and_locality_lookups_take_values(tmp_path: Path) -> None:
    write_consultation(tmp_path, "vals")
    regions = load_regions(tmp_path / "data" / "raw" / "vals", tmp_path)
    lookup = region_lookup(regions, {"NW": "north-west", " L dn ": "London"})
    assert lookup["nw"] == "North West" and lookup["l dn"] == "London"
    assert region_lookup(regions)["north west"] == "North West"
    assert locality_lookup(regions, {"Cumb.": "cumbria"})["cumb."] == "Cumbria"
    with pytest.raises(InputError, match="values.locality"):
        locality_lookup(regions, {"X": "Atlantis"})


# --- constants and missing ------------------------------------------------------------------

NO_REGION_COLUMN = CONSULTATION_YML.replace('  region: "Region"\n', "").replace(
    '  locality: "Area"\n', ""
)


def test_a_constant_region_replaces_the_column(tmp_path: Path) -> None:
    folder = write_consultation(
        tmp_path, "const", yml=NO_REGION_COLUMN + "constants:\n  region: North West\n"
    )
    consultation = load_consultation(folder)
    assert consultation.constants == {"region": "North West"}
    assert "region" not in consultation.columns


def test_region_needs_a_column_or_a_constant(tmp_path: Path) -> None:
    message = _folder_error(tmp_path, NO_REGION_COLUMN)
    assert "region must be given, under `columns`" in message and "`constants`" in message


def test_unknown_constant_is_refused_with_the_standard_fields(tmp_path: Path) -> None:
    message = _folder_error(tmp_path, _yml("constants:\n  regoin: North West\n"))
    assert "`constants` has unknown standard field(s) regoin" in message
    assert "the standard fields are response_id, submitted_at, region" in message


def test_a_field_is_a_column_or_a_constant_not_both(tmp_path: Path) -> None:
    message = _folder_error(tmp_path, _yml("constants:\n  region: North West\n"))
    assert "region is given both under `columns` and under `constants`" in message


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("constants:\n  channel: ''\n", "`constants` gives channel an empty value"),
        ("constants:\n  consent_to_quote: no\n", "put the text in quotes"),
        ("missing: ['N/A', '  ']\n", "missing: Value error, must be a list of non-empty texts"),
        ("date_format: []\n", "date_format: Value error, give a strptime pattern"),
        ("missing: N/A\n", "missing: Input should be a valid list"),
    ],
)
def test_bad_constants_and_missing(tmp_path: Path, extra: str, expected: str) -> None:
    assert expected in _folder_error(tmp_path, _yml(extra))


def test_response_id_and_submitted_at_are_optional_but_never_constants(tmp_path: Path) -> None:
    yml = CONSULTATION_YML.replace('  response_id: "Respondent ID"\n', "")
    folder = write_consultation(tmp_path, "no-id", yml=yml)
    assert "response_id" not in load_consultation(folder).columns
    message = _folder_error(tmp_path, yml + "constants:\n  response_id: x\n")
    assert "`constants` cannot give response_id" in message


def test_numbers_in_constants_and_missing_are_text(tmp_path: Path) -> None:
    folder = write_consultation(
        tmp_path, "const", yml=_yml("constants:\n  imd_quintile: 3\nmissing: [N/A, -, 99]\n")
    )
    consultation = load_consultation(folder)
    assert consultation.constants == {"imd_quintile": "3"}
    assert consultation.missing == ["N/A", "-", "99"]


@pytest.mark.parametrize(
    ("example", "pattern"),
    [
        ("8/21/2019 13:10:31", "%m/%d/%Y %H:%M:%S"),
        ("8/21/2019 1:10:31 PM", "%m/%d/%Y %I:%M:%S %p"),
        ("8/21/19 9:05 am", "%m/%d/%y %I:%M %p"),
        ("8/21/2019", "%m/%d/%Y"),
    ],
)
def test_the_suggested_date_format_reads_the_example(example: str, pattern: str) -> None:
    """The stop's suggestion fits the export's own shape (Google Forms writes a 24-hour or
    an AM/PM clock by locale), so pasting it in reads every row."""
    assert suggested_format(example) == pattern
    parsed = parsed_datetime_values(pl.Series([example]), excel_serials=False, formats=[pattern])
    assert parsed["value"][0].date() == dt.date(2019, 8, 21)


def test_population_ages_as_the_contract_writes_them(tmp_path: Path) -> None:
    """YAML reads an unquoted ``18_24`` as the number 1824: it is taken back as its band;
    a code that is no age band of the consultation is refused, naming the bands."""
    folder = write_consultation(
        tmp_path, "ages", yml=_yml("population_ages: [18_24, 25_34, 85_plus]\n")
    )
    assert load_consultation(folder).population_ages == ["18_24", "25_34", "85_plus"]
    message = _folder_error(tmp_path, _yml("population_ages: [adults]\n"))
    assert "`population_ages` has adults" in message and "18_24" in message


def test_a_two_digit_year_is_never_read_as_the_year_26(tmp_path: Path) -> None:
    """'21/08/19' read by the default dd/mm/yyyy would be the year 19: it is unrecognised
    (no valid response: exit 2 naming the rule and the fix), and read right with
    date_format."""
    responses = GOOGLE_RESPONSES.replace("8/21/2019 13:10:31", "21/08/19 13:10")
    responses = responses.replace("3/4/2019 9:05:00", "04/03/19 09:05")
    responses = responses.replace("12/30/2019 23:59:59", "30/12/19 23:59")
    write_consultation(tmp_path, "gf", responses=responses, yml=GOOGLE_YML)
    with pytest.raises(InputError) as raised:
        prepare_consultation("gf", tmp_path)
    assert "submitted_at_parseable (3 rows" in str(raised.value)
    assert "date_format" in str(raised.value)
    yml = GOOGLE_YML + 'date_format: "%d/%m/%y %H:%M"\n'
    write_consultation(tmp_path, "gf", responses=responses, yml=yml)
    assert prepare_consultation("gf", tmp_path).rows_valid == 3
    assert _responses(tmp_path, "gf")["submitted_at"].dt.year().to_list() == [2019] * 3


def test_ages_that_are_answer_codes_stop_validation(tmp_path: Path) -> None:
    """Qualtrics' numeric values write age bands as 1..7: read as years, everyone would be
    under 18. Twenty answers or more, none over 12, some at 2 or under: stopped."""
    from pipelines.ingest.ages import check_ages_are_years

    folder = write_consultation(tmp_path, "gf", responses=GOOGLE_RESPONSES, yml=GOOGLE_YML)
    base = load_consultation(folder)
    consultation = base.model_copy(update={"columns": {**base.columns, "age": "Q4"}})
    codes = pl.LazyFrame({"age": [str(1 + i % 7) for i in range(21)]})
    with pytest.raises(InputError, match=r"'Q4' \(columns.age\).*from 1 to 7 \(21 answers\)"):
        check_ages_are_years(codes, consultation, "responses.csv")
    for ages in (
        [str(18 + i) for i in range(40)],  # years
        [str(1 + i % 7) for i in range(19)],  # too few to tell
        [str(8 + i % 5) for i in range(30)],  # 8 to 12: children, who can answer
        ["1", "2", "3", "44", *["5"] * 20],  # one answer over 12: years
        ["2", *[str(5 + i % 7) for i in range(29)]],  # children, one slip of the keys
    ):
        check_ages_are_years(pl.LazyFrame({"age": ages}), consultation, "responses.csv")
    check_ages_are_years(codes, base, "responses.csv")  # no age column mapped: nothing to do
    own = consultation.model_copy(update={"categories": {"age_band": {"under_5": "Under 5"}}})
    check_ages_are_years(codes, own, "responses.csv")  # its own bands: not judged
    # "Prefer not to say" beside the codes changes nothing
    spelt = pl.LazyFrame({"age": [*codes.collect()["age"].to_list(), "Prefer not to say"]})
    with pytest.raises(InputError):
        check_ages_are_years(spelt, consultation, "responses.csv")


@pytest.mark.parametrize(
    ("text", "pattern", "expected"),
    [
        # a pattern that writes the zone as text reads the text as it is
        ("2026-03-14T14:40:00Z", "%Y-%m-%dT%H:%M:%SZ", dt.datetime(2026, 3, 14, 14, 40)),
        (
            "2026-03-14T14:40:00.5Z",
            "%Y-%m-%dT%H:%M:%S%.fZ",
            dt.datetime(2026, 3, 14, 14, 40, 0, 500000),
        ),
        ("14/03/2026 14:40 BST", "%d/%m/%Y %H:%M %Z", dt.datetime(2026, 3, 14, 14, 40)),
        ("14/03/2026 14:40 UTC", "%d/%m/%Y %H:%M UTC", dt.datetime(2026, 3, 14, 14, 40)),
        # an offset after an AM/PM clock, read by %z: the local time
        ("3/14/2026 2:40 PM +01:00", "%m/%d/%Y %I:%M %p %z", dt.datetime(2026, 3, 14, 14, 40)),
        # the usual formats: a date with a final Z, as before
        ("2026-03-03Z", None, dt.datetime(2026, 3, 3)),
    ],
)
def test_date_formats_that_name_their_zone_read_as_before(
    text: str, pattern: str | None, expected: dt.datetime
) -> None:
    formats = [pattern] if pattern else None
    parsed = parsed_datetime_values(pl.Series([text]), excel_serials=False, formats=formats)
    assert parsed["value"].to_list() == [expected]


def test_the_suggested_pattern_reads_a_month_first_date_with_an_offset() -> None:
    example = "3/14/2026 14:40:00+01:00"
    pattern = suggested_format(example)
    assert pattern == "%m/%d/%Y %H:%M:%S%z"
    parsed = parsed_datetime_values(pl.Series([example]), excel_serials=False, formats=[pattern])
    assert parsed["value"].to_list() == [dt.datetime(2026, 3, 14, 14, 40)]


def _limesurvey_without_dates(
    tmp_path: Path, yml_change: tuple[str, str] = ("", ""), extra: str = ""
) -> Path:
    """The corpus's LimeSurvey export as an anonymised survey writes it: every finished
    response's submit date 1980-01-01 00:00:00, an unfinished one's blank."""
    source = Path(__file__).parent / "exports" / "limesurvey-codes"
    text = (source / "responses.csv").read_text(encoding="utf-8")
    lines = text.splitlines()
    anonymised = [lines[0]] + [
        re.sub(r'^("\d+"),"[^"]+"', r'\1,"1980-01-01 00:00:00"', line) for line in lines[1:]
    ]
    yml = (source / "consultation.yml").read_text(encoding="utf-8").replace(*yml_change) + extra
    return write_consultation(tmp_path, "ls", responses="\n".join(anonymised) + "\n", yml=yml)


def test_limesurvey_dates_of_1980_stop_until_the_export_is_said_to_have_none(
    tmp_path: Path,
) -> None:
    """LimeSurvey writes 1980-01-01 00:00:00 for every response of an anonymised survey:
    read as dates, all would fall outside the real window (or a drafted window of that
    day would be published). Validate stops naming the fix; with ``dates_recorded: false``
    the responses are read with no date, and an unfinished one (blank submit date) is still
    set aside. ``dates_recorded: false`` beside a mapped date column is refused."""
    _limesurvey_without_dates(tmp_path)
    with pytest.raises(
        InputError, match=r"1980-01-01 00:00:00 for all \d+ responses.*dates_recorded: false"
    ):
        prepare_consultation("ls", tmp_path)
    _limesurvey_without_dates(
        tmp_path, ('  submitted_at: "submitdate"', "  # no date"), "dates_recorded: false\n"
    )
    summary = prepare_consultation("ls", tmp_path)
    assert summary.failures_by_rule.get("incomplete") == 1
    clean = _responses(tmp_path, "ls")
    assert (
        clean.height == summary.rows_valid > 0
        and clean["submitted_at"].null_count() == clean.height
    )
    _limesurvey_without_dates(tmp_path, extra="dates_recorded: false\n")
    with pytest.raises(InputError, match="dates_recorded: false says the export has no"):
        prepare_consultation("ls", tmp_path)
