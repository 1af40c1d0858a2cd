"""Write the survey-tool export corpus (issue #17): one small export per tool and setting, in
that tool's own shape (header rows, meta columns, date format, encoding), from one invented
set of respondents. ``docs/survey-tools.md`` says where each shape comes from.

Run ``python tests/exports/build_exports.py`` to write them again; the test
(``tests/test_export_corpus.py``) reads the files as committed. Each folder's
``consultation.yml`` and ``expected.yml`` are written by hand, not here: the expected figures
were worked out from the exports themselves, never from this script's data.

No real respondent's data is used: every answer below is made up.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent

SERVICES = {
    "home": "Home care",
    "day": "Day centres",
    "meals": "Meals, snacks and drinks at home",
    "transport": "Transport to appointments",
}
#: the same options where a tool's one-cell delimiter is a plain comma (Qualtrics)
SHORT = {**SERVICES, "meals": "Meals at home"}
ITEMS = ("Staff are kind", "I get enough time with staff", "I have a say in my care")
RANKED = ("home", "day", "meals")
AGREE = {
    "SD": "Strongly disagree",
    "D": "Disagree",
    "N": "Neither agree nor disagree",
    "A": "Agree",
    "SA": "Strongly agree",
}
QUALTRICS_AGREE = {**AGREE, "D": "Somewhat disagree", "A": "Somewhat agree"}
GROUPS = {
    "SU": "I use care at home services",
    "UC": "I care for a family member or friend",
    "PU": "Member of the public",
}
Q_SERVICES = "Which of these services have you used?"
Q_AGREE = "How much do you agree with each statement?"
Q_RANK = "Please rank these services from most to least important to you."
Q_MORE = "Is there anything else you would like to tell us?"


@dataclass(frozen=True)
class Respondent:
    """One made-up respondent, as the questionnaire asked them."""

    when: datetime
    region: str
    area: str
    group: str
    age: int | None
    band: str | None
    services: tuple[str, ...]
    other: str | None
    agree: tuple[str | None, str | None, str | None]
    ranks: tuple[int, int, int] | None
    more: str | None
    finished: bool = True
    extra: dict[str, str] = field(default_factory=dict)


NONE3 = (None, None, None)
RESPONDENTS: tuple[Respondent, ...] = (
    Respondent(datetime(2026, 3, 2, 9, 12, 44), "North West", "Lancashire", "SU", 34, "25-34",
               ("home", "meals"), None, ("A", "D", "A"), (1, 3, 2), "My carers are wonderful."),
    Respondent(datetime(2026, 3, 14, 14, 40, 3), "London", "Camden", "UC", 71, "65+",
               ("home", "day"), None, ("SA", "A", "N"), (2, 1, 3), None),
    Respondent(datetime(2026, 3, 21, 11, 5, 19), "North West", "Manchester", "PU", None,
               "Prefer not to say", ("transport",), "Help with shopping", ("N", "N", "D"),
               (3, 2, 1), None),
    Respondent(datetime(2026, 3, 25, 16, 22, 57), "London", "Hackney", "PU", 45, "45-54",
               ("home",), None, NONE3, None, None, finished=False),
    Respondent(datetime(2026, 4, 1, 10, 0, 0), "London", "Hackney", "SU", 19, "18-24",
               ("home", "meals"), "Advice line - email me at jo.bloggs@example.com",
               ("A", "A", "SA"), (1, 2, 3), "Please ring before visits."),
    Respondent(datetime(2026, 4, 11, 20, 30, 12), "North West", "Cumberland", "UC", 130,
               "45-54", ("day",), None, ("D", "SD", "D"), None, None),
    Respondent(datetime(2026, 4, 12, 12, 1, 55), "London", "Camden", "SU", 88, "65+",
               ("home", "transport"), None, ("SA", "A", "A"), (1, 3, 2), None),
    Respondent(datetime(2026, 4, 13, 7, 45, 0), "North West", "Lancashire", "PU", None, None,
               (), None, NONE3, None, "I have not used any services yet."),
    Respondent(datetime(2026, 4, 25, 15, 15, 40), "London", "Hackney", "UC", 52, "45-54",
               ("home", "day", "meals"), None, ("A", "N", "A"), (2, 1, 3), None),
    Respondent(datetime(2026, 4, 29, 21, 59, 59), "North West", "Manchester", "SU", 66,
               "55-64", ("home", "meals"), None, ("A", "D", "N"), (1, 2, 3), None),
)  # fmt: skip


def _csv(rows: list[list[str]], quote_all: bool = False) -> str:
    buffer = io.StringIO()
    writer = csv.writer(
        buffer, lineterminator="\r\n", quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerows(rows)
    return buffer.getvalue()


def _write(case: str, name: str, text: str, encoding: str = "utf-8") -> None:
    folder = HERE / case
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(text.encode(encoding))


def _rank_cells(person: Respondent, none: str = "") -> list[str]:
    return [str(r) for r in person.ranks] if person.ranks else [none] * len(RANKED)


# --- SurveyMonkey ----------------------------------------------------------------------------

SM_META = ["Respondent ID", "Collector ID", "Start Date", "End Date", "IP Address",
           "Email Address", "First Name", "Last Name", "Custom Data 1"]  # fmt: skip


def _sm_time(when: datetime) -> str:
    return when.strftime("%m/%d/%Y %I:%M:%S %p")


def surveymonkey_expanded() -> None:
    """Two header rows: questions in row 1 (once, over their first column), option names or
    the words Response / Open-Ended Response in row 2. One column per option holding the
    option's text when ticked; matrix and ranking rows one column each; US dates with AM/PM.
    The fourth respondent is a tester's run from before the survey opened."""
    row1 = [*SM_META, "Where do you live?", "Which best describes you?", "How old are you?",
            Q_SERVICES + " (Tick all that apply)", "", "", "", "", Q_AGREE, "", "", Q_RANK, "",
            "", Q_MORE]  # fmt: skip
    row2 = [""] * len(SM_META) + ["Response", "Response", "Open-Ended Response",
            *SERVICES.values(), "Other (please specify)", *ITEMS,
            *(SERVICES[o] for o in RANKED), "Open-Ended Response"]  # fmt: skip
    rows = [row1, row2]
    for number, person in enumerate(RESPONDENTS, start=1):
        when = datetime(2026, 2, 10, 16, 22, 57) if not person.finished else person.when
        agree = ("A", "A", "A") if not person.finished else person.agree
        ranks = (1, 2, 3) if not person.finished else person.ranks
        person = replace(person, agree=agree, ranks=ranks)
        rows.append(
            [str(114200000 + number), "431876543", _sm_time(when.replace(minute=0)),
             _sm_time(when), "", "", "", "", "",
             "North West England" if person.region == "North West" else person.region,
             GROUPS[person.group], str(person.age) if person.age else ("N/A" if person.band else ""),
             *(SERVICES[o] if o in person.services else "" for o in SERVICES),
             person.other or "", *(AGREE[a] if a else "" for a in person.agree),
             *_rank_cells(person, "N/A"), person.more or ""]
        )  # fmt: skip
    _write("surveymonkey-expanded", "responses.csv", _csv(rows))


