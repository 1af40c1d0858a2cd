"""The cheap signs a text must show for each redaction pass to run (:func:`signs_of`): a
text that shows none is passed over after a few substring searches (most comments are)."""

from __future__ import annotations

import re
from typing import NamedTuple

from pipelines.redact_forenames import may_name_someone
from pipelines.redact_names import PERSON_FORMS, ROLE_FORMS
from pipelines.redact_patterns import MAIL_PROVIDERS

_TITLE_WORDS = ("dr", "mr", "ms", "mx", "miss", "prof", "doctor", "nurse", "sister")
_TITLE_WORDS += ("matron", "cllr", "councillor", "rev")
#: The first words of the role words and their plurals (:data:`ROLE_FORMS`), the sign
#: of the role pass.
_ROLE_SIGNS = tuple(sorted({form.split()[0] for form in ROLE_FORMS}))
#: The words for a person and the care roles, singular and plural (their first words), the
#: sign of the pass for a name after them and "is", "was", "called" or "named".
_PERSON_SIGNS = tuple(sorted({form.split()[0] for form in PERSON_FORMS}))
_BIRTH_WORDS = ("born", "dob", "d.o", "d. o", "birth", "b.")
#: The birth words that are no verb: where one is, a date is looked for before "born" too.
_BIRTH_NOUNS = ("dob", "d.o", "d. o", "birth")
_ADDRESS_CUES = ("liv", "stay", "moved", "address")
#: A number in words has at least three digit words, so one of these (or "one", "two" or
#: "o" three times; not looked for: "someone", "network" would make every text a sign).
_SPOKEN_SIGNS = ("zero", "oh", "nought", "three", "four", "five", "six", "seven", "eight")
_SPOKEN_SIGNS += ("nine", "double", "triple")


class SignWords(NamedTuple):
    """The words whose presence (as a substring of the lower-cased text) is a pass's sign."""

    birth: tuple[str, ...] = _BIRTH_WORDS
    title: tuple[str, ...] = _TITLE_WORDS
    role: tuple[str, ...] = _ROLE_SIGNS
    person: tuple[str, ...] = _PERSON_SIGNS
    providers: tuple[str, ...] = tuple(sorted(MAIL_PROVIDERS))
    address: tuple[str, ...] = _ADDRESS_CUES
    spoken: tuple[str, ...] = _SPOKEN_SIGNS

    def found_in(self, lower: str) -> SignWords:
        """Only the words ``lower`` holds (:func:`words_in`)."""
        return SignWords(*words_in(lower, tuple(self)))


SIGN_WORDS = SignWords()
_BRACKETED_AT = re.compile(r"[\[({<]\s{0,2}at\s{0,2}[\])}>]")
_DOT_LETTER = re.compile(r"\.[^\W\d_]")
_ANY_DIGIT = re.compile(r"\d")


def signs_of(
    normal: str, lower: str, words: SignWords = SIGN_WORDS, *, first_names: bool = True
) -> set[str]:
    """Which kinds of detail ``normal`` (and ``lower``, the same lower-cased) may hold;
    ``words``: the sign words looked for; ``first_names``: whether to look for a first name
    (not in a segment of a long text: that pass runs over the whole)."""
    signs: set[str] = set()
    if _ANY_DIGIT.search(normal):
        signs.add("digit")
        if any(word in lower for word in words.birth):
            signs.add("birth")
            if any(word in lower for word in _BIRTH_NOUNS):
                signs.add("birth before")
    dotted = _DOT_LETTER.search(normal) is not None
    if dotted:
        signs.add("dot")
    if "@" in normal or ("at" in lower and _BRACKETED_AT.search(lower)):
        signs.add("at")
    if " at " in lower and (dotted or "dot" in lower):
        signs.add("spelt at")
    if "://" in lower or "www." in lower:
        signs.add("link")
    if any(word in lower for word in words.title):
        signs.add("title")
    if any(word in lower for word in words.role):
        signs.add("role")
    if "name" in lower or "called" in lower or "this is" in lower:
        signs.add("introduction")
    if "name" in lower or "called" in lower or any(noun in lower for noun in words.person):
        signs.add("named")
    if (" at " in lower or "@" in normal) and any(p in lower for p in words.providers):
        signs.add("provider")
    if "digit" in signs and any(cue in lower for cue in words.address):
        signs.add("address cue")
    if any(word in lower for word in words.spoken):
        signs.add("spoken")
    if first_names and may_name_someone(normal):
        signs.add("first name")
    return signs


#: About how many characters a substring search passes over in the time it takes to look
#: at one more run (measured: about 1 ns a character, 60 ns a run).
_RUN_COST = 60


def words_in(lower: str, groups: tuple[tuple[str, ...], ...]) -> list[tuple[str, ...]]:
    """Each group of sign words less those ``lower`` does not hold: what the segments of a
    long text need look for (each absent word would otherwise be searched for through every
    segment). Where the text has few distinct runs between spaces (the same few words again
    and again), looked for in those runs; else (and a word with a space, "d. o") in the text."""
    runs = set(lower.split())
    few = len(runs) * _RUN_COST < len(lower)

    def held(word: str) -> bool:
        if few and " " not in word:
            return any(word in run for run in runs)
        return word in lower

    return [tuple(word for word in words if held(word)) for words in groups]
