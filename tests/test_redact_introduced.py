"""A person's name after "is", "was", "called" or "named" where a name's introduction, a
member of staff or (before "called" or "named") a word for a person comes before it ("her
name was Julie", "the nurse is Julie.", "a lady called Julie"): removed and counted; the
same words before praise, a description, a nationality, a day or a place are kept
(``pipelines.redact_names.NAMED``)."""

from __future__ import annotations

import pytest

from pipelines.redact import PLACEHOLDERS, redact
from tests.conftest import removed

NAME = PLACEHOLDERS["name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Her name was Julie and she was lovely", "Her name was {n} and she was lovely"),
        ("The nurse's name was Julie Smith", "The nurse's name was {n}"),
        ("his name is Tom", "his name is {n}"),
        ("her first name's Anna I think", "her first name's {n} I think"),
        ("their surname was O'Neill", "their surname was {n}"),
        ("A lady called Julie helped me", "A lady called {n} helped me"),
        ("a man named Tom Jones rang", "a man named {n} rang"),
        ("someone called Priya came round", "someone called {n} came round"),
        ("A member of staff called Ben", "A member of staff called {n}"),
        ("The nurse was Julie", "The nurse was {n}"),
        ("the doctor is Sarah and she was great", "the doctor is {n} and she was great"),
        ("The manager is Karen", "The manager is {n}"),
        ("the nurse was Sue White", "the nurse was {n}"),
        ("the nurse on duty is Jo", "the nurse on duty is {n}"),
        (
            "the receptionist at the surgery was Sue Brown",
            "the receptionist at the surgery was {n}",
        ),
        ("the carer on Monday was Julie", "the carer on Monday was {n}"),
        ("a nurse named Łucja helped", "a nurse named {n} helped"),
        # found by review: "is called", punctuation, possessives without an apostrophe,
        # more people, colons and quotes
        ("someone called Priya came round", "someone called {n} came round"),
        ("a lady was called Julie", "a lady was called {n}"),
        ("the nurse is called Julie", "the nurse is called {n}"),
        ("he was called Dave", "he was called {n}"),
        ("she's called Julie", "she's called {n}"),
        ("the lady's called Julie", "the lady's called {n}"),
        ("a lovely lady who is called Julie", "a lovely lady who is called {n}"),
        ("a nurse, called Julie, helped", "a nurse, called {n}, helped"),
        ("one of the staff was called Julie", "one of the staff was called {n}"),
        ("the nurses name was Julie", "the nurses name was {n}"),
        ("my carers name is Julie", "my carers name is {n}"),
        ("your spouse's name is Margaret", "your spouse's name is {n}"),
        ("her name was: Julie", "her name was: {n}"),
        ('a man called "Dave" rang', 'a man called "{n}" rang'),
        ("a resident called Mary", "a resident called {n}"),
        ("another patient called Mary", "another patient called {n}"),
        ("a client named Mary", "a client named {n}"),
        ("a service user called Tom", "a service user called {n}"),
        ("my neighbour is called Pat", "my neighbour is called {n}"),
        ("a friend called Sue", "a friend called {n}"),
        ("the nurse practitioner was Julie", "the nurse practitioner was {n}"),
        ("the care assistant was Julie", "the care assistant was {n}"),
        ("the psychiatrist was Ahmed", "the psychiatrist was {n}"),
        # found by a second review: words before the noun, plural names, maiden names
        ("a lovely lady called Julie", "a lovely lady called {n}"),
        ("a male nurse called Tom", "a male nurse called {n}"),
        ("her maiden name is Smith", "her maiden name is {n}"),
        # a surname after a first name may be a word that is no name alone
        ("my carer Julie French was kind", "my carer {n} was kind"),
    ],
)
def test_a_name_after_a_person_and_is_was_or_called_is_removed(text: str, expected: str) -> None:
    cleaned, counts = removed(text)
    assert cleaned == expected.format(n=NAME)
    assert counts == {"name": 1}


@pytest.mark.parametrize(
    ("text", "expected", "names"),
    [
        ("two nurses called Julie and Sam", "two nurses called {n} and {n}", 2),
        ("the nurses were Julie and Sam", "the nurses were {n} and {n}", 2),
        ("their names were Sue and Jo", "their names were {n} and {n}", 2),
        ("a nurse called Julie, Sam and Jo", "a nurse called {n}, {n} and {n}", 3),
    ],
)
def test_each_name_of_a_list_is_removed_and_counted(text: str, expected: str, names: int) -> None:
    cleaned, counts = removed(text)
    assert cleaned == expected.format(n=NAME)
    assert counts == {"name": names}


@pytest.mark.parametrize(
    "text",
    [
        "the nurse was lovely",
        "The doctor was Excellent",
        "The Doctor Was Knowledgeable",
        "The consultant was Dismissive",
        "The Nurse Is Always Busy",
        "the nurse was Polish",
        "the nurse was Eastern European",
        "the lady was Asian",
        "The nurse is New",
        "the nurse was Agency",
        "The man was Very helpful",
        "the doctor in A&E was Great",
        "The manager was Unavailable",
        "The doctor called Radiology",
        "the nurse called Mum",
        "it was Tuesday",
        "It was Christmas",
        "The ward was Oak Ward",
        "a place called Harrogate",
        "the team called Rapid Response",
        "the app called NHS App",
        "I was Discharged on Monday",
        "This hospital is Brilliant",
        "Her name was not given",
        "What is Universal Credit",
        "Everyone was Great",
        # found by review: what a person is, "called" as a verb, a thing's name, a line
        "the doctor was Clear",
        "the man was Deaf",
        "the doctor was Iranian",
        "my son is Autistic",
        "my husband is Type 2 diabetic",
        "The Doctor Was Absolutely Fantastic",
        "the doctor called Pharmacy",
        "someone called Police",
        "the doctor named Sertraline",
        "the nurse is Band 5",
        "my GP is Fab",
        "the home's name is Sunnyside",
        "the drug's name was Sertraline",
        "the ward was called Oak Ward",
        "Saw a nurse\nWas Seen Quickly",
        # found by a second review: after a family member, "is" or "was" is as often
        # followed by a description; after staff, a description goes on past the word
        "My mum is Housebound",
        "my son is Non-verbal",
        "my dad is Wheelchair bound",
        "my daughter is Hard of hearing",
        "my dad was Army",
        "my son is Year 6",
        "the doctor is Part time",
        "The nurses are Angels",
        "the nurse was Fabulous",
        "the receptionist is Clueless",
        "the nurse was Spot on",
        "the way they spoke to my mum was Disgraceful",
        "Visiting my dad in hospital was Heartbreaking",
        "The woman on reception was Snappy",
        "someone called Healthwatch",
        "a neighbour called Age UK",
        # a possessive is no introduction
        "the Women's Institute ran it",
        "the Men's Shed group",
        "the Driver's Guide was clear",
    ],
)
def test_the_same_words_before_no_name_stay_as_written(text: str) -> None:
    assert redact(text) == text


def test_a_title_after_the_words_is_left_to_the_title_pass() -> None:
    cleaned, counts = removed("the doctor was Mr Patel")
    assert cleaned == f"the doctor was Mr {NAME}"
    assert counts == {"name": 1}