def surveymonkey_no_meta() -> None:
    """An expanded export as often shared: the respondent columns (ID, collector, dates, IP,
    e-mail, names) removed, SurveyMonkey's own age bands ("18-29" ... "> 60")."""
    rows = [
        ["Which best describes you?", "What is your age?",
         "Overall, how satisfied are you with the care you receive?",
         "Which of these would help you most?", "", ""],
        ["Response", "Response", "Response", "More visits", "Longer visits",
         "Same carer each time"],
    ]  # fmt: skip
    answers = [
        ("SU", "30-44", "Satisfied", (1, 0, 1)),
        ("UC", "45-60", "Very satisfied", (0, 1, 0)),
        ("PU", "18-29", "Dissatisfied", (1, 1, 0)),
        ("SU", "> 60", "Satisfied", (0, 0, 1)),
        ("SU", "I'd rather not say", "Very dissatisfied", (1, 0, 0)),
        ("UC", "Prefer not to say", "Satisfied", (0, 0, 0)),
        ("PU", "18-29", "", (0, 1, 1)),
        ("SU", "> 60", "Very satisfied", (1, 1, 1)),
    ]
    for group, band, satisfied, ticks in answers:
        options = ("More visits", "Longer visits", "Same carer each time")
        cells = [text if tick else "" for text, tick in zip(options, ticks, strict=True)]
        rows.append([GROUPS[group], band, satisfied, *cells])
    _write("surveymonkey-no-meta", "responses.csv", _csv(rows))


