"""What a comment is about, beside the words it uses: the average of its tokens' word
embeddings, so "the fees are far too expensive" and "I cannot afford the charges" sit close
together although they share no word.

The embeddings are WordLlama's ``l2_supercat`` model (D. Lee Miller, MIT licence: token
embeddings taken from large language models and trained for sentence similarity), cut to
its first :data:`DIMENSIONS` of 256. Its weights and tokenizer ship inside the ``wordllama``
wheel that ``make setup`` installs, and are read from the installed package's files: nothing
is downloaded, nothing is sent. The package's own loader (which looks for its tokenizer in a
folder the wheel does not have, then tries Hugging Face) and its import (which configures
the root logger) are not used.

A comment's meaning is the mean of its tokens' rows, scaled to length 1 (as WordLlama's
``embed(..., norm=True)`` gives it), worked out as a sparse token-count matrix times the
embeddings, so a very long comment costs memory in proportion to its tokens, never tokens
times dimensions. Runs of spaces, tabs and line breaks are read as one space first (the
tokenizer gives each extra one a token of its own, which would pull a comment typed with
line breaks away from the same words typed on one line). A blank comment gets a row of
zeros.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from importlib.util import find_spec
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin

#: The model's files inside the installed ``wordllama`` package.
WEIGHTS_FILE = Path("weights") / "l2_supercat_256.safetensors"
TOKENIZER_FILE = Path("tokenizers") / "l2_supercat_tokenizer_config.json"
#: Columns of a comment's meaning: the first 128 of the model's 256 (it was trained with
#: Matryoshka representation learning, so a truncated embedding keeps its sense). On the
#: evaluation in docs/theme-suggestions.md, 128 did as well as 256 with 60% of comments
#: coded and nearly as well with 30%, for 13% less learning time than 256 (64: a little
#: worse with 30% coded).
DIMENSIONS = 128
#: What the model file records of the embeddings.
MODEL_NAME = f"WordLlama l2_supercat (256 dimensions), the first {DIMENSIONS}"


class MeaningModelMissing(RuntimeError):
    """The installed ``wordllama`` package lacks the model's files."""


def _package_folder() -> Path:
    """The installed ``wordllama`` package's folder, found without importing it."""
    spec = find_spec("wordllama")
    if spec is None or not spec.submodule_search_locations:
        raise MeaningModelMissing(
            "The wordllama package is not installed: run `make setup` to install the workbook's "
            "dependencies."
        )
    return Path(next(iter(spec.submodule_search_locations)))


@functools.cache
def _model() -> tuple[object, np.ndarray]:
    """The tokenizer and the embedding matrix (tokens x :data:`DIMENSIONS`, float32)."""
    from safetensors import safe_open
    from tokenizers import Tokenizer

    folder = _package_folder()
    weights, vocabulary = folder / WEIGHTS_FILE, folder / TOKENIZER_FILE
    for path in (weights, vocabulary):
        if not path.is_file():
            raise MeaningModelMissing(
                f"The wordllama package has no {path.relative_to(folder)}: reinstall it with "
                "`make setup` (its wheel carries the model's files)."
            )
    tokenizer = Tokenizer.from_file(str(vocabulary))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    with safe_open(str(weights), framework="numpy") as tensors:
        embedding = np.ascontiguousarray(
            tensors.get_tensor("embedding.weight")[:, :DIMENSIONS], dtype=np.float32
        )
    if embedding.shape[1] != DIMENSIONS or tokenizer.get_vocab_size() > embedding.shape[0]:
        raise MeaningModelMissing(
            f"wordllama's {WEIGHTS_FILE} ({embedding.shape[0]} tokens x {embedding.shape[1]} "
            f"dimensions) does not fit its tokenizer ({tokenizer.get_vocab_size()} tokens) "
            f"and {DIMENSIONS} dimensions: reinstall with `make setup`."
        )
    embedding.flags.writeable = False  # shared by every call: never changed
    return tokenizer, embedding


def meanings(texts: Sequence[str]) -> np.ndarray:
    """One row per text (in order): the mean of its tokens' embeddings (spaces and line
    breaks read as single spaces), scaled to length 1; zeros for a blank text."""
    tokenizer, embedding = _model()
    spaced = [" ".join(text.split()) for text in texts]
    encoded = tokenizer.encode_batch(spaced, add_special_tokens=False)
    lengths = np.fromiter((len(e.ids) for e in encoded), dtype=np.int64, count=len(encoded))
    tokens = np.fromiter(
        (i for e in encoded for i in e.ids), dtype=np.int64, count=int(lengths.sum())
    )
    rows = np.repeat(np.arange(len(encoded)), lengths)
    counts = sparse.csr_matrix(
        (np.ones(tokens.size, dtype=np.float32), (rows, tokens)),
        shape=(len(encoded), embedding.shape[0]),
    )
    pooled = np.asarray(counts @ embedding, dtype=np.float64)
    norms = np.linalg.norm(pooled, axis=1, keepdims=True)
    return np.divide(pooled, norms, out=np.zeros_like(pooled), where=norms > 0)


class Meanings(TransformerMixin, BaseEstimator):
    """The learner's third block of features: each comment's meaning (nothing is learnt)."""

    def fit(self, texts: Sequence[str], target: object = None) -> Meanings:
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return sparse.csr_matrix(meanings(list(texts)))
