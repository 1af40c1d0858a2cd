"""The index page that links every report, and the manifest that records the run (and tells
the next run which pages an earlier one left)."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipelines.atomic import write_text_atomic
from pipelines.paths import clean_dir
from pipelines.report.export import (
    TEMPLATES,
    disclosure_summary,
    disclosure_text,
    page,
    sanitise,
)
from pipelines.report.outcomes import OVERVIEW, ReportOutcome
from pipelines.report.provenance import package_versions
from pipelines.settings import Settings

NOT_FOR_CIRCULATION = "Not for circulation: no disclosure control"


def write_index(
    target: Path,
    consultation: str,
    title: str,
    outcomes: list[ReportOutcome],
    settings: Settings,
    run_id: str,
    finished: datetime,
) -> Path:
    """index.html: a link to the overview and to every region's report, failures marked,
    each with the disclosure control its page was made under.

    Pages made under different profiles (or min_cells), as after a ``--region`` run with
    another profile, are listed, each with its own, under a notice at the top that says so;
    where any listed page is exact (``none``) the index carries the not-for-circulation
    banner too.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    ordered = sorted(outcomes, key=lambda o: (o.slug != OVERVIEW, o.region))
    reports = [
        {
            "name": o.region or "Overview: all regions side by side",
            "href": f"{o.slug}.html",
            "exists": (target / f"{o.slug}.html").exists(),
            "status": o.status,
            "seconds": o.seconds,
            "disclosure": disclosure_summary(o.disclosure, o.min_cell),
        }
        for o in ordered
    ]
    profiles = page_profiles(target, outcomes)
    shared = (
        next(iter(profiles)) if len(profiles) == 1 else (settings.disclosure, settings.min_cell)
    )
    body = env.get_template("reports_index.html.j2").render(
        title=title,
        consultation=consultation,
        run_id=run_id,
        finished=f"{finished:%d %B %Y %H:%M} UTC",
        reports=reports,
        failed=[r for r in reports if r["status"] != "ok"],
        mixed=len(profiles) > 1,
        any_none=any(p == "none" for p, _ in profiles),
        disclosure_text=disclosure_text(*shared),
    )
    exact = any(p == "none" for p, _ in profiles) or (
        settings.disclosure == "none" and not profiles
    )
    banner = NOT_FOR_CIRCULATION if exact else ""
    html = page(
        sanitise(body),
        title=f"{title} – reports",
        banner=banner,
        footer=f"{consultation} · run {run_id}",
    )
    path = target / "index.html"
    write_text_atomic(path, html)
    return path


def page_profiles(target: Path, outcomes: list[ReportOutcome]) -> set[tuple[str, int | None]]:
    """The (profile, min_cell) pairs of the pages the index links (those that exist);
    min_cell counts only for restricted (the others do not use it)."""
    return {
        (o.disclosure, o.min_cell if o.disclosure == "restricted" else None)
        for o in outcomes
        if (target / f"{o.slug}.html").exists()
    }


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
                # the page's own disclosure control (a --region run keeps the other pages)
                "disclosure": o.disclosure or None,
                "min_cell": o.min_cell,
                "made_in": o.made_in or None,
            }
            for o in outcomes
        ],
        "mixed_disclosure": len(page_profiles(target, outcomes)) > 1,
    }
    path = target / "manifest.json"
    write_text_atomic(path, json.dumps(manifest, indent=2) + "\n")
    return path


def earlier_reports(target: Path) -> list[ReportOutcome]:
    """The reports the last manifest lists, each with the profile its page was made under
    (empty where that manifest, of an earlier version, did not record it)."""
    manifest = target / "manifest.json"
    if not manifest.is_file():
        return []
    return [
        ReportOutcome(
            slug=r["file"].removesuffix(".html"),
            region=r["region"] or "",
            status=r["status"],
            seconds=r["duration_seconds"],
            error=r.get("error") or "",
            disclosure=r.get("disclosure") or "",
            min_cell=r.get("min_cell"),
            made_in=r.get("made_in") or "",
        )
        for r in json.loads(manifest.read_text(encoding="utf-8"))["reports"]
    ]
