"""The index page that links every report, and the manifest that records the run."""

from __future__ import annotations

import importlib.metadata
import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipelines.atomic import write_text_atomic
from pipelines.paths import clean_dir
from pipelines.report.export import TEMPLATES, page, sanitise
from pipelines.settings import Settings

if TYPE_CHECKING:
    from pipelines.report.runner import ReportOutcome

MANIFEST_PACKAGES = (
    "participation-workbook", "polars", "altair", "vl-convert-python", "great-expectations",
    "papermill", "nbconvert", "nh3", "pyarrow", "pandas",
)  # fmt: skip
DISCLOSURE_TEXT = {
    "restricted": "restricted — counts from 1 to {m} are shown as [c], with further cells hidden where a [c] could be worked out.",
    "public": "public — counts from 1 to 7 are shown as [c]; other counts are rounded to the nearest 5.",
    "none": "none — exact counts. Not for circulation.",
}


def write_index(
    target: Path,
    consultation: str,
    title: str,
    outcomes: list[ReportOutcome],
    settings: Settings,
    run_id: str,
    finished: datetime,
) -> Path:
    """index.html: a link to the overview and to every region's report, failures marked."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    reports = [
        {
            "name": o.region or "Overview: all regions side by side",
            "href": f"{o.slug}.html",
            "exists": (target / f"{o.slug}.html").exists(),
            "status": o.status,
            "seconds": o.seconds,
        }
        for o in sorted(outcomes, key=lambda o: (o.slug != "overview", o.region))
    ]
    body = env.get_template("index_body.html.j2").render(
        title=title,
        consultation=consultation,
        run_id=run_id,
        finished=f"{finished:%d %B %Y %H:%M} UTC",
        reports=reports,
        failed=[r for r in reports if r["status"] != "ok"],
        disclosure_text=DISCLOSURE_TEXT[settings.disclosure].format(m=settings.min_cell - 1),
    )
    banner = "Not for circulation: no disclosure control" if settings.disclosure == "none" else ""
    html = page(
        sanitise(body),
        title=f"{title} – reports",
        banner=banner,
        footer=f"{consultation} · run {run_id}",
    )
    path = target / "index.html"
    write_text_atomic(path, html)
    return path


def package_versions() -> dict[str, str]:
    versions = {}
    for name in MANIFEST_PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            continue
    return versions


def write_manifest(
    target: Path,
    consultation: str,
    root: Path | None,
    outcomes: list[ReportOutcome],
    settings: Settings,
    run_id: str,
    started: datetime,
    finished: datetime,
    regions: list[str],
) -> Path:
    """manifest.json: run id, times, inputs with sha256, versions, parameters, per-report status."""
    validation = json.loads(
        (clean_dir(consultation, root) / "validation.json").read_text(encoding="utf-8")
    )
    manifest = {
        "run_id": run_id,
        "consultation": consultation,
        "started": started.isoformat(timespec="seconds"),
        "finished": finished.isoformat(timespec="seconds"),
        "inputs": validation["inputs"],
        "validation": {
            "run_id": validation["run_id"],
            "success": validation["success"],
            "tables": validation["tables"],
            "failures_by_rule": validation["failures_by_rule"],
        },
        "packages": package_versions(),
        "parameters": {
            "disclosure": settings.disclosure,
            "min_cell": settings.min_cell,
            "jobs": settings.jobs,
            "regions": [r for r in regions if r],
        },
        "reports": [
            {
                "region": o.region or None,
                "file": f"{o.slug}.html",
                "executed": f"executed/{o.slug}.ipynb",
                "tables": f"{o.slug}/tables/",
                "status": o.status,
                "duration_seconds": round(o.seconds, 2),
                "error": o.error or None,
            }
            for o in outcomes
        ],
    }
    path = target / "manifest.json"
    write_text_atomic(path, json.dumps(manifest, indent=2) + "\n")
    return path
