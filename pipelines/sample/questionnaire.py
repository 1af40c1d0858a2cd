"""The demo questionnaire: the survey tool's headers, answer labels and consultation.yml.

Everything a respondent sees (question text, answer labels) lives here, so the export and
its mapping in consultation.yml cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

SERIES = "care-at-home"
DEFAULT_YEAR = 2026
TITLE = "Care at home: what matters to you"
OWNER = "Joint Commissioning Team"
DELIMITER = ";"

#: Columns the survey tool adds itself; only the first and "End Date" are mapped.
TOOL_HEADERS = [
    "Respondent ID",
    "Collector ID",
    "Start Date",
    "End Date",
    "IP Address",
    "Email Address",
]

#: Standard field -> header in the export.
FIELD_HEADERS: dict[str, str] = {
    "response_id": "Respondent ID",
    "submitted_at": "End Date",
    "channel": "How are you taking part?",
    "group": "Which best describes you?",
    "region": "Region",
    "locality": "Which council area do you live in?",
    "age_band": "What is your age?",
    "sex": "What is your sex?",
    "ethnic_group": "What is your ethnic group?",
    "disability": "Do you consider yourself to be disabled or to have a long-term condition?",
    "imd_quintile": "Deprivation quintile (from postcode)",
    "consent_to_quote": "May we quote you?",
    "volunteer": "Would you like to help us design the new service?",
}

#: Stakeholder group code -> friendly label (consultation.yml `groups`).
GROUP_NAMES: dict[str, str] = {
    "service_user": "People who use services",
    "unpaid_carer": "Unpaid and family carers",
    "paid_care_worker": "Paid care workers",
    "provider": "Care provider organisations",
    "professional": "Health and social care professionals",
    "commissioner": "Commissioners",
    "advocacy": "Advocacy, LINk and Healthwatch",
    "voluntary_sector": "Voluntary and community sector",
    "public": "Members of the public",
    "other": "Other",
}

PREFER_NOT = "Prefer not to say"

#: Per field: canonical code -> the label the survey tool writes.
FIELD_LABELS: dict[str, dict[str, str]] = {
    "group": {
        "service_user": "I use care at home services",
        "unpaid_carer": "I look after a family member or friend (unpaid carer)",
        "paid_care_worker": "I am a paid care worker",
        "provider": "I work for a care provider (manager or office staff)",
        "professional": "I am a health or social care professional",
        "commissioner": "I commission or contract care services",
        "advocacy": "I work for an advocacy organisation or Healthwatch",
        "voluntary_sector": "I work or volunteer for a voluntary or community group",
        "public": "I am a member of the public",
        "other": "Other",
    },
    "channel": {
        "online": "Online",
        "paper": "Paper questionnaire",
        "event": "At an event",
        "phone": "By telephone",
        "easy_read": "Easy read version",
    },
    "age_band": {
        "under_18": "Under 18",
        "18_24": "18 - 24",
        "25_34": "25 - 34",
        "35_44": "35 - 44",
        "45_54": "45 - 54",
        "55_64": "55 - 64",
        "65_74": "65 - 74",
        "75_84": "75 - 84",
        "85_plus": "85 or over",
        "prefer_not_to_say": PREFER_NOT,
    },
    "sex": {"female": "Female", "male": "Male", "prefer_not_to_say": PREFER_NOT},
    "ethnic_group": {
        "white": "White",
        "mixed": "Mixed or multiple ethnic groups",
        "asian": "Asian or Asian British",
        "black": "Black, Black British, Caribbean or African",
        "other": "Other ethnic group",
        "prefer_not_to_say": PREFER_NOT,
    },
    "disability": {"yes": "Yes", "no": "No", "prefer_not_to_say": PREFER_NOT},
    "imd_quintile": {
        "1": "1 - most deprived",
        "2": "2",
        "3": "3",
        "4": "4",
        "5": "5 - least deprived",
    },
    "consent_to_quote": {"yes": "Yes", "no": "No"},
    "volunteer": {"yes": "Yes, please contact me", "no": "No thank you"},
}


@dataclass(frozen=True)
class Question:
    """One question of the demo survey, as consultation.yml describes it."""

    id: str
    type: str
    text: str
    column: str | None = None
    options: list[str] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)
    scale: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    delimiter: str | None = None

    def headers(self) -> list[str]:
        """The export headers this question fills."""
        return list(self.columns.values()) if self.columns else [self.column or self.text]

    def to_yaml(self) -> dict[str, object]:
        """The question's entry under consultation.yml `questions`."""
        entry: dict[str, object] = {"id": self.id, "text": self.text, "type": self.type}
        if not self.columns:
            entry["column"] = self.headers()[0]
        if self.delimiter:
            entry["delimiter"] = self.delimiter
        if self.columns:
            entry["columns"] = dict(self.columns)
        if self.options:
            entry["options"] = list(self.options)
        if self.labels:
            entry["labels"] = dict(self.labels)
        if self.scale:
            entry["scale"] = list(self.scale)
        return entry


AGREE_SCALE = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
]
RATING_SCALE = ["Very poor", "Poor", "Fair", "Good", "Very good"]

