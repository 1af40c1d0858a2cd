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
  ending (``bit.ly/x1``, ``example.co.uk``, ``nhs.net/page``; see :data:`TLDS`);
- ``date_of_birth``: a date (``14/02/1951``, ``14th February 1951``, ``Feb 14``) next to
  "born", "DOB", "d.o.b", "date of birth" or "birthday" (the word itself is kept);
- ``ni_number``: National Insurance numbers (two letters, six digits, a letter A-D, any
  spacing or case: ``QQ 12 34 56 C``);
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

# ---------------------------------------------------------------------------------------
# E-mail addresses
# ---------------------------------------------------------------------------------------

#: Endings a bare domain (no scheme, no ``www.``) or an ``at``/``dot`` spelt-out address must
#: have to count: common generic and country endings, leaving out the short English words
#: that end a sentence run into the next ("in", "it", "is", "no", "so", "to", "be", "am",
#: "as", "at", "go", "do"); a capitalised ending without a path is not taken either.
_TLD_WORDS = """
    com org net edu gov mil int info biz name pro uk nhs ac sch ltd plc police mod
    io co me ly gl gd ai tv fm eu us ca au nz ie de fr es nl ch se dk fi pl pt ru cn jp
    kr hk sg za br mx ar cz gr hu ro tr ua il ae sa app dev xyz online site shop store
    blog news scot wales cymru london link click page email live tech club cc ws su
"""
TLDS: frozenset[str] = frozenset(_TLD_WORDS.split())
_TLD_ALTERNATION = "|".join(sorted(TLDS, key=lambda t: (-len(t), t)))

_SP = r"\s{0,3}"
_OPEN, _CLOSE = r"[\[({<]", r"[\])}>]"
_AT_SIGN = rf"(?:{_SP}@{_SP}|{_SP}{_OPEN}\s{{0,2}}at\s{{0,2}}{_CLOSE}{_SP})"
_SPELT_DOT = rf"(?:{_SP}{_OPEN}\s{{0,2}}dot\s{{0,2}}{_CLOSE}{_SP}|\s{{1,3}}dot\s{{1,3}})"
_DOT = rf"(?:\.|{_SPELT_DOT})"
_WORD = r"[\w+'-]{1,64}+"
_LABEL = r"[\w-]{1,63}+"
_START = r"(?<![\w.+'@-])"

#: ``@`` (spaced or not) or a bracketed ``at``, with dots written or spelt out: no doubt.
EMAIL = re.compile(
    rf"{_START}{_WORD}(?:{_DOT}{_WORD}){{0,8}}{_AT_SIGN}{_LABEL}(?:{_DOT}{_LABEL}){{1,8}}(?![\w-])",
    re.IGNORECASE,
)
#: What :data:`EMAIL` cannot start on: an address whose part before ``@`` is longer than 64
#: characters (no real one is): the ``@`` and domain are removed here, then the rest of the
#: part before by :data:`EMAIL_HEAD`.
EMAIL_TAIL = re.compile(
    rf"(?<=[\w+'-]){_AT_SIGN}{_LABEL}(?:{_DOT}{_LABEL}){{1,8}}(?![\w-])", re.IGNORECASE
)
EMAIL_HEAD = re.compile(rf"{_START}[\w.+'-]{{65,}}+(?={re.escape('[email removed]')})")
#: `` at `` spelt out: only with a known ending (checked by :func:`_spelt_email`).
SPELT_EMAIL = re.compile(
    rf"{_START}(?P<local>{_WORD}(?:{_DOT}{_WORD}){{0,8}})\s{{1,3}}at\s{{1,3}}"
    rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{1,8}})(?![\w/-])",
    re.IGNORECASE,
)
_LABELS = re.compile(rf"{_SPELT_DOT}|\.", re.IGNORECASE)
#: Words that read as an address's first part only in a sentence ("looked at the dot com").
_EVERYDAY_WORDS = """
    a an the my your our his her their its this that these those all some any home work
    was were is am are be been being me us him them it i we you they he she look looked
    looking arrived stayed stay live lived lives living be seen meet met
"""
_NOT_ADDRESS_WORDS = frozenset(_EVERYDAY_WORDS.split())

# ---------------------------------------------------------------------------------------
# Links
# ---------------------------------------------------------------------------------------

