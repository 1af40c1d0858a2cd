"""A linear-programming attacker: can any suppressed cell be pinned to one value?

Written apart from ``pipelines/disclosure.py`` on purpose, so the two do not share a mistake.

The attacker sees a system of cells (table cells, margins, the grand total) tied by linear
equations (a row of cells minus its total is 0). For every cell it knows a range: a shown
exact count is its own value; a count rounded to 5 lies within 2 of what is shown; a ``[c]``
is 0 or more under ``restricted`` (it may hide a 0 where nothing else could protect a cell)
and 1–7 under ``public``. For each ``[c]`` it minimises and maximises the cell subject to all
of that; the cell is pinned when only one whole number lies between the two.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
from scipy.optimize import linprog

#: A linear equation over cells: (cell, coefficient) pairs whose weighted sum is 0.
Equation = Sequence[tuple[int, float]]


def pinned_in_system(
    lows: Sequence[float],
    highs: Sequence[float | None],
    hidden: Sequence[bool],
    equations: Sequence[Equation],
) -> list[int]:
    """Indices of suppressed cells that every solution of the system gives the same value."""
    size = len(lows)
    a_eq = np.zeros((len(equations), size))
    for row, equation in enumerate(equations):
        for cell, coefficient in equation:
            a_eq[row, cell] += coefficient
    b_eq = np.zeros(len(equations))
    bounds = list(zip(lows, highs, strict=True))
    pinned = []
    for cell in (i for i, h in enumerate(hidden) if h):
        objective = np.zeros(size)
        objective[cell] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if high.status == 3:  # unbounded above: certainly not pinned
            continue
        assert low.status == 0 and high.status == 0, "the published facts are inconsistent"
        if math.ceil(low.fun - 1e-6) == math.floor(-high.fun + 1e-6):
            pinned.append(cell)
    return pinned


def pinned_cells(
    counts: Sequence[int], hidden: Sequence[bool], lines: Sequence[Sequence[int]]
) -> list[int]:
    """Suppressed cells pinned when every line's total is known exactly (``restricted``)."""
    lows: list[float] = [0 if h else c for c, h in zip(counts, hidden, strict=True)]
    highs: list[float | None] = [None if h else c for c, h in zip(counts, hidden, strict=True)]
    equations = []
    for line in lines:
        total = len(lows)
        lows.append(sum(counts[i] for i in line))
        highs.append(lows[-1])
        equations.append([*((i, 1.0) for i in line), (total, -1.0)])
    return pinned_in_system(lows, highs, [*hidden, *[False] * len(lines)], equations)
