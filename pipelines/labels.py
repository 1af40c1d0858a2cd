"""How codes read in reports, from ``config/labels.yml``."""

from __future__ import annotations

from functools import cache

from pipelines import yamlfile
from pipelines.paths import CONFIG_DIR


@cache
def _labels() -> dict:
    with open(CONFIG_DIR / "labels.yml", encoding="utf-8") as handle:
        return yamlfile.safe_load(handle)


def dimension_label(dimension: str) -> str:
    return _labels()["dimensions"].get(dimension, dimension.replace("_", " ").capitalize())


def category_label(dimension: str, code: str) -> str:
    special = _labels()["special"]
    if code in special:
        return special[code]
    entry = _labels()["categories"].get(dimension, {}).get(code)
    return entry["label"] if entry else code.replace("_", " ").capitalize()


def category_subject(dimension: str, code: str) -> str:
    entry = _labels()["categories"].get(dimension, {}).get(code)
    return (
        entry["subject"] if entry else f"People in the category {category_label(dimension, code)}"
    )


def code_label(kind: str, code: str) -> str:
    """Label of a channel, ladder rung or action status."""
    return _labels()[kind].get(code, code.replace("_", " ").capitalize())


def rule_text(rule: str) -> str:
    """A validation rule in plain words."""
    return _labels().get("rules", {}).get(rule, rule.replace("_", " "))
