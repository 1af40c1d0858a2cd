"""The standard response fields and their canonical codes, read from ``config/fields.yml``."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
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


#: A consultation's own categories (consultation.yml ``categories``): field -> code -> label.
Categories = Mapping[str, Mapping[str, str]]


def field_codes(name: str, categories: Categories | None = None) -> tuple[str, ...]:
    """A field's codes for one consultation: its own ``categories`` where it gives them
    (they replace the canonical set), else those of ``config/fields.yml``."""
    own = (categories or {}).get(name)
    return tuple(own) if own else field_specs()[name].codes


def allowed_codes(name: str, categories: Categories | None = None) -> tuple[str, ...]:
    """:func:`field_codes`, and ``prefer_not_to_say`` for a monitoring field (always allowed)."""
    extra = (PREFER_NOT_TO_SAY,) if field_specs()[name].monitoring else ()
    return (*field_codes(name, categories), *extra)


@dataclass(frozen=True)
class AgeBand:
    """An age band's code and the whole years it holds, ``low`` to ``high`` inclusive."""

    code: str
    low: int
    high: int


def age_limits() -> tuple[int, int]:
    """The youngest and oldest age a column of years may hold (``age`` in config/fields.yml)."""
    limits = _config()["age"]
    return int(limits["min"]), int(limits["max"])


def age_bands(codes: Sequence[str]) -> tuple[AgeBand, ...]:
    """Each age band code read as its bounds, so the bands are configured once, as codes:
    ``under_18`` is the youngest age to 17, ``18_24`` 18 to 24, ``85_plus`` 85 to the
    oldest. A code that names no ages (``prefer_not_to_say`` aside) is a ValueError."""
    youngest, oldest = age_limits()
    bands = []
    for code in codes:
        if code == PREFER_NOT_TO_SAY:
            continue
        if match := re.fullmatch(r"under_(\d+)", code):
            bands.append(AgeBand(code, youngest, int(match[1]) - 1))
        elif match := re.fullmatch(r"(\d+)_plus", code):
            bands.append(AgeBand(code, int(match[1]), oldest))
        elif match := re.fullmatch(r"(\d+)_(\d+)", code):
            bands.append(AgeBand(code, int(match[1]), int(match[2])))
        else:
            raise ValueError(
                f"the age band {code!r} does not say which ages it holds: write it as "
                "under_N, N_M or N_plus (e.g. under_18, 18_24, 85_plus)"
            )
    return tuple(bands)


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
