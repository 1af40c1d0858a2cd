"""What people said, in words: the finding-led titles, bases and notes of the question and
theme sections (single, multi, likert, grid, ranking, themes). Pure functions of published
tables, like :mod:`pipelines.report.wording`."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from pipelines.analysis.questions import MERGED, Crosstab
from pipelines.consultation import Question
from pipelines.disclosure import (
    SUPPRESSED,
    Controlled,
)
from pipelines.report.html import format_number
from pipelines.report.wording import and_list, hidden_last, is_majority, leaders

#: Options whose labels start so are "yes in some form" ("Yes, I do", "Yes, someone I look
#: after does").
YES = r"(?i)^\s*yes\b"

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
    """The finding of a one-answer question, always true of the published figures: "Most
    chose “X” (62%)" only above half; otherwise "The most common answer was “X” (34%)"; a
    tie named ("“A” and “B” were chosen equally often (261 each)"); and, where two or more
    "Yes ..." answers together make more than half and the leader does not, "; 56% said
    yes in some form". ``frame`` has ``label``, ``count``, ``percent`` and ``shown``."""
    top = leaders(hidden_last(frame), "count")
    if not top:
        return "Answers"
    names = and_list([f"“{r['label']}”" for r in top])
    share = format_number(top[0]["percent"], "percent")
    if len(top) > 1:
        title = f"{names} were chosen equally often ({format_number(top[0]['count'])} each)"
    elif is_majority(top[0]["percent"]):
        return f"Most chose {names} ({share})"
    else:
        title = f"The most common answer was {names} ({share})"
    yes = yes_in_some_form(frame)
    return f"{title}; {format_number(yes, 'percent')} said yes in some form" if yes else title


def yes_in_some_form(frame: pl.DataFrame) -> float | None:
    """The share who chose any of two or more answers starting "Yes", where together they
    are more than half and none is hidden (None otherwise)."""
    yes = frame.filter(pl.col("label").str.contains(YES))
    if yes.height < 2 or (yes["shown"] == SUPPRESSED).any():
        return None
    total = float(yes["percent"].fill_null(0).sum())
    return total if is_majority(total) else None


def multi_title(frame: pl.DataFrame) -> str:
    """The option chosen most often (ties named); "most often" compares options, it does
    not claim a majority."""
    top = leaders(frame, "count")
    if not top:
        return "Options chosen"
    if len(top) > 1:
        names = and_list([f"“{r['label']}”" for r in top])
        return f"{names} were chosen most often ({format_number(top[0]['count'])} each)"
    return f"“{top[0]['label']}” was chosen most often"


def multi_base_text(respondents: str) -> str:
    """What a multi-choice question's percentages are of (``respondents`` as shown); the
    chart's axis says people could choose more than one, and About these statistics what
    "% of mentions" in the table means."""
    return f"Of {respondents} people who answered; the shares add up to more than 100%."


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
    top = leaders(frame, "count")
    if not top:
        return "Themes in the comments"
    if len(top) > 1:
        return f"{and_list([r['theme'] for r in top])} were the most common themes"
    return f"{top[0]['theme']} was the most common theme"


def p_text(p_value: float) -> str:
    """A p-value as statistics pages write it: "p < 0.001" below 0.001 (never "p = 0"),
    else to three decimal places ("p = 0.023")."""
    return "p < 0.001" if p_value < 0.001 else f"p = {p_value:.3f}"


def group_name(group: str, groups: Mapping[str, str]) -> str:
    """A crosstab row's name: the group's label, or the smaller groups taken together."""
    return "Smaller groups taken together" if group == MERGED else groups.get(group, group)


