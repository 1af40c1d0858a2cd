"""A first name with no title, care role or introduction before it ("thanks to Sharon",
"Julie on reception"): removed and counted, with a surname after it; the same words as
months, places, buildings, charities, everyday words at a sentence's start or in Title Case
kept (``pipelines.redact_forenames``)."""

from __future__ import annotations

import pytest

from pipelines.bench.stages import REDACTION_UNITS
from pipelines.redact import PLACEHOLDERS
from pipelines.redact_forenames import FORENAMES_FILE, forenames
from tests.conftest import removed

NAME = PLACEHOLDERS["name"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Sharon the receptionist was very rude to me.",
            "{n} the receptionist was very rude to me.",
        ),
        (
            "Thanks to Julie the nurse for her kindness.",
            "Thanks to {n} the nurse for her kindness.",
        ),
        ("Thank you to Sarah and the team on ward 7.", "Thank you to {n} and the team on ward 7."),
        ("Julie on reception was so helpful.", "{n} on reception was so helpful."),
        (
            "Special thanks to Claire and Becky in outpatients.",
            "Special thanks to {n} and {n} in outpatients.",
        ),
        (
            "Please pass my thanks to Gemma who looked after my mum.",
            "Please pass my thanks to {n} who looked after my mum.",
        ),
        ("Amanda at the front desk was abrupt.", "{n} at the front desk was abrupt."),
        ("Big thank you to Dave the porter.", "Big thank you to {n} the porter."),
        ("Kind regards, Margaret Thompson", "Kind regards, {n}"),
        ("I want to thank Lisa for her care.", "I want to thank {n} for her care."),
        ("Everyone was lovely especially Hannah.", "Everyone was lovely especially {n}."),
        ("Rachel, the midwife, was amazing.", "{n}, the midwife, was amazing."),
        ("Paul from the phlebotomy team was kind.", "{n} from the phlebotomy team was kind."),
        ("Thanks Sam!", "Thanks {n}!"),
        ("my mum is Margaret and she is 90.", "my mum is {n} and she is 90."),
        ("Ask for Steve on extension 4471.", "Ask for {n} on extension 4471."),
        ("John was lovely", "{n} was lovely"),
        ("Sue and Pat on the desk", "{n} and {n} on the desk"),
        ("Niamh and Priya were brilliant", "{n} and {n} were brilliant"),
        ("Mohammed explained it all", "{n} explained it all"),
        ("thanks to Holly on reception", "thanks to {n} on reception"),
        ("we saw Frank twice", "we saw {n} twice"),
        ("Julie's care was great", "{n}'s care was great"),
        ("Mary-Jane was kind", "{n} was kind"),
        ("Sharon Was Lovely", "{n} Was Lovely"),
        ("Thank You Julie For Everything", "Thank You {n} For Everything"),
        ("Julie Brilliant as always", "{n} Brilliant as always"),
        ("the woman on reception was Sharon", "the woman on reception was {n}"),
        ("the nurse was Julie today", "the nurse was {n} today"),
        ("Victoria was a great help", "{n} was a great help"),
        ("Sharon Ward on reception was lovely.", "{n} on reception was lovely."),
        ("Special mention to Siobhan O'Neill", "Special mention to {n}"),
        ("Hamish McLeod took my bloods", "{n} took my bloods"),
        ("Zoë on the ward and Siân in clinic", "{n} on the ward and {n} in clinic"),
        ("Łukasz the HCA", "{n} the HCA"),
        (
            "Grace the healthcare assistant held my hand",
            "{n} the healthcare assistant held my hand",
        ),
        (
            "Violet and Iris from the befriending service",
            "{n} and {n} from the befriending service",
        ),
        ("Holly was lovely", "{n} was lovely"),
        ("Thanks Gaz", "Thanks {n}"),
        ("Thank you Holly", "Thank you {n}"),
        ("My Uncle Jim was on the stroke ward", "My Uncle {n} was on the stroke ward"),
        ("Pat the receptionist was kind", "{n} the receptionist was kind"),
        ("Big thanks to Faith and Hope on the ward.", "Big thanks to {n} and {n} on the ward."),
        ("Claire Thompson's kindness will stay with me", "{n}'s kindness will stay with me"),
        ("Sharon Ward's team were great", "{n}'s team were great"),
        ("Thanks to Andy, Kev and the rest", "Thanks to {n}, {n} and the rest"),
        ("Heather from the falls team came out", "{n} from the falls team came out"),
        ("Grandad Alf was treated with dignity", "Grandad {n} was treated with dignity"),
        ("I spoke to Sharon Ward", "I spoke to {n}"),
    ],
)
def test_an_uncued_first_name_is_removed_and_counted(text: str, expected: str) -> None:
    cleaned, counts = removed(text)
    assert cleaned == expected.format(n=NAME)
    assert counts == {"name": expected.count("{n}")}


