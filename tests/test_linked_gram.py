"""The Gram matrix of a large 0/1 matrix, counted as a sparse product, is the dense one exactly."""

from __future__ import annotations

import numpy as np

from pipelines.linked_span import SPARSE_GRAM_CELLS, gram


def test_the_sparse_gram_is_the_dense_gram_bit_for_bit() -> None:
    rng = np.random.default_rng(7)
    rows, columns = 1500, 1000
    assert rows * columns > SPARSE_GRAM_CELLS  # the sparse path
    part = (rng.random((rows, columns)) < 0.004).astype(float)
    part[:, 0] = 1.0  # a cell every value adds up (a total's), and one none does
    part[:, 1] = 0.0
    found = gram(part)
    assert found.dtype == np.float64 and found.shape == (columns, columns)
    assert np.array_equal(found, part.T @ part)


def test_a_small_matrix_keeps_the_dense_product() -> None:
    part = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    assert np.array_equal(gram(part), part.T @ part)
