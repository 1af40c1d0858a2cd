"""Disclosure control: the one step every table passes through before it is shown or written.

Profiles (data-contract.md):

* ``restricted`` (default): exact counts; a count from 1 to ``min_cell`` − 1 is suppressed
  (``[c]``), and so is every value derived from it; where a line of cells that adds up to a
  shown total would then hold a single ``[c]``, or ``[c]`` cells adding up to less than
  ``min_cell``, the next smallest non-zero cell of that line is suppressed too
  (complementary suppression), repeatedly, until no ``[c]`` can be worked back from a
  total, the other cells or their percentages, line by line or by solving crossing lines
  together. 0 is shown.
* ``public``: NHS England's method: 0 stays 0, 1–7 is ``[c]``, every other count is rounded to
  the nearest 5; totals are computed from unrounded values and then rounded; percentages
  are computed from the rounded values.
* ``none``: exact values, for analysts' own checks only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import polars as pl

SUPPRESSED = "[c]"
PUBLIC_MAX_SUPPRESSED = 7
PUBLIC_ROUNDING = 5


@dataclass(frozen=True)
class TableSpec:
    """Which columns of a table are counts, and which values derive from them.

    ``lines``: groups of rows whose counts add up to a shown total: ``()`` means the whole
    table is one line; ``(("group",), ("locality",))`` means each group's row of cells and each
    locality's column of cells. ``percents``: percentage columns (0–100) and the count column
    each is a share of (of the line's total, or of ``bases[column]`` where given).
    ``derived``: other columns that fall with their row's count (shares, ratios, intervals).
    ``recompute``: rebuilds derived columns under ``public`` from (rounded, exact) frames.
    ``also``: further count columns of people; a small value in any of them hides the row.
    ``counts_people``: False for tables that count things, not people (actions, events):
    they pass through unchanged.
    ``extra_lines``: further lines (lists of row positions) whose total a reader can work out,
    e.g. the respondents who stated a category, revealed by the shares.
    ``ranked``: the rows are sorted by the count, largest first; published, they are put in
    an order no ``[c]`` value can change (:func:`in_fixed_order`).
    ``parts``: percentage columns (0–100) of the row's own count (a ranking's ``pct_first``:
    the share of ``ranked`` who put the option first). The part and the rest of the count
    are people too: the column is ``[c]`` where its row is, and where either is from 1 to
    ``min_cell`` − 1 (``public``: 1–7); under ``public`` it is worked out from the rounded
    part and count (:func:`_part_values`).
    """

    count: str | None
    percents: dict[str, str] = field(default_factory=dict)
    derived: tuple[str, ...] = ()
    lines: tuple[tuple[str, ...], ...] = ((),)
    bases: dict[str, int] = field(default_factory=dict)
    recompute: Callable[[pl.DataFrame, pl.DataFrame], pl.DataFrame] | None = None
    also: tuple[str, ...] = ()
    counts_people: bool = True
    extra_lines: Callable[[pl.DataFrame], list[list[int]]] | None = None
    ranked: bool = False
    parts: tuple[str, ...] = ()


@dataclass(frozen=True)
class Controlled:
    """A table after disclosure control: values (suppressed ones null) and the mask of ``[c]``."""

    table_id: str
    frame: pl.DataFrame
    suppressed: pl.DataFrame
    profile: str
    min_cell: int

    def any_suppressed(self) -> bool:
        return any(self.suppressed[c].any() for c in self.suppressed.columns)

    def is_suppressed(self, column: str) -> pl.Series:
        if column in self.suppressed.columns:
            return self.suppressed[column]
        return pl.Series(column, [False] * self.frame.height)

    def published(self) -> pl.DataFrame:
        """The table as written to CSV: every value as text, ``[c]`` where suppressed.

        Percentages are unrounded (the report rounds); nulls that are not suppressed are empty.
        """
        columns = []
        for name in self.frame.columns:
            text = self.frame[name].cast(pl.String)
            if name in self.suppressed.columns:
                text = pl.select(
                    pl.when(self.suppressed[name]).then(pl.lit(SUPPRESSED)).otherwise(text)
                ).to_series()
            columns.append(text.alias(name))
        return pl.DataFrame(columns)


def round_to(value: pl.Expr, base: int = PUBLIC_ROUNDING) -> pl.Expr:
    """Round half up to the nearest ``base`` (NHS England's method rounds 2.5 up)."""
    return ((value.cast(pl.Float64) / base + 0.5).floor() * base).cast(pl.Int64)


def _primary(counts: pl.Series, profile: str, min_cell: int) -> list[bool]:
    top = PUBLIC_MAX_SUPPRESSED if profile == "public" else min_cell - 1
    return [c is not None and 1 <= c <= top for c in counts.to_list()]


def line_ids(frame: pl.DataFrame, keys: tuple[str, ...]) -> list[list[int]]:
    """Row positions of each line of a table: every row (no keys), or one line per value of
    ``keys``."""
    indexed = frame.with_row_index("_i")
    if not keys:
        return [indexed["_i"].to_list()]
    return [group["_i"].to_list() for _, group in indexed.group_by(list(keys), maintain_order=True)]


def complementary(
    counts: Sequence[int | None], mask: list[bool], lines: list[list[int]], min_cell: int = 10
) -> list[bool]:
    """Suppress more cells until no ``[c]`` can be worked back, line by line or across lines.

    First each line on its own (:func:`protect_each_line`); then the lines together: where
    rows and columns cross (a grid with both margins shown), a ``[c]`` can be fixed by
    combining them even though every line holds two or more. While any ``[c]`` is pinned
    (:func:`pinned_cells`), the smallest shown non-zero cell whose suppression frees it is
    suppressed too, and the line rule is applied again. A cell in a line whose total is 0 is
    shown: its 0 is known whatever the table shows, so hiding it protects nothing; so is a
    suppressed 0 that the other cells and totals pin. A cell that the line totals fix even
    with every other cell hidden (the one non-zero cell of its line) is never a complement
    and is not worked on: it is as safe as its line's total, which the table that publishes
    that total protects (``hidden_elsewhere``). Only totals of at least ``min_cell`` count as
    published: a smaller one is itself ``[c]`` wherever it appears.
    """
    known_zero = _known_zero(counts, lines)
    mask = [m and i not in known_zero for i, m in enumerate(mask)]
    # a total from 1 to min_cell - 1 is itself [c] wherever it is published
    published = [line for line in lines if sum(counts[i] or 0 for i in line) >= min_cell]
    fixed = known_zero | _fixed_by_totals(published, known_zero)
    while True:
        mask = protect_each_line(counts, mask, lines, min_cell, fixed)
        pinned = [i for i in pinned_cells(counts, mask, published) if i not in fixed]
        zeros = {i for i in pinned if not counts[i]}
        if zeros:  # a [c] known to be 0 protects nothing: show the 0
            mask = [m and i not in zeros for i, m in enumerate(mask)]
            fixed |= zeros
            continue
        if not pinned:
            return mask
        extra = _unpinning_cell(counts, mask, published, pinned[0], fixed)
        if extra is None:  # nothing shown is left to hide behind
            return mask
        mask[extra] = True


def protect_each_line(
    counts: Sequence[int | None],
    mask: list[bool],
    lines: list[list[int]],
    min_cell: int = 10,
    fixed: set[int] | frozenset[int] = frozenset(),
) -> list[bool]:
    """Suppress more cells until every line with a ``[c]`` keeps it uncertain.

    A line (cells adding up to a shown total) needs at least two suppressed cells, whose
    sum a reader can work out, and that sum must be at least ``min_cell`` and more than the
    number of ``[c]`` cells: otherwise a reader who knows every ``[c]`` is at least 1 could
    pin them (two ``[c]`` adding up to 2 are both 1). While a line falls short, its
    smallest non-zero shown cell is suppressed too (a zero only when nothing else is left in
    a line whose total is published, so a ``[c]`` may then stand for 0; ties: the later
    row, so the table's order does not reveal which). Repeats until stable, since a new
    suppression in one line can leave another line short.
    """
    mask = list(mask)
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [i for i in line if mask[i]]
            if not hidden:
                continue
            hidden_sum = sum(counts[i] or 0 for i in hidden)
            if len(hidden) >= 2 and hidden_sum >= max(min_cell, len(hidden) + 1):
                continue
            candidates = [i for i in line if not mask[i] and (counts[i] or 0) > 0]
            candidates = [i for i in candidates if i not in fixed]
            if not candidates and sum(counts[i] or 0 for i in line) >= min_cell:
                # the line's total is published and only zeros are left to hide behind: a
                # [c] may then stand for 0 too, or the shown zeros would pin the [c] cells
                candidates = [i for i in line if not mask[i] and i not in fixed]
            if not candidates:
                continue
            chosen = min(candidates, key=lambda i: (counts[i], -i))
            mask[chosen] = True
            changed = True
    return mask


def pinned_cells(
    counts: Sequence[int | None], mask: Sequence[bool], lines: Sequence[Sequence[int]]
) -> list[int]:
    """Suppressed cells whose value a reader can fix exactly from the shown cells and totals.

    The reader knows every shown cell, every line's total and that a count is 0 or more.
    A ``[c]`` is free when the line totals leave a direction in which it can move: some
    change to the suppressed cells that keeps every line total (a vector of the null space
    of the lines' equations) moves it, and moves no suppressed 0 below 0. Worked out with
    linear algebra; the rare cell that needs the sign of a 0 taken into account is settled
    by linear programming (minimum and maximum of the cell).
    """
    hidden = [i for i, m in enumerate(mask) if m]
    positive = [i for i in hidden if (counts[i] or 0) > 0]
    movable_at_all = _movable(hidden, lines)  # zeros may go negative: only a necessary test
    movable = _movable(positive, lines)  # zeros held at 0: a sufficient test
    pinned = []
    for cell in hidden:
        if cell not in movable_at_all:
            pinned.append(cell)
        elif cell in movable:
            continue
        elif not (counts[cell] or 0) and cell in _movable([*positive, cell], lines):
            continue  # a hidden 0 that can rise while only positive cells move
        elif _pinned_by_bounds(counts, hidden, lines, cell):
            pinned.append(cell)
    return pinned


def _known_zero(counts: Sequence[int | None], lines: Sequence[Sequence[int]]) -> set[int]:
    """Cells of a line whose total is 0: a reader knows them whatever the table shows."""
    return {i for line in lines if not any(counts[j] for j in line) for i in line}


def _fixed_by_totals(lines: Sequence[Sequence[int]], known_zero: set[int]) -> set[int]:
    """Cells the line totals fix even if every cell not known to be 0 were hidden."""
    in_lines = {i for line in lines for i in line} - known_zero
    return in_lines - _movable(sorted(in_lines), lines)


def _movable(unknown: Sequence[int], lines: Sequence[Sequence[int]]) -> set[int]:
    """The cells of ``unknown`` that some change keeping every line total can move.

    A cell is fixed exactly when its unit vector lies in the row space of the lines'
    equations ``A``: when its leverage ``a_j' (A A')^+ a_j`` is 1.
    """
    matrix = _line_matrix(unknown, lines)
    if matrix.size == 0:
        return set(unknown)
    inverse, _ = _gram_inverse(matrix)
    leverage = (matrix * (inverse @ matrix)).sum(axis=0)
    return {cell for cell, share in zip(unknown, leverage, strict=True) if share < 1 - 1e-9}


def _gram_inverse(matrix):  # (np.ndarray) -> tuple[np.ndarray, np.ndarray]
    """The pseudo-inverse of ``A A'`` and an orthonormal basis of ``A``'s column range, from
    one symmetric eigendecomposition (lines by lines: small, whatever the number of cells)."""
    import numpy as np

    values, vectors = np.linalg.eigh(matrix @ matrix.T)
    keep = values > max(values.max(initial=0.0), 1.0) * 1e-10
    basis = vectors[:, keep]
    return (basis / values[keep]) @ basis.T, basis


def _line_matrix(cells: Sequence[int], lines: Sequence[Sequence[int]]):  # -> np.ndarray
    """Lines by ``cells``: 1 where the cell is in the line (a line with none: a row of 0s)."""
    import numpy as np

    position = {cell: j for j, cell in enumerate(cells)}
    matrix = np.zeros((len(lines), len(cells)))
    for row, line in enumerate(lines):
        members = [position[i] for i in line if i in position]
        matrix[row, members] = 1.0
    return matrix


def _pinned_by_bounds(
    counts: Sequence[int | None], hidden: list[int], lines: Sequence[Sequence[int]], cell: int
) -> bool:
    """The cell's smallest and largest value given the line totals and counts ≥ 0 agree."""
    import numpy as np
    from scipy.optimize import linprog

    matrix = _line_matrix(hidden, lines)
    totals = matrix @ np.array([counts[i] or 0 for i in hidden], dtype=float)
    objective = np.zeros(len(hidden))
    objective[hidden.index(cell)] = 1.0
    low, high = (
        linprog(sign * objective, A_eq=matrix, b_eq=totals, method="highs") for sign in (1, -1)
    )
    return low.status == 0 and high.status == 0 and abs(low.fun + high.fun) < 1e-6


def _unpinning_cell(
    counts: Sequence[int | None],
    mask: list[bool],
    lines: list[list[int]],
    cell: int,
    fixed: set[int],
) -> int | None:
    """The shown cell to suppress next to free ``cell``: the smallest one that frees it on its
    own (a 0 only after every non-zero cell), else the smallest in a line through it (a
    cycle may need several).

    ``cell`` is pinned: some weighting ``y`` of the lines gives it and no other hidden cell.
    A candidate column ``a`` frees it when every such weighting must count ``a`` too: ``a``
    lies in the range of the hidden cells' columns (so ``y`` cannot be bent away from it) and
    the least-squares ``y`` counts it. All candidates are tested at once.
    """
    import numpy as np

    in_lines = {i for line in lines for i in line} - fixed
    shown = sorted(
        (i for i in in_lines if not mask[i]),
        key=lambda i: (not counts[i], counts[i] or 0, -i),
    )
    if not shown:
        return None
    hidden = sorted({i for i, m in enumerate(mask) if m and counts[i]} | {cell})
    rows = [line for line in lines if any(mask[i] or i in shown for i in line)]
    a_hidden, a_shown = _line_matrix(hidden, rows), _line_matrix(shown, rows)
    inverse, u = _gram_inverse(a_hidden)
    weights = inverse @ a_hidden[:, hidden.index(cell)]  # least-squares y
    outside = a_shown - u @ (u.T @ a_shown)
    frees = (np.abs(outside).max(axis=0) < 1e-9) & (np.abs(weights @ a_shown) > 1e-9)
    for candidate, free in zip(shown, frees, strict=True):
        if free:
            return candidate
    near = [i for i in shown if any(cell in line and i in line for line in lines)]
    return (near or shown)[0]


def control(
    table_id: str,
    frame: pl.DataFrame,
    spec: TableSpec,
    profile: str = "restricted",
    min_cell: int = 10,
    hidden_elsewhere: Sequence[bool] | None = None,
) -> Controlled:
    """Apply a disclosure profile to one table (see the module docstring for the rules).

    ``hidden_elsewhere`` marks rows whose count another table of the same report already
    suppressed, so this table hides them too (a shown copy would undo that suppression).
    """
    if profile not in ("restricted", "public", "none"):
        raise ValueError(f"unknown disclosure profile {profile!r}")
    value_columns = [
        c for c in (spec.count, *spec.also, *spec.percents, *spec.derived, *spec.parts) if c
    ]
    if profile == "none" or frame.height == 0 or not spec.counts_people or spec.count is None:
        none = pl.DataFrame(
            {c: [False] * frame.height for c in value_columns if c in frame.columns}
        )
        return Controlled(table_id, frame, none, profile, min_cell)

    counts = frame[spec.count]
    mask = _primary(counts, profile, min_cell)
    for column in spec.also:
        mask = [
            a or b for a, b in zip(mask, _primary(frame[column], profile, min_cell), strict=True)
        ]
    if hidden_elsewhere is not None:
        mask = [a or bool(b) for a, b in zip(mask, hidden_elsewhere, strict=True)]
    lines = [ids for keys in spec.lines for ids in line_ids(frame, keys)]
    if spec.extra_lines is not None:
        lines += spec.extra_lines(frame)
    if profile == "restricted":
        mask = complementary(counts.to_list(), mask, lines, min_cell)
    else:  # public: a 0 stays 0, also where another table hid its row
        known_zero = _known_zero(counts.to_list(), lines)
        mask = [m and i not in known_zero for i, m in enumerate(mask)]
    hidden = pl.Series("_hidden", mask)
    result = frame
    if profile == "public":
        result = _public_values(frame, spec, hidden)
    masks = {c: hidden for c in value_columns if c in frame.columns}
    for column in spec.parts:
        masks[column], shares = _part_values(frame, spec.count, column, hidden, profile, min_cell)
        result = result.with_columns(shares)
    result = result.with_columns(
        pl.when(masks[c]).then(None).otherwise(pl.col(c)).alias(c) for c in masks
    )
    suppressed = pl.DataFrame({c: m.alias(c) for c, m in masks.items()})
    return Controlled(table_id, result, suppressed, profile, min_cell)


def _part_values(
    frame: pl.DataFrame, count: str, column: str, hidden: pl.Series, profile: str, min_cell: int
) -> tuple[pl.Series, pl.Series]:
    """A ``parts`` column's mask and values (see :class:`TableSpec`): hidden with its row, or
    where the part of the count it stands for, or the rest, is a small number of people;
    under ``public`` the share of the rounded count that the rounded part is."""
    counts = frame[count].cast(pl.Int64)
    part = (frame[column] * counts / 100).round().cast(pl.Int64)
    rest = counts - part
    small = [
        a or b
        for a, b in zip(
            _primary(part, profile, min_cell), _primary(rest, profile, min_cell), strict=True
        )
    ]
    mask = pl.Series(column, [bool(h) or s for h, s in zip(hidden, small, strict=True)])
    shares = frame[column]
    if profile == "public":
        rounded = pl.DataFrame({"part": part, "count": counts}).select(
            round_to(pl.col("part")).alias("part"), round_to(pl.col("count")).alias("count")
        )
        shares = rounded.select(
            pl.when(pl.col("count") > 0).then(pl.col("part") / pl.col("count") * 100)
        ).to_series()
    return mask, shares.alias(column)


def in_fixed_order(controlled: Controlled, spec: TableSpec) -> Controlled:
    """A ranked table's rows in an order that tells nothing about a ``[c]``.

    Sorted by the true count, ``[c]`` rows would come in the order of their hidden values
    (and, under ``public``, rows that round alike in the order of their exact counts). Shown
    rows are put largest published count first, ties in the table's own order (under
    ``public``: by name, since the table's order followed the exact counts); then the
    ``[c]`` rows, by name.
    """
    if not spec.ranked or spec.count is None or controlled.frame.height < 2:
        return controlled
    frame = controlled.frame
    hidden = controlled.is_suppressed(spec.count).to_list()
    values = [v or 0 for v in frame[spec.count].to_list()]
    value_columns = {spec.count, *spec.also, *spec.percents, *spec.derived}
    names = [
        tuple("" if v is None else str(v) for v in row)
        for row in frame.select(c for c in frame.columns if c not in value_columns).iter_rows()
    ]

    def position(i: int) -> tuple:
        if hidden[i]:
            return (1, 0, names[i], i)
        tie = names[i] if controlled.profile == "public" else ()
        return (0, -values[i], tie, i)

    order = sorted(range(frame.height), key=position)
    if order == list(range(frame.height)):
        return controlled
    return Controlled(
        controlled.table_id,
        frame[order],
        controlled.suppressed[order] if controlled.suppressed.width else controlled.suppressed,
        controlled.profile,
        controlled.min_cell,
    )


def _public_values(frame: pl.DataFrame, spec: TableSpec, hidden: pl.Series) -> pl.DataFrame:
    """Round counts to 5 and recompute percentages from the rounded values."""
    rounded = frame.with_columns(
        *(round_to(pl.col(c)).alias(c) for c in (spec.count, *spec.also)),
        round_to(pl.col(spec.count)).alias("_rounded"),
    )
    exprs = []
    for column in spec.percents:
        if column in spec.bases:
            base = round_to(pl.lit(spec.bases[column]))
        else:
            base = round_to(pl.lit(int(frame[spec.count].sum())))
        exprs.append(
            pl.when(base > 0).then(pl.col("_rounded") / base * 100).otherwise(None).alias(column)
        )
    rounded = rounded.with_columns(exprs).drop("_rounded")
    if spec.recompute is not None:
        rounded = spec.recompute(rounded, frame)
    return rounded


def control_count(value: int, profile: str = "restricted", min_cell: int = 10) -> int | None:
    """A single published count (a headline figure): None where it must show as ``[c]``."""
    if profile == "none" or value == 0:
        return value
    if profile == "public":
        return None if value <= PUBLIC_MAX_SUPPRESSED else round_half_up(value)
    return None if value < min_cell else value


def round_half_up(value: int, base: int = PUBLIC_ROUNDING) -> int:
    """The scalar twin of :func:`round_to`."""
    return int((value / base + 0.5) // 1 * base)
