"""A consultation's ``consultation.yml``: its metadata, column mapping and questions."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any, Literal

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
from pipelines.export_presets import (
    ExportTool,
    Incomplete,
    Preset,
    as_text,
    export_presets,
    header_row_of,
)
from pipelines.fields import (
    AGE_FIELD,
    MONITORING_FIELDS,
    REQUIRED_FIELDS,
    STANDARD_FIELDS,
    default_groups,
    field_codes,
)

QuestionType = Literal["single", "multi", "likert", "number", "free_text", "grid", "ranking"]
#: Question types whose answers are option codes (``values`` may map their raw answers).
CODED_TYPES: tuple[str, ...] = ("single", "multi", "likert", "grid")
#: Question types with one column per option (``columns``).
PER_OPTION_TYPES: tuple[str, ...] = ("multi", "ranking")


class Question(BaseModel):
    """One question of the questionnaire and where its answers are in the export."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    text: str = ""
    type: QuestionType
    column: str | None = None
    columns: dict[str, str] | None = None
    #: a grid's rows: item code -> the export's header of that item's column
    items: dict[str, str] | None = None
    options: list[str] | None = None
    labels: dict[str, str] = Field(default_factory=dict)
    scale: list[str] | None = None
    delimiter: str = ";"
    #: per-option columns: the spellings that mean "chosen" (default: any non-empty cell
    #: that is not a `missing` or not-chosen spelling)
    chosen: list[str] | None = None
    #: the export's header of the "please specify" answers (comments ``<id>_other``)
    other_text: str | None = None

    @model_validator(mode="after")
    def _check_shape(self) -> Question:
        if self.type == "grid":
            if self.items is None or self.column is not None or self.columns is not None:
                raise ValueError(
                    "a grid question names one column per item under `items` "
                    "(item code -> header), and no `column` or `columns`"
                )
            if not self.items:
                raise ValueError("a grid question needs at least one item under `items`")
        elif self.items is not None:
            raise ValueError("`items` (one column per row of a grid) is only for `grid` questions")
        elif (self.column is None) == (self.columns is None):
            raise ValueError("give exactly one of `column` or `columns`")
        if self.columns is not None and self.type not in PER_OPTION_TYPES:
            raise ValueError(
                "`columns` (one column per option) is only for `multi` and `ranking` questions"
            )
        if self.type == "ranking" and not self.columns:
            raise ValueError(
                "a ranking question names one column per option under `columns` "
                "(option code -> header), each cell a rank (1 = first)"
            )
        if self.type in ("likert", "grid") and not self.scale:
            raise ValueError(f"a {self.type} question needs a `scale` (its answer labels in order)")
        if self.type in ("single", "multi") and not (self.options or self.columns):
            raise ValueError(f"a {self.type} question needs `options`")
        if self.chosen is not None and self.columns is None:
            raise ValueError("`chosen` is for a multi question with one column per option")
        if self.other_text is not None and self.type not in ("single", "multi"):
            raise ValueError("`other_text` is for a single or multi question")
        return self

    @property
    def option_codes(self) -> list[str]:
        """The canonical option codes, in the questionnaire's order (a grid's: its scale)."""
        if self.type in ("likert", "grid"):
            return [likert_code(label) for label in self.scale or []]
        if self.options:
            return list(self.options)
        return list((self.columns or {}).keys())

    def option_label(self, code: str) -> str:
        if self.type in ("likert", "grid"):
            return dict(zip(self.option_codes, self.scale or [], strict=True)).get(code, code)
        return self.labels.get(code, _humanised(code))

    @property
    def item_codes(self) -> list[str]:
        """A grid's item codes, in the questionnaire's order (empty for other types)."""
        return list((self.items or {}).keys())

    def item_label(self, code: str) -> str:
        """A grid item's label: ``labels``, else its code made readable."""
        return self.labels.get(code, _humanised(code))

    @property
    def title(self) -> str:
        return self.text or self.id


