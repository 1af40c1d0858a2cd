"""The survey tools' export presets (``config/presets.yml``) and the pieces of
consultation.yml they fill: ``header`` naming, ``incomplete``. A foundation module, read by
:mod:`pipelines.consultation` (a preset's header rows are consultation.yml's defaults) and by
the ingest layer."""

from __future__ import annotations

import re
from functools import cache
from typing import Literal, get_args

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pipelines import yamlfile
from pipelines.errors import InputError
from pipelines.paths import CONFIG_DIR


def as_text(value: object) -> object:
    """Numbers as YAML reads them taken as text; YAML's yes/no (read as true/false) refused,
    so "No" is never stored as "False"."""
    if isinstance(value, dict):
        return {key: as_text(item) for key, item in value.items()}
    if isinstance(value, list):
        return [as_text(item) for item in value]
    if isinstance(value, bool):
        raise ValueError(
            f"YAML reads an unquoted yes/no/true/false as {value}: put the text in quotes"
        )
    if isinstance(value, int | float):
        return str(value)
    return value


class Incomplete(BaseModel):
    """Where the export marks a response unfinished: a column, and the values that mean so
    or ``blank: true`` (unfinished where the cell is blank: LimeSurvey's ``submitdate``)."""

    model_config = ConfigDict(extra="forbid")

    column: str = Field(min_length=1)
    values: list[str] = Field(default_factory=list)
    #: a blank cell (after ``missing``) marks the response unfinished
    blank: bool = False

    @field_validator("values", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        return as_text(value)

    @model_validator(mode="after")
    def _says_how(self) -> Incomplete:
        if not self.values and not self.blank:
            raise ValueError(
                "give `values` (the spellings that mean unfinished) or `blank: true` "
                "(unfinished where the cell is blank)"
            )
        return self


ExportTool = Literal[
    "surveymonkey", "qualtrics", "google_forms", "microsoft_forms", "limesurvey", "generic"
]
#: ``header:`` values: the first header row, the rows joined, or the Nth row (1-based).
HEADER_PATTERN = re.compile(r"^(?:first|joined|row ([1-9][0-9]*))$")
PRESETS_FILE = CONFIG_DIR / "presets.yml"


def header_row_of(header: str, header_rows: int) -> int | None:
    """The header row that names the columns (1-based), or None for ``joined``; a ``header``
    that is not ``first``, ``joined`` or ``row N`` (N at most ``header_rows``) is refused."""
    match = HEADER_PATTERN.match(header)
    if match is None:
        raise ValueError(
            f"`header: {header}` is not one of first, joined or row N (N a header row, 1-based)"
        )
    if header == "joined":
        return None
    row = int(match.group(1) or 1)
    if row > header_rows:
        raise ValueError(
            f"`header: {header}` names a header row the export does not have: "
            f"header_rows is {header_rows}"
        )
    return row


class Preset(BaseModel):
    """One survey tool's export shape (``config/presets.yml``): its header rows, how its
    columns are named, and its usual id, date and completion columns."""

    model_config = ConfigDict(extra="forbid")

    header_rows: int = Field(default=1, ge=1)
    header: str = "first"
    #: cells of the header rows below the first left out of a ``joined`` name
    drop_words: list[str] = Field(default_factory=list)
    #: a question without ``text`` takes its column's cell of this header row
    question_text_row: int | None = Field(default=None, ge=2)
    #: the usual columns, the first the export has (named as ``header`` names columns)
    response_id: list[str] = Field(default_factory=list)
    submitted_at: list[str] = Field(default_factory=list)
    incomplete: list[Incomplete] = Field(default_factory=list)
    #: the tool exports submitted responses only: no column marks one unfinished
    finished_only: bool = False

    @model_validator(mode="after")
    def _rows(self) -> Preset:
        header_row_of(self.header, self.header_rows)
        if (self.question_text_row or 0) > self.header_rows:
            raise ValueError("`question_text_row` is past the preset's header_rows")
        return self


@cache
def export_presets() -> dict[str, Preset]:
    """``config/presets.yml``: one preset per value of ``export:``, every one of them."""
    try:
        raw = yamlfile.safe_load(PRESETS_FILE.read_text(encoding="utf-8"))
        presets = {str(name): Preset.model_validate(body) for name, body in raw.items()}
    except (OSError, yaml.YAMLError, AttributeError, ValidationError) as error:
        raise InputError(f"{PRESETS_FILE} cannot be used: {error}") from error
    absent = sorted(set(get_args(ExportTool)) - set(presets))
    if absent:
        raise InputError(f"{PRESETS_FILE} has no preset for {', '.join(absent)}: restore it")
    return presets
