"""The order a run starts its reports in: the overview, then regions from the busiest to the
quietest, so no worker is left with a long report while the others are idle at the end."""

from __future__ import annotations

from pathlib import Path

from pipelines.paths import clean_dir
from pipelines.report.outcomes import OVERVIEW, ReportTask
from pipelines.store.layout import stored_region_rows


def region_sizes(consultation: str, root: Path | None = None) -> dict[str, int]:
    """Valid responses per region, from the clean responses file's region slices (no rows
    read); empty where the file does not say (then every region counts the same)."""
    responses = clean_dir(consultation, root) / "responses.parquet"
    if not responses.is_file():
        return {}
    slices = stored_region_rows(responses) or {}
    return {region: rows for region, (_first, rows) in slices.items()}


def longest_first(tasks: list[ReportTask], sizes: dict[str, int]) -> list[ReportTask]:
    """The order to start the reports in: the overview (every region's data) first, then
    regions from the most responses to the fewest, so no worker is left with a long report
    while the others are idle at the end of the run. Ties keep the tasks' order."""

    def weight(task: ReportTask) -> float:
        return float("inf") if task.slug == OVERVIEW else sizes.get(task.region, 0)

    return sorted(tasks, key=weight, reverse=True)
