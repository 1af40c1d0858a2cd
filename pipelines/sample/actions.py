"""The "you said, we did" log (actions.csv).

Actions answer the themes people raised; one theme ("Interests and hobbies") has no action
at all, so a report has a gap to show.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from pipelines.contract import TABLE_COLUMNS
from pipelines.sample.questionnaire import window

ACTION_COLUMNS = list(TABLE_COLUMNS["actions"])
STATUSES = {"done": 0.3, "in_progress": 0.35, "planned": 0.25, "not_taken": 0.1}
#: Share of actions, by status, whose outcome has been fed back to people.
FEEDBACK_SHARE = {"done": 0.85, "in_progress": 0.4, "planned": 0.0, "not_taken": 0.75}
ACTION_COUNT = 66

#: theme -> owner, and (you said, what we did, what we will do) triples.
ACTIONS_BY_THEME: dict[str, tuple[str, list[tuple[str, str, str]]]] = {
    "Continuity of carers": (
        "Care at home commissioning lead",
        [
            (
                "You see too many different carers.",
                "Contracts now set a limit of six regular carers per person a month.",
                "add a limit on the number of different carers to the new contracts",
            ),
            (
                "Nobody tells you who is coming.",
                "Providers now send a weekly rota by letter, text or phone call, as people choose.",
                "ask every provider to send a weekly rota in the format people choose",
            ),
        ],
    ),  # fmt: skip
    "Time and punctuality": (
        "Contracts and quality team",
        [
            (
                "Visits are rushed and carers run late.",
                "Travel time between calls is now paid and planned into rotas.",
                "pay travel time between calls so rotas are realistic",
            ),
            (
                "You wait in all morning without knowing when the carer will come.",
                "Providers now phone ahead when a visit will be more than 30 minutes late.",
                "require providers to phone ahead when running more than 30 minutes late",
            ),
        ],
    ),  # fmt: skip
    "Respect and dignity": (
        "Dignity in Care lead",
        [
            (
                "Carers should treat people as adults and respect their homes.",
                "Dignity Champions visited every provider and the dignity pledge is in every contract.",
                "put the dignity pledge into every care at home contract",
            ),
        ],
    ),  # fmt: skip
    "Training and skills": (
        "Workforce development manager",
        [
            (
                "Carers need proper training, including dementia and moving and handling.",
                "A shared training programme for all providers started, with dementia awareness.",
                "fund a shared dementia and moving and handling course for all providers",
            ),
        ],
    ),  # fmt: skip
    "Communication": (
        "Customer services manager",
        [
            (
                "The office does not call back.",
                "Providers now log calls and must reply within one working day.",
                "set a one-working-day reply standard for provider offices",
            ),
            (
                "Letters are hard to read.",
                "Letters are now available in large print and easy read.",
                "offer every letter in large print and easy read",
            ),
        ],
    ),  # fmt: skip
    "Cost and charges": (
        "Adult social care finance team",
        [
            (
                "You do not know what you will pay before care starts.",
                "Everyone now gets a written estimate of charges before care starts.",
                "send a written estimate of charges before care starts",
            ),
        ],
    ),  # fmt: skip
    "Family and friends": (
        "Carers' lead",
        [
            (
                "Families want to be involved in planning care.",
                "Care plans now ask who the person wants involved and record it.",
                "add a 'who should be involved' section to every care plan",
            ),
        ],
    ),  # fmt: skip
    "Independence": (
        "Reablement service manager",
        [
            (
                "People want to stay in their own homes as long as they can.",
                "Reablement was extended from six to ten weeks where it helps.",
                "extend reablement beyond six weeks where it helps",
            ),
        ],
    ),  # fmt: skip
    "Choice and control": (
        "Direct payments team",
        [
            (
                "You want more say over who comes into your home.",
                "A direct payments support service now helps people employ their own PA.",
                "set up a support service for people who want to employ their own PA",
            ),
        ],
    ),  # fmt: skip
    "Kindness and compassion": (
        "Workforce development manager",
        [
            (
                "Kindness matters as much as skills.",
                "Values-based interviews are now used by every provider we fund.",
                "ask providers to use values-based interviews when recruiting",
            ),
        ],
    ),  # fmt: skip
    "Being known as a person": (
        "Personalisation lead",
        [
            (
                "Carers should know about your life, not just your care plan.",
                "A one-page profile ('about me') is now kept at the front of each care folder.",
                "introduce a one-page 'about me' profile in every care folder",
            ),
        ],
    ),  # fmt: skip
    "Health and wellbeing": (
        "Integrated care partnership manager",
        [
            (
                "Health and care do not talk to each other.",
                "District nurses and care providers now share a weekly huddle.",
                "set up a weekly huddle between district nurses and care providers",
            ),
        ],
    ),  # fmt: skip
    "Being part of the community": (
        "Community development officer",
        [
            (
                "People want to get out to lunch clubs and groups.",
                "Transport to lunch clubs is now part of care plans where wanted.",
                "include transport to lunch clubs in care plans where wanted",
            ),
        ],
    ),  # fmt: skip
}
NOT_TAKEN_REASONS = [
    "We looked at this but could not fund it this year; we will look again in the next budget.",
    "We talked this through with providers and decided not to go ahead this year; we will"
    " review it with people who use services next spring.",
]


def _we_did(status: str, did: str, will: str, rng: np.random.Generator) -> str:
    """The 'we did' text in the tense its status calls for."""
    if status == "done":
        return did
    if status == "in_progress":
        return f"We have started to {will}."
    if status == "planned":
        return f"We will {will}."
    return NOT_TAKEN_REASONS[int(rng.integers(len(NOT_TAKEN_REASONS)))]


def actions_frame(regions: pl.DataFrame, year: int, rng: np.random.Generator) -> pl.DataFrame:
    """Sixty-six actions across regions and themes, with due and feedback dates."""
    _, closed = window(year)
    region_names = list(dict.fromkeys(regions["region"].to_list()))
    templates = [(theme, owner, t) for theme, (owner, ts) in ACTIONS_BY_THEME.items() for t in ts]
    statuses = list(STATUSES)
    status_p = np.array(list(STATUSES.values()))
    rows: list[dict[str, str]] = []
    for k in range(ACTION_COUNT):
        region = region_names[k % len(region_names)]
        theme, owner, (you_said, did, will) = templates[int(rng.integers(len(templates)))]
        localities = [
            loc for loc in regions.filter(pl.col("region") == region)["locality"].to_list() if loc
        ]
        locality = ""
        if localities and rng.random() < 0.6:
            locality = localities[int(rng.integers(len(localities)))]
        status = statuses[int(rng.choice(len(statuses), p=status_p / status_p.sum()))]
        due = closed + dt.timedelta(days=int(rng.integers(30, 330)))
        told = closed + dt.timedelta(days=int(rng.integers(20, 200)))
        rows.append(
            {
                "action_id": f"A{year % 100:02d}-{k + 1:03d}",
                "region": region,
                "locality": locality,
                "theme": theme,
                "you_said": you_said,
                "we_did": _we_did(status, did, will, rng),
                "owner": owner,
                "status": status,
                "due": due.strftime("%d/%m/%Y"),
                "feedback_given": told.strftime("%d/%m/%Y")
                if rng.random() < FEEDBACK_SHARE[status]
                else "",
            }
        )
    return pl.DataFrame(rows).select(ACTION_COLUMNS)
