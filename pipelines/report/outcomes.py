"""The vocabulary of a report run: a report to make, how it went, and the run's result.

The runner makes the tasks, the workers turn each into an outcome, and the index and
manifest list the outcomes; all of them import these names from here, none from another.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

#: The slug of the page that sets every region side by side.
OVERVIEW = "overview"


@dataclass(frozen=True)
class ReportTask:
    """One notebook to run: a region's report, or the overview (region empty)."""

    consultation: str
    region: str
    slug: str
    disclosure: str
    min_cell: int
    run_id: str
    staging: str
    root: str
    warm: bool = True
    #: the consultation's title (the browser's title bar), read once per run
    consultation_title: str = ""

    @property
    def title(self) -> str:
        return self.region or "Overview: all regions"


@dataclass(frozen=True)
class ReportOutcome:
    """How one report went: "ok" or "failed", how long it took, and the error if any."""

    slug: str
    region: str
    status: str  # "ok" or "failed"
    seconds: float
    error: str = ""
    #: The disclosure profile and min_cell the report's page was made under, and the run that
    #: made it (for a failed report: those of the earlier page still there, if any). Empty
    #: where not recorded (a manifest of an earlier version).
    disclosure: str = ""
    min_cell: int | None = None
    made_in: str = ""


@dataclass(frozen=True)
class RunResult:
    """The index page written, and every report's outcome in the order asked for."""

    index: Path
    outcomes: list[ReportOutcome]

    @property
    def failed(self) -> list[ReportOutcome]:
        return [o for o in self.outcomes if o.status != "ok"]


def page_still_there(outcome: ReportOutcome, earlier: list[ReportOutcome]) -> ReportOutcome:
    """A failed report leaves the earlier page in place: it is that page's profile that the
    index and manifest must show."""
    if outcome.status == "ok":
        return outcome
    before = next((o for o in earlier if o.slug == outcome.slug), None)
    if before is None:
        return outcome
    return replace(
        outcome, disclosure=before.disclosure, min_cell=before.min_cell, made_in=before.made_in
    )


def with_earlier(
    earlier: list[ReportOutcome], outcomes: list[ReportOutcome]
) -> list[ReportOutcome]:
    """This run's outcomes plus the reports an earlier run left (for a --region run), so the
    index still links every report that exists."""
    done = {o.slug for o in outcomes}
    return [o for o in earlier if o.slug not in done] + outcomes


@dataclass(frozen=True)
class ReportDone:
    """One report finished, as the person running the command is told it: the ``done``-th
    of ``total``, and where its executed notebook (with the error, if any) is kept."""

    done: int
    total: int
    title: str
    outcome: ReportOutcome
    executed: Path

    def line(self) -> str:
        """``[3/10] London ok 1.2 s``, or ``[4/10] London FAILED after 3.0 s: <error>; see
        <executed notebook>``: one line, whatever the error holds."""
        head = f"[{self.done}/{self.total}] {self.title}"
        if self.outcome.status == "ok":
            return f"{head} ok {self.outcome.seconds:.1f} s"
        error = one_line(self.outcome.error)
        return f"{head} FAILED after {self.outcome.seconds:.1f} s: {error}; see {self.executed}"


def one_line(text: str, limit: int = 200) -> str:
    """An error's first line with text, cut to ``limit`` characters (a log keeps one line
    per report)."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    first = lines[-1] if lines and lines[0].startswith("Traceback") else (lines or [""])[0]
    return first if len(first) <= limit else first[: limit - 1] + "…"


class RunInterrupted(KeyboardInterrupt):
    """The run was stopped (Ctrl-C, SIGINT) while reports were running: which reports were
    published, which were not, and why finished ones were held back (empty: they were kept).
    """

    def __init__(
        self, consultation: str, published: list[str], not_published: list[str], held_back: str
    ) -> None:
        super().__init__(consultation)
        self.consultation = consultation
        self.published = published
        self.not_published = not_published
        self.held_back = held_back

    def line(self) -> str:
        """What the interrupted run left, in one line."""
        total = len(self.published) + len(self.not_published)
        if self.held_back:
            return (
                f"interrupted: nothing published ({self.held_back}); the reports already "
                f"there are as they were. Run `workbook report {self.consultation}` again."
            )
        if not self.published:
            return (
                f"interrupted before any of the {total} reports finished: nothing published; "
                "the reports already there are as they were."
            )
        left = ", ".join(self.not_published) or "none"
        return (
            f"interrupted: published {len(self.published)} of {total} reports "
            f"({', '.join(self.published)}) and the index; not published: {left} "
            "(their pages from the last run, if any, stay as they were)."
        )
