"""A first name with no title, care role or introduction before it ("thanks to Sharon",
"Julie on reception was kind", "Sharon the receptionist", "Claire and Becky in
outpatients", "Kind regards, Margaret Thompson"): the last name pass of
:mod:`pipelines.redact`, so that a quote names nobody.

The names are ``config/forenames.txt`` (made by ``scripts/build_forenames.py`` from the US
Census's first names and a list of names common in the UK; months, places, peoples and
faiths left out). A name is removed where it is capitalised and:

- it is no everyday word ("Sharon", "Julie"), or it is one that starts a sentence as a name
  nearly always ("John", "Sue", "Mark"): anywhere, a sentence's first word included;
- it is also an everyday word (marked ``word``: "Holly", "Frank", "Grant", "Rose"): only
  inside a sentence, after a word that is not capitalised, in a text not written in Title
  Case ("thanks to Holly", but "Holly and ivy", "Frank And Honest Advice" stay);

and it does not name a place or a thing: a building, street or ward follows ("Julie
House", "Victoria Road", "Rose Ward", "Guy's Hospital"), or a saint, royal or title of
place comes before ("St Helen's", "Queen Elizabeth", "Ward Julie"), or it is one of
:data:`NOT_PEOPLE` ("Marie Curie nurses"). A capitalised word after the name that is no
everyday word is taken as a surname and removed with it ("Margaret Thompson"). Each name
is one ``name`` removal.

**Limits**: a name in capitals ("SHARON") or lower case ("sharon"), a name not on the list,
a name that is an everyday word at a sentence's start ("Holly was lovely") or in Title Case,
and a hyphenated name's second part alone. A first name shared by a place the list does not
leave out ("Shirley" is left out; a village called "Julie" is not) is removed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from pipelines.paths import CONFIG_DIR
from pipelines.redact_names import NO_NAME_WORDS
from pipelines.redact_removal import Removal


def _words(text: str) -> frozenset[str]:
    """The words of ``text`` (a list written as lines of words)."""
    return frozenset(text.split())


FORENAMES_FILE = CONFIG_DIR / "forenames.txt"

#: A capitalised word (perhaps hyphenated: "Mary-Jane"), its possessive, and the word after.
CANDIDATE = re.compile(
    r"(?<![\w'\u2019\[&-])(?P<name>[A-Z][a-z]{1,20}+(?:-[A-Z][a-z]{1,20}+)?)"
    r"(?P<owned>['\u2019]s)?(?![\w'\u2019&-])"
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")
_NEXT = re.compile(r"[ \t]{1,3}(?P<word>[A-Z][\w'\u2019-]{0,30}+)")
_NEXT_LOWER = re.compile(r"[ \t]{1,3}(?P<word>[a-z]{1,12}+)\b")
_PREVIOUS = re.compile(r"(?P<word>[\w.'\u2019-]+)[ \t]{1,3}$")

#: Words after a name that make it a place or a thing's ("Julie House", "Rose Ward").
PLACE_AFTER = _words(
    """
Hospital Hospitals Ward Wards Unit Centre Center House Road Rd Street St Lane Avenue Ave
Close Court Drive Way Place Square Park Gardens Garden Hill Surgery Practice Clinic Medical
Health Healthcare Hospice Home Lodge Wing Building Suite Block Trust Foundation School
College University Library Church Chapel Hall Village Town Green Bridge Station Walk
Terrace Crescent Grove Row Mews Wood Valley Moor Bay Theatre Theatres Day Infirmary
Memorial Estate Care Nursing Services Service Team Road's Fund Appeal Award Awards Cross
Syndrome Disease Scale Test Method Ward's Tower Building Field Fields Unit's Shopping
Mall Arcade Retail Market Hotel Inn Pub Arms Cafe Café Restaurant Leisure Sports Club
"""
)
#: The same in lower case ("on Daisy ward"): only those no sentence goes on with.
PLACE_AFTER_LOWER = _words(
    """
ward wards wing unit hospital road street lane avenue surgery practice clinic centre center
hospice suite bay theatre theatres infirmary
"""
)
#: Words before a name that make it a place or a thing's ("St Helen's", "Ward Julie").
PLACE_BEFORE = _words(
    """
