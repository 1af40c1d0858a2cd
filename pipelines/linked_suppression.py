"""Suppression across linked tables: every count a run publishes, decided together.

A run publishes the same people in many tables: the overview's count of a group is the sum
of that group's count in every region; the overview's group x region grid repeats each
region's group counts; a region's grid by locality adds up to its group and locality
tables; a wave comparison repeats this wave's counts beside the last wave's. Suppressing
each table on its own leaves the others to undo it (the overview minus eight regions is
the ninth). Statistical offices handle such linked tables by describing every published
value as a sum of *inner cells* (the finest counts, never published as such) and checking
them all at once (Statistics Norway's GaussSuppression, sdcTable, tau-Argus); this module
does the same.

Each :class:`LinkedCell` is one published value: the set of inner cells it adds up, its
exact value, whether it is ``[c]``, and whether it may be suppressed to protect another
(a line total or headline figure may not). A reader knows every shown value exactly and
that counts are 0 or more. A ``[c]`` is *pinned* when its value is a combination of shown
values: its inner-cell vector lies in the row space of the shown cells' vectors (after the
inner cells that a shown 0 covers are taken out, since a reader knows those are 0). While
any ``[c]`` is pinned, the smallest shown value whose suppression frees it is suppressed
too. Values with the same inner cells are one value published twice: one ``[c]`` makes
them all ``[c]``.

Pure functions over plain data. The linear algebra (which ``[c]`` are pinned, the weights
that choose what to hide) is :mod:`pipelines.linked_span`'s, block by block on a run's
largest linked values. The tables themselves (which inner cells a published value adds up) are
the report layer's business (``pipelines/report/plan.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

import numpy as np

from pipelines.linked_span import BlockSpan, Span, incidence, rank_threshold, worked_out

log = logging.getLogger("workbook.disclosure")


@dataclass(frozen=True)
class LinkedCell:
    """One published value: the inner cells it adds up, its exact value, whether it is
    ``[c]``, whether it may be suppressed to protect another value, and whether it is a
    secret: a value the ``[c]`` protects (a small count, or a complement), as opposed to one
    hidden only because its row is (the other column of a row hidden for a small count).
    ``secret`` left as None: every ``[c]`` is one."""

    inner: frozenset[Hashable]
    value: int
    hidden: bool
    complement: bool = True
    secret: bool | None = None


Key = frozenset[Hashable]


@dataclass
class _Values:
    """The published values by their inner cells (a value published twice is one): exact
    value, hidden, secret (hidden wherever published) and whether it may be a complement."""

    values: dict[Key, int] = field(default_factory=dict)
    hidden: dict[Key, bool] = field(default_factory=dict)
    secret: dict[Key, bool] = field(default_factory=dict)
    complement: dict[Key, bool] = field(default_factory=dict)
    #: the largest count secret for its own sake (None: every secret is): a larger secret
    #: is a complement, which a total may give away while the small counts it hides stay free
    small: int | None = None


def _merged(cells: Sequence[LinkedCell]) -> _Values:
    """A value is hidden when it is a secret somewhere (every copy is then hidden) or shown
    nowhere."""
    merged = _Values()
    shown: dict[Key, bool] = {}
    for cell in cells:
        key = cell.inner
        merged.values.setdefault(key, cell.value)
        shown[key] = shown.get(key, False) or not cell.hidden
        is_secret = cell.hidden if cell.secret is None else cell.secret
        merged.secret[key] = merged.secret.get(key, False) or is_secret
        merged.complement[key] = merged.complement.get(key, True) and cell.complement
    merged.hidden = {key: merged.secret[key] or not shown[key] for key in merged.values}
    return merged


def protect_linked(cells: Sequence[LinkedCell], small: int | None = None) -> list[bool]:
    """Whether each cell is a secret once no secret is a combination of shown values: a
    secret is ``[c]`` wherever it is published. Only adds: a secret on entry stays one, and
    a cell hidden on entry stays hidden whatever this says. ``small``: the largest count
    that is secret for its own sake (what a warning is about; None: every secret).
    """
    state = _merged(cells)
    state.small = small
    for component in _components(list(state.values)):
        _protect_component(component, state)
    return [state.secret[cell.inner] for cell in cells]


def _components(
    keys: list[frozenset[Hashable]], linked: Sequence[Sequence[frozenset[Hashable]]] = ()
) -> list[list[frozenset[Hashable]]]:
    """Groups of values that share inner cells (directly or through others, or through a
    group of ``linked`` values), in order."""
    parent = list(range(len(keys)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[Hashable, int] = {}
    for i, key in enumerate(keys):
        for inner in key:
            if inner in owner:
                parent[find(i)] = find(owner[inner])
            else:
                owner[inner] = i
    index = {key: i for i, key in enumerate(keys)}
    for group in linked:
        members = [index[k] for k in group if k in index]
        for i in members[1:]:
            parent[find(i)] = find(members[0])
    groups: dict[int, list[frozenset[Hashable]]] = {}
    for i, key in enumerate(keys):
        groups.setdefault(find(i), []).append(key)
    return list(groups.values())


def _protect_component(
    keys: list[frozenset[Hashable]],
    state: _Values,
) -> None:
    secret = state.secret
    if not any(secret[k] for k in keys):
        return
    given = {k for k in keys if secret[k]}
    _free_every_secret(keys, state)
    _show_known_zeros(keys, state, given)


def _show_known_zeros(
    keys: list[frozenset[Hashable]],
    state: _Values,
    given: set[frozenset[Hashable]],
) -> None:
    """Show again a 0 this step hid where other shown 0s tell the reader it is 0 anyway."""
    values, hidden, secret = state.values, state.hidden, state.secret
    for key in keys:
        if secret[key] and key not in given and values[key] == 0:
            others = {i for k in keys if k != key and values[k] == 0 and not hidden[k] for i in k}
            if key <= others:
                hidden[key] = secret[key] = False


def _free_every_secret(
    keys: list[frozenset[Hashable]],
    state: _Values,
) -> None:
    """Suppress more, round by round, until no secret of the component is pinned: which
    are, from the sparse, block by block test (:func:`worked_out`); what to hide for them,
    from the least-squares weights and leverages of the shown rows (:class:`BlockSpan`)."""
    values, hidden, secret = state.values, state.hidden, state.secret
    while True:
        # a reader knows the inner cells under a shown 0 are 0 (counts are never negative)
        known_zero = {i for k in keys if values[k] == 0 and not hidden[k] for i in k}
        columns = sorted({i for k in keys for i in k - known_zero}, key=repr)
        rows = incidence(keys, columns)
        shown = [r for r, k in enumerate(keys) if not hidden[k]]
        # a [c] over inner cells all known to be 0 is a 0 whatever is shown: nothing to free
        secrets = [
            r for r, k in enumerate(keys) if secret[k] and rows.indptr[r + 1] > rows.indptr[r]
        ]
        if not secrets:
            return
        part = rows[shown]
        threshold = rank_threshold(part)  # once a round, for both questions below
        found = worked_out(part, rows[secrets], threshold)
        pinned = [r for r, p in zip(secrets, found, strict=True) if p]
        if not pinned:
            return
        span = BlockSpan(rows, shown, threshold)
        chosen: list[int] = []
        for row in pinned:
            weights = span.weights(rows[row].toarray().ravel())
            if any(abs(weights[span.index[c]]) > 1e-9 for c in chosen):
                continue  # a row already chosen may free it: look again after
            extra = _freeing_row(span, weights, keys, state)
            if extra is None:
                extra = _zero_behind(span, weights, keys[row], keys, state)
            if extra is not None:
                chosen.append(extra)
        if not chosen:  # nothing that may be hidden is left to hide behind
            _left_pinned(keys, pinned, state)
            return
        for row in chosen:
            hidden[keys[row]] = secret[keys[row]] = True


def _zero_behind(
    span: Span | BlockSpan,
    weights: np.ndarray,
    target: frozenset[Hashable],
    keys: list[frozenset[Hashable]],
    state: _Values,
) -> int | None:
    """A shown 0 to hide when no other shown value can free ``target``: one that tells the
    reader some inner cell of the target or of the values that give it is 0 (hiding every 0
    over that cell makes it unknown again)."""
    values, hidden, complement = state.values, state.hidden, state.complement
    used = set(target).union(
        *(keys[row] for i, row in enumerate(span.rows) if abs(weights[i]) > 1e-9)
    )
    shown_zeros = [r for r, k in enumerate(keys) if not hidden[k] and values[k] == 0]
    # a 0 that a total shows (a total is never hidden) stays known: hiding others is no use
    for_good = set().union(*(keys[r] for r in shown_zeros if not complement[keys[r]]))
    zeros = [r for r in shown_zeros if complement[keys[r]] and (keys[r] & used) - for_good]
    return zeros[-1] if zeros else None


def _freeing_row(
    span: Span | BlockSpan,
    weights: np.ndarray,
    keys: list[frozenset[Hashable]],
    state: _Values,
) -> int | None:
    """The shown row to suppress next: the smallest whose suppression alone frees the
    target (every combination of shown rows that gives it uses this row), else the smallest
    that the least-squares combination uses (a cycle may need several); a shown 0 only when
    no other row is left (hiding it makes its inner cells unknown again).

    A shown row is used by every combination when it is not in the span of the other shown
    rows (its leverage is 1); its weight is then the same in all of them.
    """
    values, complement = state.values, state.complement
    shown = span.rows
    leverage = span.leverage
    order = sorted(  # a shown 0 last: hiding it only helps where nothing else is left
        (i for i, row in enumerate(shown) if complement[keys[row]]),
        key=lambda i: (values[keys[shown[i]]] == 0, values[keys[shown[i]]], -shown[i]),
    )
    used = [i for i in order if abs(weights[i]) > 1e-9]
    alone = [i for i in used if leverage[i] > 1 - 1e-9]
    chosen = (alone or used or [None])[0]
    return None if chosen is None else shown[chosen]


def protect_rounded(
    cells: Sequence[LinkedCell],
    small: int = 7,
    base: int = 5,
    equal: Sequence[Sequence[frozenset[Hashable]]] = (),
) -> list[bool]:
    """Under rounding (NHS England's method: a shown count is within ``base // 2`` of what
    is shown and never ``small`` or less, a ``[c]`` is 1 to ``small``), whether each cell
    is a secret (``[c]`` wherever it is published) once no hidden small count is pinned to
    one whole number.

    A count published twice is ``[c]`` in both places or in neither. For each hidden small
    count, linear programming finds its smallest and largest value given every rounded
    value of the run; while one is pinned, the smallest shown value that the combination
    giving it uses is suppressed too. Only adds suppression.

    ``equal``: groups of values (by their inner cells) a reader knows are the same number
    though they add up different inner cells (an area's total by group and by age): each
    rounded on its own, together they narrow it.
    """
    state = _merged(cells)
    for component in _components(list(state.values), equal):
        if any(state.secret[k] and 1 <= state.values[k] <= small for k in component):
            members = set(component)
            pairs = [
                (component.index(g[0]), component.index(k))
                for g in (g for g in equal if g and g[0] in members)
                for k in g[1:]
                if k in members
            ]
            _protect_rounded_component(component, state, small, base, pairs)
    return [state.secret[cell.inner] for cell in cells]


def _protect_rounded_component(
    keys: list[frozenset[Hashable]],
    state: _Values,
    small: int,
    base: int,
    pairs: list[tuple[int, int]],
) -> None:
    values, hidden, secret = state.values, state.hidden, state.secret
    columns = sorted({i for k in keys for i in k}, key=repr)
    matrix = incidence(keys, columns).toarray()
    while True:
        bounds = _RoundedBounds(matrix, [values[k] for k in keys], [hidden[k] for k in keys], pairs)
        secrets = [r for r, k in enumerate(keys) if secret[k] and 1 <= values[k] <= small]
        pinned = bounds.pinned(secrets, small, base)
        if not pinned:
            return
        shown = [r for r, k in enumerate(keys) if not hidden[k]]
        span = Span(matrix, shown)
        extra = next(
            (
                found
                for row in pinned
                if (found := _freeing_row(span, span.weights(matrix[row]), keys, state)) is not None
            ),
            None,
        )
        if extra is None:
            _left_pinned(keys, pinned)
            return
        hidden[keys[extra]] = secret[keys[extra]] = True


def _left_pinned(keys: list[Key], rows: list[int], state: _Values | None = None) -> None:
    """Say so when a secret stays pinned because only totals and headlines (never hidden)
    could free it: an area smaller than the smallest count shown, say. Where every pinned
    value is a complement (above ``state.small``), the small counts are free (they would be
    among the pinned): that is logged for debugging only, not as a warning."""
    small = state.small if state is not None else None
    own = [r for r in rows if small is None or 1 <= state.values[keys[r]] <= small]
    named = "; ".join(sorted(repr(sorted(map(repr, keys[r])))[:120] for r in (own or rows)[:3]))
    if not own:
        log.debug(
            "%d complements chosen to hide small counts can be worked out from published "
            "totals; no small count can: %s",
            len(rows),
            named,
        )
        return
    log.warning(
        "%d suppressed values can still be worked out from published totals and headline "
        "figures (an area with fewer people than the smallest count shown?): %s",
        len(own),
        named,
    )


class _RoundedBounds:
    """What a reader of rounded values knows, as linear inequalities over the inner cells."""

    def __init__(
        self,
        matrix: np.ndarray,
        values: list[int],
        hidden: list[bool],
        pairs: list[tuple[int, int]],
    ) -> None:
        self.matrix, self.values, self.hidden = matrix, values, hidden
        rows = [matrix[a] - matrix[b] for a, b in pairs]
        self.a_eq = np.array(rows) if rows else None
        self.b_eq = np.zeros(len(rows)) if rows else None

    def pinned(self, rows: list[int], small: int, base: int) -> list[int]:
        """The rows of ``rows`` left one whole number by the rounded values. Solutions for a
        few random objectives first: a row they already give two values a whole number
        apart is free, and only the others are minimised and maximised."""
        if not rows:
            return []
        from scipy.optimize import linprog

        a_ub, b_ub = self._inequalities(small, base)
        seen: list[np.ndarray] = []
        generator = np.random.default_rng(0)
        for _ in range(8):
            objective = generator.normal(size=self.matrix.shape[1])
            found = linprog(objective, A_ub=a_ub, b_ub=b_ub, **self._common)
            if found.status == 0:
                seen.append(self.matrix[rows] @ found.x)
        seen_array = np.array(seen) if seen else np.zeros((1, len(rows)))
        whole = np.floor(seen_array.max(axis=0) + 1e-6) - np.ceil(seen_array.min(axis=0) - 1e-6)
        pinned = []
        for row, apart in zip(rows, whole, strict=True):
            if apart >= 1:  # two whole numbers are already possible
                continue
            objective = self.matrix[row]
            low, high = (
                linprog(sign * objective, A_ub=a_ub, b_ub=b_ub, **self._common) for sign in (1, -1)
            )
            if low.status == 3 or high.status == 3:  # unbounded: certainly free
                continue
            if low.status != 0 or high.status != 0:  # no answer: taken as pinned, to be safe
                pinned.append(row)
                continue
            if np.ceil(low.fun - 1e-6) >= np.floor(-high.fun + 1e-6):
                pinned.append(row)
        return pinned

    @property
    def _common(self) -> dict:
        return {"A_eq": self.a_eq, "b_eq": self.b_eq, "bounds": (0, None), "method": "highs"}

    def _inequalities(self, small: int, base: int) -> tuple[np.ndarray, np.ndarray]:
        error = base // 2
        lows, highs = [], []
        for value, hidden in zip(self.values, self.hidden, strict=True):
            if hidden:
                low, high = (1.0, float(small)) if 1 <= value <= small else (0.0, np.inf)
            elif value == 0:
                low, high = 0.0, 0.0
            else:
                shown = (value / base + 0.5) // 1 * base
                low, high = max(shown - error, small + 1.0), shown + error
            lows.append(low)
            highs.append(high)
        finite = np.isfinite(highs)
        a_ub = np.vstack([self.matrix[finite], -self.matrix])
        return a_ub, np.concatenate([np.array(highs)[finite], -np.array(lows)])
