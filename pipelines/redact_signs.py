"""The cheap signs a text must show for each redaction pass to run (:func:`signs_of`): a
text that shows none is passed over after a few substring searches (most comments are)."""

from __future__ import annotations

import re
from typing import NamedTuple

from pipelines.redact_forenames import may_name_someone
from pipelines.redact_names import PERSON_FORMS, ROLE_FORMS
from pipelines.redact_patterns import MAIL_PROVIDERS
from pipelines.redact_segments import words_in

_TITLE_WORDS = ("dr", "mr", "ms", "mx", "miss", "prof", "doctor", "nurse", "sister")
_TITLE_WORDS += ("matron", "cllr", "councillor", "rev")
#: The first words of the role words and their plurals (:data:`ROLE_FORMS`), the sign
#: of the role pass.
_ROLE_SIGNS = tuple(sorted({form.split()[0] for form in ROLE_FORMS}))
#: The words for a person and the care roles, singular and plural (their first words), the
#: sign of the pass for a name after them and "is", "was", "called" or "named".
_PERSON_SIGNS = tuple(sorted({form.split()[0] for form in PERSON_FORMS}))
BIRTH_WORDS = ("born", "dob", "d.o", "d. o", "birth", "b.")
_ADDRESS_CUES = ("liv", "stay", "moved", "address")
#: A number in words has at least three digit words, so one of these (or "one", "two" or
#: "o" three times; not looked for: "someone", "network" would make every text a sign).
_SPOKEN_SIGNS = ("zero", "oh", "nought", "three", "four", "five", "six", "seven", "eight")
_SPOKEN_SIGNS += ("nine", "double", "triple")


class SignWords(NamedTuple):
    """The words whose presence (as a substring of the lower-cased text) is a pass's sign."""

    birth: tuple[str, ...] = BIRTH_WORDS
    title: tuple[str, ...] = _TITLE_WORDS
    role: tuple[str, ...] = _ROLE_SIGNS
    person: tuple[str, ...] = _PERSON_SIGNS
    providers: tuple[str, ...] = tuple(sorted(MAIL_PROVIDERS))
    address: tuple[str, ...] = _ADDRESS_CUES
    spoken: tuple[str, ...] = _SPOKEN_SIGNS

    def found_in(self, lower: str) -> SignWords:
        """Only the words ``lower`` holds (:func:`~pipelines.redact_segments.words_in`)."""
        return SignWords(*words_in(lower, tuple(self)))


SIGN_WORDS = SignWords()
_BRACKETED_AT = re.compile(r"[\[({<]\s{0,2}at\s{0,2}[\])}>]")
_DOT_LETTER = re.compile(r"\.[^\W\d_]")
_ANY_DIGIT = re.compile(r"\d")


def signs_of(normal: str, lower: str, words: SignWords = SIGN_WORDS) -> set[str]:
    """Which kinds of detail ``normal`` (and ``lower``, the same lower-cased) may hold;
    ``words``: the sign words looked for."""
    signs: set[str] = set()
    if _ANY_DIGIT.search(normal):
        signs.add("digit")
        if any(word in lower for word in words.birth):
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
    if may_name_someone(normal):
        signs.add("first name")
    return signs