def _humanised(code: str) -> str:
    return code.replace("_", " ").capitalize()


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
    #: the survey tool that wrote the export (``config/presets.yml``)
    export: ExportTool = "generic"
    #: rows above the data (default: the preset's)
    header_rows: int = Field(default=1, ge=1)
    #: how columns are named: first | joined | row N (default: the preset's)
    header: str = "first"
    series: str | None = None
    grace_days: int | None = Field(default=None, ge=0)
    columns: dict[str, str]
    groups: dict[str, str] = Field(default_factory=default_groups)
    values: dict[str, dict[str, str]] = Field(default_factory=dict)
    questions: list[Question] = Field(default_factory=list)
    #: a standard field with one value for every response (field -> raw value)
    constants: dict[str, str] = Field(default_factory=dict)
    #: answers that mean "not answered", in every field and question
    missing: list[str] = Field(default_factory=list)
    #: rows the survey tool marks unfinished: set aside whole (rule ``incomplete``)
    incomplete: Incomplete | None = None
    #: this consultation's own categories for a monitoring field: field -> code -> label
    categories: dict[str, dict[str, str]] = Field(default_factory=dict)
    #: strptime pattern(s) ``submitted_at`` is read with (and only those); default: ISO
    #: 8601, ``dd/mm/yyyy[ hh:mm[:ss]]`` and Excel serials
    date_format: list[str] | None = None
    #: false: the export records no submission dates (LimeSurvey's anonymised surveys write
    #: 1980-01-01 00:00:00 for every response): no column is read as ``submitted_at``
    dates_recorded: bool = True
    #: publication details the report shows its readers (data contract, "Publication
    #: details"): the date at the top of every page (default: the run date), who to contact,
    #: why we asked, what happens next
    published: date | None = None
    contact: str = ""
    purpose: str = ""
    next_steps: str = ""
    #: who the consultation was for: other age bands are left out of the age comparison
    population_ages: list[str] | None = None

    @model_validator(mode="before")
    @classmethod
    def _preset_defaults(cls, data: Any) -> Any:
        """``header_rows`` and ``header`` default to the ``export`` preset's; given, they win."""
        if not isinstance(data, dict):
            return data
        export = data.get("export", "generic")
        preset = export_presets().get(export) if isinstance(export, str) else None
        if preset is None:
            return data  # an unknown tool is refused by the field's own check
        return {"header_rows": preset.header_rows, "header": preset.header, **data}

    @field_validator("constants", "missing", "categories", "population_ages", mode="before")
    @classmethod
    def _scalarsas_text(cls, value: object) -> object:
        """Numbers as YAML reads them (``imd_quintile: 3``) taken as text; YAML's yes/no
        (read as true/false) refused, so "No" is never stored as "False"."""
        return as_text(value)

    @field_validator("date_format", mode="before")
    @classmethod
    def _one_or_more(cls, value: object) -> object:
        return [value] if isinstance(value, str) else value

    @field_validator("missing", "date_format")
    @classmethod
    def _no_blank_text(cls, values: list[str] | None) -> list[str] | None:
        if values is not None and any(not v.strip() for v in values):
            raise ValueError("must be a list of non-empty texts")
        return values

    @field_validator("date_format")
    @classmethod
    def _patterns(cls, patterns: list[str] | None) -> list[str] | None:
        if patterns is not None and not patterns:
            raise ValueError("give a strptime pattern, or a list of them")
        for pattern in patterns or []:
            if "%" not in pattern:
                raise ValueError(
                    f"{pattern!r} is not a strptime pattern: write one such as "
                    '"%d/%m/%Y %H:%M:%S" or "%m/%d/%Y %I:%M:%S %p"'
                )
        return patterns

    @model_validator(mode="after")
    def _dates_mapped_only_where_recorded(self) -> Consultation:
        if not self.dates_recorded and ("submitted_at" in self.columns or self.date_format):
            raise ValueError(
                "dates_recorded: false says the export has no submission dates: remove "
                "columns.submitted_at and date_format, or remove dates_recorded"
            )
        return self

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
        _check_fields(self)
        header_row_of(self.header, self.header_rows)
        if self.closed < self.opened:
            raise ValueError("`closed` is before `opened`")
        ids = [q.id for q in self.questions]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"question id(s) used twice: {', '.join(duplicated)}")
        unknown = [key for key in self.values if key not in self.value_keys]
        if unknown:
            raise ValueError(
                f"`values` has unknown key(s) {', '.join(unknown)}: a key is a standard field "
                f"or a coded question's id; the valid keys are {', '.join(self.value_keys)}"
            )
        bands = field_codes("age_band", self.categories)
        # YAML reads an unquoted 18_24 as the number 1824: take it back as its band
        squeezed = {band.replace("_", ""): band for band in bands}
        if self.population_ages is not None:
            self.population_ages = [squeezed.get(code, code) for code in self.population_ages]
        odd = [code for code in self.population_ages or [] if code not in bands]
        if odd:
            raise ValueError(
                f"`population_ages` has {', '.join(odd)}, not age bands of this consultation; "
                f"the bands are {', '.join(bands)}"
            )
        return self

    @property
    def value_keys(self) -> tuple[str, ...]:
        """What ``values`` may map: the coded standard fields and the coded questions."""
        fields = tuple(f for f in STANDARD_FIELDS if f not in UNCODED_FIELDS)
        return (*fields, *(q.id for q in self.questions if q.type in CODED_TYPES))

    @property
    def preset(self) -> Preset:
        """The ``export`` tool's preset (``config/presets.yml``)."""
        return export_presets()[self.export]

    @property
    def header_row(self) -> int | None:
        """The header row naming the columns (1-based), or None when rows are ``joined``."""
        return header_row_of(self.header, self.header_rows)

    def grace(self, default_days: int) -> timedelta:
        """How far a submission may fall outside ``opened``-``closed``: this consultation's
        ``grace_days``, else ``default_days`` (config/settings.yml's)."""
        return timedelta(days=self.grace_days if self.grace_days is not None else default_days)

    def question(self, question_id: str) -> Question:
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)


