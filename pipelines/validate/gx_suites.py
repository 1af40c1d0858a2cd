"""Run the versioned Great Expectations suites in ``expectations/`` over polars frames.

GX 1.x reads pandas, not polars, so each frame is converted at this one boundary, holding only
the columns the suite checks: codes, dates, formats and *hashed* identifiers. Free text and
identifiers never reach GX, and the stored results are stripped of every unexpected value
before they are saved or rendered, so Data Docs cannot leak a respondent's words.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from pipelines.ingest.read import ROW
from pipelines.paths import EXPECTATIONS_DIR

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

SUITES: tuple[str, ...] = (
    "responses",
    "answers",
    "events",
    "attendance",
    "coding",
    "coding_reviewed",
    "actions",
)
_VALUE_KEYS = (
    "partial_unexpected_list",
    "partial_unexpected_counts",
    "partial_unexpected_index_list",
    "unexpected_list",
    "unexpected_index_list",
    "unexpected_index_query",
)


@dataclass(frozen=True)
class RuleResult:
    """One expectation's outcome: its rule, the field it guards and the failing source rows."""

    suite: str
    rule: str
    field: str
    message: str
    column: str
    rows: tuple[int, ...]
    #: ``response``: a failing row is set aside whole; ``field``: only this field is left
    #: blank and the row kept (an optional field's answer, ``meta.scope`` in the suite)
    scope: str = "response"

    @property
    def success(self) -> bool:
        return not self.rows

    @property
    def blanks_field(self) -> bool:
        """Whether a failure costs only this field (left blank), not the whole row."""
        return self.scope == FIELD_SCOPE


#: ``meta.scope`` of a rule whose failure leaves its field blank and keeps the row.
FIELD_SCOPE = "field"


def applicable(name: str, expectations: list[dict[str, Any]], columns: list[str]) -> list[dict]:
    """The expectations whose column ``columns`` holds. A rule marked ``meta.when_mapped``
    (the response id, the submission date, the completion mark: a consultation may not map
    them) is left out when its column is absent; any other absent column is a bug."""
    kept = []
    for expectation in expectations:
        column = expectation["kwargs"]["column"]
        if column in columns:
            kept.append(expectation)
        elif not expectation["meta"].get("when_mapped", False):
            raise RuntimeError(f"suite {name}: column {column!r} is not in the checked frame")
    return kept


def load_suite_definition(name: str) -> dict[str, Any]:
    """The suite's JSON as committed in ``expectations/<name>.json``."""
    return json.loads((EXPECTATIONS_DIR / f"{name}.json").read_text(encoding="utf-8"))


def suite_parameter_names(name: str) -> set[str]:
    """Every ``$PARAMETER`` a suite needs at run time."""
    names = set()
    for expectation in load_suite_definition(name)["expectations"]:
        for value in expectation["kwargs"].values():
            if isinstance(value, dict) and "$PARAMETER" in value:
                names.add(value["$PARAMETER"])
    return names


#: GX copies a rule's value set element by element many times per run (10,000 values cost
#: it 6.5 s), so a set still larger than this after narrowing it to the values present is
#: checked by the same rule in polars instead (in practice: coding's response_known).
VALUE_SET_LIMIT = 1000
#: Columns with more distinct values than this get a GX batch of their own, so that short
#: columns are not padded out to a long one's length.
SHARED_BATCH_LIMIT = 50_000
#: The date-times that fit pandas' nanosecond timestamps.
NS_FIRST = datetime(1678, 1, 1)
NS_LAST = datetime(2261, 12, 31)
ROW_LEVEL_TYPES = frozenset({"expect_column_values_to_be_unique"})
#: Rules whose verdict on a value is only whether it is given.
NULLNESS_TYPES = frozenset({"expect_column_values_to_not_be_null"})


