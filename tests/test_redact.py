"""Redaction of contact details and identifying details from free text (issue #15, Must 2).

Each disguise the issue lists is removed and counted as its kind; ordinary NHS feedback
stays as written. Adversarial inputs are in ``test_redact_stress.py``, every stored output
in ``test_redact_outputs.py``.
"""

from __future__ import annotations

import unicodedata

import pytest

from pipelines.redact import PLACEHOLDERS, RedactionLog, redact, redact_many


def removed(text: str) -> tuple[str, dict[str, int]]:
    log = RedactionLog()
    cleaned = redact(text, log)
    return cleaned, {kind: n for kind, n in log.as_dict().items() if n}


@pytest.mark.parametrize(
    ("text", "kind", "secret"),
    [
        ("mail jo.bloggs+care@example.org today", "email", "jo.bloggs+care@example.org"),
        ("see https://example.com/a?b=c for more", "url", "example.com/a"),
        ("see www.example.com/page", "url", "www.example.com"),
        ("ring +44 7700 900123 please", "phone", "7700 900123"),
        ("ring 07700 900456", "phone", "07700 900456"),
        ("office 01632 960001", "phone", "01632 960001"),
        ("office (01632) 960002", "phone", "960002"),
        ("NHS 943 476 5919 (valid check digit)", "number", "943 476 5919"),
        ("NHS 9434765918 (invalid check digit)", "number", "9434765918"),
        ("number 943-476-5910", "number", "943-476-5910"),
        ("I live at ZZ99 3VZ", "postcode", "ZZ99 3VZ"),
        ("near SW1A 1AA", "postcode", "SW1A 1AA"),
        ("postcode m1 1ae lower case", "postcode", "m1 1ae"),
    ],
)
def test_each_kind_of_detail_is_removed_and_counted(text: str, kind: str, secret: str) -> None:
    cleaned, counts = removed(text)
    assert secret not in cleaned
    assert PLACEHOLDERS[kind] in cleaned
    assert counts == {kind: 1}


#: Every disguise issue #15 lists (and a few more of each kind): the text, the kind it is
#: counted as, and what must not survive (the normalised digits or local part included).
DISGUISES = [
    ("email me: jo145\u200b@nhs.net", "email", ["jo145", "nhs.net"]),
    ("email jo.bloggs\uff20nhs.net", "email", ["bloggs", "nhs.net", "\uff20"]),
    ("email jo.bloggs @ nhs.net", "email", ["bloggs", "nhs.net"]),
    ("email jo.bloggs[at]nhs.net", "email", ["bloggs", "nhs.net"]),
    ("email jo.bloggs (at) nhs (dot) net", "email", ["bloggs", "nhs"]),
    ("write to jo dot bloggs at nhs dot net please", "email", ["bloggs", "nhs"]),
    ("mail jo.bloggs@nhs\u2024net now", "email", ["bloggs", "nhs"]),
    ("text 07700\u2009900\u2009123 any time", "phone", ["07700", "900", "123"]),
    ("text 07700\u00a0900\u202f456", "phone", ["07700", "900", "456"]),
    ("ring 0161\u2013496\u20140000", "phone", ["0161", "496", "0000"]),
    ("ring +44\u00a0(0)\u00a0161 496 0000", "phone", ["161", "496", "0000"]),
    (
        "full-width \uff10\uff17\uff17\uff10\uff10 \uff19\uff10\uff10\uff11\uff12\uff13",
        "phone",
        ["900123", "\uff19"],
    ),
    ("my NI number is QQ 12 34 56 C", "ni_number", ["QQ", "12 34 56"]),
    ("NI qq 12 34 56, no letter", "ni_number", ["12 34 56"]),
    ("ni qq123456c thanks", "ni_number", ["qq123456c"]),
    ("NHS no 943\u2009476\u20095919", "number", ["943", "476", "5919"]),
    ("NHS no 943  476  5919", "number", ["5919"]),
    ("I live near SW1A-1AA", "postcode", ["SW1A", "1AA"]),
    ("post code M11 AE", "postcode", ["M11", "AE"]),
    ("post code M11AE", "postcode", ["M11AE"]),
    ("post code M1 1AE", "postcode", ["M1 1AE"]),
    ("write to GIR 0AA", "postcode", ["GIR", "0AA"]),
    ("no fixed abode ZZ99 3WZ", "postcode", ["ZZ99", "3WZ"]),
    ("postcode sw1a\u00a01aa", "postcode", ["sw1a", "1aa"]),
    ("I was born 14/02/1951", "date_of_birth", ["14/02/1951", "1951"]),
    ("DOB: 14th February 1951", "date_of_birth", ["14th", "1951"]),
    ("d.o.b 1-3-51", "date_of_birth", ["1-3-51"]),
    ("date of birth is 3 March 1940", "date_of_birth", ["3 March", "1940"]),
    ("my name is Jo Bloggs and I care for my mum", "name", ["Jo", "Bloggs"]),
    ("I'm called Sam Smith", "name", ["Sam", "Smith"]),
    ("this is Sam from the carers group", "name", ["Sam"]),
    ("Dr Patel was very kind", "name", ["Patel"]),
    ("Mrs. Jane Smith came every day", "name", ["Jane", "Smith"]),
    ("Nurse Jones listened", "name", ["Jones"]),
    ("I live at 12 Acacia Avenue", "address", ["12 Acacia", "Acacia"]),
    ("send it to Flat 3, 14 High St please", "address", ["Flat 3", "14 High"]),
    ("see bit.ly/x1 for the petition", "url", ["bit.ly", "x1"]),
    ("our page is example.co.uk", "url", ["example.co.uk", "example"]),
    ("see nhs.net/page", "url", ["nhs.net", "page"]),
    ("link: https://example.org/a?b=1.", "url", ["example.org"]),
]