#: Standard fields taken as written (an id, a date): ``values`` cannot map them.
UNCODED_FIELDS: tuple[str, ...] = ("response_id", "submitted_at")
#: Standard fields that cannot be one value for every response.
NO_CONSTANT_FIELDS: tuple[str, ...] = ("response_id", "submitted_at")
#: What ``columns`` may name: the standard fields, and ``age`` (years, banded into age_band).
INPUT_FIELDS: tuple[str, ...] = (*STANDARD_FIELDS, AGE_FIELD)
#: The required fields every consultation gives, as a column or a constant. The others
#: (``response_id``, ``submitted_at``) are optional: without an id a response is its row
#: number; without a date no window is checked. Mapped, they are required in every row.
GIVEN_FIELDS: tuple[str, ...] = tuple(f for f in REQUIRED_FIELDS if f not in NO_CONSTANT_FIELDS)


def _check_fields(consultation: Consultation) -> None:
    """``columns`` and ``constants`` name standard fields, never the same one twice, and
    together give every required field."""
    valid = ", ".join(INPUT_FIELDS)
    columns, constants = consultation.columns, consultation.constants
    for key, names in (("columns", columns), ("constants", constants)):
        unknown = [name for name in names if name not in INPUT_FIELDS]
        if unknown:
            raise ValueError(
                f"`{key}` has unknown standard field(s) {', '.join(unknown)}; "
                f"the standard fields are {valid}"
            )
    unknown = [name for name in consultation.categories if name not in MONITORING_FIELDS]
    if unknown:
        raise ValueError(
            f"`categories` has unknown field(s) {', '.join(unknown)}: categories are for the "
            f"monitoring fields, {', '.join(MONITORING_FIELDS)}"
        )
    empty = [name for name, codes in consultation.categories.items() if not codes]
    if empty:
        raise ValueError(f"`categories` gives {', '.join(empty)} no categories")
    if AGE_FIELD in constants:
        raise ValueError(
            "`constants` cannot give age: map its column under `columns`, or give age_band"
        )
    if AGE_FIELD in columns and "age_band" in {*columns, *constants}:
        raise ValueError("give `age` (years, banded into age_band) or `age_band`, not both")
    fixed = [name for name in constants if name in NO_CONSTANT_FIELDS]
    if fixed:
        raise ValueError(
            f"`constants` cannot give {', '.join(fixed)}: every response has its own; "
            "name its column under `columns`"
        )
    blank = [name for name, value in constants.items() if not value.strip()]
    if blank:
        raise ValueError(f"`constants` gives {', '.join(blank)} an empty value")
    both = [name for name in constants if name in columns]
    if both:
        raise ValueError(
            f"{', '.join(both)} is given both under `columns` and under `constants`: "
            "keep one of the two"
        )
    missing = [name for name in GIVEN_FIELDS if name not in columns and name not in constants]
    if missing:
        raise ValueError(
            f"{', '.join(missing)} must be given, under `columns` (the export's header) or "
            "under `constants` (one value for every response)"
        )


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
