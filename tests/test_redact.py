"""Redaction of contact details and identifying numbers from free text."""

from __future__ import annotations

import pytest

from pipelines.redact import RedactionLog, redact


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
    log = RedactionLog()
    cleaned = redact(text, log)
    assert secret not in cleaned
    assert "removed]" in cleaned
    assert sum(log.as_dict().values()) >= 1


@pytest.mark.parametrize(
    "text",
    [
        "It cost £25 a week in 2026, 3 visits a day",
        "Visits at 10:30 and 14:00 on 12/03/2026",
        "Carers – kind, patient; 100% better",
    ],
)
def test_ordinary_numbers_stay(text: str) -> None:
    assert redact(text) == text


def test_the_log_counts_never_values() -> None:
    log = RedactionLog()
    redact("a@example.org b@example.org 07700 900123", log)
    assert log.as_dict() == {"email": 2, "url": 0, "phone": 1, "postcode": 0, "number": 0}
