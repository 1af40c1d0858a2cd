"""The span of a run's shown values: which ``[c]`` a reader can work out from them, and the
least-squares weights and leverages that choose what to hide next.

The linear algebra of :mod:`pipelines.linked_suppression`. Each published value is a row of
0s and 1s over the inner cells it adds up; a ``[c]`` is pinned when its row lies in the span
of the shown rows. :class:`Span` decomposes the whole Gram matrix at once (the rounded step's
few hundred values). A run's largest linked values (thousands of values over thousands of
inner cells) are never decomposed whole: :func:`worked_out` and :class:`BlockSpan` ask the
same questions in blocks of values that share no inner cell, once the few values over many
cells (the overview's totals) are set apart; in exact arithmetic the answers are
:class:`Span`'s. Pure functions over numpy arrays and scipy's sparse matrices.
"""

from __future__ import annotations

import logging
from collections.abc import Hashable, Sequence

import numpy as np
from scipy import sparse

log = logging.getLogger("workbook.disclosure")

#: Singular values below this share of the largest are taken as 0 (the cells are 0/1 sums).
RANK_TOLERANCE = 1e-9


class Span:
    """The span of the shown rows: an orthonormal basis of it, and each shown row's part.

    From one symmetric eigendecomposition of the Gram matrix of the inner cells (``X'X``),
    which is smaller than the rows and faster than a singular value decomposition. The
    rounded step's (a few hundred values at most); the linked step asks
    :func:`worked_out` and :class:`BlockSpan` the same questions block by block.
    """

    def __init__(self, matrix: np.ndarray, shown: list[int]) -> None:
        self.rows = shown
        self.index = {row: i for i, row in enumerate(shown)}
        part = matrix[shown]
        values, vectors = np.linalg.eigh(gram(part))
        keep = values > max(values.max(initial=0.0), 1.0) * RANK_TOLERANCE
        self.basis = vectors[:, keep].T  # rows: orthonormal basis of the shown rows' span
        self.singular = np.sqrt(values[keep])
        self.left = (part @ self.basis.T) / self.singular if shown else np.zeros((0, 0))

    def pinned(self, hidden: list[int], matrix: np.ndarray) -> list[int]:
        """Hidden rows in the span: a reader can compute them from shown values."""
        if not hidden:
            return []
        vectors = matrix[hidden]
        outside = vectors - (vectors @ self.basis.T) @ self.basis
        gaps = np.abs(outside).max(axis=1)
        return [r for r, gap in zip(hidden, gaps, strict=True) if gap < PINNED_GAP]

    def weights(self, target: np.ndarray) -> np.ndarray:
        """The least-squares weights of the shown rows that add up to ``target``."""
        return self.left @ ((self.basis @ target) / self.singular)

    @property
    def leverage(self) -> np.ndarray:
        return (self.left**2).sum(axis=1)


#: Above this many cells a 0/1 matrix's Gram matrix is counted as a sparse product.
SPARSE_GRAM_CELLS = 1_000_000


def gram(part: np.ndarray) -> np.ndarray:
    """``part.T @ part`` for a matrix of 0s and 1s: each entry counts the rows two inner
    cells share, a whole number, so a sparse product gives the very same matrix; on a run's
    largest linked tables (thousands of rows and cells, a few ones in each row) it takes
    milliseconds where the dense product takes minutes."""
    if part.size <= SPARSE_GRAM_CELLS:
        return part.T @ part
    rows = sparse.csr_matrix(part)
    return (rows.T @ rows).toarray()


def incidence(keys: Sequence[frozenset[Hashable]], columns: list[Hashable]) -> sparse.csr_matrix:
    """The values (rows) by the inner cells ``columns`` (an inner cell not among them is
    left out): 1 where a value adds up the cell. The dense form is the matrix a round of
    :func:`pipelines.linked_suppression._free_every_secret` has always built, entry for entry."""
    position = {inner: j for j, inner in enumerate(columns)}
    cells = [sorted(position[i] for i in key if i in position) for key in keys]
    indptr = np.zeros(len(keys) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(c) for c in cells])
    indices = np.fromiter((j for c in cells for j in c), dtype=np.int64, count=int(indptr[-1]))
    data = np.ones(len(indices))
    return sparse.csr_matrix((data, indices, indptr), shape=(len(keys), len(columns)))


