"""The words of the trend over a series' waves: each wave's name on the axis, the finding
(true of the published counts only) and the chart's text alternative."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import polars as pl

from pipelines.disclosure import SUPPRESSED
from pipelines.report import wording as words
from pipelines.report.html import govuk_date


def wave_dates(opened: Sequence[dt.date]) -> dict[dt.date, str]:
    """Each wave by when it opened, as the chart's axis and the table name it: the year
    ("2024", short enough for a phone's axis), the month and year ("March 2024") where two
    waves opened in one year, the whole date where two opened in one month."""
    for pattern in ("%Y", "%B %Y"):
        names = [day.strftime(pattern) for day in opened]
        if len(set(names)) == len(names):
            return dict(zip(opened, names, strict=True))
    return {day: govuk_date(day) for day in opened}


def trend_title(frame: pl.DataFrame, waves: Sequence[str]) -> str:
    """The trend's finding, true of the published counts: the groups whose responses rose
    from each wave to the next, and those whose responses fell, named where they are three
    or fewer. A group with a ``[c]`` in any wave, or missing from one, is never named; a
    tie is neither a rise nor a fall; rounded counts that rise rose exactly too (rounding
    never reverses an order). ``frame``: ``when`` (one of ``waves``), ``label``,
    ``responses``, ``shown``, each group's rows in wave order."""
    rising, falling = [], []
    for (label,), rows in frame.group_by("label", maintain_order=True):
        counts = rows["responses"].to_list()
        if rows["when"].to_list() != list(waves) or (rows["shown"] == SUPPRESSED).any():
            continue
        steps = list(zip(counts, counts[1:], strict=False))
        if all(after > before for before, after in steps):
            rising.append(str(label))
        elif all(after < before for before, after in steps):
            falling.append(str(label))
    since = f"in each wave since {waves[0]}"
    if rising and falling:
        return f"{_groups(rising)} gave more responses {since}, {_groups(falling)} fewer"
    if rising:
        return f"{_groups(rising)} gave more responses {since}"
    if falling:
        return f"{_groups(falling)} gave fewer responses {since}"
    return f"Responses by stakeholder group, {waves[0]} to {waves[-1]}"


def _groups(labels: list[str]) -> str:
    """Up to three groups by name, more by their number."""
    return words.and_list(labels) if len(labels) <= 3 else f"{len(labels)} stakeholder groups"


def trend_alt(title: str, frame: pl.DataFrame, waves: Sequence[str]) -> str:
    """The trend chart's text alternative: its title and every group's count in each wave."""
    lines = [
        f"{label}: "
        + ", ".join(f"{w} {s}" for w, s in zip(rows["when"], rows["shown"], strict=True))
        for (label,), rows in frame.group_by("label", maintain_order=True)
    ]
    return f"Line chart of responses by group in each wave, {waves[0]} to {waves[-1]}. {title}. {'; '.join(lines)}."