@dataclass(frozen=True)
class Batch:
    """What one GX call sees: some of a suite's expectations and the data they need.

    A row batch holds every row (``__row`` is the source row); a value batch holds each
    column's distinct values, cycled to a common length (``__row`` is the position).
    """

    name: str
    expectations: tuple[int, ...]
    frame: pl.DataFrame
    parameters: dict[str, Any]
    distinct: dict[str, pl.Series] = field(default_factory=dict)

    def source_rows(
        self, frame: pl.DataFrame, column: str, positions: list[int]
    ) -> tuple[int, ...]:
        """The source rows behind the failing positions of ``column`` in this batch."""
        if not positions:
            return ()
        if column not in self.distinct:
            return tuple(sorted(set(positions)))
        values = self.distinct[column]
        failing = values.gather(sorted({p % values.len() for p in positions})).to_frame()
        failing = failing.cast({column: frame.schema[column]})
        rows = frame.join(failing, on=column, how="semi", nulls_equal=True)[ROW]
        return tuple(sorted(rows.to_list()))


@dataclass(frozen=True)
class BatchPlan:
    """A suite split into GX batches, plus expectations evaluated in polars."""

    batches: tuple[Batch, ...]
    in_polars: tuple[int, ...]


def value_set_name(expectation: dict[str, Any]) -> str | None:
    """The ``$PARAMETER`` holding an expectation's value set, if it has one."""
    value_set = expectation["kwargs"].get("value_set")
    return value_set.get("$PARAMETER") if isinstance(value_set, dict) else None


def allowed_present(allowed: Any, present: pl.Series) -> pl.Series:
    """The allowed values that occur in ``present``: the same verdict on every present value."""
    allowed_series = pl.Series(allowed) if not isinstance(allowed, pl.Series) else allowed
    if allowed_series.len() == 0:
        return allowed_series
    kept = allowed_series.cast(present.dtype, strict=False)
    return allowed_series.filter(kept.is_in(present.drop_nulls().implode()))


def nullness(values: pl.Series) -> pl.Series:
    """One non-null value of ``values`` and a null, as far as it has them: all a rule that
    judges only whether a value is given (``expect_column_values_to_not_be_null``) needs
    to see to reach every value's verdict."""
    given = values.drop_nulls().head(1)
    return given.extend(pl.Series([None], dtype=values.dtype)) if values.has_nulls() else given


def rows_outside_set(
    frame: pl.DataFrame, expectation: dict[str, Any], parameters: dict[str, Any]
) -> tuple[int, ...]:
    """``expect_column_values_to_be_in_set`` in polars: rows whose non-null value is outside."""
    column = expectation["kwargs"]["column"]
    allowed = parameters[value_set_name(expectation) or ""]
    allowed_series = allowed if isinstance(allowed, pl.Series) else pl.Series(allowed)
    allowed_series = allowed_series.cast(frame.schema[column], strict=False)
    outside = frame.filter(
        pl.col(column).is_not_null() & ~pl.col(column).is_in(allowed_series.implode())
    )
    return tuple(sorted(outside[ROW].to_list()))