St St. Saint Queen King Prince Princess Duke Duchess Royal Lady Lord Sir Dame Ward Wing
Bay Unit Mount Port Fort Lake Loch Cape Hurricane Storm Uncle Aunt Aunty Auntie
"""
)
#: A first name and the word after it that name a charity, a building or a thing.
NOT_PEOPLE = frozenset(
    {
        ("Marie", "Curie"),
        ("Sue", "Ryder"),
        ("Mary", "Seacole"),
        ("Edith", "Cavell"),
        ("Ronald", "McDonald"),
        ("Alder", "Hey"),
        ("Harry", "Potter"),
        ("Peter", "Pan"),
        ("Jack", "Russell"),
        ("Jean", "Piaget"),
    }
)
#: How far back the word before a name is looked for (a bound: linear time on any input).
_LOOK_BACK = 40
#: Characters after which a word starts a sentence or a heading.
_SENTENCE_START = frozenset('.!?:;"(\u201c\u2018[\n\r*\u2022-')


@cache
def forenames() -> dict[str, bool]:
    """Each first name of :data:`FORENAMES_FILE` -> whether it is also an everyday word."""
    names: dict[str, bool] = {}
    for line in FORENAMES_FILE.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, mark = line.partition(" ")
            names[name] = mark.strip() == "word"
    return names


def may_name_someone(text: str) -> bool:
    """Whether ``text`` holds a capitalised first name (the pass's cheap sign)."""
    return not forenames().keys().isdisjoint(_CAPITALISED.findall(text))


def _title_case(text: str) -> bool:
    """Whether most of ``text``'s words of three letters or more are capitalised."""
    words = re.findall(r"[^\W\d_]{3,}", text)
    return bool(words) and sum(word[0].isupper() for word in words) * 2 > len(words)


def _starts_sentence(text: str, at: int) -> bool:
    before = text[max(0, at - _LOOK_BACK) : at].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_START


def _place_follows(text: str, end: int) -> bool:
    """Whether the word after ``end`` makes the name before it a place's ("Rose Ward")."""
    after = _NEXT.match(text, end)
    if after is not None:
        return after["word"] in PLACE_AFTER
    after = _NEXT_LOWER.match(text, end)
    return after is not None and after["word"] in PLACE_AFTER_LOWER


def _surname_end(text: str, end: int, name: str) -> int | None:
    """Where the name ending at ``end`` ends with its surname (``end`` where none follows),
    or None where the word after it makes it a place or a thing's."""
    if _place_follows(text, end):
        return None
    after = _NEXT.match(text, end)
    if after is None:
        return end
    word = after["word"]
    if (name, word) in NOT_PEOPLE:
        return None
    if word in NO_NAME_WORDS or forenames().get(word) or not word[1:].islower():
        return end
    return after.end()


def _name_end(text: str, match: re.Match[str], title_case: Callable[[], bool]) -> int | None:
    """Where the first name ``match`` found (and its surname) ends, or None to keep it."""
    names = forenames()
    first = match["name"].split("-")[0]
    if first not in names:
        return None
    previous = _PREVIOUS.search(text, max(0, match.start() - _LOOK_BACK), match.start())
    if previous is not None and previous["word"] in PLACE_BEFORE:
        return None
    if names[first] and (_starts_sentence(text, match.start()) or title_case()):
        return None  # also an everyday word: only a name inside a sentence, not Title Case
    if match["owned"]:  # "Julie's": the name goes, "'s" stays, unless a place follows
        return None if _place_follows(text, match.end()) else match.end("name")
    return _surname_end(text, match.end(), first)


def remove_forenames(text: str, removal: Removal) -> str:
    """``text`` with each uncued first name (and its surname) replaced and counted."""
    title_case = cache(lambda: _title_case(text))
    out: list[str] = []
    at = 0
    for match in CANDIDATE.finditer(text):
        if match.start() < at:
            continue  # a surname already removed
        end = _name_end(text, match, title_case)
        if end is None:
            continue
        out += [text[at : match.start()], removal.placeholder("name")]
        at = end
    out.append(text[at:])
    return "".join(out)
