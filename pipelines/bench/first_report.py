"""When the first region report reaches the disk during a run (#22: within 5 s of the command).

A thread polls the consultation's reports folder while ``run_reports`` runs, without any hook
in the runner: a region page counts when it is written in the run's staging folder
(``reports/<consultation>/.staging-*/<region>.html``, finished but not yet published) and
when it is published (``reports/<consultation>/<region>.html``, new or replaced since the
watch began). Seconds are from the watch's ``started``: the stage takes the start of its own
process (:func:`process_age`), as ``workbook report`` is timed from the command.
"""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

#: How often the folder is looked at: a few directory listings a second cost nothing.
POLL_SECONDS = 0.05
STAGING_PREFIX = ".staging-"


def process_age() -> float:
    """Seconds since this process started (Linux: ``/proc/self/stat``'s start time against
    ``/proc/uptime``, to a hundredth of a second); 0 where the system does not say."""
    try:
        stat = Path("/proc/self/stat").read_text(encoding="utf-8")
        start_ticks = int(stat.rpartition(")")[2].split()[19])  # field 22: starttime
        uptime = float(Path("/proc/uptime").read_text(encoding="utf-8").split()[0])
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError):
        return 0.0


def _mtimes(folder: Path, pages: frozenset[str]) -> dict[str, int]:
    """The region pages in ``folder`` now, with their modification times (ns)."""
    found: dict[str, int] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.name in pages:
                    found[entry.name] = entry.stat().st_mtime_ns
    except FileNotFoundError:
        pass
    return found


def staged_page(folder: Path, pages: frozenset[str]) -> bool:
    """Whether a region page is in any staging folder of ``folder``."""
    try:
        with os.scandir(folder) as entries:
            staging = [e.path for e in entries if e.name.startswith(STAGING_PREFIX) and e.is_dir()]
    except FileNotFoundError:
        return False
    return any(_mtimes(Path(path), pages) for path in staging)


class FirstReportWatch:
    """Polls ``folder`` (a consultation's reports folder) for the first region page (one of
    ``pages``, ``<slug>.html``) staged and published; use as a context manager."""

    def __init__(self, folder: Path, pages: frozenset[str], started: float) -> None:
        self.folder = folder
        self.pages = pages
        self.started = started
        self.staged: float | None = None
        self.published: float | None = None
        self._before = _mtimes(folder, pages)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="first-report", daemon=True)

    def _published_now(self) -> bool:
        now = _mtimes(self.folder, self.pages)
        return any(self._before.get(name) != mtime for name, mtime in now.items())

    def look(self) -> None:
        """One look at the folder: note the time of a first staged or published page."""
        if self.published is None and self._published_now():
            self.published = time.perf_counter() - self.started
        if self.staged is None and staged_page(self.folder, self.pages):
            self.staged = time.perf_counter() - self.started
        if self.published is not None and self.staged is None:
            self.staged = self.published  # promoted before a look caught it staged

    def _poll(self) -> None:
        while not self._stop.is_set() and (self.staged is None or self.published is None):
            self.look()
            self._stop.wait(POLL_SECONDS)

    def __enter__(self) -> FirstReportWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.look()  # a page published in the last moments of the run

    def figures(self) -> dict[str, float]:
        """``first_report_seconds`` (the first region page on disk, staged or published) and
        ``first_published_seconds`` (the first in place for readers), where seen."""
        seen = {"first_report_seconds": self.staged, "first_published_seconds": self.published}
        return {name: seconds for name, seconds in seen.items() if seconds is not None}