def differences_text(result: Crosstab, groups: Mapping[str, str]) -> str:
    """The question-by-group test in one paragraph, said once per question: the result
    (with "p < 0.001"), and which groups were taken together or left out as too small to
    test on their own."""
    if result.tested and result.p_value is not None:
        verdict = (
            "answers differ between groups"
            if result.p_value < 0.05
            else "no clear difference between groups"
        )
        text = (
            f"Chi-square = {result.chi2:.1f} on {result.dof} degrees of freedom, "
            f"{p_text(result.p_value)}: {verdict}."
        )
    else:
        text = result.note
    if result.table.height == 0:  # nothing tested: the reason alone, said once
        return f"Differences between groups: {text}"
    order = {g: i for i, g in enumerate(groups)}
    if result.merged:
        merged = sorted(result.merged, key=lambda g: order.get(g, len(order)))
        names = and_list([groups.get(g, g) for g in merged])
        text += f" {names} had too few answers to test on their own and were taken together."
    if result.left_out:
        left_out = sorted(result.left_out, key=lambda g: order.get(g, len(order)))
        names = and_list([groups.get(g, g) for g in left_out])
        verb = "was" if len(result.left_out) == 1 else "were"
        text += f" {names} {verb} left out: too few answers to test."
    return f"Differences between groups: {text}"


def standing_out(table: pl.DataFrame, min_cell: int) -> pl.DataFrame:
    """The cells of a question-by-group table that stand out (adjusted residual beyond
    ±1.96), only where both the cell and its group have at least ``min_cell`` people,
    largest first, with the group's share choosing the answer and everyone's."""
    group_sizes = table.group_by("group").agg(pl.col("count").sum().alias("n"))
    option_sizes = table.group_by("option").agg(pl.col("count").sum().alias("_option"))
    everyone = max(int(table["count"].sum()), 1)
    return (
        table.join(group_sizes, on="group")
        .join(option_sizes, on="option")
        .with_columns(
            (pl.col("count") / pl.col("n") * 100).alias("group_percent"),
            (pl.col("_option") / everyone * 100).alias("all_percent"),
        )
        .filter(
            (pl.col("adjusted_residual").abs() > RESIDUAL)
            & (pl.col("count") >= min_cell)
            & (pl.col("n") >= min_cell)
        )
        .sort(pl.col("adjusted_residual").abs(), descending=True, maintain_order=True)
    )


def difference_notes(
    table: pl.DataFrame, groups: Mapping[str, str], question: Question, min_cell: int
) -> list[str]:
    """Up to three cells of a question-by-group table that stand out
    (:func:`standing_out`), each in a sentence naming the group and the answer."""
    return [
        f"{group_name(r['group'], groups)} chose “{question.option_label(r['option'])}” "
        f"{'more' if r['adjusted_residual'] > 0 else 'less'} often than other groups."
        for r in standing_out(table, min_cell).head(3).iter_rows(named=True)
    ]


#: The small table of the groups that differ: column -> (header, kind).
DIFFERENCE_COLUMNS = {
    "group_label": ("Group", "text"),
    "answer": ("Answer", "text"),
    "direction": ("Compared with other groups", "text"),
    "group_percent": ("% of the group", "percent"),
    "all_percent": ("% of all groups compared", "percent"),
}


def differences_frame(
    table: pl.DataFrame, groups: Mapping[str, str], question: Question, min_cell: int
) -> pl.DataFrame:
    """Every cell that stands out (:func:`standing_out`) as a row of the small table
    (:data:`DIFFERENCE_COLUMNS`): group, answer, more or less often, the group's share and
    everyone's. No count is shown (each share is of at least ``min_cell`` people)."""
    cells = standing_out(table, min_cell)
    return pl.DataFrame(
        {
            "group_label": [group_name(g, groups) for g in cells["group"]],
            "answer": [question.option_label(o) for o in cells["option"]],
            "direction": [
                "chose it more often" if r > 0 else "chose it less often"
                for r in cells["adjusted_residual"]
            ],
            "group_percent": cells["group_percent"],
            "all_percent": cells["all_percent"],
        },
        schema={
            "group_label": pl.String,
            "answer": pl.String,
            "direction": pl.String,
            "group_percent": pl.Float64,
            "all_percent": pl.Float64,
        },
    )
