"""About this report: data quality, small numbers, definitions and provenance."""

from __future__ import annotations

from datetime import UTC, datetime

from pipelines.consultation import Consultation
from pipelines.labels import rule_text
from pipelines.report import html
from pipelines.report import wording as words
from pipelines.report.facts import Facts
from pipelines.report.html import Fragment
from pipelines.report.provenance import REPORT_PACKAGES, WORKBOOK, package_versions
from pipelines.report.publish import Report

DEFINITIONS = [
    "Percentages of responses use all valid responses in the area as the base; for a question, the people who answered it.",
    "For questions where people could choose several options, “% of respondents” can add up to more than 100%; “% of mentions” adds up to 100%.",
    "Representation compares the share of respondents in a group with its share of the population. A group is flagged under-represented when the ratio is below 0.8 and its 95% Wilson interval lies wholly below 1, and over-represented when above 1.25 with the interval wholly above 1.",
    "“Prefer not to say” and blank answers are counted apart and left out of the shares.",
]


def render(report: Report, facts: Facts, run_id: str = "") -> Fragment:
    """Data quality, disclosure, definitions and provenance."""
    validation = facts.validation
    parts = [
        html.heading(3, "Data quality"),
        html.paragraph(words.data_quality(validation["tables"]["responses"])),
    ]
    parts += [html.paragraph(note) for note in recording_notes(report.data.consultation)]
    rules = validation.get("failures_by_rule", {})
    if rules:
        parts.append(
            html.bullet_list([f"{count} where {rule_text(rule)}" for rule, count in rules.items()])
        )
    parts.append(html.heading(3, "Small numbers"))
    small = words.small_numbers(report.profile, report.min_cell)
    if small is None:
        parts.append(html.notice("Not for circulation: no disclosure control has been applied."))
    else:
        parts.append(html.paragraph(small))
    definitions = [  # the representation rule only where a comparison is shown
        d for d in DEFINITIONS if facts.with_population or not d.startswith("Representation")
    ]
    parts += [html.heading(3, "Definitions"), html.bullet_list(definitions)]
    parts += [html.heading(3, "Where the numbers came from"), _provenance(validation, run_id)]
    return html.join(parts)


def recording_notes(consultation: Consultation) -> list[str]:
    """What the export did not record, and what that means for the figures: no response id
    (each response is its row, so a response sent twice counts twice) and no date."""
    notes = []
    if "response_id" not in consultation.columns:
        notes.append(
            "The export has no response identifier, so each response is known by its row "
            "number and a response sent twice could not be detected."
        )
    if "submitted_at" not in consultation.columns:
        notes.append(
            "Submission dates were not recorded in the export, so no response was checked "
            "against the consultation's opening and closing dates."
        )
    return notes


def _provenance(validation: dict, run_id: str) -> Fragment:
    """The input files' hashes, the validation run, and the report run with its packages."""
    items = [f"{i['file']}: sha256 {i['sha256']}" for i in validation["inputs"]]
    items.append(
        f"Validation suites: {'all passed' if validation['success'] else 'rows failing a rule were set aside'} (validation run {validation['run_id']})."
    )
    workbook = package_versions((WORKBOOK,))[WORKBOOK]
    items.append(
        words.provenance_line(
            run_id, datetime.now(UTC), workbook, package_versions(REPORT_PACKAGES)
        )
    )
    return html.bullet_list(items, css="provenance")