URL = re.compile(r"(?<![\w.])(?:(?:https?|ftp)://|www\.)[^\s<>\"']++", re.IGNORECASE)
BARE_DOMAIN = re.compile(
    rf"(?<![\w@./-])(?:[a-z0-9][a-z0-9-]{{0,62}}+\.){{1,10}}"
    rf"(?P<tld>{_TLD_ALTERNATION})(?![\w-])(?P<path>/[^\s<>\"']*+)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\""

# ---------------------------------------------------------------------------------------
# Dates of birth, NI numbers, numbers and phones
# ---------------------------------------------------------------------------------------

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\b\.?"
)
_ORDINAL = r"(?:st|nd|rd|th)?"
_DATE = (
    r"(?:\d{4}-\d{1,2}-\d{1,2}"
    r"|\d{1,2}\s{0,2}[/.-]\s{0,2}\d{1,2}\s{0,2}[/.-]\s{0,2}(?:\d{4}|\d{2})"
    r"|\d{1,2}\s\d{1,2}\s(?:\d{4}|\d{2})"
    rf"|\d{{1,2}}{_ORDINAL}(?:\s{{1,3}}of)?[\s-]{{1,3}}{_MONTH}(?:,?[\s-]{{1,3}}\d{{4}})?"
    rf"|{_MONTH}\s{{1,3}}\d{{4}}"
    rf"|{_MONTH}\s{{1,3}}(?:the\s{{1,3}})?\d{{1,2}}{_ORDINAL}(?:,?\s{{1,3}}\d{{4}})?)(?!\d)"
)
#: The words that make a date a date of birth. Each pattern below starts with a character
#: class (so ``re`` skips ahead in C to where it can start) and checks the word boundary
#: before it in a look-behind after that first character.
_BIRTH_WORD = (
    r"(?:[bB](?<![\w][bB])(?i:orn|irthday|irth\s?date)\b"
    r"|[dD](?<![\w][dD])(?i:ob\b|ate\s{1,3}of\s{1,3}birth\b|\.\s?o\.\s?b\b\.?))"
)
DATE_OF_BIRTH = re.compile(
    rf"(?P<word>{_BIRTH_WORD}(?:[\s:,=-]{{0,3}}(?:on|is|was|in|the|of)\b){{0,3}}[\s:,=(-]{{0,3}})"
    rf"(?P<date>{_DATE})",
    re.IGNORECASE,
)
#: A date just before a birth word ("14/02/1951 (DOB)"): looked for in a short window before
#: each birth word, so it is never tried at every position of a text.
DATE_BEFORE_BIRTH_WORD = re.compile(
    rf"(?<![\w/.-])(?P<date>{_DATE})\s{{0,3}}[(\[]?\s{{0,2}}\Z", re.IGNORECASE
)
BIRTH_WORD = re.compile(_BIRTH_WORD)
_DATE_WINDOW = 48
NI_NUMBER = re.compile(r"\b[a-z]{2}(?:[ -]{0,2}\d{2}){3}[ -]{0,2}[a-d]\b", re.IGNORECASE)
#: A run of digits joined by at most three spaces, brackets, dots or dashes (possibly a
#: phone, an NHS number or neither); looked at only from seven digits up.
DIGIT_RUN = re.compile(r"(?<![\w+(])\+?\(?\d(?:[ ().-]{0,3}\d){6,}+\)?")
#: Written as an NHS number is (3-3-4 in any spacing, or ten digits not starting 0 as a UK
#: phone number would): counted as a number before phones are looked for.
NHS_LIKE = re.compile(r"(?<![\d+])(?:[1-9]\d{2}[ .-]{1,3}\d{3}[ .-]{1,3}\d{4}|[1-9]\d{9})(?!\d)")
#: Any ten digits in 3-3-4 (any spacing) or ten or more together, left after phones.
TEN_DIGITS = re.compile(r"(?<!\d)(?:\d{3}[ .-]{0,3}\d{3}[ .-]{0,3}\d{4}|\d{10,})(?!\d)")
#: A UK number as usually written: +44 / 0044 / 0, then 9 or 10 digits ("(0)" allowed).
UK_PHONE_DIGITS = re.compile(r"(?:\+44|0044)0?\d{9,10}|0\d{9,10}")
_NOT_DIGIT = re.compile(r"[^\d+]")
MIN_PHONE_DIGITS = 10
#: A run with more digits than this is no phone number: removed whole as a number.
MAX_RUN_DIGITS = 40

# ---------------------------------------------------------------------------------------
# Postcodes, addresses and names
# ---------------------------------------------------------------------------------------

POSTCODE = re.compile(
    r"\b(?P<outward>[a-z]{1,2}\d[a-z\d]?|gir)[ -]{0,3}(?P<inward>\d[a-z]{2})\b"
    r"|\b(?P<outward2>[a-z]{1,2}\d[a-z\d]?\d)[ -]{1,3}(?P<inward2>[a-z]{2})\b",
    re.IGNORECASE,
)
#: Letters never in the inward part of a real postcode (the NHS pseudo-postcodes aside).
_NOT_INWARD = frozenset("CIKMOV")
_ORDINALS = frozenset({"st", "nd", "rd", "th"})

