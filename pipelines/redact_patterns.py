"""What contact and identifying details look like: the patterns :mod:`pipelines.redact` looks
for, written out once.

Every pattern is anchored on a boundary (a negative look-behind, so a run is tried from its
start only) and its repetitions are bounded or possessive, so none backtracks more than a
constant amount per character (``tests/test_redact_stress.py``).
"""

from __future__ import annotations

import re

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
DOMAIN_LABELS = re.compile(rf"{_SPELT_DOT}|\.", re.IGNORECASE)
#: Words that read as an address's first part only in a sentence ("looked at the dot com").
_EVERYDAY_WORDS = """
    a an the my your our his her their its this that these those all some any home work
    was were is am are be been being me us him them it i we you they he she look looked
    looking arrived stayed stay live lived lives living be seen meet met
"""
NOT_ADDRESS_WORDS = frozenset(_EVERYDAY_WORDS.split())

# ---------------------------------------------------------------------------------------
# Links
# ---------------------------------------------------------------------------------------

URL = re.compile(r"(?<![\w.])(?:(?:https?|ftp)://|www\.)[^\s<>\"']++", re.IGNORECASE)
BARE_DOMAIN = re.compile(
    rf"(?<![\w@./-])(?:[a-z0-9][a-z0-9-]{{0,62}}+\.){{1,10}}"
    rf"(?P<tld>{_TLD_ALTERNATION})(?![\w-])(?P<path>/[^\s<>\"']*+)?",
    re.IGNORECASE,
)
TRAILING = ".,;:!?)]}'\""

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
DATE_WINDOW = 48
#: the final letter A-D is often left off (or taken by the pass before: ``QQ 12 34 56 C @x``
#: read as an address), so it is optional; without it, six digits written as an ISO date
#: ("on 2026-03-02", "at 2019-08-22T10:00") are a date, not an NI number
NI_NUMBER = re.compile(
    r"\b[a-z]{2}(?:(?:[ -]{0,2}\d{2}){3}[ -]{0,2}[a-d]\b"
    r"|(?![ -]{0,2}(?:19|20)\d{2}-[01]\d-[0-3]\d(?!\d))(?:[ -]{0,2}\d{2}){3}\b)",
    re.IGNORECASE,
)
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
NOT_DIGIT = re.compile(r"[^\d+]")
MIN_PHONE_DIGITS = 10
#: An ISO 8601 date with its hour ("2019-08-22 10", the digits before a time's first colon):
#: ten digits, but a date, not a phone number (quarantine messages quote dates like this).
ISO_DATE_HOUR = re.compile(r"(?:19|20)\d{2}-[01]\d-[0-3]\d(?:[ T][0-2]\d)?")
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
NOT_INWARD = frozenset("CIKMOV")
ORDINALS = frozenset({"st", "nd", "rd", "th"})

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