def plan_batches(
    expectations: list[dict[str, Any]], frame: pl.DataFrame, parameters: dict[str, Any]
) -> BatchPlan:
    """Which expectations run over every row, over distinct values, or in polars.

    A column whose rules in GX only ask whether a value is given is shown :func:`nullness`
    (two values), not its distinct values (coding's ten million response keys, whose
    ``response_known`` is judged in polars)."""
    row_columns = {e["kwargs"]["column"] for e in expectations if e["type"] in ROW_LEVEL_TYPES}
    distinct = {
        c: _as_text(frame[c].unique())
        for c in dict.fromkeys(e["kwargs"]["column"] for e in expectations)
        if c not in row_columns
    }
    narrowed: dict[str, list[Any]] = {}
    in_polars: list[int] = []
    in_gx: list[int] = []
    for index, expectation in enumerate(expectations):
        column = expectation["kwargs"]["column"]
        name = value_set_name(expectation)
        if name is not None:
            present = distinct.get(column, frame[column])
            values = allowed_present(parameters[name], present)
            if values.len() > VALUE_SET_LIMIT or column in row_columns:
                in_polars.append(index)  # never made a list: ten million keys, say
                continue
            narrowed[name] = [*narrowed.get(name, []), *values.to_list()]
        in_gx.append(index)
    for column in set(distinct) - {
        expectations[i]["kwargs"]["column"]
        for i in in_gx
        if expectations[i]["type"] not in NULLNESS_TYPES
    }:
        distinct[column] = nullness(distinct[column])
    by_batch: dict[str, list[int]] = {}
    for index in in_gx:
        column = expectations[index]["kwargs"]["column"]
        if column in row_columns:
            batch = "rows"
        elif distinct[column].len() > SHARED_BATCH_LIMIT:
            batch = f"values-{column}"
        else:
            batch = "values"
        by_batch.setdefault(batch, []).append(index)
    batches = tuple(
        _batch(name, indices, expectations, frame, distinct, _parameters(parameters, narrowed))
        for name, indices in by_batch.items()
    )
    return BatchPlan(batches=batches, in_polars=tuple(in_polars))


def _as_text(values: pl.Series) -> pl.Series:
    """Categorical values as plain text: GX sees strings, whatever the frame's encoding."""
    return values.cast(pl.String) if values.dtype == pl.Categorical else values


def _parameters(parameters: dict[str, Any], narrowed: dict[str, list[Any]]) -> dict[str, Any]:
    """Suite parameters with value sets narrowed to the values present; others as given."""
    plain = {k: v for k, v in parameters.items() if not isinstance(v, pl.Series)}
    return {**plain, **{k: sorted(set(v), key=str) for k, v in narrowed.items()}}


def _batch(
    name: str,
    indices: list[int],
    expectations: list[dict[str, Any]],
    frame: pl.DataFrame,
    distinct: dict[str, pl.Series],
    parameters: dict[str, Any],
) -> Batch:
    columns = list(dict.fromkeys(expectations[i]["kwargs"]["column"] for i in indices))
    if name == "rows":
        # dense ranks keep equality and nulls exactly, and survive pandas' float64 for nulls
        data = frame.select(ROW, *(pl.col(c).rank("dense") for c in columns))
        return Batch(name, tuple(indices), data, parameters)
    values = {c: distinct[c] for c in columns}
    length = max((v.len() for v in values.values()), default=0)
    cycle = np.arange(length)
    data = pl.DataFrame(
        [pl.Series(ROW, cycle, dtype=pl.Int64)]
        + [v.gather(cycle % v.len()).alias(c) for c, v in values.items()]
    )
    return Batch(name, tuple(indices), data, parameters, values)


