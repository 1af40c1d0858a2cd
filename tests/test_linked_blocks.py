"""The sparse, block by block pinned test decides as the dense one did (#22).

:func:`pipelines.linked_span.worked_out` replaced, in each round of the linked step, the
eigendecomposition of the whole Gram matrix (:class:`pipelines.linked_span.Span`) as the test of which
``[c]`` a reader can work out. The dense round it replaced is kept here
(:func:`dense_free_every_secret`, the step as it was) and both are run on random linked
tables: the same values must come out ``[c]``.
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from pipelines import linked_span as span_module
from pipelines import linked_suppression as linked
from pipelines.linked_suppression import LinkedCell, protect_linked


def dense_free_every_secret(keys: list[frozenset[Hashable]], state: linked._Values) -> None:
    """The linked step's rounds before #22: the dense matrix and its whole span each round."""
    values, hidden, secret = state.values, state.hidden, state.secret
    while True:
        known_zero = {i for k in keys if values[k] == 0 and not hidden[k] for i in k}
        columns = sorted({i for k in keys for i in k - known_zero}, key=repr)
        position = {inner: j for j, inner in enumerate(columns)}
        matrix = np.zeros((len(keys), len(columns)))
        for row, key in enumerate(keys):
            matrix[row, [position[i] for i in key if i in position]] = 1.0
        shown = [r for r, k in enumerate(keys) if not hidden[k]]
        secrets = [r for r, k in enumerate(keys) if secret[k] and matrix[r].any()]
        span = span_module.Span(matrix, shown)
        pinned = span.pinned(secrets, matrix)
        if not pinned:
            return
        chosen: list[int] = []
        for row in pinned:
            weights = span.weights(matrix[row])
            if any(abs(weights[span.index[c]]) > 1e-9 for c in chosen):
                continue
            extra = linked._freeing_row(span, weights, keys, state)
            if extra is None:
                extra = linked._zero_behind(span, weights, keys[row], keys, state)
            if extra is not None:
                chosen.append(extra)
        if not chosen:
            linked._left_pinned(keys, pinned, state)
            return
        for row in chosen:
            hidden[keys[row]] = secret[keys[row]] = True


def linked_run(
    measures: int, regions: int, groups: int, localities: list[int], draw: np.random.Generator
) -> list[LinkedCell]:
    """Linked tables as a run publishes them, for each measure: each locality's and region's
    group counts, each region's line total, the overview's group counts and its total; a few
    extra sums of random cells (shown, never complements), and small counts ``[c]``."""
    cells: list[LinkedCell] = []

    def publish(inner: set, finest: dict, total: bool = False) -> None:
        value = sum(finest[i] for i in inner)
        if total and 1 <= value < 10:  # a smaller total is itself [c]: not published
            return
        small = not total and 1 <= value < 10
        cells.append(LinkedCell(frozenset(inner), value, small, complement=not total))

    for m in range(measures):
        finest = {
            (m, g, r, f): int(draw.choice([0, 0, 1, 3, 8, 12, 25, 40]))
            for r in range(regions)
            for g in range(groups)
            for f in range(max(localities[r], 1))
        }
        for r in range(regions):
            for g in range(groups):
                places = {i for i in finest if i[1] == g and i[2] == r}
                if localities[r]:
                    for i in places:
                        publish({i}, finest)
                publish(places, finest)
            publish({i for i in finest if i[2] == r}, finest, total=True)
        for g in range(groups):
            publish({i for i in finest if i[1] == g}, finest)
        publish(set(finest), finest, total=True)
        every = sorted(finest)
        for _ in range(int(draw.integers(0, 3))):
            picked = draw.choice(len(every), size=int(draw.integers(2, 5)), replace=False)
            publish({every[p] for p in picked}, finest, total=True)
    return cells


runs = st.tuples(
    st.integers(1, 2),
    st.integers(2, 5),
    st.integers(2, 4),
    st.lists(st.integers(0, 3), min_size=5, max_size=5),
    st.integers(0, 2**32 - 1),
)


