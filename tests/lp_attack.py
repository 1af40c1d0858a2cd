"""A linear-programming attacker: can any suppressed cell be pinned to one value?

Written apart from ``pipelines/disclosure.py`` on purpose, so the two do not share a mistake.

The attacker sees a system of cells (table cells, margins, the grand total) tied by linear
equations (a row of cells minus its total is 0). For every cell it knows a range: a shown
exact count is its own value; a count rounded to 5 lies within 2 of what is shown; a ``[c]``
is 0 or more under ``restricted`` (it may hide a 0 where nothing else could protect a cell)
and 1–7 under ``public``. For each ``[c]`` it minimises and maximises the cell subject to all
of that; the cell is pinned when only one whole number lies between the two.

:func:`pinned_in_system` attacks one table (or one grid with its margins) at a time
(``test_disclosure_lp``). :class:`Joint` holds one sparse system over every cell of a whole
run (``run_tables.joint_system`` writes it, ``test_disclosure_run`` asserts on it): cells
known exactly are moved to the right-hand side, a few random objectives spread feasible
solutions so that most cells are shown free without an LP of their own, and the rest are
minimised and maximised one by one.
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


# ------------------------------------------------------------------ the whole run at once


class Joint:
    """A sparse system over every cell of a run: bounds, equations (= rhs), inequalities (≤ rhs).

    Each cell also carries its true value, used for one thing only: :meth:`check_truth`, which
    proves that the equations the attacker wrote hold for the real data (a modelling mistake
    would otherwise pass silently or pin falsely).
    """

    def __init__(self) -> None:
        self.names: list[str] = []
        self.lows: list[float] = []
        self.highs: list[float | None] = []
        self.truth: list[int] = []
        self.attacked: list[bool] = []
        self.eqs: list[tuple[str, dict[int, float], float]] = []
        self.les: list[tuple[str, dict[int, float], float]] = []

    def var(
        self, name: str, low: float, high: float | None, truth: int, attacked: bool = False
    ) -> int:
        self.names.append(name)
        self.lows.append(low)
        self.highs.append(high)
        self.truth.append(truth)
        self.attacked.append(attacked)
        return len(self.names) - 1

    def eq(self, kind: str, terms: dict[int, float], rhs: float = 0.0) -> None:
        if terms:
            self.eqs.append((kind, dict(terms), rhs))

    def le(self, kind: str, terms: dict[int, float], rhs: float = 0.0) -> None:
        if terms:
            self.les.append((kind, dict(terms), rhs))

    def kinds(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for kind, _, _ in self.eqs + self.les:
            counts[kind] = counts.get(kind, 0) + 1
        return counts

    def check_truth(self) -> None:
        """Every bound and equation holds for the true values (else the model is wrong)."""
        bad = []
        for i, (low, high, value) in enumerate(zip(self.lows, self.highs, self.truth, strict=True)):
            if value < low - 1e-9 or (high is not None and value > high + 1e-9):
                bad.append(f"bound {self.names[i]}: {value} not in [{low}, {high}]")
        for kind, terms, rhs in self.eqs:
            if abs(sum(c * self.truth[i] for i, c in terms.items()) - rhs) > 1e-9:
                bad.append(
                    f"{kind}: " + " + ".join(f"{c:g}*{self.names[i]}" for i, c in terms.items())
                )
        for kind, terms, rhs in self.les:
            if sum(c * self.truth[i] for i, c in terms.items()) > rhs + 1e-9:
                bad.append(
                    f"{kind} (<=): "
                    + " + ".join(f"{c:g}*{self.names[i]}" for i, c in terms.items())
                )
        assert not bad, "the attacker's model does not fit the true data:\n" + "\n".join(bad[:20])

    def _matrix(self, rows):  # -> (scipy.sparse.csr_matrix | None, np.ndarray | None)
        from scipy.sparse import csr_matrix

        if not rows:
            return None, None
        data, row_ids, col_ids = [], [], []
        for r, (_, terms, _) in enumerate(rows):
            for cell, coefficient in terms.items():
                row_ids.append(r)
                col_ids.append(cell)
                data.append(coefficient)
        matrix = csr_matrix((data, (row_ids, col_ids)), shape=(len(rows), len(self.names)))
        return matrix, np.array([rhs for _, _, rhs in rows], dtype=float)

    def intervals(self, wide: float = 3.0, spread: int = 20) -> dict[int, tuple[float, float]]:
        """For every attacked cell, its smallest and largest value given everything published.

        Exact where the interval is narrower than ``wide``; otherwise an inner interval at
        least ``wide`` long, seen in feasible solutions (enough to show the cell is not
        pinned). Every solution found is used to widen every cell's seen range, and a few
        random objectives first spread them, so most cells need no LP of their own.
        """
        # cells known exactly leave the system: their values move to the right-hand side
        free = [i for i, (lo, hi) in enumerate(zip(self.lows, self.highs, strict=True)) if lo != hi]
        fixed = [
            i for i, (lo, hi) in enumerate(zip(self.lows, self.highs, strict=True)) if lo == hi
        ]
        values = np.array([self.lows[i] for i in fixed], dtype=float)
        a_eq, b_eq = self._matrix(self.eqs)
        a_ub, b_ub = self._matrix(self.les)
        if a_eq is not None:
            b_eq = b_eq - a_eq[:, fixed] @ values
            a_eq = a_eq[:, free]
        if a_ub is not None:
            b_ub = b_ub - a_ub[:, fixed] @ values
            a_ub = a_ub[:, free]
        bounds = [(self.lows[i], self.highs[i]) for i in free]
        column = {cell: j for j, cell in enumerate(free)}
        attacked = [column[i] for i, a in enumerate(self.attacked) if a and i in column]
        seen = {i: [math.inf, -math.inf] for i in attacked}

        def solve(objective: np.ndarray):  # -> OptimizeResult
            result = linprog(
                objective, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds,
                method="highs",
            )  # fmt: skip
            if result.status == 0:
                for i in attacked:
                    seen[i][0] = min(seen[i][0], result.x[i])
                    seen[i][1] = max(seen[i][1], result.x[i])
            return result

        generator = np.random.default_rng(0)
        for _ in range(spread):
            open_cells = [i for i in attacked if seen[i][1] - seen[i][0] < wide]
            if not open_cells:
                break
            objective = np.zeros(len(free))
            objective[open_cells] = generator.normal(size=len(open_cells))
            result = solve(objective)
            assert result.status in (0, 3), (
                f"the published facts are inconsistent: {result.message}"
            )
        found = {}
        for i, a in enumerate(self.attacked):
            if a and i not in column:  # an attacked cell with a single possible value
                found[i] = (self.lows[i], self.lows[i])
        for cell in attacked:
            name = self.names[free[cell]]
            if seen[cell][1] - seen[cell][0] >= wide:
                found[free[cell]] = (seen[cell][0], seen[cell][1])
                continue
            objective = np.zeros(len(free))
            objective[cell] = 1.0
            low = solve(objective)
            assert low.status == 0, f"{name}: {low.message}"
            if seen[cell][1] - seen[cell][0] >= wide:
                found[free[cell]] = (seen[cell][0], seen[cell][1])
                continue
            high = solve(-objective)
            if high.status == 3:  # unbounded: only possible upwards
                found[free[cell]] = (low.fun, math.inf)
                continue
            assert high.status == 0, f"{name}: {high.message}"
            found[free[cell]] = (low.fun, -high.fun)
        return found


def is_pinned(low: float, high: float) -> bool:
    """Only one whole number lies between the two."""
    if math.isinf(high):
        return False
    return math.ceil(low - 1e-6) == math.floor(high + 1e-6)
