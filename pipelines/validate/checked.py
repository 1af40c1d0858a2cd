"""What the suites decided, table by table: the frames to clean and the rows set aside."""

from __future__ import annotations

from dataclasses import dataclass, field

import polars as pl

from pipelines.ingest.read import ROW
from pipelines.validate.gx_suites import RuleResult


@dataclass(frozen=True)
class Checked:
    """One table after its suite ran: its standard frame and its quarantine records."""

    frame: pl.DataFrame
    quarantine: pl.DataFrame
    results: list[RuleResult]

    @property
    def failed_rows(self) -> pl.Series:
        """The source rows with at least one quarantine record, each once."""
        return self.quarantine["row_number"].unique()

    def passed(self) -> pl.DataFrame:
        """The frame's rows that nothing quarantined (by their source row, ``__row``)."""
        return self.frame.filter(~pl.col(ROW).is_in(self.failed_rows.implode()))


@dataclass(frozen=True)
class CheckedAnswers:
    """The answers suite's outcome: which answers and numbers are kept, and quarantine.

    ``answers`` holds every coded answer as written (``__row, question_id, raw_value``);
    ``kept_codes`` the (question, cell) pairs whose answers are kept, with their option;
    ``numbers`` the number answers kept.
    """

    answers: pl.DataFrame
    kept_codes: pl.DataFrame
    numbers: pl.DataFrame
    quarantine: pl.DataFrame
    results: list[RuleResult]
    items_read: int
    items_quarantined: int


@dataclass
class CheckedTables:
    """Every checked table of a run, handed over to the clean-table writer.

    The writer (:func:`pipelines.validate.clean_tables.write_tables`) clears each table's
    frames once its output is written, so that one table at a time is held beside the
    others' compact standard frames, not every output at once.
    """

    responses: Checked
    answers: CheckedAnswers
    comments: pl.DataFrame
    optional: dict[str, Checked] = field(default_factory=dict)

    def suite_results(self) -> dict[str, list[RuleResult]]:
        """Each suite's results (responses, answers, then the optional tables given)."""
        return {
            "responses": self.responses.results,
            "answers": self.answers.results,
            **{name: table.results for name, table in self.optional.items()},
        }