@pytest.mark.parametrize("dense_row_cells", [2, 4, span_module.DENSE_ROW_CELLS])
@settings(max_examples=60, deadline=None)
@given(run=runs)
def test_random_linked_runs_suppress_as_the_dense_rounds_did(
    run: tuple[int, int, int, list[int], int], dense_row_cells: int
) -> None:
    measures, regions, groups, localities, seed = run
    cells = linked_run(measures, regions, groups, localities, np.random.default_rng(seed))
    with pytest.MonkeyPatch.context() as patch:
        # a low limit sets most totals apart from the blocks: the third step does the work
        patch.setattr(span_module, "DENSE_ROW_CELLS", dense_row_cells)
        patch.setattr(span_module, "GAP_CHUNK", 5)
        blocks = protect_linked(cells, small=9)
        patch.setattr(linked, "_free_every_secret", dense_free_every_secret)
        dense = protect_linked(cells, small=9)
    assert blocks == dense


@pytest.mark.parametrize("dense_row_cells", [1, 3, span_module.DENSE_ROW_CELLS])
@settings(max_examples=150, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_the_pinned_test_matches_the_whole_span_on_random_rows(
    seed: int, dense_row_cells: int
) -> None:
    draw = np.random.default_rng(seed)
    rows, columns = int(draw.integers(1, 40)), int(draw.integers(1, 30))
    matrix = (draw.random((rows, columns)) < draw.choice([0.05, 0.15, 0.4])).astype(float)
    for _ in range(int(draw.integers(0, 5))):  # some rows the sum of others: cycles
        a, b, c = draw.integers(0, rows, size=3)
        matrix[a] = np.maximum(matrix[b], matrix[c])
    shown = sorted(draw.choice(rows, size=int(draw.integers(0, rows + 1)), replace=False))
    hidden = [r for r in range(rows) if r not in shown and matrix[r].any()]
    dense = span_module.Span(matrix, shown).pinned(hidden, matrix)
    incidence = sparse.csr_matrix(matrix)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(span_module, "DENSE_ROW_CELLS", dense_row_cells)
        patch.setattr(span_module, "GAP_CHUNK", 3)  # targets a few at a time
        found = span_module.worked_out(incidence[shown], incidence[hidden])
    assert [r for r, p in zip(hidden, found, strict=True) if p] == dense


def test_blocks_keep_every_row_and_cell_once() -> None:
    matrix = np.array(
        [
            [1, 1, 0, 0, 0, 0],
            [0, 0, 0, 1, 1, 0],
            [0, 1, 0, 0, 0, 0],
            [0, 0, 0, 0, 1, 0],
        ],
        dtype=float,
    )
    blocks = span_module._blocks(sparse.csr_matrix(matrix))
    assert [(r.tolist(), c.tolist()) for r, c, _ in blocks] == [([0, 2], [0, 1]), ([1, 3], [3, 4])]
    for rows, cells, block in blocks:
        assert np.array_equal(block, matrix[np.ix_(rows, cells)])


def test_a_cell_a_reader_works_out_step_by_step() -> None:
    # b alone gives b; a + b then gives a; c + d stays open
    rows = sparse.csr_matrix(np.array([[1, 1, 0, 0], [0, 1, 0, 0], [0, 0, 1, 1]], dtype=float))
    assert span_module._determined(rows).tolist() == [True, True, False, False]


@pytest.mark.parametrize("dense_row_cells", [1, 3, span_module.DENSE_ROW_CELLS])
@settings(max_examples=100, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_block_weights_and_leverages_are_the_whole_spans(seed: int, dense_row_cells: int) -> None:
    draw = np.random.default_rng(seed)
    rows, columns = int(draw.integers(1, 30)), int(draw.integers(1, 25))
    matrix = (draw.random((rows, columns)) < draw.choice([0.1, 0.3])).astype(float)
    for _ in range(int(draw.integers(0, 4))):
        a, b, c = draw.integers(0, rows, size=3)
        matrix[a] = np.maximum(matrix[b], matrix[c])
    shown = sorted(draw.choice(rows, size=int(draw.integers(1, rows + 1)), replace=False))
    whole = span_module.Span(matrix, shown)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(span_module, "DENSE_ROW_CELLS", dense_row_cells)
        blocks = span_module.BlockSpan(sparse.csr_matrix(matrix), shown)
    assert np.allclose(blocks.leverage, whole.leverage, atol=1e-9)
    one = 1 - 1e-9  # the leverage of a row every combination uses
    assert np.array_equal(blocks.leverage > one, whole.leverage > one)
    for row in whole.pinned(list(range(rows)), matrix):  # targets in the span
        expected, found = whole.weights(matrix[row]), blocks.weights(matrix[row])
        assert np.allclose(found, expected, atol=1e-8)
        assert np.array_equal(np.abs(found) > 1e-9, np.abs(expected) > 1e-9)
