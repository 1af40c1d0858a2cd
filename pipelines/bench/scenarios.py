"""Scenarios and targets of ``workbook bench``: what is measured, and the bound each figure
is judged by (``config/benchmark.yml``, and :data:`DEFAULT_TARGETS` where it sets none)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from pipelines.errors import InputError
from pipelines.paths import CONFIG_DIR

#: The prefix of a theme-suggestion scenario: ``suggest:<comments>``.
SUGGEST = "suggest:"


@dataclass(frozen=True)
class Scenario:
    """A synthetic consultation: how many responses, over how many regions; or, for
    ``suggest``, how many comments learnt from (and as many suggested for)."""

    responses: int
    regions: int
    suggest: bool = False

    @classmethod
    def parse(cls, text: str) -> Scenario:
        if text.lower().startswith(SUGGEST):
            count = text[len(SUGGEST) :]
            if not count.isdigit() or int(count) < 100:
                raise InputError(
                    f"a suggestion scenario is suggest:<comments>, at least 100, e.g. "
                    f"suggest:10000, not {text!r}"
                )
            return cls(int(count), 1, suggest=True)
        try:
            responses, regions = (int(part) for part in text.lower().split("x"))
        except ValueError:
            raise InputError(
                f"a scenario is <responses>x<regions>, e.g. 100000x9, not {text!r}"
            ) from None
        if responses < 1 or regions < 1:
            raise InputError(f"a scenario needs at least 1 response and 1 region: {text!r}")
        return cls(responses, regions)

    @property
    def name(self) -> str:
        return f"{SUGGEST}{self.responses}" if self.suggest else f"{self.responses}x{self.regions}"

    @property
    def consultation(self) -> str:
        if self.suggest:
            return f"bench-suggest-{self.responses}"
        return f"bench-{self.responses}-{self.regions}"


@dataclass(frozen=True)
class Target:
    """A figure's bound, for scenarios of exactly ``responses`` (and ``regions``) where set."""

    figure: str
    responses: int | None = None
    at_most: float | None = None
    at_least: float | None = None
    regions: int | None = None

    def applies(self, scenario: Scenario) -> bool:
        return (self.responses is None or self.responses == scenario.responses) and (
            self.regions is None or self.regions == scenario.regions
        )

    def met(self, value: float) -> bool:
        if self.at_most is not None:
            return value <= self.at_most
        return self.at_least is None or value >= self.at_least

    def describe(self) -> str:
        return f"<= {self.at_most:g}" if self.at_most is not None else f">= {self.at_least:g}"

    def where(self) -> str:
        """The bound and the scenarios it is for: ``<= 90 at 100,000x300``."""
        size = f"{self.responses:,}" if self.responses else ""
        if self.regions:
            size = f"{size or 'any'}x{self.regions}"
        return self.describe() + (f" at {size}" if size else "")


def judged(
    figure: str, value: float, scenario: Scenario, targets: list[Target]
) -> tuple[str, list[Target]]:
    """`` ok`` where every target for ``figure`` that applies to ``scenario`` is met, ``
    MISS`` where one is not, empty where none applies; and those targets."""
    applying = [t for t in targets if t.figure == figure and t.applies(scenario)]
    if not applying:
        return "", []
    return (" ok" if all(t.met(value) for t in applying) else " MISS"), applying


def load_bench_config(path: Path | None = None) -> dict:
    return yaml.safe_load((path or CONFIG_DIR / "benchmark.yml").read_text(encoding="utf-8"))


#: Targets that apply where ``config/benchmark.yml`` names none for their figure: #21's
#: 10,000 comments learnt and suggested in 60 s or less.
DEFAULT_TARGETS: tuple[Target, ...] = (
    Target(figure="suggest_themes_seconds", responses=10000, at_most=60),
)


def targets_of(config: dict) -> list[Target]:
    """The configured targets, and each default target whose figure the file leaves out."""
    targets = [Target(**entry) for entry in config.get("targets", [])]
    named = {target.figure for target in targets}
    return targets + [target for target in DEFAULT_TARGETS if target.figure not in named]
