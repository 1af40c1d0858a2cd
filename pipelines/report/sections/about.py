"""About these statistics: on a region's page, data quality and the small-numbers rule in
brief with a link; on the consultation's own page (:func:`about_page`), the definitions and
where the numbers came from (file hashes, validation and report runs, package versions)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.consultation import Consultation
from pipelines.labels import rule_text
from pipelines.paths import clean_dir
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
#: The page, beside the reports, that says how the figures were made and checked.
ABOUT_PAGE = "about.html"
ABOUT_LINK = "About these statistics: how the figures were made and checked"


def render(report: Report, facts: Facts, run_id: str = "") -> Fragment:
    """The region page's short account: data quality in a line, the small-numbers rule,
    and a link to the consultation's "About these statistics" page (:func:`about_page`),
    which has the definitions, hashes, versions and run id."""
    validation = facts.validation
    parts = [
        html.heading(3, "Data quality"),
        html.paragraph(words.data_quality(validation["tables"]["responses"])),
        html.heading(3, "Small numbers"),
        _small_numbers(report.profile, report.min_cell),
        Fragment(f'<p class="about-link"><a href="{ABOUT_PAGE}">{html.text(ABOUT_LINK)}</a></p>'),
    ]
    return html.join(parts)


def _small_numbers(profile: str, min_cell: int) -> Fragment:
    small = words.small_numbers(profile, min_cell)
    if small is None:
        return html.notice("Not for circulation: no disclosure control has been applied.")
    return html.paragraph(small)


def about_page(
    consultation: Consultation,
    validation: Mapping[str, Any],
    profile: str,
    min_cell: int,
    run_id: str = "",
) -> Fragment:
    """The body of ``reports/<consultation>/about.html``: how the figures were made and
    checked, for the whole consultation (every region's page links to it). ``validation``:
    the consultation's ``validation.json`` (:func:`load_validation`)."""
    parts = [
        html.heading(1, f"About these statistics: {consultation.title}"),
        html.heading(2, "Data quality"),
        html.paragraph(words.data_quality(validation["tables"]["responses"])),
    ]
    parts += [html.paragraph(note) for note in recording_notes(consultation)]
    rules = validation.get("failures_by_rule", {})
    if rules:
        parts.append(
            html.bullet_list([f"{count} where {rule_text(rule)}" for rule, count in rules.items()])
        )
    parts += [
        html.heading(2, "Small numbers"),
        _small_numbers(profile, min_cell),
        html.heading(2, "Definitions"),
        html.bullet_list(DEFINITIONS),
        html.heading(2, "Where the numbers came from"),
        _provenance(validation, run_id),
    ]
    return html.join(parts)


def load_validation(consultation: str, root: Path | None = None) -> dict[str, Any]:
    """The consultation's validation record (``data/clean/<consultation>/validation.json``)."""
    return json.loads((clean_dir(consultation, root) / "validation.json").read_text("utf-8"))


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
