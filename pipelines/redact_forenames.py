"""A first name with no title, care role or introduction before it ("thanks to Sharon",
"Julie on reception was kind", "Sharon the receptionist", "Claire and Becky in
outpatients", "Kind regards, Margaret Thompson"): the last name pass of
:mod:`pipelines.redact`, so that a quote names nobody.

The names are ``config/forenames.txt`` (made by ``scripts/build_forenames.py`` from the US
Census's first names and a list of names and short forms common in the UK; months, places,
peoples and faiths left out), matched with accents read as plain letters ("Zoë", "Łukasz").
A name is removed where it is capitalised and:

- it is no everyday word ("Sharon", "Julie"), or it is one that starts a sentence as a name
  nearly always ("John", "Sue", "Mark"): anywhere, a sentence's first word included, unless
  a verb's object follows at a sentence's start ("Sue them", "Pat the wound dry");
- it is also an everyday word (marked ``word``: "Holly", "Frank", "Grant", "Rose"): inside
  a sentence, not after another capitalised word, in a text not written in Title Case
  ("thanks to Holly", but "Holly and ivy", "the Tudor Rose pub", "Frank And Honest Advice"
  stay); at a sentence's start only before a verb of a person, "the" and a member of staff,
  or "and" and another name ("Holly was lovely", "Grace the healthcare assistant");

and it does not name a place or a thing: a building, street, ward or condition follows
("Victoria Road", "Rose Ward", "the Elizabeth line", "Gilbert's syndrome"), a saint, royal
or storm comes before ("St Helen's", "Queen Elizabeth"), "the" comes before and no verb
after ("the Alex"), a town that is a name comes after "in" or "near" (:data:`TOWNS`), or
the pair is one of :data:`NOT_PEOPLE` ("Marie Curie", "John Lewis", "Oliver McGowan"). A capitalised word after the name that is no everyday word is taken as a
surname and removed with it ("Margaret Thompson", "Siobhan O'Neill", "Sharon Ward"). Each
name is one ``name`` removal.

**Limits** (``docs/security.md``): a name in capitals ("SHARON") or lower case ("sharon"),
a name not on the list, an everyday-word name at a sentence's start before other words
("Penny in the finance office") or in Title Case, a month ("April on the front desk"); a
place, brand or character that shares a first name is removed ("from Barry to Cardiff",
"Bob the Builder").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache

from pipelines.paths import CONFIG_DIR
from pipelines.redact_names import NO_NAME_WORDS, STAFF_FORMS
from pipelines.redact_removal import Removal


def _words(text: str) -> frozenset[str]:
    """The words of ``text`` (a list written as lines of words)."""
    return frozenset(text.split())


FORENAMES_FILE = CONFIG_DIR / "forenames.txt"

#: Latin capital and small letters, accented ones included ("Zoë", "Siân", "Łukasz").
_UPPER = "A-Z\u00c0-\u00d6\u00d8-\u00de\u0100-\u017f"
_LOWER = "a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u017f"
_WORD = rf"[{_UPPER}][{_LOWER}]{{1,20}}+"
#: A capitalised word (perhaps hyphenated: "Mary-Jane") and its possessive.
CANDIDATE = re.compile(
    rf"(?<![\w'\u2019\[&-])(?P<name>{_WORD}(?:-{_WORD})?)(?P<owned>['\u2019]s)?(?![\w'\u2019&-])"
)
_CAPITALISED_ASCII = re.compile(r"\b[A-Z][a-z]+")
_CAPITALISED = re.compile(rf"\b[{_UPPER}][{_LOWER}]+")
_NEXT = re.compile(r"[ \t]{1,3}(?P<word>[A-Z\u00c0-\u00de\u0100-\u017f][\w'\u2019-]{0,30}+)")
_NEXT_LOWER = re.compile(r"[ \t]{1,3}(?P<word>[a-z]{1,12}+)\b")
_LONG_WORD = re.compile(r"[^\W\d_]{3,}")
_WORD_BACKWARDS = re.compile(r"[\w.'\u2019-]+")
#: A surname's shape: "Smith", "O'Neill", "McLeod", "MacDonald", "Smith-Jones".
_SURNAME = re.compile(rf"(?:O['\u2019]|Ma?c)?{_WORD}(?:-(?:O['\u2019]|Ma?c)?{_WORD})?")
#: Letters with no decomposition that read as a plain one ("Łukasz" is "Lukasz").
_PLAIN_LETTERS = str.maketrans("ŁłØøĐđĦħßÞþ", "LlOoDdHhsTt")

#: Words after a name that make it a place or a thing's ("Julie House", "Victoria Road").
PLACE_AFTER = _words(
    """
