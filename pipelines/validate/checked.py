"""What the suites decided, table by table: the frames to clean and the rows set aside."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from pipelines.ingest.read import ROW
from pipelines.validate.gx_suites import RuleResult


@dataclass(frozen=True)
class Checked:
    """One table after its suite ran: its standard frame (a field whose answer failed a
    field-level rule left blank) and its quarantine records."""

    frame: pl.DataFrame
    quarantine: pl.DataFrame
    results: list[RuleResult]

    @property
    def failed_rows(self) -> pl.Series:
        """The source rows set aside whole (a failure of a row-level rule), each once; a
        field-level failure (:attr:`RuleResult.blanks_field`) keeps its row."""
        rows = [row for r in self.results if not r.blanks_field for row in r.rows]
        return pl.Series("row_number", rows, dtype=pl.Int64).unique()

    def fields_blanked(self) -> dict[str, int]:
        """Field -> the rows kept with that field left blank (each row once per field), for
        the rows not set aside whole; fields with none left out."""
        set_aside = set(self.failed_rows.to_list())
        blanked: dict[str, set[int]] = {}
        for result in self.results:
            if result.blanks_field and result.rows:
                kept = set(result.rows) - set_aside
                if kept:
                    blanked.setdefault(result.field, set()).update(kept)
        return {field: len(rows) for field, rows in sorted(blanked.items())}

    def passed(self) -> pl.DataFrame:
        """The frame's rows that nothing quarantined (by their source row, ``__row``)."""
        return self.frame.filter(~pl.col(ROW).is_in(self.failed_rows.implode()))


@dataclass(frozen=True)
class CheckedAnswers:
    """The answers suite's outcome: which answers and numbers are kept, and quarantine.

    ``answers`` holds every coded answer as written (``__row, question_id, raw_value``:
    lazy, perhaps read back from disk);
    ``kept_codes`` the (question, cell) pairs whose answers are kept, with their option;
    ``numbers`` the number answers kept.
    """

    answers: pl.LazyFrame
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
    #: the comments as standardised (lazy: perhaps read back from disk)
    comments: pl.LazyFrame
    #: where the lazy tables are kept on disk (each read costs a pass over their parts),
    #: and the writer may put a table's regions before joining them; None: held
    scratch: Path | None = None
    optional: dict[str, Checked] = field(default_factory=dict)

    @property
    def on_disk(self) -> bool:
        return self.scratch is not None

    def suite_results(self) -> dict[str, list[RuleResult]]:
        """Each suite's results (responses, answers, then the optional tables given)."""
        return {
            "responses": self.responses.results,
            "answers": self.answers.results,
            **{name: table.results for name, table in self.optional.items()},
        }
