"""The standard response fields and their canonical codes, read from ``config/fields.yml``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from pipelines import yamlfile
from pipelines.paths import CONFIG_DIR

PREFER_NOT_TO_SAY = "prefer_not_to_say"
MONITORING_FIELDS: tuple[str, ...] = (
    "age_band",
    "sex",
    "ethnic_group",
    "disability",
    "imd_quintile",
)
STANDARD_FIELDS: tuple[str, ...] = (
    "response_id",
    "submitted_at",
    "region",
    "locality",
    "group",
    "channel",
    *MONITORING_FIELDS,
    "consent_to_quote",
    "volunteer",
)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    required: bool
    monitoring: bool = False
    codes: tuple[str, ...] = ()
    labels: dict[str, str] = field(default_factory=dict)


def normalise(text: str) -> str:
    """The key used to match headers and answers: case- and space-insensitive.

    Underscores count as spaces, so the code ``prefer_not_to_say`` matches the label
    "Prefer not to say"; spaces around a hyphen or dash are ignored ("75 - 84" = "75-84").
    """
    text = re.sub(r"[\s_]+", " ", text).strip().lower()
    return re.sub(r" ?[-–] ?", "-", text)


@cache
def _config() -> dict:
    with open(CONFIG_DIR / "fields.yml", encoding="utf-8") as handle:
        return yamlfile.safe_load(handle)


@cache
def field_specs() -> dict[str, FieldSpec]:
    """Every standard field's spec, keyed by field name."""
    config = _config()
    specs = {}
    for name in STANDARD_FIELDS:
        entry = config[name]
        specs[name] = FieldSpec(
            name=name,
            required=bool(entry.get("required", False)),
            monitoring=bool(entry.get("monitoring", False)),
            codes=tuple(str(code) for code in entry.get("codes", ())),
            labels={str(k): str(v) for k, v in (entry.get("labels") or {}).items()},
        )
    return specs


def prefer_not_to_say_labels() -> tuple[str, ...]:
    return tuple(_config()["prefer_not_to_say"]["labels"])


def default_groups() -> dict[str, str]:
    return dict(_config()["default_groups"])


#: The fields every export must have, as ``config/fields.yml`` marks them (``required: true``).
REQUIRED_FIELDS: tuple[str, ...] = tuple(
    name for name, spec in field_specs().items() if spec.required
)
#: A column of years (``columns: {age: ...}``), banded into ``age_band``'s categories.
AGE_FIELD = "age"
