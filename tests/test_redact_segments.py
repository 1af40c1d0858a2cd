"""A very long text is redacted in segments (pipelines/redact_segments.py): each pass runs
only on the segments that show its sign, and nothing across a cut is missed."""

from __future__ import annotations

from collections import Counter

import pytest
from conftest import removed

from pipelines import redact, redact_segments, redact_signs
from pipelines.redact_segments import safe_cut, segments
from pipelines.redact_signs import SIGN_WORDS

#: Details with spaces in them (a cut can fall inside one), what identifies each, and what
#: replaces it.
DETAILS = [
    ("email me at jo . bloggs @ nhs.net please", "bloggs", "[email removed]"),
    ("ring 07700 900 123 any time", "900", "[phone number removed]"),
    ("we live at 12 Acacia Avenue, Leeds", "Acacia", "[address removed]"),
    ("my postcode is SW1A 1AA so", "1AA", "[postcode removed]"),
    ("Dr Whitfield was kind", "Whitfield", "Dr [name removed]"),
    ("thanks to Sharon on reception", "Sharon", "[name removed]"),
    ("my name is Jo Bloggs and", "Bloggs", "[name removed]"),
    ("I was born on 14/02/1951 in", "1951", "[date of birth removed]"),
]
FILLER = "the carers came on time and were kind to us all week "


@pytest.fixture
def small_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """Segments of 400 characters and seams of 120 (each detail is shorter), so that a
    short text has many cuts."""
    monkeypatch.setattr(redact_segments, "SEGMENT_CHARS", 400)
    monkeypatch.setattr(redact_segments, "SEAM_CHARS", 120)
    monkeypatch.setattr(redact, "SEGMENT_CHARS", 400)


def _whole(text: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, dict[str, int]]:
    with monkeypatch.context() as whole:
        whole.setattr(redact, "SEGMENT_CHARS", len(text))
        return removed(text)


@pytest.mark.parametrize(("detail", "secret", "placeholder"), DETAILS)
def test_no_cut_parts_a_detail_wherever_it_falls(
    small_segments: None,
    monkeypatch: pytest.MonkeyPatch,
    detail: str,
    secret: str,
    placeholder: str,
) -> None:
    for start in range(400 - len(detail), 402):  # the place for the first cut before, in, after
        text = "a" * (start - 1) + " " + detail + " " + FILLER * 16
        first = len(segments(text, _redact_part)[0])
        assert 399 < first < 500
        cleaned, counts = removed(text)
        assert placeholder in cleaned and secret not in cleaned
        assert (cleaned, counts) == _whole(text, monkeypatch)