@pytest.mark.parametrize(("text", "kind", "secrets"), DISGUISES, ids=[d[0][:40] for d in DISGUISES])
def test_each_disguise_is_removed_and_counted_by_kind(
    text: str, kind: str, secrets: list[str]
) -> None:
    cleaned, counts = removed(text)
    for secret in secrets:
        assert secret not in cleaned, (secret, cleaned)
    assert PLACEHOLDERS[kind] in cleaned, cleaned
    assert counts == {kind: 1}, counts


@pytest.mark.parametrize(
    "text",
    [
        "It cost £25 a week in 2026, 3 visits a day",
        "Visits at 10:30 and 14:00 on 12/03/2026",
        "Carers – kind, patient; 100% better",
        "The doctor was kind",
        "My GP at the surgery on Monday was great",
        "I waited 3.5 hours in A&E",
        "Ward 7 was spotless",
        "Mum is aged 85 and lives alone",
        "In 2024 things got better",
        "If it is urgent call 111 or 999",
        "It costs £20 for a taxi",
        "Staff (e.g. nurses, i.e. the night team) were lovely",
        "Mr. and Mrs. were not used",
        "Dr said it would be fine",
        "The Nurse was lovely and Sister was kind",
        "my name is not important",
        "I am Deaf and need BSL",
        "We met at the Town Hall at 10am on 3 March",
        "Scores were 5, 4, 3 and 10-12 people came in 2024-2025",
        "The M62 at 5pm is busy",
        "Q1 2nd week was slow",
        "I walked 2 miles down the road",
        "I looked at the dot com bubble",
        "I went home.Me and my sister were tired",
        "Version 3.11.7 of the app, 9.30am to 5.30pm",
        "Our appointment on 14th February 2025 was moved",
        "Café staff were kind — ½ price meals",
        "I have MS Society support",
        "Speaking as a district nurse. Above all, kindness",
        # an ISO date-time, as quarantine messages quote one: neither a phone nor an NI number
        "submitted_at 2019-08-22 10:00:00 is after the closing date",
        "I was seen at 2026-03-02T10:15 and again on 2026-03-09",
    ],
)
def test_ordinary_feedback_stays_as_written(text: str) -> None:
    cleaned, counts = removed(text)
    assert cleaned == text
    assert counts == {}


def test_the_log_counts_never_values() -> None:
    log = RedactionLog()
    redact("a@example.org b@example.org 07700 900123 QQ123456C born 1/2/1950", log)
    assert log.as_dict() == {
        "email": 2,
        "url": 0,
        "phone": 1,
        "postcode": 0,
        "number": 0,
        "ni_number": 1,
        "date_of_birth": 1,
        "address": 0,
        "name": 0,
    }
    assert set(log.as_dict()) == set(PLACEHOLDERS)


def test_a_redacted_text_is_normalised_and_no_invisible_character_survives() -> None:
    text = "Call\u200b me\u00a0on 07700\u2009900123 \u202eplease\u202c \u2014 Jo"
    cleaned = redact(text)
    assert "[phone number removed]" in cleaned
    assert not any(unicodedata.category(c) == "Cf" for c in cleaned)
    assert "\u00a0" not in cleaned and "\u2014" not in cleaned
    assert cleaned == unicodedata.normalize("NFKC", cleaned)


def test_an_untouched_text_keeps_its_typography_but_loses_invisible_characters() -> None:
    assert redact("Kind \u2013 “lovely” café £5") == "Kind \u2013 “lovely” café £5"
    assert redact("Kind\u200b staff\u202e here\u00ad") == "Kind staff here"


def test_redact_many_keeps_none_and_counts_every_text() -> None:
    log = RedactionLog()
    assert redact_many([None, "fine", "jo@nhs.net", "jo@nhs.net"], log) == [
        None,
        "fine",
        "[email removed]",
        "[email removed]",
    ]
    assert log.counts["email"] == 2


@pytest.mark.parametrize(
    ("text", "raw"),
    [
        ("jo\ufe0f.bloggs@nhs.net", "bloggs"),  # a variation selector inside the address
        ("jo\u034f.bloggs@nhs.net", "bloggs"),  # the combining grapheme joiner
        ("d.o. b 14/02/1951", "1951"),
        ("d. o.b: 14/02/1951", "1951"),
        ("I\u2019m called Sam Smith", "Sam"),  # a phone's curly apostrophe
        ("07700\u2009900\u2009123 11111111111", "900"),  # a number run into another
    ],
)
def test_disguises_a_review_found_are_removed(text: str, raw: str) -> None:
    assert raw not in redact(text)
