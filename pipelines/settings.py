"""One settings object, read from ``config/workbook.yml`` and overridden per run."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from pipelines import yamlfile
from pipelines.errors import InputError
from pipelines.paths import CONFIG_DIR

Disclosure = Literal["restricted", "public", "none"]
DISCLOSURE_PROFILES: tuple[str, ...] = ("restricted", "public", "none")
#: The smallest ``min_cell`` a suppressing profile (restricted, public) accepts: below it a
#: count of 1 or 2 would be published exactly while the page says small counts are hidden.
MIN_CELL_FLOOR = 3

SETTINGS_FILE = CONFIG_DIR / "workbook.yml"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class InputLimits:
    """Size caps on raw inputs: past any of them a file is refused (exit 2) before it is
    parsed further. Each field is the ``config/workbook.yml`` key of the same name."""

    #: Characters in one cell of any raw CSV or worksheet.
    max_cell_chars: int = 1_000_000
    #: Bytes of one raw file (a CSV export, an .xlsx workbook, an optional table).
    max_file_bytes: int = 2 << 30
    #: Bytes an .xlsx workbook holds once unzipped (all its parts together).
    max_xlsx_unzipped_bytes: int = 1 << 30
    #: Unzipped size over zipped size of any one part of an .xlsx larger than
    #: ``XLSX_RATIO_GRACE_BYTES`` unzipped.
    max_xlsx_ratio: int = 100
    #: Parts (zip members) of an .xlsx workbook.
    max_xlsx_parts: int = 10_000


LIMIT_KEYS: tuple[str, ...] = tuple(f.name for f in fields(InputLimits))


@dataclass(frozen=True)
class Settings:
    disclosure: Disclosure = "restricted"
    min_cell: int = 10
    grace_days: int = 7
    quotes_per_theme: int = 3
    jobs: int = 0
    #: A Dask distributed scheduler (``tcp://host:8786``) to run reports on; None: local processes.
    scheduler: str | None = None
    #: Reuse one warm kernel per worker between reports (false: a new kernel per report).
    warm_kernels: bool = True
    max_cell_chars: int = InputLimits.max_cell_chars
    max_file_bytes: int = InputLimits.max_file_bytes
    max_xlsx_unzipped_bytes: int = InputLimits.max_xlsx_unzipped_bytes
    max_xlsx_ratio: int = InputLimits.max_xlsx_ratio
    max_xlsx_parts: int = InputLimits.max_xlsx_parts

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with every non-``None`` override applied; a disclosure profile and
        ``min_cell`` that do not go together raise :class:`InputError` (see
        :func:`check_disclosure`)."""
        settings = replace(self, **{k: v for k, v in overrides.items() if v is not None})
        check_disclosure(settings.disclosure, settings.min_cell)
        return settings

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def limits(self) -> InputLimits:
        return InputLimits(**{key: getattr(self, key) for key in LIMIT_KEYS})


def check_disclosure(disclosure: str, min_cell: int, source: str = "") -> None:
    """Refuse a disclosure profile that does not exist, and a ``min_cell`` under
    :data:`MIN_CELL_FLOOR` for a profile that suppresses small counts (any but ``none``).

    ``source`` names where the values came from (a file, ``--min-cell``), for the message.
    """
    where = f"{source}: " if source else ""
    if disclosure not in DISCLOSURE_PROFILES:
        raise InputError(
            f"{where}disclosure must be one of {', '.join(DISCLOSURE_PROFILES)}, not {disclosure!r}"
        )
    if not isinstance(min_cell, int) or isinstance(min_cell, bool):
        raise InputError(f"{where}min_cell must be a whole number, not {min_cell!r}")
    if disclosure != "none" and min_cell < MIN_CELL_FLOOR:
        raise InputError(
            f"{where}min_cell {min_cell} is too small for the {disclosure} profile: counts of "
            f"1 to {MIN_CELL_FLOOR - 1} would be published exactly. Use a min_cell of "
            f"{MIN_CELL_FLOOR} or more, or the 'none' profile for exact counts"
        )


def _check_limits(settings: Settings, source: str) -> None:
    for key in LIMIT_KEYS:
        value = getattr(settings, key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise InputError(f"{source}: {key} must be a whole number of 1 or more, not {value!r}")


def load_settings(path: str | Path | None = None) -> Settings:
    """Read the workbook's settings file (``config/workbook.yml`` by default)."""
    file = SETTINGS_FILE if path is None else path
    with open(file, encoding="utf-8") as handle:
        values = yamlfile.safe_load(handle) or {}
    known = {f.name for f in fields(Settings)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise InputError(f"{file}: unknown setting(s) {', '.join(unknown)}")
    settings = Settings(**values)
    check_disclosure(settings.disclosure, settings.min_cell, str(file))
    _check_limits(settings, str(file))
    return settings


@lru_cache(maxsize=4)
def _limits_of(path: str, mtime_ns: int) -> InputLimits:
    return load_settings(path).limits


def input_limits() -> InputLimits:
    """The input size caps of ``config/workbook.yml`` (read again only when it changes): what
    the readers use when not handed limits of their own."""
    return _limits_of(str(SETTINGS_FILE), SETTINGS_FILE.stat().st_mtime_ns)
