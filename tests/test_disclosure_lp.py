"""The linear-programming attacker against the demo's published one-way tables.

For each level (consultation, region, locality) the report tables are built as in
``test_golden``; the exact counts are recomputed from the clean data; the attacker knows every
shown cell and every line total and solves for each ``[c]``. None may be pinned. (Two-way
grids are a documented limitation: docs/methodology.md, Known limitations.)
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from lp_attack import pinned_cells
from test_golden import LEVELS, build_tables

from pipelines.analysis import participation, questions
from pipelines.analysis import representation as rep
from pipelines.analysis.load import for_area, load_clean
from pipelines.fields import MONITORING_FIELDS


def exact_tables(
    root: Path, region: str, locality: str
) -> dict[str, tuple[pl.DataFrame, str, list[list[int]]]]:
    """table id -> (exact frame, count column, lines) for the one-way tables."""
    data = for_area(
        load_clean("demo-care-at-home-2026", root), region=region or None, locality=locality or None
    )
    tables: dict[str, tuple[pl.DataFrame, str, list[list[int]]]] = {}

    def whole(frame: pl.DataFrame) -> list[list[int]]:
        return [list(range(frame.height))]

    for table_id, frame in {
        "participation_by_group": participation.participation_by_group(data),
        "participation_by_channel": participation.participation_by_channel(data),
    }.items():
        tables[table_id] = (frame, "responses", whole(frame))
    for question in data.consultation.questions:
        if question.type in ("single", "likert"):
            frame = questions.single_choice(data, question)
            tables[f"question_{question.id}"] = (frame, "count", whole(frame))
    for dimension in MONITORING_FIELDS:
        frame = rep.representation(data, dimension)
        categories = frame["category"].to_list()
        apart = ("prefer_not_to_say", rep.NOT_ANSWERED)
        lines = whole(frame) + [
            [i for i, c in enumerate(categories) if c not in apart],
            [i for i, c in enumerate(categories) if c in apart],
        ]
        tables[f"representation_{dimension}"] = (frame, "respondents", lines)
    return tables


@pytest.mark.parametrize("level", list(LEVELS))
def test_no_suppressed_cell_is_pinned(level: str, demo_root: Path, tmp_path: Path) -> None:
    region, locality = LEVELS[level]
    published = build_tables(demo_root, tmp_path, region, locality)
    checked = 0
    for table_id, (exact, column, lines) in exact_tables(demo_root, region, locality).items():
        hidden = published[table_id].is_suppressed(column).to_list()
        counts = exact[column].to_list()
        assert published[table_id].frame.height == len(counts), table_id
        assert pinned_cells(counts, hidden, lines) == [], f"{level}/{table_id}: a [c] is pinned"
        checked += sum(hidden)
    if level != "consultation":  # the whole demo is large enough to need no [c] in these tables
        assert checked > 0, "no [c] at all: the attack proved nothing"
