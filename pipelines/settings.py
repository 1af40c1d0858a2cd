"""One settings object, read from ``config/workbook.yml`` and overridden per run."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, replace
from typing import Any, Literal

from pipelines import yamlfile
from pipelines.paths import CONFIG_DIR

Disclosure = Literal["restricted", "public", "none"]
DISCLOSURE_PROFILES: tuple[str, ...] = ("restricted", "public", "none")

log = logging.getLogger(__name__)


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

    def with_overrides(self, **overrides: Any) -> Settings:
        """A copy with every non-``None`` override applied."""
        return replace(self, **{k: v for k, v in overrides.items() if v is not None})

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def load_settings(path: str | None = None) -> Settings:
    """Read the workbook's settings file (``config/workbook.yml`` by default)."""
    file = CONFIG_DIR / "workbook.yml" if path is None else path
    with open(file, encoding="utf-8") as handle:
        values = yamlfile.safe_load(handle) or {}
    settings = Settings(**values)
    if settings.disclosure not in DISCLOSURE_PROFILES:
        raise ValueError(f"{file}: disclosure must be one of {DISCLOSURE_PROFILES}")
    return settings
