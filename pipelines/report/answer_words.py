"""What people said, in words: the finding-led titles, bases and notes of the question and
theme sections (single, multi, likert, grid, ranking, themes). Pure functions of published
tables, like :mod:`pipelines.report.wording`."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from pipelines.consultation import Question
from pipelines.disclosure import (
    SUPPRESSED,
    Controlled,
)
from pipelines.report.html import format_number
from pipelines.report.wording import top_row

#: A question-by-group cell stands out where its adjusted residual is beyond this.
RESIDUAL = 1.96


def likert_title(table: Controlled) -> str:
    """The finding, in the scale's own words: "45% answered Good or Very good; 20% Poor or Very poor"."""
    frame = table.frame
    n = frame.height
    if n < 2 or table.any_suppressed():
        return "How people answered"
    labels = frame["label"].to_list()
    top = (frame["percent"][n - n // 2 :].sum(), " or ".join(labels[n - n // 2 :]))
    bottom = (frame["percent"][: n // 2].sum(), " or ".join(labels[: n // 2]))
    first, second = (top, bottom) if top[0] >= bottom[0] else (bottom, top)
    return f"{first[0]:.0f}% answered {first[1]}; {second[0]:.0f}% {second[1]}"


def mean_score_text(table: Controlled, mean: float | None, profile: str) -> str:
    """A Likert question's mean score on its scale, unless too few answered, a count is
    hidden, or counts are rounded (``public``)."""
    order = table.frame["label"].to_list()
    if mean is not None and not table.any_suppressed() and profile != "public":
        return f"Mean score {mean:.1f} on a scale of 1 ({order[0]}) to {len(order)} ({order[-1]})."
    return "No mean score is shown: too few answers, or some are suppressed."


def single_title(frame: pl.DataFrame) -> str:
    best = frame.sort("count", descending=True, nulls_last=True) if frame.height else frame
    top = top_row(best, "count")
    return f"Most chose “{top['label']}”" if top else "Answers"


def multi_title(frame: pl.DataFrame) -> str:
    top = top_row(frame, "count")
    return f"“{top['label']}” was chosen most often" if top else "Options chosen"


def multi_base_text(respondents: str) -> str:
    """What a multi-choice question's percentages are of (``respondents`` as shown)."""
    return f"Of {respondents} people who answered. “% of respondents” can add up to more than 100% because people could choose several options; “% of mentions” adds up to 100%."


def grid_title(table: Controlled) -> str:
    """The finding across a grid's items, in the scale's own words: the item with the most
    answers in the scale's upper half and the one with the fewest ("60% answered Agree to
    “Staff are kind”; 40% to “Meals are good”"). Generic where a value is hidden."""
    frame = table.frame
    if frame.height == 0 or table.any_suppressed():
        return "How people answered each item"
    labels = frame["label"].unique(maintain_order=True).to_list()
    upper = labels[len(labels) - len(labels) // 2 :]
    shares = (
        frame.filter(pl.col("label").is_in(upper))
        .group_by("item_label", maintain_order=True)
        .agg(pl.col("percent").fill_null(0).sum())
        .filter(pl.col("percent") > 0)
        .sort("percent", descending=True, maintain_order=True)
    )
    if shares.height == 0:
        return "How people answered each item"
    (most, high), (least, low) = shares.row(0), shares.row(-1)
    answer = " or ".join(upper)
    first = f"{high:.0f}% answered {answer} to “{most}”"
    return first if most == least else f"{first}; {low:.0f}% to “{least}”"


def grid_alt(title: str, frame: pl.DataFrame) -> str:
    """A grid chart's text alternative: its title and, item by item, every answer's share
    and count as shown (``[c]`` where hidden)."""
    items = [
        f"{item}: "
        + ", ".join(
            f"{label} {shown}" for label, shown in zip(rows["label"], rows["shown"], strict=True)
        )
        for (item,), rows in frame.group_by("item_label", maintain_order=True)
    ]
    return f"Stacked diverging bar chart, one bar per item. {title}. {'; '.join(items)}."


def ranking_shown(table: Controlled) -> pl.DataFrame:
    """The ranking's frame with ``shown``: each option's mean rank, share ranked first and
    people who ranked it ("mean rank 1.6, 60% ranked it first (5)"), ``[c]`` where hidden."""
    frame = table.frame
    mean_hidden = table.is_suppressed("mean_rank").to_list()
    first_hidden = table.is_suppressed("pct_first").to_list()
    labels = []
    for row, mean_off, first_off in zip(
        frame.iter_rows(named=True), mean_hidden, first_hidden, strict=True
    ):
        if mean_off:
            labels.append(SUPPRESSED)
            continue
        mean = "none" if row["mean_rank"] is None else format_number(row["mean_rank"], "decimal")
        first = SUPPRESSED if first_off else format_number(row["pct_first"], "percent")
        people = format_number(row["ranked"])
        labels.append(f"mean rank {mean}, {first} ranked it first ({people})")
    return frame.with_columns(pl.Series("shown", labels, dtype=pl.String))


def ranking_title(table: Controlled) -> str:
    """The option ranked highest (lowest mean rank) and how many put it first; generic
    where a mean rank is hidden (the hidden one might be lower)."""
    frame = table.frame.filter(pl.col("ranked") > 0)
    if frame.height == 0 or table.is_suppressed("mean_rank").any():
        return "Mean rank of each option"
    top = frame.sort("mean_rank", maintain_order=True).row(0, named=True)
    hidden = table.is_suppressed("pct_first")[table.frame["option"].to_list().index(top["option"])]
    first = "" if hidden else f"; {top['pct_first']:.0f}% of those who ranked it put it first"
    return f"“{top['label']}” was ranked highest (mean rank {top['mean_rank']:.1f}){first}"


def ranking_base_text() -> str:
    """What a ranking's figures mean."""
    return (
        "Mean rank: 1 means ranked first, so a lower mean rank means the option was "
        "preferred. Each option's figures are of the people who gave it a rank."
    )


def themes_title(frame: pl.DataFrame) -> str:
    top = frame.row(0, named=True)
    return (
        f"{top['theme']} was the most common theme"
        if top["shown"] != SUPPRESSED
        else "Themes in the comments"
    )


def difference_notes(
    table: pl.DataFrame, groups: Mapping[str, str], question: Question, min_cell: int
) -> list[str]:
    """Up to three cells of a question-by-group table that stand out (adjusted residual
    beyond ±1.96), only where both the cell and its group have at least ``min_cell`` people."""
    group_sizes = table.group_by("group").agg(pl.col("count").sum().alias("n"))
    cells = (
        table.join(group_sizes, on="group")
        .filter(
            (pl.col("adjusted_residual").abs() > RESIDUAL)
            & (pl.col("count") >= min_cell)
            & (pl.col("n") >= min_cell)
        )
        .sort(pl.col("adjusted_residual").abs(), descending=True)
        .head(3)
    )
    return [
        f"{groups.get(r['group'], r['group'])} chose “{question.option_label(r['option'])}” "
        f"{'more' if r['adjusted_residual'] > 0 else 'less'} often than other groups."
        for r in cells.iter_rows(named=True)
    ]
