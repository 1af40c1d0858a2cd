"""Write the hostile and messy-input corpus (issue #7) deterministically.

Every case is a consultation folder beside this script: consultation.yml, a responses export
(CSV in UTF-8, UTF-8 with BOM or cp1252, or an .xlsx), optional events/attendance/coding/
actions CSVs, its own regions.csv (one region of two localities, so a report run is quick) and
expected.yml, the outcome tests/test_corpus.py checks. The committed files are what the test
reads; run ``python tests/corpus/build_corpus.py`` only to regenerate them after editing here.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import struct
import zlib
from pathlib import Path

import yaml

from pipelines.contract import TABLE_COLUMNS

HERE = Path(__file__).resolve().parent

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
REGION = "North West"
LOCALITIES = ("Cumbria", "Lancashire")

GROUPS = {"service_user": "People who use services", "unpaid_carer": "Family and unpaid carers"}

# Hostile strings reused in comments and in names.
SCRIPT = "<script>alert('x')</script>"
IMG = '<img src=x onerror="alert(1)">'
JS_LINK = "[click me](javascript:alert(1))"
HTML_LINK = '<a href="javascript:alert(2)">link</a>'
EXT_LINK = '<a href="https://evil.example/">track</a> ![pixel](https://evil.example/p.png)'
MARKDOWN = "# Heading **bold** _em_ `code` > quote"
EMOJI = "👍🏽 care 💙"
RTL = "\u202eRTL override\u202c مرحبا بكم שלום"
#: What is stored of RTL: bidirectional overrides are stripped from every text (#15).
RTL_STORED = "RTL override مرحبا بكم שלום"


def consultation(
    questions: list[dict] | None = None,
    groups: dict[str, str] | None = None,
    **extra: object,
) -> dict:
    doc: dict = {
        "title": "Corpus consultation",
        "owner": "Test team",
        "opened": dt.date(2026, 3, 1),
        "closed": dt.date(2026, 5, 31),
        "columns": {
            "response_id": "Respondent ID",
            "submitted_at": "Completed",
            "channel": "How did you respond?",
            "region": "Region",
            "locality": "Area",
            "group": "Which best describes you?",
            "age_band": "Age",
            "consent_to_quote": "May we quote you?",
        },
        "groups": groups or GROUPS,
        "values": {"group": {"I use care at home services": "service_user"}},
        "questions": questions
        or [
            {"id": "q1", "text": "What matters most?", "type": "free_text", "column": "Q1"},
            {
                "id": "q2",
                "text": "Which work streams?",
                "type": "multi",
                "column": "Q2",
                "options": ["settings", "workforce"],
                "labels": {
                    "settings": "Dignity in care settings",
                    "workforce": "Workforce development",
                },
            },
            {
                "id": "q3",
                "text": "Care is good",
                "type": "likert",
                "column": "Q3",
                "scale": ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"],
            },
            {"id": "q4", "text": "Hours of care a week", "type": "number", "column": "Q4"},
        ],
    }
    doc.update(extra)
    return doc


def row(i: int, **cells: str) -> list[str]:
    """A valid response row; ``cells`` override by header."""
    base = {
        "Respondent ID": f"r{i}",
        "Completed": f"{2 + i % 20:02d}/03/2026 10:{i % 60:02d}:00",
        "IP Address": f"10.0.0.{i}",
        "How did you respond?": "Online",
        "Region": REGION,
        "Area": LOCALITIES[i % 2],
        "Which best describes you?": "I use care at home services" if i % 3 else "unpaid_carer",
        "Age": "75 - 84",
        "May we quote you?": "Yes",
        "Q1": f"Comment number {i} about care at home and what matters most.",
        "Q2": "Dignity in care settings;workforce",
        "Q3": "Agree",
        "Q4": str(i),
    }
    base.update(cells)
    return [base[h] for h in HEADER]


def csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def regions_csv(region: str = REGION, localities: tuple[str, str] = LOCALITIES) -> str:
    return csv_text(["region", "locality"], [[region, loc] for loc in localities])


def write_case(
    name: str,
    expected: dict,
    yml: dict | str,
    files: dict[str, str | bytes],
    regions: str | None = None,
) -> None:
    folder = HERE / name
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir()
    text = yml if isinstance(yml, str) else yaml.safe_dump(yml, sort_keys=False, allow_unicode=True)
    (folder / "consultation.yml").write_text(text, encoding="utf-8")
    (folder / "regions.csv").write_text(regions or regions_csv(), encoding="utf-8", newline="")
    for file_name, content in files.items():
        if isinstance(content, bytes):
            (folder / file_name).write_bytes(content)
        else:
            (folder / file_name).write_text(content, encoding="utf-8", newline="")
    (folder / "expected.yml").write_text(
        yaml.safe_dump(expected, sort_keys=False, allow_unicode=True), encoding="utf-8"
    )


def excel_serial(when: dt.datetime) -> float:
    delta = when - dt.datetime(1899, 12, 30)
    return delta.days + delta.seconds / 86400


def xlsx_bytes(header: list[str], second: list[str], rows: list[list[object]]) -> bytes:
    """An .xlsx with a header row, a survey tool's second header row and the data rows.

    xlsxwriter stamps the creation time into docProps/core.xml; it is fixed so reruns of
    this script write the same bytes.
    """
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.set_properties({"created": dt.datetime(2026, 1, 1)})
    sheet = book.add_worksheet("Responses")
    for c, value in enumerate(header):
        sheet.write_string(0, c, value)
    for c, value in enumerate(second):
        sheet.write_string(1, c, value)
    for r, cells in enumerate(rows, start=2):
        for c, value in enumerate(cells):
            if isinstance(value, float | int):
                sheet.write_number(r, c, value)
            elif value:
                sheet.write_string(r, c, value)
    book.close()
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A 1x1 PNG: a file that is not CSV at all."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


def coding_for(ids: list[str], theme: str) -> str:
    return csv_text(["response_id", "question_id", "theme"], [[i, "q1", theme] for i in ids])


# --------------------------------------------------------------------------------------
# Cases
# --------------------------------------------------------------------------------------

ACCENTED = "Carers are kind – £5 well spent, café naïve résumé"


def encodings() -> None:
    rows = [row(1, Q1=ACCENTED), row(2, Q1="Señora Müller – “quoted” £12.50"), row(3)]
    text = csv_text(HEADER, rows)
    expected = {
        "exit": 0,
        "encoding": "cp1252",
        "quarantine": [],
        "comments_contain": ["£5", "café", "–", "Müller", "“quoted”"],
    }
    write_case("cp1252_pound_accents", expected, consultation(), {})
    (HERE / "cp1252_pound_accents" / "responses.csv").write_bytes(text.encode("cp1252"))
    expected = {**expected, "encoding": "utf-8-sig"}
    write_case("utf8_bom_accents", expected, consultation(), {})
    (HERE / "utf8_bom_accents" / "responses.csv").write_bytes(
        b"\xef\xbb\xbf" + text.encode("utf-8")
    )


def excel_serials() -> None:
    second = ["Open-ended response" if h.startswith("Q") else "" for h in HEADER]
    rows: list[list[object]] = []
    for i in range(1, 5):
        cells: list[object] = list(row(i))
        cells[1] = excel_serial(dt.datetime(2026, 3, 1 + i, 9, 30))
        cells[12] = float(i)  # a number cell in the number question
        rows.append(cells)
    # A serial far outside the window (1 January 2020) is quarantined, not crashed on.
    late: list[object] = list(row(5))
    late[1] = excel_serial(dt.datetime(2020, 1, 1, 12, 0))
    rows.append(late)
    config = consultation(source="responses.xlsx", header_rows=2)
    files = {"responses.xlsx": xlsx_bytes(HEADER, second, rows)}
    expected = {
        "exit": 0,
        "encoding": "xlsx",
        "rows_valid": 4,
        "quarantine": [{"rule": "submitted_at_in_window", "field": "submitted_at"}],
        "submitted_dates": ["2026-03-02", "2026-03-03", "2026-03-04", "2026-03-05"],
    }
    write_case("xlsx_serials_second_header", expected, config, files)
    # The same workbook: a serial for 09:30:00 must come back as 09:30:00 exactly.
    expected = {
        "exit": 0,
        "submitted_at": ["2026-03-02T09:30:00", "2026-03-03T09:30:00"],
    }
    write_case("xlsx_serial_time_exact", expected, config, files)


def multi_select() -> None:
    header = [h for h in HEADER if h != "Q2"] + ["Q2 - Care settings", "Q2 - Workforce"]
    questions = consultation()["questions"]
    questions[1] = {
        "id": "q2",
        "text": "Which work streams?",
        "type": "multi",
        "columns": {"settings": "Q2 - Care settings", "workforce": "Q2 - Workforce"},
        "labels": {"settings": "Dignity in care settings", "workforce": "Workforce development"},
    }
    chosen = [("Care settings", "Workforce"), ("1", ""), ("", "x"), ("", ""), ("Yes", "  ")]
    rows = []
    for i, (a, b) in enumerate(chosen, start=1):
        cells = dict(zip(HEADER, row(i), strict=True))
        del cells["Q2"]
        rows.append([*cells.values(), a, b])
    expected = {
        "exit": 0,
        "quarantine": [],
        "answers": {"q2": {"settings": 3, "workforce": 2}},
    }
    write_case(
        "multi_select_per_option",
        expected,
        consultation(questions=questions),
        {"responses.csv": csv_text(header, rows)},
    )


def duplicates() -> None:
    rows = [
        row(1),
        row(2),
        row(1, Q1="A second submission with the same id"),
        row(2, Q1="And another"),
        # A survey tool's preview/test submission made before launch: outside the window.
        row(90, **{"Respondent ID": "TEST-1", "Completed": "01/01/2026 09:00", "Q1": "test"}),
        row(3),
    ]
    expected = {
        "exit": 0,
        "rows_valid": 3,
        "quarantine": [
            {"rule": "response_id_unique", "field": "response_id"},
            {"rule": "submitted_at_in_window", "field": "submitted_at"},
        ],
        "comments_exclude": ["A second submission with the same id", "And another"],
    }
    write_case(
        "duplicate_and_test_submissions",
        expected,
        consultation(),
        {"responses.csv": csv_text(HEADER, rows)},
    )


def unknown_labels() -> None:
    rows = [
        row(1),
        row(2, **{"Which best describes you?": "Astronaut"}),
        row(3, Age="200"),
        row(4, **{"How did you respond?": "Carrier pigeon"}),
        row(5, Region="Narnia", Area=""),
        row(6, Area="Camden"),
        row(7, Q3="Sort of"),
        row(8, Q2="settings;Underwater basket weaving"),
        row(9, Q4="a dozen"),
    ]
    expected = {
        "exit": 0,
        "quarantine": [
            {"rule": "group_known", "field": "group"},
            {"rule": "code_known", "field": "age_band"},
            {"rule": "channel_known", "field": "channel"},
            {"rule": "region_known", "field": "region"},
            {"rule": "locality_in_region", "field": "locality"},
            {"rule": "answer_known", "field": "q3"},
            {"rule": "answer_known", "field": "q2"},
            {"rule": "number_parseable", "field": "q4"},
        ],
    }
    write_case(
        "unknown_labels", expected, consultation(), {"responses.csv": csv_text(HEADER, rows)}
    )


def unusable() -> None:
    header = [h for h in HEADER if h != "Region"]
    rows = [[c for h, c in zip(HEADER, row(i), strict=True) if h != "Region"] for i in (1, 2)]
    write_case(
        "missing_required_column",
        {"exit": 2, "message_contains": "Region"},
        consultation(),
        {"responses.csv": csv_text(header, rows)},
    )
    write_case(
        "empty_file",
        {"exit": 2, "message_contains": "empty"},
        consultation(),
        {"responses.csv": ""},
    )
    write_case(
        "header_only_bom_file",
        {"exit": 2, "message_contains": "empty"},
        consultation(),
        {"responses.csv": b"\xef\xbb\xbf\r\n"},
    )
    write_case(
        "not_csv_png",
        {"exit": 2, "message_contains": "responses.csv"},
        consultation(),
        {"responses.csv": png_bytes()},
    )
    write_case(
        "xlsx_that_is_text",
        {"exit": 2, "message_contains": "responses.xlsx"},
        consultation(source="responses.xlsx"),
        {"responses.xlsx": csv_text(HEADER, [row(1)])},
    )
    write_case(
        "not_utf8_or_cp1252",
        {"exit": 2, "message_contains": "responses.csv"},
        consultation(),
        # 0x81 is undefined in cp1252 and not valid UTF-8.
        {"responses.csv": csv_text(HEADER, [row(1)]).encode("ascii") + b"\x81\x8d\x8f\x90\x9d"},
    )


def large_cell() -> None:
    big = "START " + ("Care at home matters. " * 9500) + " reach me at big@example.org END"
    rows = [row(1, Q1=big), row(2)]
    expected = {
        "exit": 0,
        "quarantine": [],
        "comments_contain": ["START Care at home", "END", "[email removed]"],
        "comments_exclude": ["big@example.org"],
        "min_comment_length": 200_000,
    }
    write_case(
        "very_large_cell", expected, consultation(), {"responses.csv": csv_text(HEADER, rows)}
    )


HOSTILE_COMMENTS = [
    SCRIPT,
    IMG,
    JS_LINK,
    HTML_LINK,
    EXT_LINK,
    MARKDOWN,
    EMOJI,
    RTL,
    "<iframe src='javascript:alert(3)'></iframe>",
    "<svg onload=alert(4)><style>body{display:none}</style>",
    "</blockquote></p><p onclick=alert(5)>escaped?",
    "<!-- comment --> &amp; &lt;b&gt; <b>bold</b>",
]


def hostile_comments() -> None:
    n = 12
    rows = [
        row(
            i,
            Q1=f"Comment {i}: {HOSTILE_COMMENTS[i - 1]} and {SCRIPT} care at home matters.",
            Area=LOCALITIES[i % 2],
        )
        for i in range(1, n + 1)
    ]
    ids = [f"r{i}" for i in range(1, n + 1)]
    expected = {
        "exit": 0,
        "quarantine": [],
        "comments_contain": [SCRIPT, IMG, EMOJI, RTL_STORED, MARKDOWN],
        "comments_exclude": ["\u202eRTL", "override\u202c"],
        "report": True,
        "html_contains": ["&lt;script&gt;alert("],
    }
    write_case(
        "hostile_comments",
        expected,
        consultation(),
        {
            "responses.csv": csv_text(HEADER, rows),
            "coding.csv": coding_for(ids, "Staff attitude"),
        },
    )


def hostile_names() -> None:
    region = "<script>alert('region')</script> Coast"
    localities = ('<img src=x onerror="alert(1)">ville', "javascript:alert(2) Dale 👍🏽 שלום")
    groups = {
        "service_user": "<script>alert('group')</script> users",
        "unpaid_carer": "Carers <a href='https://evil.example/'>link</a> **md**",
    }
    theme = "<img src=x onerror=alert('theme')> Staff \u202eattitude\u202c"
    questions = consultation()["questions"]
    questions[0]["text"] = "What matters <script>alert('q')</script> most?"
    questions[1]["labels"] = {
        "settings": "<b onmouseover=alert(1)>Dignity</b>",
        "workforce": "[x](javascript:alert(1)) Workforce",
    }
    n = 24
    rows = [
        row(
            i,
            Region=region,
            Area=localities[i % 2],
            **{"Which best describes you?": groups["service_user"] if i % 2 else "unpaid_carer"},
            Q1=f"Comment {i} long enough to be quoted in the report about care at home.",
            Q2="settings;workforce",
        )
        for i in range(1, n + 1)
    ]
    ids = [f"r{i}" for i in range(1, n + 1)]
    events = csv_text(
        ["event_id", "title", "date", "venue", "region", "locality", "format", "ladder_rung"],
        [
            [
                "e1",
                "<script>alert('event')</script> drop-in",
                "2026-03-10",
                IMG,
                region,
                localities[0],
                "drop_in",
                "consulting",
            ],
            [
                "e2",
                "Café – forum",
                "2026-03-11",
                "Hall",
                region,
                localities[1],
                "meeting",
                "engaging",
            ],
        ],
    )
    attendance = csv_text(
        ["event_id", "group", "attendees"],
        [["e1", "service_user", "14"], ["e1", "unpaid_carer", "11"], ["e2", "service_user", "12"]],
    )
    actions = csv_text(
        list(TABLE_COLUMNS["actions"]),
        [
            [
                "a1",
                region,
                localities[0],
                theme,
                "<script>alert('said')</script>",
                '<a href="javascript:alert(1)">did</a>',
                IMG,
                "done",
                "2026-06-30",
                "2026-07-01",
            ],
        ],
    )
    expected = {
        "exit": 0,
        "quarantine": [],
        "report": True,
        "html_contains": ["&lt;script&gt;alert(", "&lt;img src=x onerror="],
    }
    write_case(
        "hostile_names",
        expected,
        consultation(questions=questions, groups=groups, values={}),
        {
            "responses.csv": csv_text(HEADER, rows),
            "coding.csv": coding_for(ids, theme),
            "events.csv": events,
            "attendance.csv": attendance,
            "actions.csv": actions,
        },
        regions=regions_csv(region, localities),
    )


def formula_cells() -> None:
    localities = ('=HYPERLINK("http://evil.example","Cumbria")', "+Lancashire")
    groups = {"service_user": "-2+3 users", "unpaid_carer": "@SUM(1+1) carers"}
    theme = "=cmd|' /C calc'!A0"
    n = 24
    rows = [
        row(
            i,
            Area=localities[i % 2],
            **{"Which best describes you?": "service_user" if i % 2 else "unpaid_carer"},
            Q1=f"=1+1 comment {i} that is long enough to be quoted in the report.",
        )
        for i in range(1, n + 1)
    ]
    ids = [f"r{i}" for i in range(1, n + 1)]
    events = csv_text(
        ["event_id", "title", "date", "venue", "region", "locality", "format", "ladder_rung"],
        [
            [
                "e1",
                '=HYPERLINK("http://x")',
                "2026-03-10",
                "@venue",
                REGION,
                localities[0],
                "drop_in",
                "consulting",
            ]
        ],
    )
    attendance = csv_text(
        ["event_id", "group", "attendees"],
        [["e1", "service_user", "15"], ["e1", "unpaid_carer", "12"]],
    )
    actions = csv_text(
        list(TABLE_COLUMNS["actions"]),
        [
            [
                "a1",
                REGION,
                localities[0],
                theme,
                "=1+1",
                "-1",
                "@owner",
                "done",
                "2026-06-30",
                "2026-07-01",
            ]
        ],
    )
    expected = {"exit": 0, "quarantine": [], "report": True}
    write_case(
        "formula_cells",
        expected,
        consultation(groups=groups, values={}),
        {
            "responses.csv": csv_text(HEADER, rows),
            "coding.csv": coding_for(ids, theme),
            "events.csv": events,
            "attendance.csv": attendance,
            "actions.csv": actions,
        },
        regions=regions_csv(REGION, localities),
    )


PII = {
    "alice.smith+care@example.co.uk": "email",
    "+44 7700 900123": "phone",
    "+447700900456": "phone",
    "07700 900789": "phone",
    "01632 960001": "phone",
    "(01632) 960 002": "phone",
    "943 476 5919": "number",
    "943 476 5918": "number",
    "9434765870": "number",
    "943-476-5919": "number",
    "ZZ99 3VZ": "postcode",
    "SW1A 1AA": "postcode",
    "sw1a1aa": "postcode",
    "https://example.com/my-page?id=7": "url",
    "www.example.org/contact": "url",
}


def pii_comments() -> None:
    items = list(PII)
    n = 15
    rows = [
        row(
            i,
            Q1=f"Comment {i}: please contact me at {items[i - 1]} about care at home, thanks.",
        )
        for i in range(1, n + 1)
    ]
    ids = [f"r{i}" for i in range(1, n + 1)]
    expected = {
        "exit": 0,
        "quarantine": [],
        "report": True,
        "comments_contain": ["[email removed]", "[phone number removed]", "[postcode removed]"],
        "comments_exclude": items + ["9434765919", "7700 900", "1632 960", "example.com"],
        # NHS numbers are removed, but the ledger counts them as phone numbers (phonenumbers
        # matches them first), so only the total of the two kinds is checked.
        "redaction_at_least": {"email": 1, "url": 2, "postcode": 3, "phone+number": 9},
    }
    write_case(
        "pii_comments",
        expected,
        consultation(),
        {"responses.csv": csv_text(HEADER, rows), "coding.csv": coding_for(ids, "Contact")},
    )


def zip_bomb_xlsx(megabytes: int) -> bytes:
    """A workbook whose one worksheet unzips to ``megabytes`` MB at about 1000:1 (one cell of
    one letter repeated): a small zip bomb, fixed timestamps so reruns write the same bytes."""
    import zipfile

    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://'
            'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
            'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+'
            'xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://'
            'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://'
            'schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Responses" '
            'sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://'
            'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>'
        ),
    }
    cells = "".join(
        f'<c r="{chr(65 + c)}1" t="inlineStr"><is><t>{h}</t></is></c>' for c, h in enumerate(HEADER)
    )
    head = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.'
        f'openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">{cells}</row>'
        '<row r="2"><c r="J2" t="inlineStr"><is><t>'
    ).encode()
    buffer = io.BytesIO()
    stamp = (2026, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, stamp), text)
        sheet = zipfile.ZipInfo("xl/worksheets/sheet1.xml", stamp)
        sheet.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(sheet, "w") as stream:
            stream.write(head)
            block = b"A" * (1 << 20)
            for _ in range(megabytes):
                stream.write(block)
            stream.write(b"</t></is></c></row></sheetData></worksheet>")
    return buffer.getvalue()


def bounded_inputs() -> None:
    """Issue #15, Must 4: NUL bytes past the first 4 KB, a ``source:`` outside the folder and
    a workbook that unzips 1000:1 are refused (exit 2) before anything is written."""
    rows = [
        row(i, Q1="Fine until here\x00 then binary") if i == 100 else row(i) for i in range(1, 121)
    ]
    write_case(
        "nul_byte_after_4kb",
        {"exit": 2, "message_contains": "responses.csv, row 101: a cell holds a NUL byte"},
        consultation(),
        {"responses.csv": csv_text(HEADER, rows)},
    )
    write_case(
        "source_outside_folder",
        {"exit": 2, "message_contains": "source: Value error, must be the name of a file"},
        consultation(source="../hostile_names/responses.csv"),
        {"responses.csv": csv_text(HEADER, [row(1), row(2)])},
    )
    write_case(
        "xlsx_zip_bomb",
        {"exit": 2, "message_contains": "max_xlsx_ratio"},
        consultation(source="responses.xlsx"),
        {"responses.xlsx": zip_bomb_xlsx(50)},
    )


def main() -> None:
    encodings()
    excel_serials()
    multi_select()
    duplicates()
    unknown_labels()
    unusable()
    large_cell()
    hostile_comments()
    hostile_names()
    formula_cells()
    pii_comments()
    bounded_inputs()


if __name__ == "__main__":
    main()