Hospital Hospitals Unit Centre Center House Road Rd Street St Lane Avenue Ave Close Court
Drive Way Place Square Gardens Garden Surgery Practice Clinic Medical Health Healthcare
Hospice Home Lodge Wing Building Suite Block Trust Foundation School College University
Library Chapel Village Town Station Walk Terrace Crescent Grove Row Mews Valley Moor Bay
Theatre Theatres Infirmary Memorial Estate Care Nursing Services Service Team Fund Appeal
Award Awards Syndrome Disease Scale Test Method Tower Fields Shopping Mall Arcade Retail
Market Hotel Inn Pub Arms Cafe Café Restaurant Leisure Sports Club Palace Dock Docks
Cottage Cottages Bank Tree Haven Peaks Farm County Line Children's Childrens Women's
Ward Wards Law Rule Campaign Protocol Diary Ark Pharmacy Community Island Airport
"""
)
#: Place words that are also common surnames ("Emma Hall", "Sharon Ward"): after a first name
#: that is no everyday word they are its surname and go with it; after one that is ("Rose
#: Ward", "Holly Park") the pair is a place and stays.
SURNAME_PLACES = _words("Hall Wood Hill Green Ward Park Church Lane Field Cross Bridge Day Banks")
#: The same in lower case ("on Daisy ward", "the Victoria line", "Gilbert's syndrome"): only
#: those no sentence goes on with.
PLACE_AFTER_LOWER = _words(
    """
ward wards wing unit hospital road street lane avenue surgery practice clinic centre center
hospice suite bay theatre theatres infirmary line syndrome disease palsy paralysis neuroma
training oesophagus cyst pharmacy airport protocol campaign children's
"""
)
#: Lower-case words after a name (not its possessive: "Julie's care") that make it a home's
#: or a service's ("Heather View nursing home", "Kimberley health centre").
SERVICE_AFTER_LOWER = _words("nursing residential health medical care group")
#: Words before a name that make it a place or a thing's ("St Helen's", "Ward Julie").
PLACE_BEFORE = _words(
    """
