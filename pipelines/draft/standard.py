"""Find the standard fields in an export by their usual headers, and check their answers
against the codes (and the geography) they must map to."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

import polars as pl

from pipelines.draft.columns import ExportColumn
from pipelines.draft.questions import NUMBER, code_of, natural_key
from pipelines.draft.settings import DraftSettings
from pipelines.fields import (
    MONITORING_FIELDS,
    PREFER_NOT_TO_SAY,
    default_groups,
    field_specs,
    normalise,
    prefer_not_to_say_labels,
)
from pipelines.ingest.ages import look_like_codes, whole_number_counts

#: A date-time as survey tools write one: 2026-03-02 09:12:44, 3/14/2026 2:40:03 PM.
DATE_LIKE = re.compile(r"^\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}[ T]\d{1,2}:\d{2}")
#: A postcode column (full or district) is never mapped: it narrows a person down, and it
#: is no region or locality of the geography.
POSTCODE = re.compile(r"post ?code|postal code|zip")
POSTCODE_REASON = (
    "a postcode: it can identify a person and is not a region or locality; to report by "
    "place, map its districts to localities in a column of their own"
)
#: A standard field's answers are its codes when at least this share of them map.
MIN_MAPPED_SHARE = 0.8
#: A group or region column has at most this many distinct answers.
MAX_PLACES_OR_GROUPS = 40
#: What one-region consultations call their area until the analyst names it.
WHOLE_AREA = "Whole area"
#: Fields looked for before the identifier columns are set aside (their usual headers,
#: "Respondent ID", "End Date", would otherwise read as tool metadata).
FIRST_FIELDS = ("response_id", "submitted_at")


@dataclass
class FieldsDraft:
    """The standard fields found: consultation.yml's keys, each with a ``# check:``."""

    columns: dict[str, str] = field(default_factory=dict)
    checks: dict[str, str] = field(default_factory=dict)
    constants: dict[str, str] = field(default_factory=dict)
    groups: dict[str, str] | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    categories: dict[str, dict[str, str]] = field(default_factory=dict)
    #: a consultation's own regions.csv (text), where the shared geography does not fit
    regions_csv: str | None = None
    dropped: list[tuple[str, str]] = field(default_factory=list)

    @property
    def used(self) -> set[str]:
        return set(self.columns.values())


def default_lookup(name: str) -> dict[str, str]:
    """Normalised spelling -> code for a standard field, as validate reads it by default."""
    spec = field_specs()[name]
    codes = list(default_groups()) if name == "group" else list(spec.codes)
    lookup = {normalise(code): code for code in codes}
    lookup |= {normalise(label): code for label, code in spec.labels.items()}
    if name == "group":
        lookup |= {normalise(label): code for code, label in default_groups().items()}
    if spec.monitoring:
        lookup[normalise(PREFER_NOT_TO_SAY)] = PREFER_NOT_TO_SAY
        lookup |= {normalise(label): PREFER_NOT_TO_SAY for label in prefer_not_to_say_labels()}
    return lookup


def _all_dates(column: ExportColumn) -> bool:
    """Every answer is a date-time (a start or last-action date beside the submission's)."""
    if not column.distinct or not all(DATE_LIKE.match(a) for a in column.distinct):
        return False
    return len(column.distinct) >= 2


#: A question's number before its header ("Q1. Region", "1. Which region...", "3a) Age"),
#: left out when the header is matched to a field.
QUESTION_NUMBER = re.compile(r"^(?:q(?:uestion)?\s?)?\d{1,3}[a-z]?(?:\.[a-z0-9]{1,3})*[.):]?\s+")


def _matches(column: ExportColumn, patterns: tuple, numbered: bool = False) -> bool:
    """Whether a pattern finds ``column``'s header; ``numbered``: its question's number
    left out too (a question's field, "Q1. Region"; never a tool's own column: "Q4.
    Duration of your stay" is no tool's duration, "Q1. Date" no submission date)."""
    keys = {column.key, normalise(column.header_text)}
    if numbered:
        keys |= {QUESTION_NUMBER.sub("", key) for key in keys}
    return any(pattern.search(key) for pattern in patterns for key in keys)


def _share_mapped(answers: list[str], lookup: dict[str, str]) -> float:
    return sum(normalise(a) in lookup for a in answers) / len(answers) if answers else 0.0


def _unmapped(answers: list[str], lookup: dict[str, str]) -> list[str]:
    return [a for a in answers if normalise(a) not in lookup]


def _listed(answers: list[str], limit: int = 3) -> str:
    shown = ", ".join(repr(a) for a in answers[:limit])
    return shown + (f" and {len(answers) - limit} more" if len(answers) > limit else "")