def test_a_name_beside_another_detail_goes_with_it() -> None:
    cleaned, counts = removed("Jo Bloggs b. 14/02/1951")
    assert "Jo" not in cleaned and "Bloggs" not in cleaned and "1951" not in cleaned
    assert counts == {"date_of_birth": 1, "name": 1}


@pytest.mark.parametrize(
    "text",
    [
        "Rose Ward was clean and quiet",
        "on Daisy ward overnight",
        "The Victoria Road surgery is closing",
        "St Helen's hospital car park",
        "Queen Elizabeth Hospital was busy",
        "Guy's Hospital referred me",
        "Marie Curie nurses were wonderful",
        "Sue Ryder hospice staff",
        "We went to Chester and Lincoln",
        "the Christian chaplain visited",
        "I will be back in May or June",
        "Christmas Eve on the ward",
        "Holly and ivy decorations in reception",
        "Frank And Honest Advice From The Team",
        "Will the GP call me back?",
        "I hope so. Grace period is over",
        "London, Leeds and Bristol clinics",
        "Ward 7 and Bay 3",
        "The doctor was kind and the care was good",
        "SHARON WAS RUDE",
        "Dr [name removed] was kind",
        "The William Harvey Hospital",
        "The Elizabeth line was quick",
        "I have Gilbert's syndrome",
        "Alexandra Palace vaccine centre",
        "Diana Princess of Wales Hospital",
        "The NHS Louisa Jordan",
        "John Lewis vouchers for staff",
        "Sue them, I was told",
        "Mark my words",
        "Pat the wound dry",
        "Hope is all we had left.",
        "The people at Maggie's were brilliant.",
        "Winston's Wish helped my children",
        "I live in Beverley and travel to Hull",
        "The Harold Wood clinic closed",
        "Heather View nursing home",
        "the Tudor Rose pub",
        "during storm Ciara",
        "We went to the Christie for treatment",
        "Martha's Rule should be explained",
        "The Herbert Protocol form",
        "the Oliver McGowan training",
        "Samuel Johnson Community Hospital",
        "the Douglas Macmillan Hospice",
        "Fab care on Victoria Ward",
        "walked round Victoria Park",
        "a day out to Barry Island",
        "We moved from Barry to Cardiff",
        "the Forest of Dean",
        "Marks and Spencer vouchers",
        "Union Jack bunting",
        "Since Jan the visits stopped",
        "until 3rd Jan",
        "My Nan was looked after well",
        "they respected my Faith",
        "sorting out mum's Will",
        "Hope from the start was low",
        "I have Barrett's oesophagus",
    ],
)
def test_a_place_thing_or_word_is_kept(text: str) -> None:
    cleaned, counts = removed(text)
    assert cleaned == text
    assert "name" not in counts


def test_a_long_text_of_names_is_read_once() -> None:
    """400 KB of first names, possessives and hyphens: every name removed, in one pass."""
    text = "Julie Smith, Mary-Jane's and Bob; " * 12_000
    cleaned, counts = removed(text)
    assert counts == {"name": 36_000}
    assert cleaned == f"{NAME}, {NAME}'s and {NAME}; " * 12_000


def test_the_names_file_is_well_formed() -> None:
    names = forenames()
    assert len(names) > 3000
    for line in FORENAMES_FILE.read_text(encoding="utf-8").splitlines():
        assert line.startswith("#") or line.split(" ")[1:] in ([], ["word"]), line
    assert not names["Sharon"] and not names["John"] and names["Holly"]
    for month_or_place in ("May", "June", "August", "London", "Chester", "Christian"):
        assert month_or_place not in names


def test_the_bench_cell_holds_uncued_names() -> None:
    assert any("Sharon" in unit for unit in REDACTION_UNITS)
