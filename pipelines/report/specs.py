"""Disclosure specs of the published tables (which columns count people, what derives)."""

from __future__ import annotations

import polars as pl

from pipelines.analysis.representation import (
    NOT_ANSWERED,
    OTHER_AGES,
    flag_expr,
    wilson_interval,
)
from pipelines.disclosure import TableSpec
from pipelines.fields import PREFER_NOT_TO_SAY

SHARE_OF_TOTAL = {"percent": "responses"}

PARTICIPATION = TableSpec(count="responses", percents={"percent": "responses"}, ranked=True)
GROUP_BY_PLACE = {
    "locality": TableSpec(count="responses", lines=(("group",), ("locality",))),
    "region": TableSpec(count="responses", lines=(("group",), ("region",))),
}
ATTENDANCE = TableSpec(count="attendees", percents={"percent": "attendees"}, ranked=True)
ATTENDANCE_BY_EVENT = TableSpec(count="attendees")
LADDER = TableSpec(count="attendees")
PEOPLE_REACHED = TableSpec(
    count="reached", also=("responses", "attendees"), percents={"percent": "reached"}, ranked=True
)
QUESTION = TableSpec(count="count", percents={"percent": "count"})
ACTIONS = TableSpec(count="actions", percents={"percent": "actions"}, counts_people=False)
THINGS = TableSpec(count=None, counts_people=False)


def _recompute_change(rounded: pl.DataFrame, exact: pl.DataFrame) -> pl.DataFrame:
    """Under ``public``: change and change % from the rounded counts, never the exact ones."""
    return rounded.with_columns(
        (pl.col("responses") - pl.col("previous")).alias("change"),
        pl.when(pl.col("previous") > 0)
        .then((pl.col("responses") - pl.col("previous")) / pl.col("previous") * 100)
        .alias("change_percent"),
    )


WAVE_CHANGE = TableSpec(
    count="responses",
    also=("previous",),
    derived=("change", "change_percent"),
    recompute=_recompute_change,
)

#: Responses by group in every wave of a series (``responses_by_wave``): each wave's groups
#: add up to that wave's responses in the area, one line per wave.
WAVES = TableSpec(count="responses", lines=(("wave",),))


def multi(respondents: int) -> TableSpec:
    """A multi-select question or a theme table: two percentage bases."""
    return TableSpec(
        count="count",
        percents={"pct_respondents": "count", "pct_mentions": "count"},
        bases={"pct_respondents": respondents},
        ranked=True,
    )


NUMBER = TableSpec(
    count="answered",
    derived=("mean", "median", "lower_quartile", "upper_quartile", "minimum", "maximum"),
)


#: A representation table's rows outside every share: the age bands the consultation was
#: not for (``population_ages``), prefer-not-to-say, not answered.
KEPT_APART = (OTHER_AGES, PREFER_NOT_TO_SAY, NOT_ANSWERED)


def _recompute_representation(rounded: pl.DataFrame, exact: pl.DataFrame) -> pl.DataFrame:
    """Under ``public``: shares, ratio and interval from the rounded respondent counts."""
    stated = ~pl.col("category").is_in(list(KEPT_APART))
    exact_base = int(exact.filter(stated)["respondents"].sum())
    base = int((exact_base / 5 + 0.5) // 1 * 5)
    low, high = wilson_interval(pl.col("respondents"), pl.lit(base))
    has_pop = (pl.col("population_share") > 0) & (base > 0)  # a base rounded to 0: no share
    recomputed = rounded.with_columns(
        pl.when(stated & (base > 0)).then(pl.col("respondents") / base).alias("respondent_share"),
        pl.when(stated & has_pop)
        .then(pl.col("respondents") / base / pl.col("population_share"))
        .alias("ratio"),
        pl.when(stated & has_pop).then(low / pl.col("population_share")).alias("ci_low"),
        pl.when(stated & has_pop).then(high / pl.col("population_share")).alias("ci_high"),
    )
    return recomputed.with_columns(flag_expr())


def _stated_rows(frame: pl.DataFrame) -> list[list[int]]:
    """Two more lines: the compared categories (their total is revealed by any shown share)
    and the rows kept apart (:data:`KEPT_APART`: their total is the area's responses minus
    the compared total)."""
    categories = frame["category"].to_list()
    return [
        [i for i, c in enumerate(categories) if c not in KEPT_APART],
        [i for i, c in enumerate(categories) if c in KEPT_APART],
    ]


REPRESENTATION = TableSpec(
    count="respondents",
    extra_lines=_stated_rows,
    derived=("respondent_share", "ratio", "ci_low", "ci_high", "flag"),
    recompute=_recompute_representation,
)
