"""Remove contact details and identifying details from free text before it is stored.

Applied to every free-text value before it reaches clean data (comments and "other"
answers, event titles and venues, action texts, owners and themes, theme names, quarantined
values), so nothing downstream (quotes, logs, notebooks, Great Expectations) ever sees the
original. What was removed is counted by kind, never kept.

**Normalise first.** Text is matched in :func:`pipelines.textnorm.normalise`'s form: NFKC
(full-width ``＠`` is ``@``), invisible characters removed (a zero-width space inside an
e-mail address no longer hides it), every kind of space a space and every dash ``-``. A
text from which something is removed is returned in that normalised form, so no invisible
character survives beside a removal; a text from which nothing is removed is returned as
written less its invisible characters (:func:`~pipelines.textnorm.strip_invisible`), so
ordinary typography (en dashes, curly quotes, accents, ``£``) stays as the person wrote it.

**What is removed, and the kind it is counted as** (:attr:`RedactionLog.as_dict`'s keys,
``validation.json``'s ``"redaction"``), in the order it is looked for:

- ``email``: addresses in every written form: ``jo@nhs.net``, ``jo.bloggs @ nhs.net``,
  ``jo.bloggs[at]nhs.net``, ``jo(at)nhs[dot]net``, ``jo dot bloggs at nhs dot net``;
- ``url``: links with a scheme or ``www.``, and bare domains and short links with a known
  ending (``bit.ly/x1``, ``example.co.uk``, ``nhs.net/page``; see :data:`pipelines.redact_patterns.TLDS`);
- ``date_of_birth``: a date (``14/02/1951``, ``14th February 1951``, ``Feb 14``) next to
  "born", "DOB", "d.o.b", "date of birth" or "birthday" (the word itself is kept);
- ``ni_number``: National Insurance numbers (two letters, six digits and a letter A-D,
  which is often left off; any spacing or case: ``QQ 12 34 56 C``, ``qq123456``);
- ``number``: NHS numbers (any run of ten digits, spaced 3-3-4 in any way or not at all,
  check digit or not) and any longer run of digits;
- ``phone``: UK phone numbers (``phonenumbers``, leniency POSSIBLE, at least 10 digits;
  ``+44`` forms, brackets, any space or dash between digits);
- ``postcode``: UK postcodes in any case and spacing (``SW1A 1AA``, ``sw1a1aa``,
  ``SW1A-1AA``, ``M11 AE``, ``GIR 0AA``) and the NHS pseudo-postcodes (``ZZ99 3VZ``);
- ``address``: a house number and a street name with a street ending (``12 Acacia
  Avenue``, ``Flat 3, 14 High St``);
- ``name``: a capitalised name after a title (``Dr Patel``, ``Mrs. Jane Smith``, ``Nurse
  Jones``: the title is kept) or a self-introduction (``my name is Jo Bloggs``, ``I'm called
  Sam``, ``this is Sam from ...``, ``Name: Jo``).

**Linear time on any input.** Every pattern is anchored on a boundary (a negative
look-behind, so a run is tried from its start only) and its repetitions are bounded or
possessive, so no pattern backtracks more than a constant amount per character; phone
numbers go to ``phonenumbers`` one bounded run of digits at a time, the common UK shapes
without it. ``tests/test_redact_stress.py`` feeds adversarial inputs; ``workbook bench``
times a 10 MB cell.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import phonenumbers

from pipelines.redact_patterns import (
    ADDRESS,
    BARE_DOMAIN,
    BIRTH_WORD,
    DATE_BEFORE_BIRTH_WORD,
    DATE_OF_BIRTH,
    DATE_WINDOW,
    DIGIT_RUN,
    DOMAIN_LABELS,
    EMAIL,
    EMAIL_HEAD,
    EMAIL_TAIL,
    FLAT,
    INTRO_NAME,
    ISO_DATE_HOUR,
    MAX_RUN_DIGITS,
    MIN_PHONE_DIGITS,
    NHS_LIKE,
    NI_NUMBER,
    NOT_ADDRESS_WORDS,
    NOT_DIGIT,
    NOT_INWARD,
    ORDINALS,
    POSTCODE,
    SPELT_EMAIL,
    TEN_DIGITS,
    TITLE_NAME,
    TLDS,
    TRAILING,
    UK_PHONE_DIGITS,
    URL,
)
from pipelines.textnorm import normalise, strip_invisible

PLACEHOLDERS: dict[str, str] = {
    "email": "[email removed]",
    "url": "[link removed]",
    "phone": "[phone number removed]",
    "postcode": "[postcode removed]",
    "number": "[number removed]",
    "ni_number": "[NI number removed]",
    "date_of_birth": "[date of birth removed]",
    "address": "[address removed]",
    "name": "[name removed]",
}


@dataclass
class RedactionLog:
    """How many of each kind of detail were removed (counts only, never values)."""

    counts: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, int]:
        """Every kind of :data:`PLACEHOLDERS`, in that order, with its count (0 if none)."""
        return {kind: self.counts.get(kind, 0) for kind in PLACEHOLDERS}

    def add(self, other: RedactionLog, times: int = 1) -> None:
        """Count ``other``'s removals ``times`` over (one text met ``times`` times)."""
        for kind, count in other.counts.items():
            self.counts[kind] += count * times