def test_a_long_text_comes_out_as_it_would_whole(
    small_segments: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = " ".join(f"{FILLER}{detail}." for detail, _, _ in DETAILS) * 3
    assert len(segments(text, _redact_part)) > 3
    cleaned, counts = removed(text)
    assert counts == {
        "email": 3, "phone": 3, "address": 3, "postcode": 3, "name": 9, "date_of_birth": 3,
    }  # fmt: skip
    assert (cleaned, counts) == _whole(text, monkeypatch)


@pytest.mark.parametrize(
    ("detail", "far", "secret"),
    [
        # "one" and "two" are no sign of a spoken number: an "oh" anywhere in the text is
        ("call me on one two one one two one two one two one two thanks", "Ask John.", "one two"),
        # a date before "born" is looked for where "birth" or "DOB" is anywhere
        ("Mum, 14/02/1951 born, was seen.", "Please note her DOB.", "1951"),
        # "at" with a tab, an introduction with two spaces: the signs are " at ", "this is"
        ("write to jo\tat\tgmail.com today", "We met at noon.", "jo"),
        ("This  is Julie Smith from the council", "this is all.", "Julie"),
    ],
)
def test_a_sign_far_from_its_detail_counts_as_it_would_whole(
    small_segments: None, monkeypatch: pytest.MonkeyPatch, detail: str, far: str, secret: str
) -> None:
    text = f"{FILLER * 2}{detail} {FILLER * 40}{far} {FILLER * 2}"
    assert len(segments(text, _redact_part)) > 3  # the sign is segments away from the detail
    cleaned, counts = removed(text)
    assert secret not in cleaned.replace(FILLER, "")
    assert (cleaned, counts) == _whole(text, monkeypatch)


def test_no_cut_parts_a_spoken_number_whose_sign_is_elsewhere(
    small_segments: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = "call me on one two one one two one two one two one two thanks."
    for start in range(400 - len(number), 402):
        text = "oh well. " + "a" * (start - 10) + " " + number + " " + FILLER * 16
        cleaned, counts = removed(text)
        assert counts == {"phone": 1} and "one two" not in cleaned
        assert (cleaned, counts) == _whole(text, monkeypatch)


def test_title_case_is_judged_after_the_other_passes_on_the_whole_text(
    small_segments: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Title Case before "Dr Patel" becomes "Dr [name removed]", not after: Holly goes
    text = "Great Service Dr Patel. " * 60 + "we said thanks to Holly for it."
    cleaned, counts = removed(text)
    assert cleaned.endswith("thanks to [name removed] for it.")
    assert (cleaned, counts) == _whole(text, monkeypatch)


def test_a_link_longer_than_a_seam_is_never_cut(small_segments: None) -> None:
    link = "https://example.org/form?" + "&".join(f"field{i}=jo.bloggs" for i in range(60))
    assert len(link) > 1_000
    cleaned, counts = removed(f"{FILLER * 6} see {link} {FILLER * 6}")
    assert counts == {"url": 1}
    assert "field" not in cleaned and "bloggs" not in cleaned


def test_a_text_is_cut_only_at_word_starts_where_nothing_changes() -> None:
    words = segments("word " * 40_000, _redact_part)
    assert "".join(words) == "word " * 40_000
    assert [len(part) for part in words] == [65_540, 65_540, 65_540, 3_380]
    assert segments("a" * 200_000, _redact_part) == ["a" * 200_000]  # no space: never cut
    text = "x" * 70_000 + " y" + "z" * 70_000
    assert [len(part) for part in segments(text, _redact_part)] == [70_001, 70_001]
    phone = "a " * 32_760 + "ring 07700 900 123 " + "b " * 40_000
    cut = len(segments(phone, _redact_part)[0])
    assert phone[cut - 5 : cut] == "123 "[-5:] or phone.index("123") + 4 <= cut


def test_no_cut_where_every_word_start_would_change_the_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(redact_segments, "SEAM_CHARS", 120)
    text = "x" * 10 + " Dr Whitfield" * 20
    assert safe_cut(text, 12, lambda part, _: part[::-1]) is None  # no cut leaves it the same
    assert safe_cut(text, 12, lambda part, _: part) == 14  # nothing removed: the first start


def test_a_comment_of_any_ordinary_length_is_redacted_whole(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    text = (FILLER + "Dr Whitfield was kind. ") * 100
    assert len(text) < redact_segments.SEGMENT_CHARS
    monkeypatch.setattr(redact_segments, "segments", lambda *args: calls.append(args) or [])
    cleaned, counts = removed(text)
    assert calls == [] and counts == {"name": 100}


def _redact_part(part: str, counts: Counter[str]) -> str:
    return redact.redact(part)


@pytest.mark.parametrize(
    "text",
    [
        "the nurse came " * 5_000,  # few distinct runs: looked for in them
        " ".join(f"w{i} nurse" for i in range(20_000)),  # many: looked for in the text
        "d. o. b. 1951 " * 100 + "stayed with my son",
    ],
)
def test_the_sign_words_a_long_text_holds_are_those_a_search_finds(text: str) -> None:
    groups = (SIGN_WORDS.title, SIGN_WORDS.person, SIGN_WORDS.birth)
    expected = [tuple(word for word in words if word in text) for words in groups]
    assert redact_signs.words_in(text, groups) == expected
    assert any(expected)
