"""The number and date passes of :mod:`pipelines.redact`: a run of digits (an NHS number, a
phone number, or an ordinary date, score or count kept), digits written in words, and
dates of birth written before or a few words after the word that makes them one."""

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers

from pipelines.redact_patterns import (
    BIRTH_WORD,
    CALENDAR,
    COUNT,
    DATE_BEFORE_BIRTH_WORD,
    DATE_WINDOW,
    DIGIT_GROUP,
    DIGIT_WORDS,
    FULL_DATE_AFTER_BIRTH_WORD,
    ISO_DATE_HOUR,
    LIST_BREAK,
    MAX_RUN_DIGITS,
    MIN_PHONE_DIGITS,
    NHS_LIKE,
    NOT_DIGIT,
    REPEATS,
    SPOKEN_UNIT,
    TEN_DIGITS,
    UK_PHONE_DIGITS,
    YEAR,
)
from pipelines.redact_removal import Removal


def _phone_spans(text: str) -> list[tuple[int, int]]:
    """Where ``phonenumbers`` finds a UK (or international) number of 10 digits or more."""
    matcher = phonenumbers.PhoneNumberMatcher(
        text, "GB", leniency=phonenumbers.Leniency.POSSIBLE, max_tries=len(text) + 1
    )
    # POSSIBLE also matches short runs such as "2026, 3"; a UK number has at least 10 digits
    return [
        (match.start, match.end)
        for match in matcher
        if sum(ch.isdigit() for ch in match.raw_string) >= MIN_PHONE_DIGITS
    ]


def _ordinary_run(run: str, compact: str) -> bool:
    """Whether a run of digits is no detail: only dates, years, scores and times
    (``14/02/2026 - 20/03/2026``, ``2019/20 - 2021/22``, ``01/03/2024 09:00``), or a list
    of counts and sums between commas ("8,9,10", "0900,0930,1000", ``1,250,000,000``) not
    written as a phone number (``0191,234,5678``) or an NHS number (``485,777,3456``) is."""
    items = LIST_BREAK.split(run)
    if all(CALENDAR.fullmatch(item) for item in items):
        return True
    if UK_PHONE_DIGITS.fullmatch(compact) or [len(group) for group in DIGIT_GROUP.findall(run)] == [
        3,
        3,
        4,
    ]:
        return False
    return len(items) > 1 and all(
        COUNT.fullmatch(item) or CALENDAR.fullmatch(item) for item in items
    )


def digit_run(removal: Removal) -> Callable[[re.Match[str]], str]:
    """A run of digits: an NHS number, a UK phone number in its usual shape, phone numbers
    ``phonenumbers`` finds in it, any ten digits left; a run too long for any of these is
    removed whole. Dates, years, scores and lists of counts are kept (:func:`_ordinary_run`)."""

    def decide(match: re.Match[str]) -> str:
        run = match[0]
        compact = NOT_DIGIT.sub("", run)
        digits = len(compact) - compact.count("+")
        if digits < MIN_PHONE_DIGITS or ISO_DATE_HOUR.fullmatch(run):
            return run
        if _ordinary_run(run, compact):
            return run
        if digits > MAX_RUN_DIGITS:
            return removal.placeholder("number")
        if NHS_LIKE.fullmatch(run.strip("()")):
            return removal.placeholder("number")
        if UK_PHONE_DIGITS.fullmatch(compact):
            return removal.placeholder("phone")
        run = NHS_LIKE.sub(lambda _: removal.placeholder("number"), run)
        for start, end in reversed(_phone_spans(run)):
            run = run[:start] + removal.placeholder("phone") + run[end:]
        run = TEN_DIGITS.sub(lambda _: removal.placeholder("number"), run)
        if sum(ch.isdigit() for ch in run) >= MIN_PHONE_DIGITS - 3:
            # what is left of a long run (a number run into another) may be most of one
            return removal.placeholder("number")
        return run

    return decide


def spoken_number(removal: Removal) -> Callable[[re.Match[str]], str]:
    """Digits written in words: a phone number from ten digits, a number from seven; not a
    count ("one, two, three, four, five, six, seven") or a year beside a few words."""

    def decide(match: re.Match[str]) -> str:
        digits = ""
        spoken = 0
        for unit in SPOKEN_UNIT.finditer(match[0]):
            value = DIGIT_WORDS.get(unit["unit"].lower(), unit["unit"])
            value *= REPEATS.get((unit["repeat"] or "").lower(), 1)
            digits += value
            spoken += len(value) if not unit["unit"][0].isdigit() else 0
        if spoken < 3 or len(digits) < MIN_PHONE_DIGITS - 3 or digits in _COUNTING:
            return match[0]
        return removal.placeholder("phone" if len(digits) >= MIN_PHONE_DIGITS else "number")

    return decide


#: Digits counted out in order: "one two three four five six seven ..." is no number.
_COUNTING = "0123456789"


def dates_before_birth_words(text: str, removal: Removal) -> str:
    """``text`` with each date just before a birth word removed ("14/02/1951 (DOB)"),
    looking only at a short window before each birth word."""
    parts: list[str] = []
    copied = 0
    for word in BIRTH_WORD.finditer(text):
        start = max(copied, word.start() - DATE_WINDOW)
        found = DATE_BEFORE_BIRTH_WORD.search(text, start, word.start())
        if found is None:
            continue
        parts += [text[copied : found.start()], removal.placeholder("date_of_birth")]
        copied = found.end("date")
    return "".join([*parts, text[copied:]]) if parts else text


#: The longest a whole date runs to ("September the 14th, 1951" with the most spaces).
_LONGEST_DATE = 40


def dates_after_birth_words(text: str, removal: Removal) -> str:
    """``text`` with the first whole date (day, month and year) a few words after each
    birth word removed ("born in Leeds on 14/02/1951", "date of birth, which is
    14/02/1951"), looking only at a short window after each birth word, and not past a
    year."""
    parts: list[str] = []
    copied = 0
    for word in BIRTH_WORD.finditer(text):
        start = max(copied, word.end())
        found = FULL_DATE_AFTER_BIRTH_WORD.search(
            text, start, word.end() + DATE_WINDOW + _LONGEST_DATE
        )
        if found is None or found.start() > word.end() + DATE_WINDOW:
            continue
        if YEAR.search(text, word.end(), found.start()):
            continue  # "born in 1951 and on 14/02/2026 I fell": the year was the birth
        parts += [text[copied : found.start()], removal.placeholder("date_of_birth")]
        copied = found.end()
    return "".join([*parts, text[copied:]]) if parts else text