# --- Qualtrics -------------------------------------------------------------------------------

QX_META = [
    ("StartDate", "Start Date", '{"ImportId":"startDate","timeZone":"Europe/London"}'),
    ("EndDate", "End Date", '{"ImportId":"endDate","timeZone":"Europe/London"}'),
    ("Status", "Response Type", '{"ImportId":"status"}'),
    ("IPAddress", "IP Address", '{"ImportId":"ipAddress"}'),
    ("Progress", "Progress", '{"ImportId":"progress"}'),
    ("Duration (in seconds)", "Duration (in seconds)", '{"ImportId":"duration"}'),
    ("Finished", "Finished", '{"ImportId":"finished"}'),
    ("RecordedDate", "Recorded Date", '{"ImportId":"recordedDate","timeZone":"Europe/London"}'),
    ("ResponseId", "Response ID", '{"ImportId":"_recordId"}'),
    ("RecipientLastName", "Recipient Last Name", '{"ImportId":"recipientLastName"}'),
    ("RecipientFirstName", "Recipient First Name", '{"ImportId":"recipientFirstName"}'),
    ("RecipientEmail", "Recipient Email", '{"ImportId":"recipientEmail"}'),
    ("ExternalReference", "External Data Reference", '{"ImportId":"externalDataReference"}'),
    ("LocationLatitude", "Location Latitude", '{"ImportId":"locationLatitude"}'),
    ("LocationLongitude", "Location Longitude", '{"ImportId":"locationLongitude"}'),
    ("DistributionChannel", "Distribution Channel", '{"ImportId":"distributionChannel"}'),
    ("UserLanguage", "User Language", '{"ImportId":"userLanguage"}'),
]
QX_QUESTIONS = [
    ("Q1", "Where do you live?", '{"ImportId":"QID1"}'),
    ("Q2", "Which best describes you?", '{"ImportId":"QID2"}'),
    ("Q3", "What is your age?", '{"ImportId":"QID3_TEXT"}'),
    ("Q4", Q_SERVICES + " - Selected Choice", '{"ImportId":"QID4"}'),
    ("Q4_5_TEXT", Q_SERVICES + " - Other (please specify) - Text",
     '{"ImportId":"QID4_5_TEXT"}'),
    *((f"Q5_{i}", f"{Q_AGREE} - {item}", f'{{"ImportId":"QID5_{i}"}}')
      for i, item in enumerate(ITEMS, start=1)),
    *((f"Q6_{i}", f"{Q_RANK} - {SHORT[o]}", f'{{"ImportId":"QID6_{i}"}}')
      for i, o in enumerate(RANKED, start=1)),
    ("Q7", Q_MORE, '{"ImportId":"QID7_TEXT"}'),
]  # fmt: skip


def _qualtrics_rows(numeric: bool) -> list[list[str]]:
    columns = QX_META + QX_QUESTIONS
    rows = [[c[0] for c in columns], [c[1] for c in columns], [c[2] for c in columns]]
    codes = {"home": "1", "day": "2", "meals": "3", "transport": "4"}
    scale = list(QUALTRICS_AGREE)
    for number, person in enumerate(RESPONDENTS, start=1):
        chosen = [o for o in SERVICES if o in person.services]
        if numeric:
            multi = [codes[o] for o in chosen] + (["5"] if person.other else [])
            region = {"North West": "1", "London": "2"}[person.region]
            group = str(list(GROUPS).index(person.group) + 1)
            agree = [str(scale.index(a) + 1) if a else "" for a in person.agree]
            finished = "1" if person.finished else "0"
        else:
            multi = [SHORT[o] for o in chosen] + (
                ["Other (please specify)"] if person.other else []
            )
            region, group = person.region, GROUPS[person.group]
            agree = [QUALTRICS_AGREE[a] if a else "" for a in person.agree]
            finished = "True" if person.finished else "False"
        stamp = person.when.strftime("%Y-%m-%d %H:%M:%S")
        rows.append(
            [stamp, stamp, "0" if numeric else "IP Address", "", "100" if person.finished else "40",
             "312", finished, stamp, f"R_{number:02d}xQ7bN3kLmP9sT4v", "", "", "", "", "", "",
             "anonymous", "EN-GB", region, group, str(person.age or ""), ",".join(multi),
             person.other or "", *agree, *_rank_cells(person), person.more or ""]
        )  # fmt: skip
    return rows


