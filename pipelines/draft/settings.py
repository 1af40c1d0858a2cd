"""What ``workbook init`` looks for, read from ``config/draft.yml``."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from pipelines import yamlfile
from pipelines.paths import CONFIG_DIR


@dataclass(frozen=True)
class QuestionRules:
    """The thresholds that turn a column's answers into a question type."""

    max_single_options: int
    delimiters: tuple[str, ...]
    min_delimited_share: float
    min_free_text_length: int
    min_free_text_distinct_share: float
    max_ranking_options: int
    free_text_headers: tuple[re.Pattern[str], ...]
    other_text_headers: tuple[re.Pattern[str], ...]


@dataclass(frozen=True)
class CompletionRules:
    """How a survey tool's completion mark is recognised: its usual headers, and the
    answers that mean finished and unfinished."""

    headers: tuple[re.Pattern[str], ...]
    #: headers asking whether the response is finished: yes/no answers are read too
    yes_no_headers: tuple[re.Pattern[str], ...]
    finished: tuple[str, ...]
    unfinished: tuple[str, ...]
    yes: tuple[str, ...]
    no: tuple[str, ...]


@dataclass(frozen=True)
class DraftSettings:
    """Usual headers per standard field, identifier headers, familiar scales, thresholds."""

    fields: dict[str, tuple[re.Pattern[str], ...]]
    identifiers: tuple[re.Pattern[str], ...]
    scales: tuple[tuple[str, ...], ...]
    questions: QuestionRules
    completion: CompletionRules


@cache
def draft_settings() -> DraftSettings:
    """``config/draft.yml``, its patterns compiled (read once per process)."""
    with open(CONFIG_DIR / "draft.yml", encoding="utf-8") as handle:
        config = yamlfile.safe_load(handle)
    rules = config["questions"]
    return DraftSettings(
        fields={
            name: tuple(re.compile(pattern) for pattern in patterns)
            for name, patterns in config["fields"].items()
        },
        identifiers=tuple(re.compile(pattern) for pattern in config["identifiers"]),
        scales=tuple(tuple(str(label) for label in scale) for scale in config["scales"]),
        questions=QuestionRules(
            max_single_options=int(rules["max_single_options"]),
            delimiters=tuple(str(d) for d in rules["delimiters"]),
            min_delimited_share=float(rules["min_delimited_share"]),
            min_free_text_length=int(rules["min_free_text_length"]),
            min_free_text_distinct_share=float(rules["min_free_text_distinct_share"]),
            max_ranking_options=int(rules["max_ranking_options"]),
            free_text_headers=tuple(re.compile(p) for p in rules["free_text_headers"]),
            other_text_headers=tuple(re.compile(p) for p in rules["other_text_headers"]),
        ),
        completion=_completion(config["completion"]),
    )


def _completion(config: dict[str, list[str]]) -> CompletionRules:
    def words(key: str) -> tuple[str, ...]:
        return tuple(str(word) for word in config[key])

    return CompletionRules(
        headers=tuple(re.compile(p) for p in config["headers"]),
        yes_no_headers=tuple(re.compile(p) for p in config["yes_no_headers"]),
        finished=words("finished"),
        unfinished=words("unfinished"),
        yes=words("yes_words"),
        no=words("no_words"),
    )
