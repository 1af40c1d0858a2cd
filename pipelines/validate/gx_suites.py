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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.ingest.read import ROW
from pipelines.paths import EXPECTATIONS_DIR

os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")

SUITES: tuple[str, ...] = ("responses", "answers", "events", "attendance", "coding", "actions")
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

    @property
    def success(self) -> bool:
        return not self.rows


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


class SuiteRunner:
    """A Great Expectations file context in ``workdir`` that runs suites and builds Data Docs."""

    def __init__(self, workdir: Path, run_name: str) -> None:
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self.run_name = run_name
        self.context = gx.get_context(mode="file", project_root_dir=str(workdir))
        self.context.variables.progress_bars = ProgressBarsConfig(globally=False)
        self.context.variables.analytics_enabled = False
        self.context.variables.save()
        self._source = self.context.data_sources.add_pandas("workbook")

    def run(self, name: str, frame: pl.DataFrame, parameters: dict[str, Any]) -> list[RuleResult]:
        """Validate ``frame`` (which must hold ``__row``) against suite ``name``."""
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
            ValidationResultIdentifier,
        )

        definition = load_suite_definition(name)
        suite = self._gx.ExpectationSuite(name=name, expectations=definition["expectations"])
        suite.meta.update(definition.get("meta", {}))
        asset = self._source.add_dataframe_asset(name)
        batch = asset.add_batch_definition_whole_dataframe(name).get_batch(
            batch_parameters={"dataframe": frame.to_pandas()}
        )
        result = batch.validate(
            suite,
            expectation_parameters=parameters,
            result_format={
                "result_format": "COMPLETE",
                "unexpected_index_column_names": [ROW],
                "return_unexpected_index_query": False,
            },
        )
        outcomes = []
        for item in result.results:
            meta = item.expectation_config.meta
            if item.exception_info and item.exception_info.get("raised_exception"):
                raise RuntimeError(f"suite {name}: {item.exception_info.get('exception_message')}")
            rows = tuple(
                sorted(int(r[ROW]) for r in item.result.get("unexpected_index_list") or [])
            )
            outcomes.append(
                RuleResult(
                    suite=name,
                    rule=meta["rule"],
                    field=meta["field"],
                    message=meta["message"],
                    column=item.expectation_config.kwargs["column"],
                    rows=rows,
                )
            )
            for key in _VALUE_KEYS:
                item.result.pop(key, None)
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=name),
            run_id=RunIdentifier(run_name=self.run_name),
            batch_identifier=name,
        )
        self.context.validation_results_store.set(key, result)
        return outcomes

    def build_data_docs(self, target: Path) -> Path:
        """Render Data Docs for this run's (value-free) results into ``target``."""
        self.context.build_data_docs()
        site = Path(self.context.root_directory) / "uncommitted" / "data_docs" / "local_site"
        shutil.copytree(site, target)
        return target / "index.html"