def qualtrics() -> None:
    """Three header rows (short names, question text, ImportId JSON); a UTF-8 file with a
    byte-order mark; ISO dates; one-cell multi-select joined by commas; "Other" a choice of its
    own with its text in ``Q4_5_TEXT``; an unfinished response (Finished False, Progress 40)."""
    _write("qualtrics-choice-text", "responses.csv", _csv(_qualtrics_rows(False)), "utf-8-sig")
    _write("qualtrics-numeric", "responses.csv", _csv(_qualtrics_rows(True)), "utf-8-sig")


# --- Google Forms ----------------------------------------------------------------------------


def _google_rows(stamp: str) -> list[list[str]]:
    header = ["Timestamp", "Email Address", "Where do you live?", "Which area do you live in?",
              "Which best describes you?", "Which age group are you in?", Q_SERVICES,
              *(f"{Q_AGREE} [{item}]" for item in ITEMS), Q_MORE]  # fmt: skip
    rows = [header]
    for number, person in enumerate(RESPONDENTS, start=1):
        agree = person.agree if person.finished else ("A", "A", "A")
        ticked = [SERVICES[o] for o in SERVICES if o in person.services]
        other = [person.other] if person.other and "@" not in person.other else []
        rows.append(
            [_google_time(person.when, stamp), f"resident{number:02d}@example.org", person.region,
             person.area, GROUPS[person.group], person.band or "", ", ".join(ticked + other),
             *(AGREE[a] if a else "" for a in agree), person.more or ""]
        )  # fmt: skip
    return rows


def _google_time(when: datetime, locale: str) -> str:
    if locale == "us":  # M/d/yyyy H:mm:ss, no leading zeros
        return f"{when.month}/{when.day}/{when.year} {when.hour}:{when:%M:%S}"
    return when.strftime("%d/%m/%Y %H:%M:%S")


def google_forms() -> None:
    """The responses sheet downloaded as CSV: ``Timestamp`` in the sheet's locale, no
    response id, checkboxes in one cell joined by ", " (an "Other" answer written into the
    same cell), a grid as one column per row headed ``Question [Row]``."""
    _write("google_forms-uk", "responses.csv", _csv(_google_rows("uk")))
    us = _csv(_google_rows("us"))
    _write("google_forms-us", "responses.csv", us)
    _write("google_forms-us-no-date-format", "responses.csv", us)


# --- Microsoft Forms -------------------------------------------------------------------------


#: a header that is not ASCII: read right only when the file is decoded as what it is
MS_MORE = "Anything else, for example costs in £ or café visits?"


def _ms_rows() -> list[list[object]]:
    header = ["ID", "Start time", "Completion time", "Email", "Name", "Last modified time",
              "Where do you live?", "Which best describes you?", "How old are you?", Q_SERVICES,
              *ITEMS, Q_RANK, MS_MORE]  # fmt: skip
    rows: list[list[object]] = [header]
    for person in (p for p in RESPONDENTS if p.finished):
        ticked = [SHORT[o] for o in SERVICES if o in person.services]
        ticked += [person.other] if person.other and "@" not in person.other else []
        ranking = (
            "".join(SHORT[o] + ";" for _, o in sorted(zip(person.ranks, RANKED, strict=True)))
            if person.ranks
            else ""
        )
        more = person.more
        if more and more.startswith("My carers"):
            more = "My carers are wonderful – worth every £."
        rows.append(
            [len(rows), person.when.replace(minute=0), person.when, "anonymous", "", "",
             person.region, GROUPS[person.group], person.age if person.age else "",
             "".join(t + ";" for t in ticked), *(AGREE[a] if a else "" for a in person.agree),
             ranking, more or ""]
        )  # fmt: skip
    return rows