#: A shown row adding up more inner cells than this is set apart from the blocks (in
#: :func:`worked_out`, counting the cells a reader cannot work out; in :class:`BlockSpan`,
#: all): a total over many places would otherwise join them all into one. Any limit gives
#: the same answers; this one keeps the blocks small and the rows set apart few.
DENSE_ROW_CELLS = 32
#: A secret is pinned when no inner cell of it is further than this from the shown rows'
#: span (its vector less its projection on that span).
PINNED_GAP = 1e-7


def rank_threshold(rows: sparse.csr_matrix) -> float:
    """The eigenvalue at or below which a Gram eigenvalue of ``rows`` counts as 0:
    :data:`RANK_TOLERANCE` of the largest (at least 1), as :class:`Span` counts them."""
    return max(_largest_eigenvalue(rows), 1.0) * RANK_TOLERANCE


def worked_out(
    shown: sparse.csr_matrix, targets: sparse.csr_matrix, threshold: float | None = None
) -> np.ndarray:
    """Which ``targets`` (rows over the same inner cells) lie in the span of the ``shown``
    rows: the test :meth:`Span.pinned` makes, without the eigendecomposition of the whole
    Gram matrix. Three steps, each exact in exact arithmetic, give the same residual
    (target less its projection on the span) that test measures:

    1. The inner cells a reader can work out (a shown row with one cell not yet worked out
       gives it, and so on) are in the span one by one: the residual is 0 on them, and the
       rest of the span is that of the shown rows on the other cells.
    2. Those rows fall apart into blocks sharing no cell, once the few rows over many cells
       (:data:`DENSE_ROW_CELLS`) are set apart; the span of the blocks is the sum of each
       block's, found from the smaller Gram matrix of the block (its rows' or its cells').
    3. The rows set apart add what of them the blocks do not span.

    Eigenvalues below :data:`RANK_TOLERANCE` of the largest of the whole shown matrix's Gram
    matrix (as :class:`Span` counts them) are taken as 0 in each step: on 0/1 rows the
    kept ones are many orders of magnitude above that and the dropped ones as far below.
    A target over a cell no shown row adds up is never in the span. ``threshold``: that
    eigenvalue (:func:`rank_threshold` of ``shown``), where the caller has it already.
    """
    pinned = np.zeros(targets.shape[0], dtype=bool)
    if shown.shape[0] == 0 or targets.shape[0] == 0:
        return pinned
    threshold = rank_threshold(shown) if threshold is None else threshold
    unknown = np.flatnonzero(~_determined(shown))
    rest = shown[:, unknown]
    rest = rest[np.diff(rest.indptr) > 0]
    wanted = targets[:, unknown]
    covered = np.zeros(len(unknown), dtype=bool)
    covered[rest.indices] = True
    outside = wanted @ (~covered).astype(float)  # cells of the target no shown row adds up
    pinned[np.diff(wanted.indptr) == 0] = True  # every cell of it worked out
    open_rows = np.flatnonzero((np.diff(wanted.indptr) > 0) & (outside == 0))
    if not len(open_rows):
        return pinned
    _, _, blocks, beyond = _split_span(rest, threshold)
    bases = [(cells, basis) for _, cells, _, basis, _ in blocks]
    block_of = np.full(len(unknown), -1)  # each cell's block
    for number, (cells, _) in enumerate(bases):
        block_of[cells] = number
    gaps = _gaps(wanted[open_rows], bases, block_of, beyond)
    pinned[open_rows] = gaps < PINNED_GAP
    return pinned


