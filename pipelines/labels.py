"""How codes read in reports, from ``config/labels.yml``."""

from __future__ import annotations

from functools import cache

from pipelines import yamlfile
from pipelines.fields import Categories
from pipelines.paths import CONFIG_DIR


@cache
def _labels() -> dict:
    with open(CONFIG_DIR / "labels.yml", encoding="utf-8") as handle:
        return yamlfile.safe_load(handle)


def dimension_label(dimension: str) -> str:
    return _labels()["dimensions"].get(dimension, dimension.replace("_", " ").capitalize())


def category_label(dimension: str, code: str, categories: Categories | None = None) -> str:
    """How a monitoring category reads: the consultation's own label (consultation.yml
    ``categories``, passed as ``categories``) where it has its own categories for
    ``dimension``, else config/labels.yml's, else the code made readable."""
    special = _labels()["special"]
    if code in special:
        return special[code]
    own = (categories or {}).get(dimension)
    if own:
        return own.get(code, code.replace("_", " ").capitalize())
    entry = _labels()["categories"].get(dimension, {}).get(code)
    return entry["label"] if entry else code.replace("_", " ").capitalize()


def category_subject(dimension: str, code: str, categories: Categories | None = None) -> str:
    """The people in a category, as the subject of a sentence ("People aged 85 and over");
    for a consultation's own category: "People in the category <its label>"."""
    entry = None if (categories or {}).get(dimension) else _categories(dimension).get(code)
    if entry:
        return entry["subject"]
    return f"People in the category {category_label(dimension, code, categories)}"


def _categories(dimension: str) -> dict:
    return _labels()["categories"].get(dimension, {})


def code_label(kind: str, code: str) -> str:
    """Label of a channel, ladder rung or action status."""
    return _labels()[kind].get(code, code.replace("_", " ").capitalize())


def rule_text(rule: str) -> str:
    """A validation rule in plain words."""
    return _labels().get("rules", {}).get(rule, rule.replace("_", " "))
