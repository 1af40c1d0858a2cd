"""Text normalisation: one written form for text that is matched, shown or stored.

Two jobs, both linear in the length of the text and neither importing anything else from
``pipelines`` (any layer may use them):

- :func:`strip_invisible` removes what a reader cannot see but a program can: Unicode format
  characters (category Cf: zero-width space, joiner and non-joiner, word joiner, byte order
  mark, soft hyphen, the bidirectional marks, embeddings, overrides and isolates) and
  control characters other than newline and tab. For display names (regions, labels, event
  titles) and for any text written into a page or a CSV.
- :func:`normalise` is the form text is *matched* in (redaction): Unicode NFKC (full-width
  ``＠`` becomes ``@``, ligatures and compatibility digits become plain ones), invisible
  characters removed, every kind of space a plain space and every dash, hyphen or minus
  ``-``. Accents, ``£`` and ordinary punctuation are kept. Two disguises are undone too:
  combining marks written after a plain ASCII character (``0̲7̲7̲``: after NFKC a Latin
  accent is one precomposed letter, so no real accent is a mark after ASCII; marks after
  other letters are kept, other scripts need them), and Cyrillic or Greek letters that look
  like Latin ones inside a word that mixes them with Latin letters or digits (``nеt`` with a
  Cyrillic ``е``; a Russian or Greek word is left as it is).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

_KEEP_CONTROLS = frozenset("\n\t")
#: Not dashes by category (Sm, So) but written as one.
_MINUS = frozenset({0x2212, 0x2796})
#: Line and paragraph separators (Zl, Zp): a new line.
_LINE_BREAKS = frozenset({0x2028, 0x2029})


def _invisible(code: int) -> bool:
    category = unicodedata.category(chr(code))
    return category == "Cf" or (category == "Cc" and chr(code) not in _KEEP_CONTROLS)


class _Table(dict[int, "str | None"]):
    """A ``str.translate`` table filled on first sight of each code point (a text meets few
    distinct ones): one dictionary look-up per character, no start-up cost."""

    def __init__(self, rule: Callable[[int], str | None]) -> None:
        super().__init__()
        self._rule = rule

    def __missing__(self, code: int) -> str | None:
        self[code] = value = self._rule(code)
        return value


def _strip_rule(code: int) -> str | None:
    return None if _invisible(code) else chr(code)


#: Default-ignorable marks that are not format characters: variation selectors, the
#: combining grapheme joiner, Hangul and Mongolian fillers. Dropped for matching only (a
#: variation selector still shapes an emoji on the page).
_IGNORABLE = frozenset(
    {0x034F, 0x115F, 0x1160, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164, 0xFFA0}
    | set(range(0xFE00, 0xFE10))
    | set(range(0xE0100, 0xE01F0))
)
#: Curly single quotes, as phones type them: the apostrophe patterns are written with ``'``.
_APOSTROPHES = frozenset({0x2018, 0x2019, 0x02BC})


def _unify_rule(code: int) -> str | None:
    """Invisible or ignorable: removed; a space separator (Zs): a plain space; a dash (Pd)
    or minus: ``-``; a curly single quote: ``'``; a line or paragraph separator: a new line;
    anything else: itself."""
    if _invisible(code) or code in _IGNORABLE:
        return None
    if code in _APOSTROPHES:
        return "'"
    category = unicodedata.category(chr(code))
    if category == "Zs":
        return " "
    if category == "Pd" or code in _MINUS:
        return "-"
    if code in _LINE_BREAKS:
        return "\n"
    return chr(code)


INVISIBLE = _Table(_strip_rule)
UNIFY = _Table(_unify_rule)


def _character_class(rule: Callable[[int], str | None]) -> str:
    """A regular-expression class of every code point that ``rule`` changes, as ranges.

    Either rule changes only a code point of a category in :data:`_CHANGED_CATEGORIES` or
    one it names (:data:`_NAMED`): those are found by category first, and ``rule`` asked
    about them alone (about 550, not the 135,000 code points of the planes)."""
    return code_point_class(
        code
        for code in _candidates()
        if (code >= 0x80 or chr(code) in _ASCII_CHANGED) and rule(code) != chr(code)
    )


def code_point_class(codes: Iterable[int]) -> str:
    """The body of a regular-expression character class holding ``codes`` (in increasing
    order), written as ranges."""
    ranges: list[tuple[int, int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return "".join(
        re.escape(chr(a)) if a == b else f"{re.escape(chr(a))}-{re.escape(chr(b))}"
        for a, b in ranges
    )


#: Where Unicode puts format, control, space, dash and separator characters: the basic and
#: supplementary multilingual planes and the tags (plane 14); the other planes hold letters
#: and private use only (checked by ``tests/test_redact_textnorm.py``).
_PLANES = (range(0x20000), range(0xE0000, 0xE1000))
#: ASCII characters either rule changes: the controls but new line and tab.
_ASCII_CHANGED = frozenset(chr(c) for c in [*range(0x20), 0x7F] if chr(c) not in _KEEP_CONTROLS)


#: The categories either rule can change: format and control characters, space separators,
#: dashes, line and paragraph separators; and the code points either rule names whatever
#: their category.
_CHANGED_CATEGORIES = frozenset({"Cf", "Cc", "Zs", "Pd", "Zl", "Zp"})
_NAMED = _IGNORABLE | _APOSTROPHES | _MINUS | _LINE_BREAKS


def _candidates() -> list[int]:
    """The code points of :data:`_PLANES` :func:`_unify_rule` or :func:`_strip_rule` could
    change, in order."""
    category = unicodedata.category
    return sorted(
        {code for plane in _PLANES for code in plane if category(chr(code)) in _CHANGED_CATEGORIES}
        | _NAMED
    )


@functools.cache
def _runs(rule: Callable[[int], str | None]) -> re.Pattern[str]:
    """Runs of characters ``rule`` changes (built once, on the first text that needs it)."""
    return re.compile(f"[{_character_class(rule)}]+")


def strip_invisible(text: str) -> str:
    """``text`` without format characters (Cf) and control characters other than ``\\n``
    and ``\\t``; nothing else changed."""
    if text.isascii() and (text.isprintable() or _ASCII_CONTROL.search(text) is None):
        return text
    return _runs(_strip_rule).sub("", text)


#: Combining marks (diacritical marks and their extended and supplement blocks, marks for
#: symbols, which hold the enclosing circle and keycap, and half marks) after a printable
#: ASCII character: a disguise, never an accent once NFKC has composed the accented letters.
_MARKS_AFTER_ASCII = re.compile(
    r"(?<=[\x20-\x7e])[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]++"
)
#: Cyrillic and Greek letters drawn like Latin ones, and the Latin letter each is read as.
_LOOKALIKES = {
    **dict(zip("аеорсухіјѕԁһԛԝӏ", "aeopcyxijsdhqwl", strict=True)),
    **dict(zip("АВЕКМНОРСТХІЈЅУ", "ABEKMHOPCTXIJSY", strict=True)),
    **dict(zip("οαενικτρυχ", "oaeviktpux", strict=True)),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
}
_LATIN = str.maketrans(_LOOKALIKES)
_LOOKALIKE = re.compile(f"[{''.join(_LOOKALIKES)}]")
#: A word (letters and digits) with a look-alike in it: tried from a word's start only.
_WORD_WITH_LOOKALIKE = re.compile(rf"(?<![^\W_])(?=[^\W_]*?{_LOOKALIKE.pattern})[^\W_]++")
_ASCII_ALNUM = re.compile(r"[A-Za-z0-9]")


def _fold_mixed_word(word: re.Match[str]) -> str:
    """A word that mixes Latin letters or digits with look-alikes, read as Latin; a word in
    one script kept as it is."""
    if _ASCII_ALNUM.search(word[0]) is None:
        return word[0]
    return word[0].translate(_LATIN)


def normalise(text: str) -> str:
    """``text`` in the form it is matched in: NFKC, invisible characters removed, every
    space a plain space and every dash or minus ``-``, combining marks after ASCII dropped
    and look-alike letters in mixed-script words read as Latin."""
    if text.isascii():
        return strip_invisible(text)
    # NFKC first: it can produce new spaces and dashes (U+FF0D → "-", U+3000 → " ")
    text = unicodedata.normalize("NFKC", text)
    text = _runs(_unify_rule).sub(lambda run: run[0].translate(UNIFY), text)
    text = _MARKS_AFTER_ASCII.sub("", text)
    if _LOOKALIKE.search(text) is not None:
        text = _WORD_WITH_LOOKALIKE.sub(_fold_mixed_word, text)
    return text


_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