class _Removal:
    """One pass of the redaction: replaces matches by placeholders and counts them."""

    def __init__(self, counts: Counter[str]) -> None:
        self.counts = counts

    def placeholder(self, kind: str) -> str:
        self.counts[kind] += 1
        return PLACEHOLDERS[kind]


def _email(removal: _Removal) -> Callable[[re.Match[str]], str]:
    def decide(match: re.Match[str]) -> str:
        return removal.placeholder("email")

    return decide


def _email_tail(removal: _Removal) -> Callable[[re.Match[str]], str]:
    def decide(match: re.Match[str]) -> str:
        return removal.placeholder("email")

    return decide


def _spelt_email(removal: _Removal) -> Callable[[re.Match[str]], str]:
    """``local at domain`` spelt out: an address only where the domain ends in a known
    ending and neither part is an everyday word ("looked at the dot com")."""

    def decide(match: re.Match[str]) -> str:
        local = DOMAIN_LABELS.split(match["local"])
        domain = DOMAIN_LABELS.split(match["domain"])
        if (
            domain[-1].lower() in TLDS
            and domain[0].lower() not in NOT_ADDRESS_WORDS
            and local[-1].lower() not in NOT_ADDRESS_WORDS
        ):
            return removal.placeholder("email")
        return match[0]

    return decide


def _link(removal: _Removal) -> Callable[[re.Match[str]], str]:
    """A link, its trailing punctuation kept outside the placeholder."""

    def decide(match: re.Match[str]) -> str:
        value = match[0]
        kept = value.rstrip(TRAILING)
        return removal.placeholder("url") + value[len(kept) :]

    return decide


def _bare_domain(removal: _Removal) -> Callable[[re.Match[str]], str]:
    """A bare domain: not where two sentences run together ("home.Me and ...")."""

    def decide(match: re.Match[str]) -> str:
        tld = match["tld"]
        if not match["path"] and tld[0].isupper() and not tld.isupper():
            return match[0]
        value = match[0]
        kept = value.rstrip(TRAILING)
        return removal.placeholder("url") + value[len(kept) :]

    return decide


def _date_of_birth(removal: _Removal) -> Callable[[re.Match[str]], str]:
    def decide(match: re.Match[str]) -> str:
        return match["word"] + removal.placeholder("date_of_birth")

    return decide


def _ni_number(removal: _Removal) -> Callable[[re.Match[str]], str]:
    def decide(match: re.Match[str]) -> str:
        return removal.placeholder("ni_number")

    return decide


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


def _digits(removal: _Removal) -> Callable[[re.Match[str]], str]:
    """A run of digits: an NHS number, a UK phone number in its usual shape, phone numbers
    ``phonenumbers`` finds in it, any ten digits left; a run too long for any of these is
    removed whole."""

    def decide(match: re.Match[str]) -> str:
        run = match[0]
        compact = NOT_DIGIT.sub("", run)
        digits = len(compact) - compact.count("+")
        if digits < MIN_PHONE_DIGITS or ISO_DATE_HOUR.fullmatch(run):
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


def _postcode(removal: _Removal) -> Callable[[re.Match[str]], str]:
    """A postcode: its inward letters those a real one has (NHS pseudo-postcodes aside),
    and not an ordinal ("Q1 2nd")."""

    def decide(match: re.Match[str]) -> str:
        outward = match["outward"] or match["outward2"]
        inward = match["inward"] or match["inward2"]
        letters = inward[-2:]
        if letters.islower() and letters in ORDINALS:
            return match[0]
        if match["outward2"] and not (outward.isupper() and letters.isupper()):
            return match[0]  # "M11 AE" spaced wrongly: capitals only ("M62 at 5pm" is no postcode)
        if not outward.upper().startswith("ZZ") and NOT_INWARD & set(letters.upper()):
            return match[0]
        return removal.placeholder("postcode")

    return decide


def _address(removal: _Removal) -> Callable[[re.Match[str]], str]:
    def decide(match: re.Match[str]) -> str:
        return removal.placeholder("address")

    return decide