_STREET_ENDINGS = (
    "Avenue|Ave|Road|Rd|Street|St|Lane|Ln|Close|Cl|Drive|Dr|Way|Court|Ct|Crescent|Cres"
    "|Gardens|Gdns|Place|Pl|Terrace|Terr|Tce|Grove|Gr|Walk|Row|Mews|Square|Sq|Hill|Park"
    "|Rise|Green|Parade|Vale|View|Mount|Yard|Wharf|Quay|Boulevard|Embankment|Gate|Fold"
    "|Croft|Meadow|Meadows|Chase|Bank|Brow|Wynd|Loan|Brae|Circus|Approach|Broadway"
)
_CAPITALISED = r"[A-Z\u00c0-\u00de][\w'\u2019.-]{0,30}+"
ADDRESS = re.compile(
    r"\d(?<![\w.,/£$-]\d)\d{0,3}[A-Za-z]?(?:-\d{1,4})?,?\s{1,3}"
    rf"(?:{_CAPITALISED}\s{{1,3}}){{1,3}}(?i:{_STREET_ENDINGS})\b\.?"
)
#: "Flat 3, " before a removed address: removed with it.
FLAT = re.compile(
    r"\b(?i:flat|apartment|apt|unit)\s{1,3}\d{1,4}[A-Za-z]?,?\s{1,3}(?=\[address removed\])"
)
#: Capitalised words that follow a title or an introduction without being a name.
_NOT_NAME = (
    r"(?!(?:The|And|But|Or|If|So|At|On|In|Of|To|From|For|With|Was|Is|Are|Who|When|Said"
    r"|Told|Ward|Hospital|Surgery|Practice|Clinic|Team|Monday|Tuesday|Wednesday|Thursday"
    r"|Friday|Saturday|Sunday|January|February|March|April|May|June|July|August|September"
    r"|October|November|December|NHS|GP|GPs|A&E|Not|No|Very|Really|Also|Too|Here"
    r"|Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Doctor|Nurse|Sister|Matron|Cllr|Councillor|Revd?)\b)"
)
_NAME_WORD = rf"{_NOT_NAME}[A-Z\u00c0-\u00de][\w'\u2019-]{{1,30}}+"
_NAME_WORDS = rf"{_NAME_WORD}(?:\s{{1,3}}{_NAME_WORD}){{0,2}}"
#: A title and the capitalised name after it.
TITLE_NAME = re.compile(
    r"(?P<lead>[DdMmPpNnSsCcRr](?<![\w.][DdMmPpNnSsCcRr])"
    # abbreviations may end in a full stop; whole words may not ("a district nurse. Above")
    # ("MS", the illness, is no title: "I have MS Society support")
    r"(?:(?:(?<=[Dd])(?i:r)|(?<=[Mm])(?:rs|r|s|x|RS|Rs|R|X)|(?<=[Pp])(?i:rof)|(?<=[Cc])(?i:llr)"
    r"|(?<=[Rr])(?i:evd|ev))\b\.?"
    r"|(?:(?<=[Dd])(?i:octor)|(?<=[Mm])(?i:atron)|(?<=M)iss|(?<=[Pp])(?i:rofessor)"
    r"|(?<=[Nn])(?i:urse)|(?<=[Ss])(?i:ister)|(?<=[Cc])(?i:ouncillor))\b)"
    r"\s{1,3})"
    rf"(?P<name>{_NAME_WORDS})"
)
#: A self-introduction and the capitalised name after it.
INTRO_NAME = re.compile(
    r"(?P<lead>[MmIiNn](?<![\w][MmIiNn])"
    r"(?i:y\s{1,3}name\s{1,3}is|y\s{1,3}name's|\s{0,2}'?\s{0,2}a?m\s{1,3}called|ame\s{0,2}[:=])"
    r"\s{1,3})"
    rf"(?P<name>{_NAME_WORDS})"
    r"|(?P<lead2>[Tt](?<![\w][Tt])(?i:his\s{1,3}is)\s{1,3})"
    rf"(?P<name2>{_NAME_WORD}(?:\s{{1,3}}{_NAME_WORD})?)(?=\s{{1,3}}(?i:from)\b)"
)


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
        local = _LABELS.split(match["local"])
        domain = _LABELS.split(match["domain"])
        if (
            domain[-1].lower() in TLDS
            and domain[0].lower() not in _NOT_ADDRESS_WORDS
            and local[-1].lower() not in _NOT_ADDRESS_WORDS
        ):
            return removal.placeholder("email")
        return match[0]

    return decide


def _link(removal: _Removal) -> Callable[[re.Match[str]], str]:
    """A link, its trailing punctuation kept outside the placeholder."""

    def decide(match: re.Match[str]) -> str:
        value = match[0]
        kept = value.rstrip(_TRAILING)
        return removal.placeholder("url") + value[len(kept) :]

    return decide


def _bare_domain(removal: _Removal) -> Callable[[re.Match[str]], str]:
    """A bare domain: not where two sentences run together ("home.Me and ...")."""

    def decide(match: re.Match[str]) -> str:
        tld = match["tld"]
        if not match["path"] and tld[0].isupper() and not tld.isupper():
            return match[0]
        value = match[0]
        kept = value.rstrip(_TRAILING)
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
        compact = _NOT_DIGIT.sub("", run)
        digits = len(compact) - compact.count("+")
        if digits < MIN_PHONE_DIGITS:
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
        if letters.islower() and letters in _ORDINALS:
            return match[0]
        if match["outward2"] and not (outward.isupper() and letters.isupper()):
            return match[0]  # "M11 AE" spaced wrongly: capitals only ("M62 at 5pm" is no postcode)
        if not outward.upper().startswith("ZZ") and _NOT_INWARD & set(letters.upper()):
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
        start = max(copied, word.start() - _DATE_WINDOW)
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
