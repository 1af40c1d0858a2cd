"""A consultation's ``consultation.yml``: its metadata, column mapping and questions."""

from __future__ import annotations

from datetime import date
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from pipelines import yamlfile
from pipelines.errors import InputError
from pipelines.fields import REQUIRED_FIELDS, STANDARD_FIELDS, default_groups

QuestionType = Literal["single", "multi", "likert", "number", "free_text"]
CODED_TYPES: tuple[str, ...] = ("single", "multi", "likert")


class Question(BaseModel):
    """One question of the questionnaire and where its answers are in the export."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    text: str = ""
    type: QuestionType
    column: str | None = None
    columns: dict[str, str] | None = None
    options: list[str] | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    scale: list[str] | None = None
    delimiter: str = ";"

    @model_validator(mode="after")
    def _check_shape(self) -> Question:
        if (self.column is None) == (self.columns is None):
            raise ValueError("give exactly one of `column` or `columns`")
        if self.columns is not None and self.type != "multi":
            raise ValueError("`columns` (one column per option) is only for `multi` questions")
        if self.type == "likert" and not self.scale:
            raise ValueError("a likert question needs a `scale` (its answer labels in order)")
        if self.type in ("single", "multi") and not (self.options or self.columns):
            raise ValueError(f"a {self.type} question needs `options`")
        return self

    @property
    def option_codes(self) -> list[str]:
        """The canonical option codes, in the questionnaire's order."""
        if self.type == "likert":
            return [likert_code(label) for label in self.scale or []]
        if self.options:
            return list(self.options)
        return list((self.columns or {}).keys())

    def option_label(self, code: str) -> str:
        if self.type == "likert":
            return dict(zip(self.option_codes, self.scale or [], strict=True)).get(code, code)
        return self.labels.get(code, code.replace("_", " ").capitalize())

    @property
    def title(self) -> str:
        return self.text or self.id


def likert_code(label: str) -> str:
    """A Likert scale label as a code: "Strongly agree" -> ``strongly_agree``."""
    return "_".join(label.replace("-", " ").split()).casefold()


class Consultation(BaseModel):
    """The parsed ``consultation.yml`` of one consultation folder."""

    model_config = ConfigDict(extra="forbid")

    id: str = ""
    title: str
    owner: str = ""
    opened: date
    closed: date
    source: str = "responses.csv"
    sheet: str | int | None = None
    header_rows: int = Field(default=1, ge=1)
    series: str | None = None
    grace_days: int | None = Field(default=None, ge=0)
    columns: dict[str, str]
    groups: dict[str, str] = Field(default_factory=default_groups)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    questions: list[Question] = Field(default_factory=list)

    @field_validator("source")
    @classmethod
    def _source_is_a_file_name(cls, source: str) -> str:
        """``source`` names a file in the consultation's own folder: no folder part, so the
        file read is one whose changes the report's staleness check sees."""
        windows = PureWindowsPath(source)
        if (
            source.strip() in ("", ".", "..")
            or PurePosixPath(source).name != source
            or windows.name != source
            or windows.drive
        ):
            raise ValueError(
                f"must be the name of a file in the consultation's folder, such as "
                f"responses.csv, not a path ({source!r})"
            )
        return source

    @model_validator(mode="after")
    def _check(self) -> Consultation:
        missing = [name for name in REQUIRED_FIELDS if name not in self.columns]
        if missing:
            raise ValueError(f"`columns` must name the export's header for {', '.join(missing)}")
        unknown = [name for name in self.columns if name not in STANDARD_FIELDS]
        if unknown:
            raise ValueError(
                f"`columns` has unknown standard field(s) {', '.join(unknown)}; "
                f"the standard fields are {', '.join(STANDARD_FIELDS)}"
            )
        if self.closed < self.opened:
            raise ValueError("`closed` is before `opened`")
        ids = [q.id for q in self.questions]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"question id(s) used twice: {', '.join(duplicated)}")
        return self

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


def load_consultation(folder: Path) -> Consultation:
    """Read and check ``<folder>/consultation.yml``; an unusable file raises InputError."""
    path = folder / "consultation.yml"
    if not folder.is_dir():
        raise InputError(f"No consultation folder at {folder}: create it with a consultation.yml")
    if not path.is_file():
        raise InputError(f"{path} is missing: every consultation folder needs one")
    size = path.stat().st_size
    if size > yamlfile.MAX_YAML_BYTES:
        raise InputError(
            f"{path} is {size:,} bytes, over the {yamlfile.MAX_YAML_BYTES:,} a consultation.yml "
            "may have: it should hold the mapping and questions only"
        )
    try:
        raw = yamlfile.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError, RecursionError) as error:
        raise InputError(f"{path} is not valid YAML: {error}") from error
    if not isinstance(raw, dict):
        raise InputError(f"{path} must be a YAML mapping of keys such as title, columns, questions")
    raw.setdefault("id", folder.name)
    try:
        consultation = Consultation.model_validate(raw)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in error.errors()
        )
        raise InputError(f"{path} is invalid: {problems}") from error
    source_path(folder, consultation)
    return consultation


def source_path(folder: Path, consultation: Consultation) -> Path:
    """The export ``source`` names, checked to be in ``folder`` once links are followed: a
    link to a file elsewhere would be read, and hashed, without its changes being seen."""
    path = folder / consultation.source
    if not path.resolve().is_relative_to(folder.resolve()):
        raise InputError(
            f"{folder / 'consultation.yml'} is invalid: source: {consultation.source} is a link "
            f"to a file outside the consultation's folder ({folder}); copy the export into the "
            "folder instead"
        )
    return path
