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


#: Rows hashed at a time.
HASH_ROWS = 1_000_000
#: The hashes are judged in this many parts (by their low bits), each part's set of hashes
#: an eighth of the whole: the memory of the judging is bounded by a part, not the file.
HASH_PARTS = 8


def key_hashes(frame: pl.DataFrame, passed: pl.Expr) -> pl.Series:
    """One 64-bit hash per row of whether it passed and its (response, question, theme):
    each column hashed with its own seed and the hashes combined (a struct's hash would
    first write every row's keys out whole)."""
    columns = [passed, *(pl.col(key) for key in THEME_KEYS)]
    hashes = [column.hash(seed=seed) for seed, column in enumerate(columns, start=11)]
    combined = pl.reduce(lambda a, b: a ^ b, hashes).alias("_hash")
    parts = [  # a slice at a time: the columns' own hashes are held for one slice only
        frame.slice(start, HASH_ROWS).select(combined).to_series()
        for start in range(0, frame.height, HASH_ROWS)
    ]
    return pl.concat(parts, rechunk=False) if parts else pl.Series("_hash", [], pl.UInt64)


def _first_hashes(hashes: pl.Series) -> pl.Series:
    """Whether each hash is the first of its value, judged one part of the values at a time."""
    first = pl.repeat(True, hashes.len(), dtype=pl.Boolean, eager=True)
    part_of = (hashes % HASH_PARTS).cast(pl.UInt8)
    for part in range(HASH_PARTS):
        rows = (part_of == part).arg_true()
        first.scatter(rows, hashes.gather(rows).is_first_distinct())
    return first


def first_rows(frame: pl.DataFrame, passed: pl.Expr) -> pl.Series:
    """Whether each row of ``frame`` is the first of its (passed, response, question, theme):
    judged on one 64-bit hash per row (a few bytes a row, where the keys themselves hold the
    ids' text), and, for the rows whose hash is met more than once, on the keys themselves,
    so that two keys sharing a hash are never taken for one."""
    hashes = key_hashes(frame, passed)
    first = _first_hashes(hashes)
    if first.all():
        return first
    shared = hashes.is_in(hashes.filter(~first).implode())
    exact = frame.filter(shared).select(
        pl.struct(passed.alias("_passed"), *THEME_KEYS).is_first_distinct()
    )
    return first.scatter(shared.arg_true(), exact.to_series())


def first_themes(coding: Checked) -> pl.DataFrame:
    """Each (response, question, theme) once, as first coded among the rows that passed
    (questions and themes as coding's Categoricals): coding's own columns where every row is
    kept (no copy of a big coding.csv), else the rows kept."""
    passed = ~pl.col(ROW).is_in(coding.failed_rows.implode())
    kept = first_rows(coding.frame, passed) & coding.frame.select(passed).to_series()
    themes = coding.frame.select(THEME_KEYS)
    return themes if kept.all() else themes.filter(kept)


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
