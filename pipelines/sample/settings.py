"""The generator's tunable settings, read from ``config/sample.yml``."""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml

from pipelines.paths import CONFIG_DIR

SETTINGS_FILE = CONFIG_DIR / "sample.yml"


@dataclass(frozen=True)
class SampleSettings:
    """Who answers the demo survey, and how; see ``config/sample.yml`` for each key."""

    groups: dict[str, float]
    channels: dict[str, float]
    channel_blank: float
    staff_channels: dict[str, float]
    region_reach: dict[str, float]
    locality_reach: dict[str, float]
    ethnic_reach: dict[str, float]
    imd_reach: dict[str, float]
    monitoring: dict[str, dict[str, float]]
    odd_case_rate: float
    free_text_blank: dict[str, float]
    comment_pool_size: int
    chunk_rows: int
    planted_per_rule: int


def load_settings(path: Path = SETTINGS_FILE) -> SampleSettings:
    """Read the generator settings; keys are as in ``config/sample.yml``."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return SampleSettings(
        groups={str(k): float(v) for k, v in raw["groups"].items()},
        channels={str(k): float(v) for k, v in raw["channels"].items()},
        channel_blank=float(raw["channel_blank"]),
        staff_channels={str(k): float(v) for k, v in raw["staff_channels"].items()},
        region_reach={str(k): float(v) for k, v in raw["region_reach"].items()},
        locality_reach={str(k): float(v) for k, v in raw["locality_reach"].items()},
        ethnic_reach={str(k): float(v) for k, v in raw["ethnic_reach"].items()},
        imd_reach={str(k): float(v) for k, v in raw["imd_reach"].items()},
        monitoring={
            str(f): {str(k): float(v) for k, v in rates.items()}
            for f, rates in raw["monitoring"].items()
        },
        odd_case_rate=float(raw["odd_case_rate"]),
        free_text_blank={str(k): float(v) for k, v in raw["free_text_blank"].items()},
        comment_pool_size=int(raw["comment_pool_size"]),
        chunk_rows=int(raw["chunk_rows"]),
        planted_per_rule=int(raw["planted_per_rule"]),
    )


def stream(seed: int, purpose: str) -> np.random.Generator:
    """A random stream for one purpose, so that e.g. events do not shift when N changes.

    The purpose is folded in with CRC-32 (stable across runs, unlike ``hash``).
    """
    return np.random.default_rng([seed, zlib.crc32(purpose.encode("utf-8"))])


def normalised(weights: dict[str, float]) -> tuple[list[str], np.ndarray]:
    """Keys in file order and their weights scaled to sum to 1."""
    keys = list(weights)
    values = np.array([weights[k] for k in keys], dtype=float)
    return keys, values / values.sum()
