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
``validation.json``'s ``"redaction"``, where ``handle``, added last, comes last), in the
order it is looked for:

- ``email``: addresses in every written form: ``jo@nhs.net``, ``jo.bloggs @ nhs.net``,
  ``jo . bloggs @ nhs . net``, ``jo.bloggs[at]nhs.net``, ``jo(at)nhs[dot]net``, ``jo dot
  bloggs at nhs dot net``, and ``jo.bloggs at gmail`` (a well-known provider, no ending);
- ``url``: links with a scheme or ``www.``, and bare domains and short links with a known
  ending (``bit.ly/x1``, ``example.co.uk``, ``nhs.net/page``; see :data:`pipelines.redact_patterns.TLDS`);
- ``handle``: social media handles (``@jane_smith71``), after the e-mail addresses and links;
- ``date_of_birth``: a date (``14/02/1951``, ``14th February 1951``, ``Feb 14``) next to
  "born", "b.", "DOB", "d.o.b", "date of birth" or "birthday" (the word itself is kept), or
  a whole date a few words after one ("born in Leeds on 14/02/1951");
- ``ni_number``: National Insurance numbers (two letters, six digits and a letter A-D,
  which is often left off; any spacing or case: ``QQ 12 34 56 C``, ``qq123456``; with the
  letter, dots, slashes and single spaced characters too: ``QQ.12.34.56.C``, ``qq/123456/c``,
  ``Q Q 1 2 3 4 5 6 C``);
- ``number``: NHS numbers (any run of ten digits, spaced 3-3-4 in any way or not at all,
  check digit or not), any longer run of digits, and seven to nine digits in words;
- ``phone``: UK phone numbers (``phonenumbers``, leniency POSSIBLE, at least 10 digits;
  ``+44`` forms, brackets, any space, dash, dot, slash, comma or line break between digits)
  and ten digits or more in words ("oh seven seven double oh nine ..."). Runs of digits
  made only of dates, years, scores and times (``14/02/2026 - 20/03/2026``, ``2019/20``,
  ``24/7``) or lists of counts ("8,9,10", ``1,250,000``) are kept;
- ``postcode``: UK postcodes in any case and spacing (``SW1A 1AA``, ``sw1a1aa``,
  ``SW1A-1AA``, ``M11 AE``, ``GIR 0AA``) and the NHS pseudo-postcodes (``ZZ99 3VZ``); a
  lower-case inward part read as an ordinal is kept only after no postcode area ("Q1 2nd",
  but not ``ls6 2nd`` or ``ne1 4st``);
- ``address``: a house number and a street name with a street or building ending (``12
  Acacia Avenue``, ``Flat 3, 14 High St``, ``Flat 5, Nelson Mandela House``), in any case
  after a word that says an address follows ("i live at 12 acacia avenue");
- ``name``: a capitalised name after a title (``Dr Patel``, ``Mrs. Jane Smith``, ``Nurse
  Jones``, ``Dr Łukasz Nowak``, ``Mrs de Souza``: the title is kept), a lower-case one after
  "mr" or "mrs" (``mr smith``) or a self-introduction (``my name is Jo Bloggs``, ``I'm called
  Sam``, ``this is Sam from ...``, ``Name: Jo``), and, last, a first name with no cue
  before it (``thanks to Sharon``, ``Julie on reception``, ``Kind regards, Margaret
  Thompson``: :mod:`pipelines.redact_forenames`).

Before matching, :func:`~pipelines.textnorm.normalise` also drops combining marks after an
ASCII character (``0̲7̲7̲``) and reads Cyrillic and Greek look-alikes as Latin in a word that
mixes scripts (``nеt``).

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

