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
    DIGIT_WORDS,
    FULL_DATE_AFTER_BIRTH_WORD,
    ISO_DATE_HOUR,
    LIST_BREAK,
    LISTED_NUMBER,
    MAX_RUN_DIGITS,
    MIN_NUMBER_DIGITS,
    MIN_PHONE_DIGITS,
    NHS_LIKE,
    NOT_DIGIT,
    REPEATS,
    SENTENCE_END,
    SPOKEN_UNIT,
    TEN_DIGITS,
    THOUSANDS,
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


def _ordinary_run(run: str) -> bool:
    """Whether a run of digits is no detail: only dates, years, scores and times
    (``14/02/2026 - 20/03/2026``, ``2019/20 - 2021/22``, ``01/03/2024 09:00``), or a short
    list of counts, sums and ranges between commas ("8,9,10", "0900,0930,1000",
    ``1,250,000,000``, "0-4, 5-11, 12-17") in which no items one after another hold a UK
    phone number's digits or ten digits, as an NHS number (``0191,234,5678``,
    ``485,777,3456``, "12, 0770, 0900, 123")."""
    items = LIST_BREAK.split(run)
    if all(CALENDAR.fullmatch(item) for item in items):
        return True
    if len(items) < 2 or not all(COUNT.fullmatch(i) or CALENDAR.fullmatch(i) for i in items):
        return False
    numbers = [NOT_DIGIT.sub("", n) for n in LISTED_NUMBER.findall(run)]
    sums = {len(NOT_DIGIT.sub("", n)) for n in THOUSANDS.findall(run)}  # "1,250,000,000"
    for first, start in enumerate(numbers):
        joined = ""
        longest = MAX_PHONE_DIGITS if start.startswith("0") else MAX_NHS_PIECES  # 0: 07700
        for pieces, number in enumerate(numbers[first : first + longest], start=1):
            joined += number
            if UK_PHONE_DIGITS.fullmatch(joined):
                return False
            if (
                len(joined) == NHS_DIGITS
                and pieces <= MAX_NHS_PIECES
                and not (pieces == 1 and len(number) in sums)
            ):
                return False
    return True


#: A phone number is looked for in up to this many numbers of a list, one digit each at
#: most ("0,7,7,0,0,9,0,0,1,2,3"); an NHS number in up to four ("485, 777, 3456"): "8, 9,
#: 10, 10, 7, 9, 10" holds ten digits in seven numbers, scores, not an NHS number.
MAX_PHONE_DIGITS = 11
MAX_NHS_PIECES = 4
#: An NHS number's digits: ten in a row in a list are taken for one, check digit or not.
NHS_DIGITS = 10


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
        if _ordinary_run(run):
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
        if sum(ch.isdigit() for ch in run) >= MIN_NUMBER_DIGITS:
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
        if spoken < 3 or len(digits) < MIN_NUMBER_DIGITS or digits in _COUNTING:
            return match[0]
        return removal.placeholder("phone" if len(digits) >= MIN_PHONE_DIGITS else "number")

    return decide


#: Digits counted out in order: "one two three four five six seven ..." is no number.
_COUNTING = "0123456789"


def dates_before_birth_words(text: str, removal: Removal) -> str:
    """``text`` with each date just before a birth word removed ("14/02/1951 (DOB)"),
    looking only at a short window before each birth word."""

    def before(word: re.Match[str], copied: int) -> tuple[int, int] | None:
        start = max(copied, word.start() - DATE_WINDOW)
        found = DATE_BEFORE_BIRTH_WORD.search(text, start, word.start())
        return None if found is None else (found.start(), found.end("date"))

    return _birth_dates_removed(text, removal, before)


#: The longest a whole date runs to ("September the 14th, 1951" with the most spaces).
_LONGEST_DATE = 40


def dates_after_birth_words(text: str, removal: Removal) -> str:
    """``text`` with the first whole date (day, month and year) a few words after each
    birth word removed ("born in Leeds on 14/02/1951", "date of birth, which is
    14/02/1951"), looking only at a short window after each birth word, not past a year
    and not past the end of its sentence ("I was born deaf. Since 12/03/2024 ...")."""

    def after(word: re.Match[str], copied: int) -> tuple[int, int] | None:
        end = word.end() + DATE_WINDOW + _LONGEST_DATE
        stop = SENTENCE_END.search(text, word.end(), end)
        found = FULL_DATE_AFTER_BIRTH_WORD.search(
            text, max(copied, word.end()), stop.start() if stop else end
        )
        if found is None or found.start() > word.end() + DATE_WINDOW:
            return None
        if YEAR.search(text, word.end(), found.start()):
            return None  # "born in 1951 and on 14/02/2026 I fell": the year was the birth
        return found.start(), found.end()

    return _birth_dates_removed(text, removal, after)


def _birth_dates_removed(
    text: str,
    removal: Removal,
    date_near: Callable[[re.Match[str], int], tuple[int, int] | None],
) -> str:
    """``text`` with the date ``date_near`` finds for each birth word (given the word and
    where the text copied so far ends; the date's start and end, or None) replaced by the
    date-of-birth placeholder."""
    parts: list[str] = []
    copied = 0
    for word in BIRTH_WORD.finditer(text):
        found = date_near(word, copied)
        if found is None:
            continue
        parts += [text[copied : found[0]], removal.placeholder("date_of_birth")]
        copied = found[1]
    return "".join([*parts, text[copied:]]) if parts else text