def _regions_csv(answers: list[str]) -> str:
    """A consultation's own regions.csv of ``answers`` (one region each, no localities)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["region", "locality"])
    writer.writerows([answer, ""] for answer in answers)
    return out.getvalue()


#: Words a place's name is often written with or without ("North West England").
PLACE_NOISE = frozenset({"the", "england", "region", "area", "of"})


def _place_words(text: str) -> frozenset[str]:
    words = re.findall(r"[a-z0-9]+", normalise(text).replace("&", " and "))
    return frozenset(w for w in words if w not in PLACE_NOISE)


def _nearest_region(answer: str, regions: list[str]) -> str | None:
    """The one region whose name's words and ``answer``'s are the same, or one holds the
    other's ("Yorkshire & Humber" -> Yorkshire and The Humber); None if none or several."""
    words = _place_words(answer)
    found = [r for r in regions if words and (words <= _place_words(r) or _place_words(r) <= words)]
    return found[0] if len(found) == 1 else None


def _region(draft: FieldsDraft, column: ExportColumn, regions: pl.DataFrame) -> bool:
    """The region column: its answers read as the geography's regions, other spellings of
    them mapped under ``values`` ("North West England"); answers that are no region ("Don't
    know") left to be set aside and named in the check. Where no answer is a region, the
    answers become the consultation's own regions.csv."""
    answers = column.distinct
    if not answers or len(answers) > MAX_PLACES_OR_GROUPS:
        return False
    names = regions["region"].unique(maintain_order=True).to_list()
    known = {normalise(r) for r in names} | {normalise(r) for r in regions["region_slug"]}
    draft.columns["region"] = column.name
    missing = [a for a in answers if normalise(a) not in known]
    spelled = {a: r for a in missing if (r := _nearest_region(a, names)) is not None}
    unknown = [a for a in missing if a not in spelled]
    if len(unknown) == len(answers):
        draft.regions_csv = _regions_csv(answers)
        draft.checks["region"] = (
            f"none of the {len(answers)} places is in the shared regions.csv: a regions.csv of "
            "the answers is written beside this file; add their localities, or map them to "
            "the shared regions under values: region:"
        )
        return True
    if spelled:
        draft.values["region"] = spelled
    draft.checks["region"] = (
        f"{len(answers) - len(unknown)} of {len(answers)} places are regions"
        + (f" ({len(spelled)} spelt otherwise: see values)" if spelled else "")
        + (
            f"; {_listed(unknown)} are not: map them under values: region:, or their responses "
            "are set aside (region_known)"
            if unknown
            else ""
        )
    )
    return True


def _coded_field(draft: FieldsDraft, name: str, column: ExportColumn) -> bool:
    """A coded field: mapped as it stands, through ``values``, or (a monitoring field whose
    answers are not the standard categories) with its own ``categories``."""
    answers = column.distinct
    lookup = default_lookup(name)
    if not answers:
        return False
    draft.columns[name] = column.name
    missing = _unmapped(answers, lookup)
    if not missing:
        draft.checks[name] = (
            f"{len(answers)} answers, all standard codes; {column.blank_share:.0%} blank"
        )
        return True
    if name in ("consent_to_quote", "volunteer"):
        values = {a: "yes" if normalise(a).startswith("yes") else "no" for a in missing}
        draft.values[name] = values
        draft.checks[name] = "answers read as yes or no by their first word"
        return True
    if name in MONITORING_FIELDS:
        taken: set[str] = set()
        own = {}
        for answer in answers:
            code = lookup.get(normalise(answer))
            if code == PREFER_NOT_TO_SAY:
                continue
            code = code or code_of(answer, taken)
            taken.add(code)
            own[code] = answer
        draft.categories[name] = dict(sorted(own.items(), key=lambda pair: natural_key(pair[1])))
        draft.checks[name] = (
            f"{_listed(missing)} are not the standard categories: this consultation's own "
            "(no population comparison for the ones the population file does not have)"
        )
        return True
    draft.checks[name] = (
        f"{_listed(missing)} map to no {name} code: those answers are left blank; "
        f"map them under values: {name}:"
    )
    return True


def _locality(draft: FieldsDraft, column: ExportColumn, regions: pl.DataFrame) -> bool:
    """Localities only where the region is a column of the shared geography's regions and
    most answers are its localities (a pair validate can check)."""
    if "region" not in draft.columns or draft.regions_csv is not None:
        return False
    known = {normalise(str(x)) for x in regions["locality"].drop_nulls().to_list()}
    if _share_mapped(column.distinct, dict.fromkeys(known, "")) < MIN_MAPPED_SHARE:
        return False
    draft.columns["locality"] = column.name
    draft.checks["locality"] = f"{len(column.distinct)} localities of regions.csv"
    return True


