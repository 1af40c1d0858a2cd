"""A linear-programming attacker: can any suppressed cell be pinned to one value?

The attacker knows every shown cell, the total of every line (a row or column that adds up
to a published figure) and that a suppressed cell is a count of 0 or more (a ``[c]`` is
usually 1 or more, but may hide a 0 where nothing else could protect a cell). For each suppressed cell it minimises and maximises the cell subject to those facts;
the cell is pinned when the two agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import linprog


def pinned_cells(
    counts: Sequence[int], hidden: Sequence[bool], lines: Sequence[Sequence[int]]
) -> list[int]:
    """Indices of suppressed cells whose value the published facts fix exactly."""
    unknown = [i for i, h in enumerate(hidden) if h]
    if not unknown:
        return []
    position = {cell: j for j, cell in enumerate(unknown)}
    rows, rhs = [], []
    for line in lines:
        members = [position[i] for i in line if hidden[i]]
        if not members:
            continue
        row = np.zeros(len(unknown))
        row[members] = 1
        rows.append(row)
        rhs.append(sum(counts[i] for i in line if hidden[i]))  # = line total − shown cells
    a_eq = np.array(rows) if rows else None
    b_eq = np.array(rhs) if rows else None
    bounds = [(0, None)] * len(unknown)
    pinned = []
    for j, cell in enumerate(unknown):
        objective = np.zeros(len(unknown))
        objective[j] = 1
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        if high.status == 3:  # unbounded above: certainly not pinned
            continue
        if low.status == 0 and high.status == 0 and abs(low.fun + high.fun) < 1e-6:
            pinned.append(cell)
    return pinned