from pipelines.redact_forenames import remove_forenames
from pipelines.redact_names import (
    INTRO_NAME,
    LOWER_TITLE_NAME,
    NAMED,
    NAMED_LOOKBACK,
    ROLE_NAME,
    ROLE_NAME_JOIN,
    TITLE_NAME,
    names_a_person,
)
from pipelines.redact_numbers import (
    dates_after_birth_words,
    dates_before_birth_words,
    digit_run,
    spoken_number,
)
from pipelines.redact_patterns import (
    ADDRESS,
    ADDRESS_AFTER_CUE,
    ADDRESS_LIKE_LOCAL,
    BARE_DOMAIN,
    DATE_OF_BIRTH,
    DIGIT_RUN,
    DOMAIN_LABELS,
    EMAIL,
    EMAIL_HEAD,
    EMAIL_TAIL,
    FLAT,
    HANDLE,
    NI_NUMBER,
    NOT_ADDRESS_WORDS,
    NOT_INWARD,
    ORDINAL_NOUN,
    ORDINAL_SUFFIX,
    PLACE_IN_A_BUILDING,
    POSTCODE,
    POSTCODE_AREAS,
    PROVIDER_EMAIL,
    SPELT_EMAIL,
    SPOKEN_NUMBER,
    TLDS,
    TRAILING,
    URL,
)
from pipelines.redact_removal import PLACEHOLDERS, RedactionLog, Removal
from pipelines.redact_segments import SEGMENT_CHARS, redact_in_segments
from pipelines.redact_signs import SIGN_WORDS, SignWords, signs_of
from pipelines.textnorm import normalise, strip_invisible

__all__ = ["PLACEHOLDERS", "RedactionLog", "redact", "redact_many"]


def _whole(kind: str) -> Callable[[Removal], Callable[[re.Match[str]], str]]:
    """A pass that replaces each match whole by ``kind``'s placeholder."""

    def replacer(removal: Removal) -> Callable[[re.Match[str]], str]:
        return lambda match: removal.placeholder(kind)

    return replacer


def _without_trailing(removal: Removal, kind: str, value: str, trailing: str) -> str:
    """``kind``'s placeholder for ``value``, the punctuation of ``trailing`` that ends it
    kept after the placeholder (a sentence's full stop is not part of a link)."""
    kept = value.rstrip(trailing)
    return removal.placeholder(kind) + value[len(kept) :]


def _spelt_email(removal: Removal) -> Callable[[re.Match[str]], str]:
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


def _provider_email(removal: Removal) -> Callable[[re.Match[str]], str]:
    """``local@gmail`` or ``local at gmail`` (a well-known provider, its ending left off):
    an address; with "at" spelt out only where the part before it looks like an address's
    (:data:`~pipelines.redact_patterns.ADDRESS_LIKE_LOCAL`: "jane.smith at gmail", not
    "junk at hotmail") and is no everyday word ("my account at gmail")."""

    def decide(match: re.Match[str]) -> str:
        local = DOMAIN_LABELS.split(match["local"])
        if "@" not in match["at"] and (
            local[-1].lower() in NOT_ADDRESS_WORDS or not ADDRESS_LIKE_LOCAL.search(match["local"])
        ):
            return match[0]
        return removal.placeholder("email")

    return decide


def _handle(removal: Removal) -> Callable[[re.Match[str]], str]:
    """A social media handle, a full stop after it kept outside the placeholder."""
    return lambda match: _without_trailing(removal, "handle", match[0], ".")


def _link(removal: Removal) -> Callable[[re.Match[str]], str]:
    """A link, its trailing punctuation kept outside the placeholder."""
    return lambda match: _without_trailing(removal, "url", match[0], TRAILING)


def _bare_domain(removal: Removal) -> Callable[[re.Match[str]], str]:
    """A bare domain: not where two sentences run together ("home.Me and ...")."""

    def decide(match: re.Match[str]) -> str:
        tld = match["tld"]
        if not match["path"] and tld[0].isupper() and not tld.isupper():
            return match[0]
        return _without_trailing(removal, "url", match[0], TRAILING)

    return decide


def _date_of_birth(removal: Removal) -> Callable[[re.Match[str]], str]:
    def decide(match: re.Match[str]) -> str:
        return match["word"] + removal.placeholder("date_of_birth")

    return decide


def _reads_as_ordinal(match: re.Match[str]) -> bool:
    """Whether a lower-case inward part is an ordinal ("1st", "2nd"; not "4st"): after
    something that is no postcode area ("Q1 2nd", "A1 2nd exit"), before a word an ordinal
    counts ("M1 1st exit", "b1 1st floor") or after a ward's, bay's or room's name ("Ward
    L1 1st"); "ne1 4st" (no ordinal) and "ls6 2nd" (Leeds) are postcodes."""
    outward, inward = match["outward"], match["inward"]
    letters = inward[-2:]
    if not letters.islower() or ORDINAL_SUFFIX.get(inward[0]) != letters:
        return False
    area = re.match(r"[A-Za-z]+", outward)[0].upper()  # type: ignore[index]
    return (
        area not in POSTCODE_AREAS
        or ORDINAL_NOUN.match(match.string, match.end()) is not None
        or _in_a_building(match)
    )


