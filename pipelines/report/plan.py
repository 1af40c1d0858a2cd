"""One disclosure plan per run: which rows of which tables of which report are ``[c]``.

Suppression is decided once for the whole run (the overview, every region, every locality
cell and the wave comparison) so that no combination of the run's pages can work a
``[c]`` back. The plan is made before any report is written:

1. **Record.** Every report of a full run (the overview and each region of regions.csv)
   publishes its tables here with :func:`pipelines.report.tables.publish_tables`, nothing
   written and no chart drawn; each table is recorded exact, with its disclosure spec.
2. **Link and protect** (:mod:`pipelines.report.protect`): every published count is linked
   to the counts it adds up, and more rows are hidden until no ``[c]`` is a combination of
   shown values.

The plan is stored beside the clean data (``data/clean/<c>/disclosure/``), keyed by the
clean data it was made from, the profile and ``min_cell``: reports from the runner and
from the plain papermill CLI read the same plan (:func:`open_report`).
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from pathlib import Path

from pipelines.atomic import write_text_atomic
from pipelines.paths import NOTEBOOKS_DIR, clean_dir, consultation_name
from pipelines.report.headline_counts import headline_counts
from pipelines.report.protect import PLAN_VERSION, Recorded, RunPlan, protect_run, row_keys
from pipelines.report.publish import Report, area_report
from pipelines.report.tables import publish_tables
from pipelines.store import aggregates
from pipelines.store.clean_data import CleanData, load_clean

log = logging.getLogger("workbook.disclosure")


def record_run(
    consultation: str, regions: list[str], profile: str, min_cell: int, root: Path | None
) -> list[Recorded]:
    """Every table of a full run's reports (the overview, then each region), exact. Each
    wave's clean data is read once for them all (each report narrows it to its area)."""

    @cache
    def load(name: str) -> CleanData:
        return load_clean(name, root)

    records: list[Recorded] = []
    for region in ["", *regions]:
        report = area_report(consultation, region, profile, min_cell, root=root, load=load)
        report.tables_dir = None
        report.recorded = records
        publish_tables(report)
        headline_counts(report)  # the headline's single counts are the plan's too
    return records


def open_report(
    consultation: str,
    region: str = "",
    disclosure: str = "restricted",
    min_cell: int = 10,
    tables_dir: str = "",
    csv_prefix: str | None = None,
    root: Path | None = None,
    locality: str = "",
) -> Report:
    """Everything a report notebook needs: the area's clean data, the earlier waves, where
    tables go (:func:`pipelines.report.publish.area_report`), and the run's disclosure plan
    with each earlier wave's own (none for a locality's report or under ``none``: their
    reports had none either)."""
    report = area_report(
        consultation, region, disclosure, min_cell, tables_dir, csv_prefix, root, locality
    )
    if disclosure != "none" and not locality:
        report.plan = make_plan(consultation_name(consultation, root), disclosure, min_cell, root)
        report.earlier = tuple(
            replace(wave, plan=make_plan(wave.name, disclosure, min_cell, root))
            for wave in report.earlier
        )
    return report


# ---- the stored plan ----------------------------------------------------------------------


def plan_path(consultation: str, profile: str, min_cell: int, root: Path | None = None) -> Path:
    return clean_dir(consultation, root) / "disclosure" / f"{profile}-min{min_cell}.json"


@cache
def _code_digest() -> str:
    """The code that makes the tables (and the notebooks that show them), hashed once per
    process (every report of a worker opens the plan; the code does not change under it)."""
    digest = hashlib.sha256()
    code = Path(__file__).resolve().parents[1]
    for path in sorted([*code.rglob("*.py"), *NOTEBOOKS_DIR.glob("*.ipynb")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def fingerprint(consultation: str, earlier: Sequence[str], root: Path | None) -> str:
    """What the plan depends on: the clean data of this wave and of every ``earlier`` wave
    its reports read (the previous one's plan is carried into the wave comparison, and each
    earlier one's into the trend), the geography the reports list, and the code and
    notebooks that make the tables."""
    from pipelines.geography import reference_file
    from pipelines.paths import raw_dir

    digest = hashlib.sha256(f"plan {PLAN_VERSION} {_code_digest()}".encode())
    regions = reference_file("regions.csv", raw_dir(consultation, root), root)
    digest.update(regions.read_bytes() if regions.is_file() else b"-")
    for name in (consultation, *earlier):
        folder = clean_dir(name, root)
        for path in (folder / "validation.json", folder / aggregates.FOLDER / aggregates.ABOUT):
            digest.update(path.read_bytes() if path.is_file() else b"-")
    return digest.hexdigest()


def make_plan(consultation: str, profile: str, min_cell: int, root: Path | None = None) -> RunPlan:
    """The run's plan, from the stored one when it was made from the same clean data."""
    from pipelines.geography import load_regions
    from pipelines.paths import raw_dir
    from pipelines.waves import earlier_waves

    waves = earlier_waves(consultation, root)
    earlier = waves[-1] if waves else None
    key = fingerprint(consultation, waves, root)
    path = plan_path(consultation, profile, min_cell, root)
    stored = _read(path)
    if stored is not None and stored.fingerprint == key:
        return stored
    plan = RunPlan(profile, min_cell, key)
    if profile != "none":
        started = time.perf_counter()
        geography = load_regions(raw_dir(consultation, root), root)
        regions = geography["region"].unique(maintain_order=True).to_list()
        records = record_run(consultation, regions, profile, min_cell, root)
        prior = None
        if earlier is not None and clean_dir(earlier, root).is_dir():
            prior = make_plan(earlier, profile, min_cell, root)
        masks = protect_run(records, profile, min_cell, prior)
        for index, record in enumerate(records):
            names = row_keys(record.frame)
            rows = [n for n, h in zip(names, masks[index], strict=True) if h]
            if rows:
                plan.hidden.setdefault(record.area, {})[record.table_id] = rows
        log.info(
            "disclosure plan for %s (%s): %d tables of %d reports in %.1f s",
            consultation,
            profile,
            len(records),
            len(regions) + 1,
            time.perf_counter() - started,
        )
    write_text_atomic(path, plan.to_json())
    return plan


def _read(path: Path) -> RunPlan | None:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(stored, dict) or stored.get("version") != PLAN_VERSION:
        return None
    return RunPlan(
        stored["profile"], stored["min_cell"], stored["fingerprint"], stored.get("hidden", {})
    )