class SuiteRunner:
    """A Great Expectations file context in ``workdir`` that runs suites and builds Data Docs.

    GX sees as little data as each rule needs: a rule that judges one value at a time (not
    null, in a set, between, matching a pattern) runs over the column's *distinct* values,
    and the failing values are mapped back to their rows in polars; only uniqueness needs
    every row. So 60 million answers cost GX a few dozen values.
    """

    def __init__(self, workdir: Path, run_name: str) -> None:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self.run_name = run_name
        self.context = gx.get_context(mode="file", project_root_dir=str(workdir))
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.context.variables.analytics_enabled = False
        self.context.variables.save()
        # one asset and one batch definition for every batch: each one added saves the
        # project's configuration as YAML again (about 20 ms, twice a batch)
        self._source = self.context.data_sources.add_pandas("workbook")
        asset = self._source.add_dataframe_asset("checked")
        self._batches = asset.add_batch_definition_whole_dataframe("checked")

    def run(self, name: str, frame: pl.DataFrame, parameters: dict[str, Any]) -> list[RuleResult]:
        """Validate ``frame`` (which must hold ``__row``) against suite ``name``.

        Results come in the suite's order, each with the source rows that break it.
        """
        expectations = applicable(name, load_suite_definition(name)["expectations"], frame.columns)
        plan = plan_batches(expectations, frame, parameters)
        found: dict[int, tuple[int, ...]] = {}
        for batch in plan.batches:
            found.update(self._run_batch(name, expectations, batch, frame))
        for index in plan.in_polars:
            found[index] = rows_outside_set(frame, expectations[index], parameters)
        return [
            RuleResult(
                suite=name,
                rule=e["meta"]["rule"],
                field=e["meta"]["field"],
                message=e["meta"]["message"],
                column=e["kwargs"]["column"],
                rows=found[i],
                scope=e["meta"].get("scope", "response"),
            )
            for i, e in enumerate(expectations)
        ]

    def _run_batch(
        self, name: str, expectations: list[dict[str, Any]], batch: Batch, frame: pl.DataFrame
    ) -> dict[int, tuple[int, ...]]:
        """Run one batch's expectations in GX; failing source rows by expectation index."""
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        definition = load_suite_definition(name)
        suite_name = f"{name}.{batch.name}"
        chosen = [expectations[i] for i in batch.expectations]
        suite = self._gx.ExpectationSuite(name=suite_name, expectations=chosen)
        suite.meta.update(definition.get("meta", {}))
        gx_batch = self._batches.get_batch(
            batch_parameters={"dataframe": in_nanoseconds(batch.frame).to_pandas()}
        )
        result = gx_batch.validate(
            suite,
            expectation_parameters=batch.parameters,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [ROW],
                "return_unexpected_index_query": False,
            },
        )
        # Data Docs list each result under the asset named in it: the suite's batch, not
        # the one asset every batch goes through
        result.meta["active_batch_definition"]["data_asset_name"] = suite_name
        index_of = {_identity(expectations[i]): i for i in batch.expectations}
        found: dict[int, tuple[int, ...]] = {}
        for item in result.results:
            index = index_of[
                (item.expectation_config.type, item.expectation_config.kwargs["column"])
            ]
            if item.exception_info and item.exception_info.get("raised_exception"):
                raise RuntimeError(f"suite {name}: {item.exception_info.get('exception_message')}")
            positions = [int(r[ROW]) for r in item.result.get("unexpected_index_list") or []]
            column = item.expectation_config.kwargs["column"]
            found[index] = batch.source_rows(frame, column, positions)
            for key in _VALUE_KEYS:
                item.result.pop(key, None)
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite_name),
            run_id=RunIdentifier(run_name=self.run_name),
            batch_identifier=suite_name,
        )
        self.context.validation_results_store.set(key, result)
        self._forget_batch_data()
        return found

    def _forget_batch_data(self) -> None:
        """Drop the data GX keeps of every batch it validated (a 10-million-row uniqueness
        batch included) once its results are stored: Data Docs are built from the results."""
        manager = self._source.get_execution_engine().batch_manager
        manager.batch_data_cache.clear()
        manager.reset_batch_cache()

    def build_data_docs(self, target: Path) -> Path:
        """Render Data Docs for this run's (value-free) results into ``target``."""
        self.context.build_data_docs()
        site = Path(self.context.root_directory) / "uncommitted" / "data_docs" / "local_site"
        shutil.copytree(site, target)
        return target / "index.html"


def in_nanoseconds(frame: pl.DataFrame) -> pl.DataFrame:
    """Date-times as nanoseconds where they fit: GX compares ``datetime64[ns]`` columns in
    one vectorised step but other units value by value (13 s for a million dates)."""
    fits = [
        name
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Datetime)
        and dtype.time_unit != "ns"
        and frame[name].drop_nulls().is_between(NS_FIRST, NS_LAST).all()
    ]
    return frame.with_columns(pl.col(fits).dt.cast_time_unit("ns")) if fits else frame


def _identity(expectation: dict[str, Any]) -> tuple[str, str]:
    """An expectation's type and column: unique within a suite."""
    return expectation["type"], expectation["kwargs"]["column"]
