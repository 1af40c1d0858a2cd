"""validation.json: what was read, what passed, what was set aside and why."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pipelines.consultation import Consultation
from pipelines.geography import population_file, reference_file
from pipelines.ingest.read import RawTable
from pipelines.validate.clean_tables import CleanOutputs
from pipelines.validate.gx_suites import SUITES, RuleResult  # SUITES: the ledger's order
from pipelines.validate.speed_and_memory import sha256


def _inputs(
    root: Path | None,
    raw: RawTable,
    optional: dict[str, RawTable | None],
    digest: Callable[[Path], str],
) -> list[dict[str, Any]]:
    """Each input file read: its name, digest, and (tables) encoding and rows."""
    tables = [raw, *(table for table in optional.values() if table is not None)]
    inputs: list[dict[str, Any]] = [
        {
            "file": table.path.name,
            "sha256": digest(table.path),
            "encoding": table.encoding,
            "rows": table.frame.height,
        }
        for table in tables
    ]
    folder = raw.path.parent
    files = {
        "consultation.yml": folder / "consultation.yml",
        "regions.csv": reference_file("regions.csv", folder, root),
        "population.csv": population_file(folder, root),
    }
    for name, path in files.items():
        if path is not None and path.is_file():
            label = name if path.parent == folder else f"reference/{name}"
            inputs.append({"file": label, "sha256": digest(path)})
    return inputs


#: What validation.json says when an export has no id or no date column.
NO_ID_NOTE = (
    "The export has no response ID column (consultation.yml columns.response_id): each "
    "response's ID is its data row number in the export, and duplicate responses could not "
    "be detected."
)
NO_DATE_NOTE = (
    "Submission dates were not recorded (no columns.submitted_at): no date was read and no "
    "response was checked against the consultation's open period."
)


def what_was_recorded(consultation: Consultation) -> dict[str, Any]:
    """``response_ids`` (``column`` or ``row_number``), ``duplicates_checked``,
    ``dates_recorded`` and ``notes``: what the export let validation check."""
    has_ids = "response_id" in consultation.columns
    has_dates = "submitted_at" in consultation.columns
    notes = [
        note for note, shown in ((NO_ID_NOTE, not has_ids), (NO_DATE_NOTE, not has_dates)) if shown
    ]
    return {
        "response_ids": "column" if has_ids else "row_number",
        "duplicates_checked": has_ids,
        "dates_recorded": has_dates,
        "notes": notes,
    }


def ledger(
    root: Path | None,
    consultation_id: str,
    run_id: str,
    consultation: Consultation,
    raw: RawTable,
    optional: dict[str, RawTable | None],
    suite_results: dict[str, list[RuleResult]],
    outputs: CleanOutputs,
    digest: Callable[[Path], str] = sha256,
) -> dict[str, Any]:
    """validation.json: what was read, what passed, what was set aside and why."""
    by_rule = outputs.quarantine.group_by("rule").len().sort("rule")
    suites = {
        name: {
            "evaluated_expectations": len(results),
            "successful_expectations": sum(r.success for r in results),
            "success": all(r.success for r in results),
        }
        for name in SUITES
        if (results := suite_results.get(name)) is not None
    }
    return {
        "consultation": consultation_id,
        "title": consultation.title,
        "run_id": run_id,
        "validated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "inputs": _inputs(root, raw, optional, digest),
        "tables": outputs.ledger,
        "failures_by_rule": dict(
            zip(by_rule["rule"].to_list(), by_rule["len"].to_list(), strict=True)
        ),
        "fields_blanked": outputs.fields_blanked,
        **what_was_recorded(consultation),
        "suites": suites,
        "success": all(s["success"] for s in suites.values()),
        "redaction": outputs.redaction.as_dict(),
    }