St St. Saint Queen King Prince Princess Duke Duchess Royal Lady Lord Sir Dame Ward
Mount Port Fort Lake Loch Cape Hurricane Storm hurricane storm
"""
)
#: Capitalised words never taken for a surname after a first name ("Diana Princess of Wales").
NOT_SURNAMES = _words("Princess Prince King Queen Duke Duchess Lady Lord Sir Dame")
#: A first name and the word after it that name a charity, a building, a place or a thing.
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
        ("John", "Radcliffe"),
        ("James", "Cook"),
        ("Elizabeth", "Garrett"),
        ("Louisa", "Jordan"),
        ("John", "Lewis"),
        ("Dorothy", "Perkins"),
        ("Ben", "Nevis"),
        ("Charles", "Bonnet"),
        ("Sara", "Stedy"),
        ("Jessie", "May"),
        ("Mary", "Poppins"),
        ("William", "Harvey"),
        ("James", "Paget"),
        ("George", "Eliot"),
        ("Donna", "Louise"),
        ("Helen", "Douglas"),
        ("Winston", "Churchill"),
        ("Diana", "Princess"),
        ("Arthur's", "Seat"),
        ("Winston's", "Wish"),
        ("Andy's", "Man"),
        ("Oliver", "McGowan"),
        ("Anna", "Freud"),
        ("Sally", "Army"),
        ("Vera", "Lynn"),
        ("Jenny", "Lind"),
        ("Samuel", "Johnson"),
    }
)
#: The words just before a first name that make it a place's or a firm's ("Union Jack",
#: "Addison Lee", "Day Lewis", "Forest of Dean", "Marks and Spencer").
NOT_PEOPLE_AFTER = ("Union ", "Addison ", "Day ", "Forest of ", "Marks and ", "Marks & ")
#: Words before a name and a ward or park that make the pair a place ("on Victoria Ward",
#: "round Stanley Park"); not "to": "I spoke to Sharon Ward" names her.
_AT_A_PLACE = _words("on onto off in at round around near On In At")
#: Owners before a name that is an everyday word make it the word ("my Faith", "mum's Will").
_OWNERS = _words("my his her their your My His Her Their Your")
#: First names that are also a month's or a day's short form.
DATE_NAMES = _words("Jan Thu")
#: Words before one of :data:`DATE_NAMES` that make it a month or a day ("since Jan",
#: "until Thu").
_WHEN = _words("since until till til from in by mid end of before after early late")
_DATE_NEAR = re.compile(r"\d(?:st|nd|rd|th)?[ \t]{0,3}$")
_NUMBER_AFTER = re.compile(r"[ \t]{0,3}\d")
#: First names whose possessive names a place ("Maggie's", the cancer support centres).
OWNED_PLACES = _words("Maggie")
#: Towns that are first names, kept after a word that says a place follows ("I live in
#: Beverley", "the clinic in Arnold"): elsewhere they are removed as names.
TOWNS = _words(
    "Barry Beverley Shirley Stanley Keith Leigh Arnold Kimberley Douglas Lewis Clayton Nelson Clare"
)
_IN_A_PLACE = _words("in near outside around via In Near Outside Around Via")
#: First names that are also verbs, and the words after one that starts a sentence which
#: make it the verb ("Sue them", "Pat it dry", "Mark my words", "Jack up the bed"): the name
#: is kept.
VERB_NAMES = _words("Sue Pat Mark Jack Nick Chuck Bob Josh Harry")
VERB_OBJECTS = _words("my me them it up of your him her us down off out dry")
#: Words after an everyday-word name that starts a sentence which make it a person
#: ("Holly was lovely", "Frank said"): the name is removed.
PERSON_VERBS = _words(
    "was is said says came comes rang phoned called helped took told asked explained listened on"
    " from"
)
#: Names that are words for what a person may feel or have ("Hope is all we had"): "is"
#: and "was" after one at a sentence's start say nothing of a person.
FEELINGS = _words("Grace Faith Hope Joy Will Comfort Blessing Precious Patience Mercy Charity")
_FROM_TO = re.compile(r"[ \t]{1,3}to[ \t]{1,3}[A-Z]")
_AND_NAME = re.compile(r"[ \t]{1,3}(?:and|&)[ \t]{1,3}(?P<name>[A-Z][a-z]{1,20}+)\b")
_THE_ROLE = re.compile(r"[ \t]{1,3}the[ \t]{1,3}(?P<role>[a-z]{2,20}+(?:[ \t][a-z]{2,20}+)?)")
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


def plain(name: str) -> str:
    """``name`` without its accents, as the list writes it ("Zoë" is "Zoe")."""
    if name.isascii():
        return name
    decomposed = unicodedata.normalize("NFKD", name.translate(_PLAIN_LETTERS))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def may_name_someone(text: str) -> bool:
    """Whether ``text`` holds a capitalised first name (the pass's cheap sign)."""
    if text.isascii():
        return not forenames().keys().isdisjoint(_CAPITALISED_ASCII.findall(text))
    return not forenames().keys().isdisjoint(map(plain, _CAPITALISED.findall(text)))


def _title_case(text: str) -> bool:
    """Whether most of ``text``'s words of three letters or more, first names and the first
    word left aside, are capitalised (at least four such words)."""
    names = forenames()
    words = _LONG_WORD.findall(text)[1:]
    words = [w for w in words if (w if w.isascii() else plain(w)) not in names]
    return len(words) >= 4 and sum(word[0].isupper() for word in words) * 2 > len(words)


def _starts_sentence(text: str, at: int) -> bool:
    before = text[max(0, at - _LOOK_BACK) : at].rstrip(" \t")
    return not before or before[-1] in _SENTENCE_START


def _next_word(text: str, end: int) -> str:
    after = _NEXT.match(text, end) or _NEXT_LOWER.match(text, end)
    return "" if after is None else _unowned(after["word"])


def _unowned(word: str) -> str:
    """``word`` without its possessive "'s" ("Ward's" is "Ward")."""
    return word[:-2] if word.endswith(("'s", "\u2019s")) else word


def _place_follows(text: str, end: int, surnames: bool = False, owned: bool = False) -> bool:
    """Whether the word after ``end`` makes the name before it a place's ("Victoria Road");
    ``surnames``: a place word that is also a surname counts ("Rose Ward"); ``owned``: after
    a possessive, a service word does not ("Julie's care")."""
    word = _next_word(text, end)
    if word in SURNAME_PLACES:
        return surnames
    service = not owned and word in SERVICE_AFTER_LOWER
    return word in PLACE_AFTER or word in PLACE_AFTER_LOWER or service


def _surname_end(text: str, end: int, name: str) -> int | None:
    """Where the name ending at ``end`` ends with its surname (``end`` where none follows; a
    surname's "'s" is kept), or None where what follows makes it a place or a thing's
    ("William Harvey Hospital", "Douglas Macmillan Hospice")."""
    if _place_follows(text, end, surnames=forenames()[name]):
        return None
    after = _NEXT.match(text, end)
    if after is None:
        return end
    word = _unowned(after["word"])
    if (name, word) in NOT_PEOPLE:
        return None
    surname = _SURNAME.fullmatch(word) is not None and word not in NOT_SURNAMES
    if word not in SURNAME_PLACES and (  # "Emma Hall", "Sharon Ward": a surname
        not surname or word in NO_NAME_WORDS or forenames().get(word)
    ):
        return None if word in NO_NAME_WORDS and _place_follows(text, after.end()) else end
    if _place_follows(text, after.end()):
        return None
    return after.start("word") + len(word)


def _role_follows(text: str, end: int) -> bool:
    """Whether "the" and a member of staff or a care role follow ("Pat the receptionist")."""
    after = _THE_ROLE.match(text, end)
    if after is None:
        return False
    role = after["role"]
    return role in STAFF_FORMS or role.split()[0] in STAFF_FORMS


def _everyday_word(
    text: str, match: re.Match[str], following: str, title_case: Callable[[], bool]
) -> bool:
    """Whether a first name that is also an everyday word is the word here (``following``:
    the word after it): at a sentence's start (unless a verb or a surname follows: "Holly
    was lovely", "Rob Evans"), after a capitalised word ("Tudor Rose"), or in Title Case."""
    if _starts_sentence(text, match.start()):
        after = _NEXT.match(text, match.end())
        surname = "" if after is None else after["word"]
        if _SURNAME.fullmatch(surname) and surname not in NO_NAME_WORDS:
            return False  # "Rob Evans"
        if _role_follows(text, match.end()):
            return False  # "Grace the healthcare assistant"
        other = _AND_NAME.match(text, match.end())
        if other is not None and other["name"] in forenames():
            return False  # "Violet and Iris from the befriending service"
        feeling = following in ("is", "was", "from") and plain(match["name"]) in FEELINGS
        return following not in PERSON_VERBS or feeling
    previous = _previous_word(text, match.start())
    if previous in _OWNERS or previous.endswith(("'s", "\u2019s")):
        return True  # "my Faith", "mum's Will"
    if previous[:1].isupper() and previous not in NO_NAME_WORDS:
        return True
    return title_case()


def _a_date(text: str, match: re.Match[str], previous: str) -> bool:
    """Whether one of :data:`DATE_NAMES` is a month or a day here ("since Jan", "3rd Jan",
    "Jan 2025")."""
    before = text[max(0, match.start() - 8) : match.start()]
    return (
        previous.lower() in _WHEN
        or _DATE_NEAR.search(before) is not None
        or _NUMBER_AFTER.match(text, match.end()) is not None
    )


def _previous_word(text: str, at: int) -> str:
    """The word just before ``at`` (up to three spaces before it), or "" where none is."""
    window = text[max(0, at - _LOOK_BACK) : at]
    head = window.rstrip(" \t")
    if not 0 < len(window) - len(head) <= 3:
        return ""
    word = _WORD_BACKWARDS.match(head[::-1])
    return "" if word is None else word[0][::-1]


def _name_end(
    text: str, match: re.Match[str], first: str, title_case: Callable[[], bool]
) -> int | None:
    """Where the first name ``first`` that ``match`` found (and its surname) ends, or None
    to keep it."""
    names = forenames()
    previous = _previous_word(text, match.start())
    if previous in PLACE_BEFORE or (first in TOWNS and previous in _IN_A_PLACE):
        return None
    following = _next_word(text, match.end())
    if previous in ("the", "The") and following != "who" and following not in PERSON_VERBS:
        return None  # "the Alex", "the Jenny Lind", "the Herbert Protocol"
    if previous in _AT_A_PLACE and following in SURNAME_PLACES:
        return None  # "on Victoria Ward", "round Stanley Park"
    if text[max(0, match.start() - 12) : match.start()].endswith(NOT_PEOPLE_AFTER):
        return None
    if first in TOWNS and previous in ("from", "From") and _FROM_TO.match(text, match.end()):
        return None  # "from Barry to Cardiff"
    if first in DATE_NAMES and _a_date(text, match, previous):
        return None
    if names[first] and _everyday_word(text, match, following, title_case):
        return None
    if first in VERB_NAMES and _starts_sentence(text, match.start()):
        the_thing = following == "the" and not _role_follows(text, match.end())
        if following in VERB_OBJECTS or the_thing:
            return None  # "Sue them", "Mark my words", "Pat the wound dry"
    if match["owned"]:  # "Julie's": the name goes, "'s" stays, unless a place follows
        place = first in OWNED_PLACES or _place_follows(text, match.end(), owned=True)
        return None if place else match.end("name")
    return _surname_end(text, match.end(), first)


def remove_forenames(text: str, removal: Removal) -> str:
    """``text`` with each uncued first name (and its surname) replaced and counted."""
    names = forenames()
    title_case = cache(lambda: _title_case(text))
    out: list[str] = []
    at = 0
    for match in CANDIDATE.finditer(text):
        first = plain(match["name"].partition("-")[0])
        if match.start() < at or first not in names:
            continue  # no name, a surname already removed, or a pair's second word
        pair = _NEXT.match(text, match.end())
        if pair is not None and (match[0], pair["word"]) in NOT_PEOPLE:
            out.append(text[at : pair.end()])
            at = pair.end()
            continue
        end = _name_end(text, match, first, title_case)
        if end is None:
            continue
        out += [text[at : match.start()], removal.placeholder("name")]
        at = end
    out.append(text[at:])
    return "".join(out)
