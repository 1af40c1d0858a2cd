"""What contact and identifying details look like: the patterns :mod:`pipelines.redact` looks
for, written out once.

Every pattern is anchored on a boundary (a negative look-behind, so a run is tried from its
start only) and its repetitions are bounded or possessive, so none backtracks more than a
constant amount per character (``tests/test_redact_stress.py``).
"""

from __future__ import annotations

import re
import unicodedata

from pipelines.textnorm import code_point_class

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

#: A dot with spaces both sides (``jane . smith @ nhs . net``): in the part before ``@`` any
#: word may follow it, in the domain only a known ending (``jo@nhs.net . Thanks`` keeps
#: "Thanks").
_SPACED_DOT = r"\s{1,3}\.\s{1,3}"
_LOCAL_DOT = rf"(?:{_DOT}|{_SPACED_DOT})"
_DOMAIN = (
    rf"{_LABEL}(?:{_DOT}{_LABEL}(?![\w-])|{_SPACED_DOT}(?:{_TLD_ALTERNATION})(?![\w-])){{1,8}}"
)
#: ``@`` (spaced or not) or a bracketed ``at``, with dots written or spelt out: no doubt.
EMAIL = re.compile(
    rf"{_START}{_WORD}(?:{_LOCAL_DOT}{_WORD}){{0,8}}{_AT_SIGN}{_DOMAIN}(?![\w-])",
    re.IGNORECASE,
)
#: What :data:`EMAIL` cannot start on: an address whose part before ``@`` is longer than 64
#: characters (no real one is): the ``@`` and domain are removed here, then the rest of the
#: part before by :data:`EMAIL_HEAD`.
EMAIL_TAIL = re.compile(rf"(?<=[\w+'-]){_AT_SIGN}{_DOMAIN}(?![\w-])", re.IGNORECASE)
EMAIL_HEAD = re.compile(rf"{_START}[\w.+'-]{{65,}}+(?={re.escape('[email removed]')})")
#: `` at `` spelt out: only with a known ending (checked by :func:`_spelt_email`).
SPELT_EMAIL = re.compile(
    rf"{_START}(?P<local>{_WORD}(?:{_DOT}{_WORD}){{0,8}})\s{{1,3}}at\s{{1,3}}"
    rf"(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{1,8}})(?![\w/-])",
    re.IGNORECASE,
)
DOMAIN_LABELS = re.compile(rf"{_SPELT_DOT}|\.", re.IGNORECASE)
#: Well-known mail providers, written without their ending after a spelt-out ``at``
#: (``jane.smith at gmail``); not "nhs", "sky", "live", "me" or "mail", everyday words.
_PROVIDERS = """
    gmail googlemail hotmail outlook yahoo ymail icloud aol btinternet btopenworld
    protonmail virginmedia talktalk
"""
MAIL_PROVIDERS = frozenset(_PROVIDERS.split())
PROVIDER_EMAIL = re.compile(
    rf"{_START}(?P<local>{_WORD}(?:{_DOT}{_WORD}){{0,8}})(?P<at>\s{{1,3}}at\s{{1,3}}|\s{{0,3}}@\s{{0,3}})"
    rf"(?P<provider>{'|'.join(sorted(MAIL_PROVIDERS))})(?![\w@/-])",
    re.IGNORECASE,
)
#: What an address's part before a spelt-out "at" has and a word does not: a dot, an
#: underscore, a hyphen or a digit ("jane.smith at gmail"; not "junk at hotmail").
ADDRESS_LIKE_LOCAL = re.compile(r"[._\d-]")
#: Words that read as an address's first part only in a sentence ("looked at the dot com").
_EVERYDAY_WORDS = """
    a an the my your our his her their its this that these those all some any home work
    was were is am are be been being me us him them it i we you they he she look looked
    looking arrived stayed stay live lived lives living be seen meet met email emails mail
    account accounts address inbox login log sign signed logged messaged message contact
    contacted reach reached write wrote it's available
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


def _date(whole: bool) -> str:
    """Dates as people write them: ``14/02/1951``, ``1951-02-14``, ``14 2 51``, ``14th of
    February 1951``, ``Feb 1951``, ``February the 14th``; ``whole``: only those with a day,
    a month and a four-digit year where the year may be left off ("14/02/51" stays)."""
    year = r"\d{4}" if whole else r"(?:\d{4}|\d{2})"

    def then_year(space: str) -> str:
        written = rf",?{space}{{1,3}}\d{{4}}"
        return written if whole else f"(?:{written})?"

    month_and_year = "" if whole else rf"|{_MONTH}\s{{1,3}}\d{{4}}"
    dashed, spaced = then_year(r"[\s-]"), then_year(r"\s")
    return (
        r"(?:\d{4}-\d{1,2}-\d{1,2}"
        r"|\d{1,2}\s{0,2}[/.-]\s{0,2}\d{1,2}\s{0,2}[/.-]\s{0,2}(?:\d{4}|\d{2})"
        rf"|\d{{1,2}}\s\d{{1,2}}\s{year}"
        rf"|\d{{1,2}}{_ORDINAL}(?:\s{{1,3}}of)?[\s-]{{1,3}}{_MONTH}{dashed}"
        f"{month_and_year}"
        rf"|{_MONTH}\s{{1,3}}(?:the\s{{1,3}})?\d{{1,2}}{_ORDINAL}{spaced})(?!\d)"
    )


_DATE = _date(whole=False)
#: The words that make a date a date of birth. Each pattern below starts with a character
#: class (so ``re`` skips ahead in C to where it can start) and checks the word boundary
#: before it in a look-behind after that first character.
_BIRTH_WORD = (
    r"(?:[bB](?<![\w][bB])(?i:orn|irthday|irth\s?date)\b"
    r"|[dD](?<![\w][dD])(?i:ob\b|ate\s{1,3}of\s{1,3}birth\b|\.\s?o\.\s?b\b\.?))"
)
#: "b." (born) directly followed by a date ("b. 14/02/1951"): only there, it ends many words.
_BORN_ABBREVIATION = r"[bB](?<![\w.][bB])\.(?=\s{0,2}\d)"
DATE_OF_BIRTH = re.compile(
    rf"(?P<word>(?:{_BIRTH_WORD}(?:[\s:,=-]{{0,3}}(?:on|is|was|in|the|of)\b){{0,3}}"
    rf"|{_BORN_ABBREVIATION})[\s:,=(-]{{0,3}})"
    rf"(?P<date>{_DATE})",
    re.IGNORECASE,
)
#: A whole date (day, month and year) a few words after a birth word ("born in Leeds on
#: 14/02/1951", "date of birth, which is 14/02/1951"): looked for in a short window after
#: each birth word (:data:`DATE_WINDOW`).
FULL_DATE_AFTER_BIRTH_WORD = re.compile(
    rf"(?<![\w/.-])(?P<date>{_date(whole=True)})", re.IGNORECASE
)
#: A date just before a birth word ("14/02/1951 (DOB)"): looked for in a short window before
#: each birth word, so it is never tried at every position of a text.
DATE_BEFORE_BIRTH_WORD = re.compile(
    rf"(?<![\w/.-])(?P<date>{_DATE})\s{{0,3}}[(\[]?\s{{0,2}}\Z", re.IGNORECASE
)
BIRTH_WORD = re.compile(_BIRTH_WORD)
#: Where a sentence ends: a birth word's date is not looked for past it (a full stop, "!"
#: or "?" before a space and a capital, a ";" or a line break; not "14.02.1951", nor the
#: full stop of a short capitalised word, "St. Mary's", "Feb. 14", "Dr. Patel").
SENTENCE_END = re.compile(
    r"(?<![A-Z][a-z])(?<![A-Z][a-z]{2})(?<![A-Z][a-z]{3})[.!?]\s+(?=[A-Z])|[;\n]"
)
#: A year on its own ("born in 1951"): a birth word's date is not looked for past one.
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
DATE_WINDOW = 48
#: An NI number (``QQ 12 34 56 C``). With the final letter A-D, more is allowed: the two
#: letters spaced, the digits one by one, and dots or slashes between the parts (``Q Q 1 2 3
#: 4 5 6 C``, ``QQ.12.34.56.C``, ``qq/123456/c``), the pairs of digits joined alike; but not
#: a date ("on 12/03/26 a nurse came"). The letter is often left off (or taken by the pass
#: before: ``QQ 12 34 56 C @x`` read as an address), so it is optional for the plain shape
#: (two letters together, spaces or dashes); without it, six digits written as an ISO date
#: ("on 2026-03-02", "at 2019-08-22T10:00") are a date, not an NI number.
_NI_DIGITS_JOINED = (
    r"(?:\d{2}(?:[ -]{0,2}\d{2}){2}|\d{2}\.\d{2}\.\d{2}|\d{2}/\d{2}/\d{2}|\d(?: \d){5})"
)
_NI_DATE = r"[0-3]?\d[./][01]?\d[./]\d{2}(?!\d)"
NI_NUMBER = re.compile(
    rf"\b[a-z] ?[a-z](?:[ ./-]{{0,2}}(?!{_NI_DATE}){_NI_DIGITS_JOINED}[ ./-]{{0,2}}[a-d]\b"
    r"|(?<=[a-z]{2})(?![ -]{0,2}(?:19|20)\d{2}-[01]\d-[0-3]\d(?!\d))(?:[ -]{0,2}\d{2}){3}\b)",
    re.IGNORECASE,
)
#: Between two digits of one run: up to three spaces (a line break among them), a comma
#: with up to two spaces after it (``07700,900,123``, ``07700, 900, 123``: a list of
#: counts is kept by :func:`pipelines.redact_numbers.digit_run`), or one or two of ``- . / ( )``
#: with up to six spaces and a line break around each (``0191/2345678``,
#: ``07700   -   900123``, ``07700 900`` + new line + ``123``).
_RUN_GAP = r"[ \t]{0,6}+(?:\n[ \t]{0,6}+)?"
_RUN_SEPARATOR = rf"(?:{_RUN_GAP}[-./()]{_RUN_GAP}(?:[-./()]{_RUN_GAP})?|,[ \t]{{0,2}}|[ \t]{{0,3}}(?:\n[ \t]{{0,3}})?)"
#: A run of digits so joined (possibly a phone, an NHS number, dates, a list of counts or
#: none of these); looked at only from seven digits up.
DIGIT_RUN = re.compile(rf"(?<![\w+(])\+?\(?\d(?:{_RUN_SEPARATOR}\d){{6,}}+\)?")
_NUMBER_SEPARATOR = r"[\s./,-]{1,7}"
#: Written as an NHS number is (3-3-4 in any spacing, or ten digits not starting 0 as a UK
#: phone number would): counted as a number before phones are looked for.
NHS_LIKE = re.compile(
    rf"(?<![\d+])(?:[1-9]\d{{2}}{_NUMBER_SEPARATOR}\d{{3}}{_NUMBER_SEPARATOR}\d{{4}}|[1-9]\d{{9}})(?!\d)"
)
#: Any ten digits in 3-3-4 (any spacing) or ten or more together, left after phones.
TEN_DIGITS = re.compile(r"(?<!\d)(?:\d{3}[\s./,-]{0,7}\d{3}[\s./,-]{0,7}\d{4}|\d{10,})(?!\d)")
#: What a run of digits that is no detail is made of, between its commas (:data:`LIST_BREAK`):
#: dates (``14/02/2026``, ``2026-02-14``), years and year ranges (``2019/20``), scores and
#: fractions (``8/10``, ``24/7``) and times (``9.30``), joined by spaces or dashes
#: (``14/02/2026 - 20/03/2026``), perhaps with an hour last (``01/03/2024 09:00``, whose
#: minutes are no part of the run).
_CALENDAR_ITEM = (
    r"(?:\d{1,2}/\d{1,2}/(?:\d{4}|\d{2})|\d{1,2}\.\d{1,2}\.(?:\d{4}|\d{2})"
    r"|\d{1,2}-\d{1,2}-(?:\d{4}|\d{2})|(?:19|20)\d{2}-[01]\d-[0-3]\d"
    r"|(?:19|20)\d{2}(?:[/-](?:(?:19|20)\d{2}|\d{2}))?|\d{1,3}/\d{1,3}|[0-2]?\d\.[0-5]\d)(?!\d)"
)
CALENDAR = re.compile(
    rf"{_CALENDAR_ITEM}(?:(?:\s{{0,7}}-\s{{0,7}}|\s{{1,7}}){_CALENDAR_ITEM})*+(?:\s{{1,3}}[0-2]?\d)?"
)
#: A count or a range in a list ("scores 8,9,10", "at 0900,0930,1000", "ages 0-4, 5-11").
COUNT = re.compile(r"\d{1,4}(?:\.\d{1,2})?(?:\s{0,2}-\s{0,2}\d{1,4}(?:\.\d{1,2})?)?")
#: A number of a list: a sum grouped in thousands ("1,250,000": one number), else what is
#: between two commas (a count, a range "0-4", a date).
THOUSANDS = re.compile(r"(?<![\d,])\d{1,3}(?:,\d{3})+(?![\d])(?!,\d)")
LISTED_NUMBER = re.compile(rf"{THOUSANDS.pattern}|[^,]+")
#: A comma between items of a list of digits ("1,2,3", "1, 2, 3", "1,250,000").
LIST_BREAK = re.compile(r",[ \t]{0,2}")
#: A UK number as usually written: +44 / 0044 / 0, then 9 or 10 digits ("(0)" allowed).
UK_PHONE_DIGITS = re.compile(r"(?:\+44|0044)0?\d{9,10}|0\d{9,10}")
NOT_DIGIT = re.compile(r"[^\d+]")
MIN_PHONE_DIGITS = 10
#: Digits enough to be some identifying number (what is left of a long run, seven or more
#: digits in words).
MIN_NUMBER_DIGITS = MIN_PHONE_DIGITS - 3
#: An ISO 8601 date with its hour ("2019-08-22 10", the digits before a time's first colon):
#: ten digits, but a date, not a phone number (quarantine messages quote dates like this).
ISO_DATE_HOUR = re.compile(r"(?:19|20)\d{2}-[01]\d-[0-3]\d(?:[ T][0-2]\d)?")
#: A run with more digits than this is no phone number: removed whole as a number.
MAX_RUN_DIGITS = 40

# ---------------------------------------------------------------------------------------
# Postcodes and addresses (names: pipelines.redact_names)
# ---------------------------------------------------------------------------------------

POSTCODE = re.compile(
    r"\b(?P<outward>[a-z]{1,2}\d[a-z\d]?|gir)[ -]{0,3}(?P<inward>\d[a-z]{2})\b"
    r"|\b(?P<outward2>[a-z]{1,2}\d[a-z\d]?\d)[ -]{1,3}(?P<inward2>[a-z]{2})\b",
    re.IGNORECASE,
)
#: Letters never in the inward part of a real postcode (the NHS pseudo-postcodes aside).
NOT_INWARD = frozenset("CIKMOV")
#: The suffix each last digit takes as an English ordinal ("2nd", "4th"; not "4st"): an
#: inward part that reads as one is a postcode only after a real area ("Q1 2nd" is a
#: quarter and a week, "ls6 2nd" a Leeds postcode).
ORDINAL_SUFFIX = {"1": "st", "2": "nd", "3": "rd", **dict.fromkeys("0456789", "th")}
#: A word an ordinal counts, right after an inward part that reads as one ("M1 1st exit",
#: "b2 2nd bed", "the m6 2nd time").
ORDINAL_NOUN = re.compile(
    r"\s{1,3}(?i:floor|exit|turning|junction|time|times|bed|week|day|month|year|visit"
    r"|appointment|dose|jab|door|attempt|call|letter|stop|left|right|go|round|place)\b"
)
#: A ward's, bay's or room's word just before a code or a number ("Ward L1 1st floor",
#: "Ward 3 Brunswick House": a place in a hospital, not an address).
PLACE_IN_A_BUILDING = re.compile(r"(?i:ward|bay|room|level|floor|block|wing|bed)\s{1,3}\Z")
#: The letters a UK postcode's outward part starts with (the postcode areas).
_AREAS = """
    AB AL B BA BB BD BH BL BN BR BS BT CA CB CF CH CM CO CR CT CV CW DA DD DE DG DH DL
    DN DT DY E EC EH EN EX FK FY G GL GU GY HA HD HG HP HR HS HU HX IG IM IP IV JE KA KT
    KW KY L LA LD LE LL LN LS LU M ME MK ML N NE NG NN NP NR NW OL OX PA PE PH PL PO PR
    RG RH RM S SA SE SG SK SL SM SN SO SP SR SS ST SW SY TA TD TF TN TQ TR TS TW UB W WA
    WC WD WF WN WR WS WV YO ZE