#: How far before a match a ward's, bay's or room's word is looked for ("floor" and three
#: spaces fit).
_BUILDING_WORD_WINDOW = 12


def _in_a_building(match: re.Match[str]) -> bool:
    """Whether a ward's, bay's or room's word comes just before ``match``."""
    before = max(0, match.start() - _BUILDING_WORD_WINDOW)
    return PLACE_IN_A_BUILDING.search(match.string, before, match.start()) is not None


def _postcode(removal: Removal) -> Callable[[re.Match[str]], str]:
    """A postcode: its inward letters those a real one has (NHS pseudo-postcodes aside),
    and not an ordinal ("Q1 2nd")."""

    def decide(match: re.Match[str]) -> str:
        outward = match["outward"] or match["outward2"]
        inward = match["inward"] or match["inward2"]
        letters = inward[-2:]
        if match["inward"] and _reads_as_ordinal(match):
            return match[0]
        if match["outward2"] and not (outward.isupper() and letters.isupper()):
            return match[0]  # "M11 AE" spaced wrongly: capitals only ("M62 at 5pm" is no postcode)
        if not outward.upper().startswith("ZZ") and NOT_INWARD & set(letters.upper()):
            return match[0]
        return removal.placeholder("postcode")

    return decide


def _address(removal: Removal) -> Callable[[re.Match[str]], str]:
    """A house number and street: not a ward's or room's number and name ("Ward 3
    Brunswick House", "Room 4 Trust House")."""

    def decide(match: re.Match[str]) -> str:
        return match[0] if _in_a_building(match) else removal.placeholder("address")

    return decide


def _address_after_cue(removal: Removal) -> Callable[[re.Match[str]], str]:
    """An address after "I live at", "moved to", "my address is": the cue is kept."""

    def decide(match: re.Match[str]) -> str:
        return match["lead"] + removal.placeholder("address")

    return decide


def _name(removal: Removal) -> Callable[[re.Match[str]], str]:
    """A name after a title or an introduction; the title or introduction is kept."""

    def decide(match: re.Match[str]) -> str:
        lead = match["lead"] if match["lead"] is not None else match["lead2"]
        return lead + removal.placeholder("name")

    return decide


def _named_person(removal: Removal) -> Callable[[re.Match[str]], str]:
    """Names after "is", "was", "called", "named" or "name's" where what comes before says
    they are a person's (:func:`~pipelines.redact_names.names_a_person`: "her name was
    Julie", "a lady called Julie", "the nurses were Julie and Sam"), each removed and
    counted; the words before them are kept, and elsewhere ("it was Tuesday") nothing
    changes."""
    names = _role_names(removal)

    def decide(match: re.Match[str]) -> str:
        before = match.string[max(0, match.start() - NAMED_LOOKBACK) : match.start()]
        after = match.string[match.end() : match.end() + 12]
        if not names_a_person(before, match["cue"], after):
            return match[0]
        return names(match)

    return decide


def _role_names(removal: Removal) -> Callable[[re.Match[str]], str]:
    """The names after a care role, each removed and counted ("carers [name removed] and
    [name removed]"); the role and what joins the names are kept."""

    def decide(match: re.Match[str]) -> str:
        # the split keeps the joins: every other part is a name
        parts = ROLE_NAME_JOIN.split(match["name"])
        kept = (p if i % 2 else removal.placeholder("name") for i, p in enumerate(parts))
        return match["lead"] + "".join(kept)

    return decide


#: Each pass: the sign it needs (:func:`~pipelines.redact_signs.signs_of`), its pattern and how a match is replaced.
#: In this order: a later pass never sees what an earlier one removed.
_PASSES: tuple[
    tuple[str, re.Pattern[str], Callable[[Removal], Callable[[re.Match[str]], str]]], ...
] = (
    ("at", EMAIL, _whole("email")),
    ("at", EMAIL_TAIL, _whole("email")),
    ("spelt at", SPELT_EMAIL, _spelt_email),
    ("provider", PROVIDER_EMAIL, _provider_email),
    ("link", URL, _link),
    ("dot", BARE_DOMAIN, _bare_domain),
    ("at", HANDLE, _handle),
    ("birth", DATE_OF_BIRTH, _date_of_birth),
    ("digit", NI_NUMBER, _whole("ni_number")),
    ("spoken", SPOKEN_NUMBER, spoken_number),
    ("digit", DIGIT_RUN, digit_run),
    ("digit", POSTCODE, _postcode),
    ("digit", ADDRESS, _address),
    ("address cue", ADDRESS_AFTER_CUE, _address_after_cue),
    ("title", TITLE_NAME, _name),
    ("title", LOWER_TITLE_NAME, _name),
    ("role", ROLE_NAME, _role_names),
    ("introduction", INTRO_NAME, _name),
    ("named", NAMED, _named_person),
)


