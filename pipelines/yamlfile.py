"""YAML reading through libyaml's C loader where it is installed (several times faster than
the pure-Python one; a report reads five files), the same safe subset either way."""

from __future__ import annotations

from typing import IO, Any

import yaml

SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

#: The largest YAML file of a consultation read (consultation.yml): real ones are a few
#: kilobytes, one with hundreds of questions and value mappings well under this.
MAX_YAML_BYTES = 1 << 20


def safe_load(source: str | IO[str]) -> Any:
    """``yaml.safe_load`` with the C loader when available."""
    return yaml.load(source, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)