def _group(draft: FieldsDraft, column: ExportColumn) -> bool:
    answers = column.distinct
    if not answers or len(answers) > MAX_PLACES_OR_GROUPS:
        return False
    draft.columns["group"] = column.name
    lookup = default_lookup("group")
    if not _unmapped(answers, lookup):
        draft.checks["group"] = f"{len(answers)} answers, all the default groups"
        return True
    taken: set[str] = set()
    draft.groups = {code_of(answer, taken): answer for answer in answers}
    draft.checks["group"] = f"{len(answers)} answers taken as this consultation's groups"
    return True


def _age(draft: FieldsDraft, column: ExportColumn) -> bool:
    """Years (``age``) when the answers are mostly numbers, else age bands; whole numbers
    that look like answer codes (:func:`pipelines.ingest.ages.look_like_codes`, as
    ``validate`` judges them) are age bands, mapped as ``age_band`` for the analyst to
    label."""
    answers = column.distinct
    numbers = [a for a in answers if NUMBER.match(a)]
    written = dict(column.answers.drop_nulls().value_counts().iter_rows())
    counts = whole_number_counts(written)
    if look_like_codes(counts):
        # 1..7: a survey tool's answer codes (Qualtrics' numeric values), not years
        mapped = _coded_field(draft, "age_band", column)
        draft.checks["age_band"] = (
            f"numbers {min(counts)} to {max(counts)} look like the survey tool's codes for "
            "age bands, not years: map each to its band under values: age_band; "
            + draft.checks.get("age_band", "")
        )
        return mapped
    if answers and len(numbers) >= MIN_MAPPED_SHARE * len(answers):
        draft.columns["age"] = column.name
        other = [a for a in answers if not NUMBER.match(a)]
        draft.checks["age"] = "ages in years, banded into age bands" + (
            f"; {_listed(other)} are not numbers (left blank)" if other else ""
        )
        return True
    return _coded_field(draft, "age_band", column)


def find_fields(
    columns: list[ExportColumn], settings: DraftSettings, regions: pl.DataFrame
) -> FieldsDraft:
    """Each standard field's column, the identifier columns set aside, and what must stand
    in for a required field the export lacks (a constant region or group)."""
    draft = FieldsDraft()
    pending = list(columns)
    for name in FIRST_FIELDS:
        # the first pattern that finds a column wins: "Date submitted" before "Q1. Date"
        found = next(
            (
                column
                for pattern in settings.fields[name]
                for column in pending
                if column.distinct and _matches(column, (pattern,))
            ),
            None,
        )
        if found is not None:
            draft.columns[name] = found.name
            draft.checks[name] = f"found by its header; {found.blank_share:.0%} blank"
    pending = [c for c in pending if c.name not in draft.used]
    for column in pending:
        if POSTCODE.search(column.key):
            draft.dropped.append((column.name, POSTCODE_REASON))
        elif _matches(column, settings.identifiers):
            draft.dropped.append((column.name, "identifies a person or is the tool's own data"))
        elif _all_dates(column):
            draft.dropped.append((column.name, "a date the survey tool recorded"))
    pending = [c for c in pending if c.name not in {name for name, _ in draft.dropped}]
    for name, patterns in settings.fields.items():
        if (
            name in FIRST_FIELDS
            or name in draft.columns
            or (name == "age_band" and "age" in draft.columns)
        ):
            continue
        for column in pending:
            if column.name in draft.used or not _matches(column, patterns, numbered=True):
                continue
            if _place(draft, name, column, regions):
                break
    _constants(draft)
    return draft


def _place(draft: FieldsDraft, name: str, column: ExportColumn, regions: pl.DataFrame) -> bool:
    if name == "region":
        return _region(draft, column, regions)
    if name == "locality":
        return _locality(draft, column, regions)
    if name == "group":
        return _group(draft, column)
    if name == "age":
        return _age(draft, column)
    return _coded_field(draft, name, column)


def _constants(draft: FieldsDraft) -> None:
    if "region" not in draft.columns:
        draft.constants["region"] = WHOLE_AREA
        draft.regions_csv = _regions_csv([WHOLE_AREA])
        draft.checks["region"] = (
            "no region column found: every response is in one area; name it here and in regions.csv"
        )
    if "group" not in draft.columns:
        draft.constants["group"] = "public"
        draft.checks["group"] = "no group column found: every respondent counted as public"