def redact(text: str, log: RedactionLog | None = None) -> str:
    """``text`` with e-mail addresses, links, dates of birth, NI, NHS and other identifying
    numbers, phone numbers, postcodes, street addresses and introduced names replaced by
    placeholders (:data:`PLACEHOLDERS`); ``log`` counts them by kind.

    Matched in normalised form (:func:`pipelines.textnorm.normalise`); returned normalised
    where anything was removed, else as written less its invisible characters.
    """
    normal = normalise(text)
    counts: Counter[str] = Counter()
    if len(normal) <= SEGMENT_CHARS:
        redacted = _redacted(normal, Removal(counts), SIGN_WORDS)
    else:
        redacted = _redacted_long(normal, counts)
    if not counts:
        return strip_invisible(text)
    if log is not None:
        log.counts.update(counts)
    return redacted


#: Signs a detail need not show itself, so a long text's segments take them from the whole
#: text, as the whole text would be redacted: a number spoken as "one two one one two ..."
#: (an "oh" anywhere is the sign), "at" or "this is" written with a tab or two spaces, and
#: "birth" or "DOB" anywhere for a date before "born".
_WHOLE_TEXT_SIGNS = frozenset({"spoken", "spelt at", "provider", "introduction", "birth before"})


def _redacted_long(normal: str, counts: Counter[str]) -> str:
    """A text over :data:`SEGMENT_CHARS`, redacted as :func:`_redacted` would redact it whole:
    every pass but the first names' in segments (:func:`redact_in_segments`), each segment
    on its own signs but those of :data:`_WHOLE_TEXT_SIGNS`; then the first names' pass over
    the whole, as the last pass always is (whether the text is in Title Case is judged on it)."""
    lower = normal.lower()
    words = SIGN_WORDS.found_in(lower)
    signs = signs_of(normal, lower, words)
    whole = frozenset(signs & _WHOLE_TEXT_SIGNS)

    def redact_part(part: str, counted: Counter[str]) -> str:
        return _redacted(part, Removal(counted), words, whole)

    redacted = redact_in_segments(normal, redact_part, counts)
    if "first name" in signs:  # last: a name the cued passes left ("thanks to Sharon")
        redacted = remove_forenames(redacted, Removal(counts))
    return redacted


def _redacted(
    normal: str, removal: Removal, words: SignWords, whole: frozenset[str] | None = None
) -> str:
    """``normal`` (normalised text) with every pass its signs (``words``) call for run over
    it; ``whole``: for a segment of a long text (:func:`_redacted_long`), the signs of
    :data:`_WHOLE_TEXT_SIGNS` the whole text shows; None for a whole text."""
    lower = normal.lower()
    signs = signs_of(normal, lower, words, first_names=whole is None)
    if whole is not None:
        signs = (signs - _WHOLE_TEXT_SIGNS) | whole
    redacted = normal
    for sign, pattern, replacer in _PASSES:
        if sign not in signs:
            continue
        before = removal.counts.total()
        redacted = pattern.sub(replacer(removal), redacted)
        if removal.counts.total() == before:
            continue
        if pattern is EMAIL_TAIL:
            redacted = EMAIL_HEAD.sub("", redacted)
        elif pattern is ADDRESS:
            redacted = FLAT.sub("", redacted)
    if "birth" in signs:
        redacted = dates_after_birth_words(redacted, removal)
    if "birth" in signs and "birth before" in signs:
        redacted = dates_before_birth_words(redacted, removal)
    if "first name" in signs:  # last: a name the cued passes left ("thanks to Sharon")
        redacted = remove_forenames(redacted, removal)
    return redacted


def redact_many(texts: list[str | None], log: RedactionLog | None = None) -> list[str | None]:
    """Redact each text (None stays None); a text that shows no sign of any detail
    (:func:`~pipelines.redact_signs.signs_of`) is passed over."""
    return [None if text is None else redact(text, log) for text in texts]
