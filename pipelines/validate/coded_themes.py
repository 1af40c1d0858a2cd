"""The clean themes of a consultation: ``coding.csv``'s coded themes and, after them, the
suggestions an analyst accepted into ``coding_reviewed.csv``.

Only rows that passed their suite count; each (response, question, theme) counts once, as
first coded. The workbook's own suggestions are never read here: a suggestion counts in a
report only once an analyst has accepted it.
"""

from __future__ import annotations

import polars as pl

from pipelines.ingest.read import ROW
from pipelines.validate.checked import Checked

#: A coded theme: the response, the question and the theme.
THEME_KEYS: tuple[str, ...] = ("response_id", "question_id", "theme")


def first_themes(coding: Checked) -> pl.DataFrame:
    """Each (response, question, theme) once, as first coded among the rows that passed
    (questions and themes as coding's Categoricals)."""
    passed = ~pl.col(ROW).is_in(coding.failed_rows.implode())
    first = pl.struct(passed.alias("_passed"), *THEME_KEYS).is_first_distinct()
    return coding.frame.lazy().filter(passed & first).select(THEME_KEYS).collect()


def with_reviewed(themes: pl.DataFrame, reviewed: Checked | None) -> pl.DataFrame:
    """coding.csv's themes and, after them, the reviewed suggestions that passed their suite
    and are not already coded (identical rows once): the accepted themes count in reports."""
    if reviewed is None:
        return themes
    accepted = first_themes(reviewed).cast({"question_id": pl.String, "theme": pl.String})
    merged = pl.concat([themes.cast({"question_id": pl.String, "theme": pl.String}), accepted])
    return merged.unique(THEME_KEYS, keep="first", maintain_order=True).cast(
        {"question_id": pl.Categorical, "theme": pl.Categorical}
    )


def coded_themes(coding: Checked, reviewed: Checked | None) -> pl.DataFrame:
    """The consultation's clean themes: coding.csv's, then the accepted reviewed ones."""
    return with_reviewed(first_themes(coding), reviewed)