def _name(removal: _Removal) -> Callable[[re.Match[str]], str]:
    """A name after a title or an introduction; the title or introduction is kept."""

    def decide(match: re.Match[str]) -> str:
        lead = match["lead"] if match["lead"] is not None else match["lead2"]
        return lead + removal.placeholder("name")

    return decide


#: Each pass: what must be in the (lower-cased) text for it to run, its pattern and how
#: a match is replaced. In this order: a later pass never sees what an earlier one removed.
#: The cheap signs (:func:`_signs`) a text must show for each pass to run: a text with
#: none is passed over after a few substring searches (most comments are).
_TITLE_WORDS = ("dr", "mr", "ms", "mx", "miss", "prof", "doctor", "nurse", "sister")
_TITLE_WORDS += ("matron", "cllr", "councillor", "rev")
_BIRTH_WORDS = ("born", "dob", "d.o", "d. o", "birth")
_BRACKETED_AT = re.compile(r"[\[({<]\s{0,2}at\s{0,2}[\])}>]")
_DOT_LETTER = re.compile(r"\.[^\W\d_]")
_ANY_DIGIT = re.compile(r"\d")


def _signs(normal: str, lower: str) -> set[str]:
    """Which kinds of detail ``normal`` (and ``lower``, the same lower-cased) may hold."""
    signs: set[str] = set()
    if _ANY_DIGIT.search(normal):
        signs.add("digit")
        if any(word in lower for word in _BIRTH_WORDS):
            signs.add("birth")
    dotted = _DOT_LETTER.search(normal) is not None
    if dotted:
        signs.add("dot")
    if "@" in normal or ("at" in lower and _BRACKETED_AT.search(lower)):
        signs.add("at")
    if " at " in lower and (dotted or "dot" in lower):
        signs.add("spelt at")
    if "://" in lower or "www." in lower:
        signs.add("link")
    if any(word in lower for word in _TITLE_WORDS):
        signs.add("title")
    if "name" in lower or "called" in lower or "this is" in lower:
        signs.add("introduction")
    return signs


#: Each pass: the sign it needs (:func:`_signs`), its pattern and how a match is replaced.
#: In this order: a later pass never sees what an earlier one removed.
_PASSES: tuple[
    tuple[str, re.Pattern[str], Callable[[_Removal], Callable[[re.Match[str]], str]]], ...
] = (
    ("at", EMAIL, _email),
    ("at", EMAIL_TAIL, _email_tail),
    ("spelt at", SPELT_EMAIL, _spelt_email),
    ("link", URL, _link),
    ("dot", BARE_DOMAIN, _bare_domain),
    ("birth", DATE_OF_BIRTH, _date_of_birth),
    ("digit", NI_NUMBER, _ni_number),
    ("digit", DIGIT_RUN, _digits),
    ("digit", POSTCODE, _postcode),
    ("digit", ADDRESS, _address),
    ("title", TITLE_NAME, _name),
    ("introduction", INTRO_NAME, _name),
)


def _dates_before_birth_words(text: str, removal: _Removal) -> str:
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


def redact(text: str, log: RedactionLog | None = None) -> str:
    """``text`` with e-mail addresses, links, dates of birth, NI, NHS and other identifying
    numbers, phone numbers, postcodes, street addresses and introduced names replaced by
    placeholders (:data:`PLACEHOLDERS`); ``log`` counts them by kind.

    Matched in normalised form (:func:`pipelines.textnorm.normalise`); returned normalised
    where anything was removed, else as written less its invisible characters.
    """
    normal = normalise(text)
    lower = normal.lower()
    signs = _signs(normal, lower)
    if not signs:
        return strip_invisible(text)
    counts: Counter[str] = Counter()
    removal = _Removal(counts)
    redacted = normal
    for sign, pattern, replacer in _PASSES:
        if sign not in signs:
            continue
        before = counts.total()
        redacted = pattern.sub(replacer(removal), redacted)
        if counts.total() == before:
            continue
        if pattern is EMAIL_TAIL:
            redacted = EMAIL_HEAD.sub("", redacted)
        elif pattern is ADDRESS:
            redacted = FLAT.sub("", redacted)
    if "birth" in signs and any(word in lower for word in _BIRTH_WORDS[1:]):
        redacted = _dates_before_birth_words(redacted, removal)
    if not counts:
        return strip_invisible(text)
    if log is not None:
        log.counts.update(counts)
    return redacted


def redact_many(texts: list[str | None], log: RedactionLog | None = None) -> list[str | None]:
    """Redact each text (None stays None); a text that shows no sign of any detail
    (:func:`_signs`) is passed over."""
    return [None if text is None else redact(text, log) for text in texts]
