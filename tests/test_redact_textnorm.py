"""Text normalisation (``pipelines/textnorm.py``): what redaction matches in, and what names
and page text are stripped of (issue #15, Musts 2 and 5)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipelines.textnorm import normalise, strip_invisible

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte order mark
    "\u00ad",  # soft hyphen
    "\u200e",  # left-to-right mark
    "\u200f",  # right-to-left mark
    "\u061c",  # Arabic letter mark
    *(chr(c) for c in range(0x202A, 0x202F)),  # embeddings and overrides
    *(chr(c) for c in range(0x2066, 0x206A)),  # isolates
    "\x00",
    "\x07",
    "\x1b",
    "\r",
    "\x7f",
    "\x85",
]


@pytest.mark.parametrize("char", INVISIBLE, ids=[f"U+{ord(c):04X}" for c in INVISIBLE])
def test_invisible_and_control_characters_are_stripped(char: str) -> None:
    assert strip_invisible(f"Lon{char}don") == "London"
    assert normalise(f"Lon{char}don") == "London"


def test_new_lines_and_tabs_stay() -> None:
    assert strip_invisible("a\nb\tc") == "a\nb\tc"
    assert normalise("a\nb\tc") == "a\nb\tc"


def test_strip_invisible_changes_nothing_else() -> None:
    text = "Café – “quoted” ＠ 12\u00a0345 ½"
    assert strip_invisible(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jo.bloggs\uff20nhs.net", "jo.bloggs@nhs.net"),
        ("07700\u2009900\u202f123\u00a0x\u3000y", "07700 900 123 x y"),
        ("SW1A\u20131AA \u2014 \u2212 \u2010 \u2011 \ufe63 \uff0d", "SW1A-1AA - - - - - -"),
        ("\uff10\uff17\uff17", "077"),
        ("jo145\u200b@nhs.net", "jo145@nhs.net"),
        ("caf\u0065\u0301 £5", "café £5"),
        ("line\u2028break", "line\nbreak"),
    ],
)
def test_normalise_folds_spaces_dashes_and_full_width_forms(text: str, expected: str) -> None:
    assert normalise(text) == expected


@given(st.text(max_size=200))
def test_normalise_leaves_no_format_character_odd_space_or_dash(text: str) -> None:
    out = normalise(text)
    for char in out:
        category = unicodedata.category(char)
        assert category != "Cf"
        assert category != "Cc" or char in "\n\t"
        assert category != "Zs" or char == " "
        assert category != "Pd" or char == "-"


@given(st.text(max_size=200))
def test_strip_invisible_only_removes(text: str) -> None:
    out = strip_invisible(text)
    assert all(unicodedata.category(c) not in ("Cf",) for c in out)
    kept = iter(text)
    assert all(any(c == k for k in kept) for c in out)  # a subsequence of the input


def test_no_format_space_or_dash_character_lies_outside_the_planes_scanned() -> None:
    import sys

    from pipelines.textnorm import _PLANES

    scanned = {code for plane in _PLANES for code in plane}
    outside = [
        code
        for code in range(sys.maxunicode + 1)
        if code not in scanned
        and unicodedata.category(chr(code)) in ("Cf", "Cc", "Zs", "Zl", "Zp", "Pd")
    ]
    assert outside == []


@pytest.mark.parametrize("rule", ["_unify_rule", "_strip_rule"])
def test_the_changed_characters_found_by_category_are_every_one_the_rule_changes(rule: str) -> None:
    from pipelines import textnorm

    changes = getattr(textnorm, rule)
    every = [
        code
        for plane in textnorm._PLANES
        for code in plane
        if (code >= 0x80 or chr(code) in textnorm._ASCII_CHANGED) and changes(code) != chr(code)
    ]
    pattern = re.compile(f"[{textnorm._character_class(changes)}]")
    scanned = "".join(chr(code) for plane in textnorm._PLANES for code in plane)
    assert [ord(match[0]) for match in pattern.finditer(scanned)] == every


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0\u03327\u03327\u0332", "077"),  # combining low line after each digit
        ("1\u20dd2\u20de3\u20e3", "123"),  # enclosing circle, square, keycap
        ("j\u0336o\u0336@nhs.net", "jo@nhs.net"),  # strikethrough
        ("a\u1ab0b\u1dc0c\ufe20", "abc"),  # the extended, supplement and half-mark blocks
        ("caf\u0065\u0301", "café"),  # an accent: composed by NFKC, so kept
        ("\u0436\u0301", "\u0436\u0301"),  # a mark after a Cyrillic letter: kept
        ("\u0905\u093f", "\u0905\u093f"),  # a Devanagari vowel sign: kept
    ],
)
def test_combining_marks_after_ascii_are_dropped_and_no_others(text: str, expected: str) -> None:
    assert normalise(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("nhs dot n\u0435t", "nhs dot net"),  # Cyrillic е in a Latin word
        ("j\u043e.bl\u043egg\u0455", "jo.bloggs"),  # Cyrillic о and ѕ
        ("SW1A 1\u0410\u0410", "SW1A 1AA"),  # Cyrillic А beside a digit
        ("g\u03bf\u03bfgle", "google"),  # Greek ο
        ("\u041f\u0440\u0438\u0432\u0435\u0442 \u043c\u0438\u0440", "Привет мир"),  # Russian
        ("\u03ba\u03b1\u03bb\u03b7\u03bc\u03ad\u03c1\u03b1", "καλημέρα"),  # Greek
        ("Caf\u00e9 \u0441\u0430\u0445\u0430\u0440", "Café сахар"),  # each word one script
    ],
)
def test_look_alike_letters_are_read_as_latin_only_in_mixed_words(text: str, expected: str) -> None:
    assert normalise(text) == expected