def _split_span(
    rows: sparse.csr_matrix, threshold: float
) -> tuple[np.ndarray, np.ndarray, list[tuple[np.ndarray, ...]], np.ndarray]:
    """``rows``' span in parts: which rows add up more than :data:`DENSE_ROW_CELLS` cells
    (``dense``) and those rows as an array; the other rows in blocks sharing no cell, each
    as (its rows, its cells, the block, an orthonormal basis of its span, the eigenvalues);
    and an orthonormal basis of what of the dense rows the blocks do not span."""
    dense = np.diff(rows.indptr) > DENSE_ROW_CELLS
    many = rows[dense].toarray()
    rest = many.copy()
    blocks = []
    for part, cells, block in _blocks(rows[~dense]):
        basis, values = _row_basis(block, threshold)
        rest[:, cells] -= (many[:, cells] @ basis) @ basis.T
        blocks.append((part, cells, block, basis, values))
    return dense, many, blocks, _row_basis(rest, threshold)[0]


#: Targets whose residuals :func:`_gaps` holds at once (each as long as the cells left).
GAP_CHUNK = 512


def _gaps(
    targets: sparse.csr_matrix,
    bases: list[tuple[np.ndarray, np.ndarray]],
    block_of: np.ndarray,
    beyond: np.ndarray,
) -> np.ndarray:
    """Each target's largest distance, cell by cell, from its projection on the span whose
    orthonormal basis is each block's (``bases``: its cells and basis, ``block_of``: each
    cell's block or -1) and ``beyond`` (over every cell, orthogonal to the blocks'). A block
    a target has no cell in adds nothing to its projection, so each block projects only
    the targets in it, a chunk of targets at a time."""
    gaps = np.zeros(targets.shape[0])
    for start in range(0, targets.shape[0], GAP_CHUNK):
        part = targets[start : start + GAP_CHUNK]
        residual = part.toarray()
        residual -= (part @ beyond) @ beyond.T
        entries = part.tocoo()
        owner = block_of[entries.col]
        pairs = np.unique(np.stack([owner, entries.row])[:, owner >= 0], axis=1)
        splits = np.flatnonzero(np.diff(pairs[0])) + 1
        for block_rows in np.split(pairs, splits, axis=1):
            if not block_rows.size:
                continue
            cells, basis = bases[block_rows[0, 0]]
            where = np.ix_(block_rows[1], cells)
            residual[where] -= (residual[where] @ basis) @ basis.T
        gaps[start : start + GAP_CHUNK] = np.abs(residual).max(axis=1, initial=0.0)
    return gaps


