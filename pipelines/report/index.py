"""The index page that readers land on, and the manifest that records the run (and tells
the next run which pages an earlier one left)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from pipelines.atomic import write_text_atomic
from pipelines.consultation import Consultation
from pipelines.paths import clean_dir
from pipelines.report.export import (
    TEMPLATES,
    disclosure_summary,
    disclosure_text,
    page,
    sanitise,
)
from pipelines.report.html import govuk_date
from pipelines.report.outcomes import OVERVIEW, ReportOutcome
from pipelines.report.provenance import package_versions
from pipelines.report.reader_pages import (
    ABOUT_PAGE,
    easy_read_name,
    publication_date,
    reader_banner,
)
from pipelines.settings import Settings


@dataclass(frozen=True)
class Publication:
    """What the index tells readers about the consultation (consultation.yml's publication
    details): its title, why it was run, when the reports were published, who to contact."""

    title: str
    published: str
    purpose: str = ""
    contact: str = ""


def publication(meta: Consultation, finished: datetime) -> Publication:
    return Publication(meta.title, publication_date(meta, finished), meta.purpose, meta.contact)


def reader_entries(target: Path, outcomes: list[ReportOutcome], mixed: bool) -> list[dict]:
    """Every report as readers see it: the overview first, then the regions; a report that
    failed in this run (or has no page) is "not available" and links nowhere, not even to
    the page an earlier run left; ``stale`` says when such a page is still there, out of
    date (the page says so too: :func:`~pipelines.report.promote.mark_stale`)."""
    ordered = sorted(outcomes, key=lambda o: (o.slug != OVERVIEW, o.region))
    entries = []
    for o in ordered:
        available = o.status == "ok" and (target / f"{o.slug}.html").exists()
        easy = easy_read_name(o.slug)
        entries.append(
            {
                "name": o.region or "Overview: all regions side by side",
                "short": o.region or "the overview",
                "href": f"{o.slug}.html" if available else "",
                "easy_read": easy if available and (target / easy).exists() else "",
                "disclosure": disclosure_summary(o.disclosure, o.min_cell) if mixed else "",
                "stale": STALE_ENTRY if is_stale(target, o) else "",
            }
        )
    return entries


#: What the index says of a report whose earlier page is still there but out of date.
STALE_ENTRY = "could not be made again in this run; its earlier page is out of date"


def is_stale(target: Path, outcome: ReportOutcome) -> bool:
    """A report that failed in this run while an earlier run's page of it is still there."""
    return outcome.status != "ok" and (target / f"{outcome.slug}.html").is_file()


def write_index(
    target: Path,
    consultation: str,
    title: str,
    outcomes: list[ReportOutcome],
    settings: Settings,
    run_id: str,
    finished: datetime,
    details: Publication | None = None,
) -> Path:
    """index.html, the readers' landing page: the consultation's title, purpose, publication
    date and contact, a link to the overview and to every region's report with its Easy
    Read version, and to "About these statistics". How the run went (failures, timings) is
    in manifest.json and the log, not here: a failed report is "not available".

    Pages made under different profiles (or min_cells), as after a ``--region`` run with
    another profile, are listed, each with its own, under a notice at the top that says so.
    The banner: not for circulation where any listed page is exact (``none``), not for
    publication where any is restricted.
    """
    env = Environment(
        loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    details = details or Publication(title, govuk_date(finished.date()))
    profiles = page_profiles(target, outcomes)
    shared = (
        next(iter(profiles)) if len(profiles) == 1 else (settings.disclosure, settings.min_cell)
    )
    mixed = len(profiles) > 1
    body = env.get_template("reports_index.html.j2").render(
        details=details,
        consultation=consultation,
        reports=reader_entries(target, outcomes, mixed),
        mixed=mixed,
        any_none=any(p == "none" for p, _ in profiles),
        disclosure_text=disclosure_text(*shared),
        about=ABOUT_PAGE if (target / ABOUT_PAGE).exists() else "",
    )
    shown = {p for p, _ in profiles} or {settings.disclosure}
    html = page(
        sanitise(body),
        title=f"{details.title} – reports",
        banner=reader_banner(shown),
        footer=f"Participation reports for {consultation} · published {details.published}",
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
    interrupted: bool = False,
) -> Path:
    """manifest.json: run id, times, inputs with sha256, versions, parameters, per-report
    status (``stale``: the page there is an earlier run's, out of date), and whether the run
    was interrupted (then only the reports it finished were made again)."""
    validation = json.loads(
        (clean_dir(consultation, root) / "validation.json").read_text(encoding="utf-8")
    )
    manifest = {
        "run_id": run_id,
        "consultation": consultation,
        "interrupted": interrupted,
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
                "stale": is_stale(target, o),
                "duration_seconds": round(o.seconds, 2),
                "error": o.error or None,
                # the page's own disclosure control (a --region run keeps the other pages)
                "disclosure": o.disclosure or None,
                "min_cell": o.min_cell,
                "made_in": o.made_in or None,
                # the reader pages written beside it in this run (none for a failed report)
                "easy_read": _page_of(target, o, easy_read_name(o.slug)),
                "pdf": _page_of(target, o, f"{o.slug}.pdf"),
            }
            for o in outcomes
        ],
        "about": ABOUT_PAGE if (target / ABOUT_PAGE).exists() else None,
        "mixed_disclosure": len(page_profiles(target, outcomes)) > 1,
    }
    path = target / "manifest.json"
    write_text_atomic(path, json.dumps(manifest, indent=2) + "\n")
    return path


def _page_of(target: Path, outcome: ReportOutcome, name: str) -> str | None:
    """A reader page of a report that is available (None for a failed report's old one)."""
    return name if outcome.status == "ok" and (target / name).exists() else None


def earlier_validation(target: Path) -> str | None:
    """The validation run (of the clean data) that the last manifest's reports were made
    from; None where there is no manifest."""
    manifest = target / "manifest.json"
    if not manifest.is_file():
        return None
    recorded = json.loads(manifest.read_text(encoding="utf-8")).get("validation") or {}
    return recorded.get("run_id")


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