def microsoft_forms() -> None:
    """The Excel workbook Forms downloads (dates as real date-times, multi-select and ranking
    in one cell each, every choice followed by ";"), and the same sheet opened in Excel (UK)
    and saved as "CSV": Windows-1252 text, dates as Excel shows them (dd/mm/yyyy hh:mm)."""
    import xlsxwriter

    rows = _ms_rows()
    folder = HERE / "microsoft_forms-xlsx"
    folder.mkdir(exist_ok=True)
    book = xlsxwriter.Workbook(str(folder / "responses.xlsx"))
    book.set_properties({"created": datetime(2026, 5, 1, 9, 0, 0)})  # the same bytes each run
    sheet = book.add_worksheet("Sheet1")
    stamp = book.add_format({"num_format": "m/d/yy h:mm:ss"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c, value, stamp)
            elif value != "":
                sheet.write(r, c, value)
    book.close()
    text_rows = [
        [v.strftime("%d/%m/%Y %H:%M") if isinstance(v, datetime) else str(v) for v in row]
        for row in rows
    ]
    _write("microsoft_forms-excel-csv-cp1252", "responses.csv", _csv(text_rows), "cp1252")


# --- LimeSurvey ------------------------------------------------------------------------------


def _lime_rows(full: bool) -> list[list[str]]:
    region_codes = {"North West": "A1", "London": "A2"}
    if full:
        meta = ["Response ID", "Date submitted", "Last page", "Start language", "Seed",
                "Date started", "Date last action", "Where do you live?",
                "Which best describes you?", "What is your age?"]  # fmt: skip
        options = [f"{Q_SERVICES} [{SERVICES[o]}]" for o in SERVICES] + [f"{Q_SERVICES} [Other]"]
        grid = [f"{Q_AGREE} [{item}]" for item in ITEMS]
        ranks = [f"{Q_RANK} [Ranking {i}]" for i in range(1, 4)]
        more = Q_MORE
    else:
        meta = ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate",
                "datestamp", "region", "group", "age"]  # fmt: skip
        options = [f"services[SQ00{i}]" for i in range(1, 5)] + ["services[other]"]
        grid = [f"agree[SQ00{i}]" for i in range(1, 4)]
        ranks = [f"rank[{i}]" for i in range(1, 4)]
        more = "more"
    rows = [[*meta, *options, *grid, *ranks, more]]
    scale = list(AGREE)
    for number, person in enumerate(RESPONDENTS, start=1):
        stamp = person.when.strftime("%Y-%m-%d %H:%M:%S")
        submitted = stamp if person.finished else ""
        if full:
            ticks = [("Yes" if o in person.services else "No") if person.finished else ""
                     for o in SERVICES]  # fmt: skip
            answers = [person.region, GROUPS[person.group]]
            agree = [AGREE[a] if a else "" for a in person.agree]
            order = _rank_order(person, lambda o: SERVICES[o])
        else:
            ticks = ["Y" if o in person.services else "" for o in SERVICES]
            answers = [region_codes[person.region], person.group]
            agree = [f"A{scale.index(a) + 1}" if a else "" for a in person.agree]
            order = _rank_order(person, lambda o: f"A{RANKED.index(o) + 1}")
        rows.append(
            [str(number), submitted, "3" if person.finished else "1", "en", str(48213 + number),
             stamp, stamp, *answers, str(person.age or ""), *ticks, person.other or "", *agree,
             *order, person.more or ""]
        )  # fmt: skip
    return rows


def _rank_order(person: Respondent, name) -> list[str]:
    """A LimeSurvey ranking: one column per rank position, holding the option placed there."""
    if not person.ranks:
        return ["", "", ""]
    return [name(o) for _, o in sorted(zip(person.ranks, RANKED, strict=True))]


def limesurvey() -> None:
    """Responses exported as CSV, every field quoted: question codes and answer codes
    (multiple choice "Y" or blank), and full question text with full answers (Y and N
    converted to "Yes" and "No"). An unfinished response has no submit date."""
    _write("limesurvey-codes", "responses.csv", _csv(_lime_rows(False), quote_all=True))
    _write("limesurvey-full-text", "responses.csv", _csv(_lime_rows(True), quote_all=True))


if __name__ == "__main__":
    surveymonkey_expanded()
    surveymonkey_no_meta()
    qualtrics()
    google_forms()
    microsoft_forms()
    limesurvey()