class BlockSpan:
    """What :class:`Span` gives a round (each shown row's least-squares weight for a
    target in the span, each shown row's leverage), block by block.

    The shown rows ``A`` are split as in :func:`worked_out` (without taking away the cells
    a reader works out, which would change the weights): rows over few cells ``B``, in blocks
    sharing no cell, and the few rows over many ``D``. The span has an orthonormal basis
    ``Q = [V, W]``: ``V`` eigenvectors of each block's cells' Gram matrix (eigenvalues
    ``L``), ``W`` the rest of ``D``'s span. ``A'A = Q H Q'`` with ``H = diag(L, 0) + N'N``,
    ``N = D Q`` (one row per dense row): the weights ``A Q H^-1 Q' t`` and the leverages
    ``diag(A Q H^-1 Q' A')`` need ``H^-1`` only, which the Woodbury identity and a Schur
    complement give from matrices as small as ``D`` has rows. In exact arithmetic these are
    the very weights and leverages of :class:`Span`; eigenvalues are taken as 0 as there
    (``threshold``: :func:`rank_threshold` of the shown rows, where the caller has it).
    """

    def __init__(
        self, incidence: sparse.csr_matrix, shown: list[int], threshold: float | None = None
    ) -> None:
        self.rows = shown
        self.index = {row: i for i, row in enumerate(shown)}
        rows = incidence[shown]
        threshold = rank_threshold(rows) if threshold is None else threshold
        dense, many, blocks, self.apart = _split_span(rows, threshold)  # apart: W
        self.sparse_rows, self.dense_rows = np.flatnonzero(~dense), np.flatnonzero(dense)
        # (shown rows, cells, V, L, each row's coordinates B V)
        self.blocks = [
            (self.sparse_rows[part], cells, basis, values, block @ basis)
            for part, cells, block, basis, values in blocks
        ]
        self.values = np.concatenate([b[3] for b in self.blocks] or [np.zeros(0)])
        self.across = np.hstack(  # N = D Q: the dense rows in the basis of the blocks, then W
            [many[:, b[1]] @ b[2] for b in self.blocks] + [many @ self.apart]
        )
        size = len(self.values)
        self.n_b, n_w = self.across[:, :size], self.across[:, size:]
        n_b = self.n_b
        # M = I + N_B L^-1 N_B' ; P = L + N_B' N_B ; S = N_W' M^-1 N_W ; Y = P^-1 N_B' N_W
        self.middle = np.eye(len(self.dense_rows)) + (n_b / self.values) @ n_b.T
        self.schur_of = n_w.T @ np.linalg.solve(self.middle, n_w)
        self.carry = self._solve_p(n_b.T @ n_w)
        self.leverage = self._leverages()

    def _solve_p(self, y: np.ndarray) -> np.ndarray:
        """``(L + N_B' N_B)^-1 y`` by the Woodbury identity."""
        values = self.values[:, None] if y.ndim == 2 else self.values
        scaled = y / values
        return scaled - (self.n_b.T @ np.linalg.solve(self.middle, self.n_b @ scaled)) / values

    def _solve_h(self, y_b: np.ndarray, y_w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``H^-1 (y_b, y_w)``: the Schur complement on ``W``'s part."""
        z_w = np.linalg.solve(self.schur_of, y_w - self.carry.T @ y_b)
        return self._solve_p(y_b) - self.carry @ z_w, z_w

    def weights(self, target: np.ndarray) -> np.ndarray:
        """The least-squares weights of the shown rows that add up to ``target`` (a row of
        the whole dense matrix, in the span)."""
        y_b = np.concatenate([b[2].T @ target[b[1]] for b in self.blocks] or [np.zeros(0)])
        z_b, z_w = self._solve_h(y_b, self.apart.T @ target)
        found = np.zeros(len(self.rows))
        start = 0
        for rows, _, _, values, coordinates in self.blocks:
            found[rows] = coordinates @ z_b[start : start + len(values)]
            start += len(values)
        found[self.dense_rows] = self.across @ np.concatenate([z_b, z_w])
        return found

    def _leverages(self) -> np.ndarray:
        """``diag(A Q H^-1 Q' A')``, block by block for the rows over few cells."""
        size, n_b = len(self.values), self.n_b
        found = np.zeros(len(self.rows))
        start = 0
        for rows, _, _, values, coordinates in self.blocks:
            part = slice(start, start + len(values))
            start += len(values)
            scaled = coordinates / values  # rows x k: x L^-1
            woodbury = n_b[:, part] @ scaled.T  # N_B L^-1 x'
            schur = self.carry[part].T @ coordinates.T  # Y' x'
            found[rows] = (
                (coordinates * scaled).sum(axis=1)
                - (woodbury * np.linalg.solve(self.middle, woodbury)).sum(axis=0)
                + (schur * np.linalg.solve(self.schur_of, schur)).sum(axis=0)
            )
        for i, row in enumerate(self.dense_rows):
            z_b, z_w = self._solve_h(self.across[i, :size], self.across[i, size:])
            found[row] = self.across[i] @ np.concatenate([z_b, z_w])
        return found


def _largest_eigenvalue(rows: sparse.csr_matrix) -> float:
    """The largest eigenvalue of ``rows``' Gram matrix (its squared norm), by Lanczos on the
    product with the rows, never formed (a total over every cell makes it dense); from the
    smaller Gram matrix, dense, where that is small or Lanczos does not converge."""
    from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, eigsh

    if min(rows.shape) > 64:
        gram = LinearOperator(
            (rows.shape[1], rows.shape[1]), matvec=lambda x: rows.T @ (rows @ x), dtype=float
        )
        start = np.ones(rows.shape[1])  # a fixed start: the same figure every run
        try:
            return float(eigsh(gram, k=1, which="LA", v0=start, return_eigenvectors=False)[0])
        except ArpackNoConvergence:
            log.debug("Lanczos did not converge: the largest eigenvalue from the dense Gram")
    small = rows.toarray()
    small = small @ small.T if rows.shape[0] <= rows.shape[1] else small.T @ small
    return float(np.linalg.eigvalsh(small).max(initial=0.0))


def _determined(rows: sparse.csr_matrix) -> np.ndarray:
    """The cells (columns) a reader can work out from ``rows`` alone: a row with one cell not
    yet worked out gives that cell, repeated until no row does."""
    unknown = np.ones(rows.shape[1], dtype=bool)
    number = np.arange(rows.shape[1], dtype=float)
    while True:
        left = unknown.astype(float)
        giving = np.flatnonzero(rows @ left == 1)
        if not len(giving):
            return ~unknown
        unknown[np.rint(rows[giving] @ (left * number)).astype(np.int64)] = False


def _blocks(rows: sparse.csr_matrix) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``rows`` split into blocks that share no cell: each block's rows, its cells (indices
    into ``rows`` and its columns) and the block as a dense array. A cell no row adds up is
    in none."""
    from scipy.sparse.csgraph import connected_components

    if rows.shape[0] == 0:
        return []
    graph = sparse.bmat([[None, rows], [rows.T, None]], format="csr")
    _, labels = connected_components(graph, directed=False)
    names, of_row = np.unique(labels[: rows.shape[0]], return_inverse=True)
    used = np.flatnonzero(np.bincount(rows.indices, minlength=rows.shape[1]))
    of_cell = np.searchsorted(names, labels[rows.shape[0] :][used])
    row_parts, local_row = _grouped(of_row, len(names))
    cell_parts, local_cell = _grouped(of_cell, len(names))
    entries = rows.tocoo()
    place = np.full(rows.shape[1], -1, dtype=np.int64)
    place[used] = local_cell
    entry_parts, _ = _grouped(of_row[entries.row], len(names))
    found = []
    for b, entry in enumerate(entry_parts):
        dense = np.zeros((len(row_parts[b]), len(cell_parts[b])))
        dense[local_row[entries.row[entry]], place[entries.col[entry]]] = 1.0
        found.append((row_parts[b], used[cell_parts[b]], dense))
    return found


def _grouped(group: np.ndarray, groups: int) -> tuple[list[np.ndarray], np.ndarray]:
    """The members of each group (indices, in order), and each member's place in its group."""
    order = np.argsort(group, kind="stable")
    bounds = np.searchsorted(group[order], np.arange(groups + 1))
    local = np.empty(len(group), dtype=np.int64)
    local[order] = np.arange(len(group)) - bounds[group[order]]
    return [order[bounds[g] : bounds[g + 1]] for g in range(groups)], local


def _row_basis(block: np.ndarray, threshold: float) -> tuple[np.ndarray, np.ndarray]:
    """An orthonormal basis (columns) of the span of ``block``'s rows, eigenvectors of its
    cells' Gram matrix, and their eigenvalues; from the eigendecomposition of the smaller of
    its two Gram matrices, eigenvalues at or below ``threshold`` taken as 0. An eigenvalue
    within a factor :data:`RANK_MARGIN` of the threshold is logged (debug): there the rank
    decided could depend on rounding, which 0/1 rows have never come near."""
    gram = block @ block.T if block.shape[0] < block.shape[1] else block.T @ block
    values, vectors = np.linalg.eigh(gram)
    keep = values > threshold
    near = (values > threshold / RANK_MARGIN) & (values < threshold * RANK_MARGIN)
    if near.any():
        log.debug("an eigenvalue near the rank tolerance: %s", values[near][:5])
    if block.shape[0] < block.shape[1]:
        return (block.T @ vectors[:, keep]) / np.sqrt(values[keep]), values[keep]
    return vectors[:, keep], values[keep]


#: How close (a factor) to the rank threshold an eigenvalue must be to be logged.
RANK_MARGIN = 100.0
