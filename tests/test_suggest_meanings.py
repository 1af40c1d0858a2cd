"""What a comment is about (``pipelines.suggest.meanings``): word embeddings read from the
installed wordllama package, offline, beside the TF-IDF features and outside the NB-SVM
weights."""

from __future__ import annotations

import logging
import socket
import sys

import numpy as np
import pytest
import tokenizers
from scipy import sparse

from pipelines.suggest import meanings, review
from pipelines.suggest.learner import LogCountRatio, learn, text_features
from pipelines.suggest.meanings import DIMENSIONS, Meanings

COST = "the fees are far too expensive"
AFFORD = "I cannot afford the charges any more"
LATE = "the carer arrived late again"


def test_meanings_are_read_from_the_installed_package_with_no_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the meanings tried to reach the network")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    # tokenizers downloads from Rust, past Python's socket: its download entry refused too
    monkeypatch.setattr(tokenizers.Tokenizer, "from_pretrained", no_network)
    handlers = list(logging.getLogger().handlers)
    meanings._model.cache_clear()
    rows = meanings.meanings([COST, AFFORD])
    assert rows.shape == (2, DIMENSIONS)
    # the package is read as files, never imported: its import configures the root logger
    assert "wordllama" not in sys.modules
    assert logging.getLogger().handlers == handlers


def test_comments_that_say_the_same_in_other_words_are_near() -> None:
    cost, afford, late = meanings.meanings([COST, AFFORD, LATE])
    # no word in common, the same complaint: nearer than either is to lateness
    assert cost @ afford > 0.3
    assert cost @ afford > 3 * max(cost @ late, afford @ late)


def test_each_meaning_has_length_one_and_a_blank_comment_has_none() -> None:
    long = ("the fees are far too expensive " * 50_000).strip()  # 1.5 million characters
    rows = meanings.meanings([COST, "", long, "Les frais sont trop élevés 🙂"])
    assert np.isfinite(rows).all()
    assert np.allclose(np.linalg.norm(rows[[0, 2, 3]], axis=1), 1.0)
    assert not rows[1].any()  # blank: zeros, not NaN
    assert rows[0] @ rows[2] > 0.95  # the same words many times mean the same
    # typed over lines, or with double spaces: the same meaning as on one line
    spaced = meanings.meanings(["the fees  are\n\nfar too\texpensive  ", COST])
    assert np.allclose(spaced[0], spaced[1])


def test_the_meaning_columns_keep_their_values_under_each_themes_weights() -> None:
    # two word columns, then one meaning column (dense: every comment holds it)
    matrix = sparse.csr_matrix(
        [[1.0, 0.0, 0.3], [1.0, 1.0, -0.2], [0.0, 1.0, 0.5], [0.0, 1.0, 0.1]]
    )
    weights = LogCountRatio(alpha=1.0, unweighted=1).fit(matrix, np.array([1, 1, 0, 0]))
    # the ratio of the word columns is worked out over the word columns only
    within, without = np.array([3, 2]) / 5, np.array([1, 3]) / 4
    assert np.allclose(weights.ratio_[:2], np.log(within / without))
    assert weights.scale_[2] == 1.0
    scaled = weights.transform(matrix).toarray()
    assert np.allclose(scaled[:, 2], matrix.toarray()[:, 2])
    assert np.allclose(scaled[:, :2], matrix.toarray()[:, :2] * np.abs(weights.ratio_[:2]))
    for wrong in (3, 5, -1):  # no column left to weigh, or a count that makes no sense
        with pytest.raises(ValueError, match="unweighted"):
            LogCountRatio(unweighted=wrong).fit(matrix, np.array([1, 1, 0, 0]))


def test_the_learner_reads_words_letters_and_meanings_last() -> None:
    features = text_features()
    assert [name for name, _ in features.transformer_list] == ["words", "letters", "meanings"]
    assert isinstance(features.transformer_list[-1][1], Meanings)
    texts = [COST, AFFORD, LATE, "staff were rude", "the fees rise", "visits are late"] * 3
    labels = {"cost": np.array([1, 1, 0, 0, 1, 0] * 3, dtype=np.int8)}
    model = learn(texts, labels, ["cost"])
    matrix = model.features.transform(texts)
    words_and_letters = sum(
        len(t.vocabulary_) for name, t in model.features.transformer_list if name != "meanings"
    )
    assert matrix.shape[1] == words_and_letters + DIMENSIONS
    scale = model.models["cost"].named_steps["weights"].scale_
    assert np.all(scale[-DIMENSIONS:] == 1.0) and not np.all(scale[:-DIMENSIONS] == 1.0)


def test_comments_that_fit_no_theme_are_grouped_by_meaning_as_well_as_words() -> None:
    money = [COST, AFFORD, "prices keep going up and my pension does not", "bills are unaffordable"]
    weather = [
        "the weather has been awful",
        "rain and wind all week long",
        "it was freezing cold and icy outside",
        "too hot in the summer sun",
    ]
    labels, words, distance = review.comment_groups(money + weather)
    # hardly a word in common within each half, yet each half is one group
    assert len(set(labels[:4])) == 1 and len(set(labels[4:])) == 1
    assert labels[0] != labels[4]
    assert len(words) == 2 and np.isfinite(distance).all()
    # only stop words: grouped by meaning alone, with no words to show
    labels, words, distance = review.comment_groups(["and the", "it is", "and the"])
    assert words == [[]] and set(labels) == {0}
    assert distance.any()  # placed by what they mean, not all at one point