RECEIVES_CARE = {
    "yes_me": "Yes, I do",
    "yes_someone": "Yes, someone I look after does",
    "in_the_past": "Not now, but in the past",
    "no": "No",
}
WHO_PAYS = {
    "council": "The council pays for all of it",
    "shared": "I pay towards it",
    "self_funded": "I pay for all of it myself",
    "nhs": "The NHS pays (continuing healthcare)",
    "dont_know": "Don't know",
}
WHAT_WOULD_HELP = {
    "same_carers": "Seeing the same carers",
    "longer_visits": "Longer visits",
    "evenings_weekends": "More help in the evenings and at weekends",
    "clear_costs": "Clearer information about costs",
    "family_involved": "Involving my family in planning my care",
    "technology": "Technology such as alarms and sensors",
    "other": "Something else",
}
HEARD_ABOUT = {
    "letter": "A letter from the council",
    "gp": "My GP practice",
    "care_worker": "My care worker or social worker",
    "newspaper": "Local newspaper or radio",
    "social_media": "Social media",
    "voluntary_group": "A voluntary or community group",
    "word_of_mouth": "Word of mouth",
}
HEARD_ABOUT_TEXT = "How did you hear about this consultation?"

QUESTIONS: tuple[Question, ...] = (
    Question(
        id="q1",
        type="single",
        text="Do you, or someone you look after, receive care at home?",
        options=list(RECEIVES_CARE),
        labels=dict(RECEIVES_CARE),
    ),
    Question(
        id="q2",
        type="number",
        text=(
            "How many different care workers visited you (or the person you look after) "
            "in the last four weeks?"
        ),
    ),
    Question(
        id="q3",
        type="free_text",
        text="When you need care, now or in the future, what quality do you most want in your carer?",
    ),
    Question(
        id="q4",
        type="likert",
        text="I am treated with dignity and respect by the people who provide care",
        scale=list(AGREE_SCALE),
    ),
    Question(
        id="q5",
        type="likert",
        text="Overall, how would you rate care at home in your area?",
        scale=list(RATING_SCALE),
    ),
    Question(
        id="q6",
        type="single",
        text="Who pays for the care?",
        options=list(WHO_PAYS),
        labels=dict(WHO_PAYS),
    ),
    Question(
        id="q7",
        type="multi",
        text="Which of these would make the most difference to you? (tick all that apply)",
        delimiter=DELIMITER,
        options=list(WHAT_WOULD_HELP),
        labels=dict(WHAT_WOULD_HELP),
    ),
    Question(
        id="q8",
        type="multi",
        text=HEARD_ABOUT_TEXT,
        columns={code: f"{HEARD_ABOUT_TEXT} - {label}" for code, label in HEARD_ABOUT.items()},
        options=list(HEARD_ABOUT),
        labels=dict(HEARD_ABOUT),
    ),
    Question(
        id="q9",
        type="free_text",
        text="What will always be important in your life, regardless of whether you receive care?",
    ),
)

QUESTION_BY_ID = {q.id: q for q in QUESTIONS}

#: Monitoring fields in the order the export asks them (after the questions).
MONITORING_FIELDS = ["age_band", "sex", "ethnic_group", "disability", "imd_quintile"]


def export_headers() -> list[str]:
    """Every header of responses.csv, in the export's order."""
    return [
        *TOOL_HEADERS,
        FIELD_HEADERS["channel"],
        FIELD_HEADERS["group"],
        FIELD_HEADERS["region"],
        FIELD_HEADERS["locality"],
        *(h for q in QUESTIONS for h in q.headers()),
        *(FIELD_HEADERS[f] for f in MONITORING_FIELDS),
        FIELD_HEADERS["consent_to_quote"],
        FIELD_HEADERS["volunteer"],
    ]


def window(year: int) -> tuple[dt.date, dt.date]:
    """The consultation's opening and closing dates in a given year."""
    return dt.date(year, 3, 1), dt.date(year, 5, 31)


#: The demo's publication details (data contract, "Publication details"): made up.
CONTACT = "The Joint Commissioning Team, through the council's contact centre"
PURPOSE = (
    "We asked people who use care at home, their carers and staff what matters most, so "
    "that the new care at home contracts are built around it."
)
NEXT_STEPS = (
    "The commissioning board will use these findings to set the new contracts in the "
    "autumn. We will tell everyone who took part what changed."
)


#: The adult age bands: the ages an adult care consultation is for.
ADULT_AGES = ("18_24", "25_34", "35_44", "45_54", "55_64", "65_74", "75_84", "85_plus")


def consultation_document(
    year: int, population_ages: tuple[str, ...] | None = None
) -> dict[str, object]:
    """consultation.yml's content for the wave of a given year (``population_ages``: the age
    bands it was for, none for every age)."""
    opened, closed = window(year)
    values = {
        name: {label: code for code, label in labels.items()}
        for name, labels in FIELD_LABELS.items()
    }
    return {
        "title": TITLE,
        "owner": OWNER,
        "series": SERIES,
        "opened": opened,
        "closed": closed,
        "published": dt.date(year, 7, 1),
        "contact": CONTACT,
        "purpose": PURPOSE,
        "next_steps": NEXT_STEPS,
        **({"population_ages": list(population_ages)} if population_ages else {}),
        "source": "responses.csv",
        "columns": dict(FIELD_HEADERS),
        "groups": dict(GROUP_NAMES),
        "values": values,
        "questions": [q.to_yaml() for q in QUESTIONS],
    }
