"""Remove contact details and identifying numbers from free text before it is stored.

Applied to every comment before it reaches clean data, so nothing downstream (quotes, logs,
notebooks, Great Expectations) ever sees the original. What was removed is counted, never kept.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import phonenumbers

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
URL = re.compile(r"(?:\b(?:https?|ftp)://|\bwww\.)[^\s<>\"']+", re.IGNORECASE)
# UK postcodes, including the NHS pseudo-postcodes (ZZ99 ...); outward and inward parts.
POSTCODE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s*[0-9][A-Z]{2}\b", re.IGNORECASE)
# Any 10-digit run (NHS numbers, with or without a valid check digit) or 3-3-4 grouping.
TEN_DIGITS = re.compile(r"(?<!\d)\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\d)")
# Written as an NHS number is (3-3-4, or ten digits not starting 0 as a UK phone number would):
# counted as a number, not a phone number. Other 10-digit runs are caught after phones.
NHS_LIKE = re.compile(r"(?<![\d+])(?:[1-9]\d{2}[\s-]\d{3}[\s-]\d{4}|[1-9]\d{9})(?!\d)")

MIN_PHONE_DIGITS = 10

PLACEHOLDERS = {
    "email": "[email removed]",
    "url": "[link removed]",
    "phone": "[phone number removed]",
    "postcode": "[postcode removed]",
    "number": "[number removed]",
}


@dataclass
class RedactionLog:
    """How many of each kind of detail were removed (counts only, never values)."""

    counts: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, int]:
        return {kind: self.counts.get(kind, 0) for kind in PLACEHOLDERS}


def _phone_spans(text: str) -> list[tuple[int, int]]:
    matcher = phonenumbers.PhoneNumberMatcher(text, "GB", leniency=phonenumbers.Leniency.POSSIBLE)
    # POSSIBLE also matches short runs such as "2026, 3"; a UK number has at least 10 digits
    return [
        (match.start, match.end)
        for match in matcher
        if sum(ch.isdigit() for ch in match.raw_string) >= MIN_PHONE_DIGITS
    ]


def redact(text: str, log: RedactionLog | None = None) -> str:
    """``text`` with e-mails, links, phone numbers, 10-digit numbers and postcodes replaced."""

    def substitute(pattern: re.Pattern[str], kind: str, value: str) -> str:
        def replace(_: re.Match[str]) -> str:
            if log is not None:
                log.counts[kind] += 1
            return PLACEHOLDERS[kind]

        return pattern.sub(replace, value)

    text = substitute(EMAIL, "email", text)
    text = substitute(URL, "url", text)
    text = substitute(NHS_LIKE, "number", text)
    for start, end in reversed(_phone_spans(text)):
        if log is not None:
            log.counts["phone"] += 1
        text = text[:start] + PLACEHOLDERS["phone"] + text[end:]
    text = substitute(TEN_DIGITS, "number", text)
    return substitute(POSTCODE, "postcode", text)


_QUICK_CHECK = re.compile(r"[@\d]|www\.|://", re.IGNORECASE)


def redact_many(texts: list[str | None], log: RedactionLog | None = None) -> list[str | None]:
    """Redact each text; texts with no digit, ``@`` or link are passed through untouched."""
    return [
        None if text is None else (redact(text, log) if _QUICK_CHECK.search(text) else text)
        for text in texts
    ]