"""
POSTCODE_AREAS = frozenset(_AREAS.split())

_STREET_ENDINGS = (
    "Avenue|Ave|Road|Rd|Street|St|Lane|Ln|Close|Cl|Drive|Dr|Way|Court|Ct|Crescent|Cres"
    "|Gardens|Gdns|Place|Pl|Terrace|Terr|Tce|Grove|Gr|Walk|Row|Mews|Square|Sq|Hill|Park"
    "|Rise|Green|Parade|Vale|View|Mount|Yard|Wharf|Quay|Boulevard|Embankment|Gate|Fold"
    "|Croft|Meadow|Meadows|Chase|Bank|Brow|Wynd|Loan|Brae|Circus|Approach|Broadway"
    "|House|Cottages|Cottage|Buildings|Towers|Tower|Estate|Lodge|Mansions|Heights|Av"
)


def _capitals() -> str:
    """A character class body of every capital letter (categories Lu and Lt: ``Ł``, ``Ş``,
    ``Č``, ``İ``, ``Ő`` as well as ``A-Z``), as ranges, from the planes that hold letters
    a name is written in (NFKC has already made mathematical and full-width capitals plain)."""
    category = unicodedata.category
    return code_point_class(c for c in range(0x20000) if category(chr(c)) in ("Lu", "Lt"))


_CAPITAL = f"[{_capitals()}]"
#: Any capital letter (a character class), for the name patterns (:mod:`pipelines.redact_names`).
CAPITAL_LETTER = _CAPITAL
_CAPITALISED = rf"{_CAPITAL}[\w'\u2019.-]{{0,30}}+"
ADDRESS = re.compile(
    r"\d(?<![\w.,/£$-]\d)\d{0,3}[A-Za-z]?(?:-\d{1,4})?,?\s{1,3}"
    rf"(?:{_CAPITALISED}\s{{1,3}}){{1,3}}(?i:{_STREET_ENDINGS})\b\.?"
)
#: Words that follow a number in ordinary sentences, never a street's name ("10 minutes
#: down the road", "3 times up the hill", "2 rooms by the way").
_NOT_STREET_WORD = (
    r"(?!(?i:the|a|an|of|on|in|at|to|up|down|and|or|from|by|for|with|near|over|past|round"
    r"|around|along|across|off|into|onto|minutes?|mins?|miles?|times?|doors?|houses?|weeks?"
    r"|days?|years?|months?|hours?|steps?|stops?|yards?|metres?|meters?|floors?|rooms?"
    r"|wards?|beds?|people|visits?)\b)"
)
_STREET_WORD = rf"{_NOT_STREET_WORD}[^\W\d_][\w'-]{{0,30}}+"
#: A street's name in any case and its ending ("acacia avenue", "Nelson Mandela House").
_STREET = rf"(?:{_STREET_WORD}\s{{1,3}}){{1,3}}(?i:{_STREET_ENDINGS})\b\.?"
_FLAT_WORD = r"(?i:flat|apartment|apt|unit)"
_FLAT_NUMBER = rf"{_FLAT_WORD}\s{{1,3}}\d{{1,4}}[A-Za-z]?,?\s{{1,3}}"
#: An address in any case after a word that says one follows ("I live at 12 acacia
#: avenue", "we moved to flat 5, nelson mandela house", "my address is ..."): the cue and
#: up to three words after it are kept.
ADDRESS_AFTER_CUE = re.compile(
    r"(?P<lead>[lLsSmMaA](?<![\w][lLsSmMaA])"
    r"(?i:iv(?:e|es|ed|ing)|tay(?:s|ed|ing)?|oved|ddress)\b"
    r"(?:\s{1,3}[\w']{1,20}+){0,3}?(?:\s{1,3}(?i:at|in|on|to|is)|\s{0,2}:)\s{1,3})"
    rf"(?P<place>(?:{_FLAT_NUMBER})?\d{{1,4}}[A-Za-z]?,?\s{{1,3}}{_STREET}|{_FLAT_NUMBER}{_STREET})"
)
#: "Flat 3, " (or "Flat " left before the building's number) before a removed address:
#: removed with it.
FLAT = re.compile(
    rf"\b{_FLAT_WORD}\s{{1,3}}(?:\d{{1,4}}[A-Za-z]?,?\s{{1,3}})?(?=\[address removed\])"
)
# ---------------------------------------------------------------------------------------
# Social media handles and numbers in words
# ---------------------------------------------------------------------------------------

#: ``@`` and 2 to 30 letters, digits, ``_`` or ``.``, starting with a letter or ``_`` (not
#: a time: "@5pm"), at the start of a word (not an e-mail address's ``@``: "jo{n}@x.org").
HANDLE = re.compile(r"(?<![^\s(\[\"'])@(?=[A-Za-z_])[A-Za-z0-9_.]{2,30}+(?![\w@])")
#: Digits as spoken: each digit word, "double" and "triple".
DIGIT_WORDS = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "nought": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
REPEATS = {"double": 2, "triple": 3}
#: Each unit ends a word ("o'clock" and "5pm" are none): a run stops before what is not one.
_DIGIT_WORD = r"(?:zero|oh|nought|one|two|three|four|five|six|seven|eight|nine|o)(?![\w'])"
_SPOKEN_UNIT = (
    rf"(?:(?:double|triple)\s{{1,3}}(?:{_DIGIT_WORD}|\d(?![\w']))|{_DIGIT_WORD}|\d++(?![\w']))"
)
#: Digits written in words, possibly among groups of digits ("oh seven seven double oh
#: nine ...", "07700 nine double oh one two three"), separated by spaces, commas or dashes;
#: what the run is worth is counted by :func:`pipelines.redact_numbers.spoken_number`.
SPOKEN_NUMBER = re.compile(rf"(?<![\w'-])(?i:{_SPOKEN_UNIT}(?:[\s,-]{{1,3}}{_SPOKEN_UNIT}){{3,}}+)")
SPOKEN_UNIT = re.compile(
    rf"(?i:(?:(?P<repeat>double|triple)\s{{1,3}})?(?P<unit>{_DIGIT_WORD}|\d+))"
)
