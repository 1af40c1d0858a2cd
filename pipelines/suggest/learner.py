"""Learn one question's codebook from its coded comments, measure it, and suggest themes.

The method, in the analyst's words:

- **What the model reads**: each comment's words and pairs of words, and the pieces of
  words (runs of 2 to 5 letters, so "carer" and "carers" look alike and a misspelling still
  counts), weighted by TF-IDF (a word that every comment uses says little). The weights are
  learnt from the coded comments only.
- **One yes/no model per theme** (one-vs-rest): a linear support-vector machine, its scores
  turned into probabilities by Platt scaling on three internal folds
  (``CalibratedClassifierCV``), so a ``confidence`` of 0.8 means that about 8 in 10 such
  suggestions were right on the coded comments.
- **Each theme weighs the words its own way** (NB-SVM, Wang and Manning 2012): before its
  SVM, every feature is multiplied by how much more often it occurs in the theme's coded
  comments than in the others, or the other way round (the absolute log-count ratio, as a
  naive Bayes model would weigh it), so the words that tell the theme apart count most.
  The meaning columns keep their values.
- **Measured on the coded comments only**: five-fold cross-validation; every coded comment
  gets a probability from a model that never saw it (out-of-fold). Each theme's threshold is
  the one that gives the best F1 on those out-of-fold probabilities, and its precision,
  recall and F1 are the out-of-fold figures at that threshold. The uncoded comments play no
  part in either.
- **At least one theme** (decided per question on the coded comments): every coded comment
  carries a theme, so where no theme reaches its threshold the theme that comes nearest
  its own (highest confidence over threshold) may be suggested anyway. The thresholds are
  then searched again together (a few rounds over the themes, best micro + macro F1 on
  the out-of-fold probabilities), and the rule is kept only where it raises the
  out-of-fold micro F1 without lowering the macro F1.
- **Themes too small to learn**: a theme with fewer than :data:`MIN_CODED` coded comments,
  or one that every coded comment carries, gets no model and no suggestion.

Deterministic: fixed folds (``random_state``), no time-dependent choice, one thread order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from joblib import Parallel, delayed
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.model_selection import KFold
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

from pipelines.suggest.meanings import DIMENSIONS, Meanings

#: Fewest coded comments a theme needs for the workbook to learn and suggest it.
MIN_CODED = 5
#: Folds of the cross-validation that measures each theme and chooses its threshold.
FOLDS = 5
#: Internal folds of the calibration (Platt scaling) inside every model.
CALIBRATION_FOLDS = 3
#: Seed of every random choice (the folds' shuffle, the SVM's coordinate order).
SEED = 20260
#: Thresholds tried for each theme (a suggestion needs at least this confidence).
THRESHOLDS = np.round(np.arange(0.05, 0.951, 0.01), 2)
#: Worker processes for the folds (this machine has 2 cores; results do not depend on it).
JOBS = 2
#: Regularisation of the linear SVM (smaller: simpler models).
SVM_C = 0.5
#: Rounds over the themes of the joint threshold search under "at least one theme".
JOINT_ROUNDS = 2
#: Smoothing of the log-count ratio (added to every feature's count in and out of a theme).
NB_ALPHA = 1.0


@dataclass(frozen=True)
class ThemeMeasure:
    """One theme's figures from cross-validation on the coded comments (out-of-fold)."""

    theme: str
    support: int
    threshold: float
    precision: float
    recall: float
    f1: float


@dataclass(frozen=True)
class LeftOut:
    """A theme that gets no suggestion, and why, in plain words."""

    theme: str
    support: int
    reason: str


@dataclass(frozen=True)
class Measured:
    """A question's coded comments learnt from: each theme's figures, the themes left out,
    micro- and macro-averaged F1 over the themes learnt, whether a comment with no theme
    over its threshold still gets its nearest one (``at_least_one``), and the two averages
    the thresholds alone would have given (``thresholds_only``, micro then macro)."""

    coded: int
    themes: tuple[ThemeMeasure, ...]
    left_out: tuple[LeftOut, ...]
    micro_f1: float
    macro_f1: float
    at_least_one: bool = False
    thresholds_only: tuple[float, float] | None = None


@dataclass
class ThemeModel:
    """The features and one calibrated model per theme, learnt from all coded comments."""

    features: FeatureUnion
    models: dict[str, Pipeline] = field(default_factory=dict)

    def confidences(self, texts: Sequence[str]) -> dict[str, np.ndarray]:
        """Each theme's calibrated probability for each text (texts in the order given)."""
        if not texts or not self.models:
            return {theme: np.zeros(len(texts)) for theme in self.models}
        matrix = self.features.transform(list(texts))
        return {theme: model.predict_proba(matrix)[:, 1] for theme, model in self.models.items()}


def text_features() -> FeatureUnion:
    """TF-IDF of words (one and two) and of letter runs (2 to 5, within words), and the
    comment's meaning (:data:`DIMENSIONS` columns, last), side by side."""
    words = TfidfVectorizer(
        analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=True
    )
    letters = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True, lowercase=True
    )
    return FeatureUnion([("words", words), ("letters", letters), ("meanings", Meanings())])


class LogCountRatio(TransformerMixin, BaseEstimator):
    """Multiplies each feature by its absolute log-count ratio for one theme (NB-SVM).

    Fitted on a theme's 0/1 target: ``ratio_`` is log((p / |p|) / (q / |q|)), where p and q
    count the comments with and without the theme that contain the feature, each plus
    ``alpha``. A linear model absorbs the ratio's sign, so only its size (``scale_``) is used.
    The last ``unweighted`` columns (the comment's meaning: dense, so every comment "holds"
    each of them) keep their values (a scale of 1).
    """

    def __init__(self, alpha: float = NB_ALPHA, unweighted: int = DIMENSIONS) -> None:
        self.alpha = alpha
        self.unweighted = unweighted

    def fit(self, matrix, target: np.ndarray) -> LogCountRatio:
        matrix = sparse.csr_matrix(matrix)
        if not 0 <= self.unweighted < matrix.shape[1]:
            raise ValueError(
                f"{self.unweighted} unweighted column(s) leave none of {matrix.shape[1]} to weigh"
            )
        target = np.asarray(target).astype(bool)
        within = _presence(matrix[target]) + self.alpha
        without = _presence(matrix[~target]) + self.alpha
        weighted = matrix.shape[1] - self.unweighted
        self.ratio_ = np.log(
            (within / within[:weighted].sum()) / (without / without[:weighted].sum())
        )
        self.ratio_[weighted:] = 0.0  # no ratio: these columns are not weighed
        self.scale_ = np.abs(self.ratio_)
        self.scale_[weighted:] = 1.0
        return self

    def transform(self, matrix):
        scaled = sparse.csr_matrix(matrix, copy=True)
        scaled.data *= self.scale_[scaled.indices]
        return scaled


def _presence(matrix: sparse.csr_matrix) -> np.ndarray:
    """How many rows of ``matrix`` hold each feature (column) with a non-zero value."""
    return np.bincount(matrix.indices, weights=matrix.data != 0, minlength=matrix.shape[1])


def theme_classifier() -> Pipeline:
    """The theme's feature weights (log-count ratio), then a linear SVM whose scores are
    calibrated into probabilities (Platt scaling)."""
    svm = LinearSVC(C=SVM_C, random_state=SEED)
    return Pipeline(
        [
            ("weights", LogCountRatio()),
            ("svm", CalibratedClassifierCV(svm, method="sigmoid", cv=CALIBRATION_FOLDS)),
        ]
    )


def learnable(labels: dict[str, np.ndarray]) -> tuple[list[str], list[LeftOut]]:
    """The themes with enough coded comments to learn (sorted), and the others with why."""
    kept, left = [], []
    for theme in sorted(labels):
        support = int(labels[theme].sum())
        total = len(labels[theme])
        if support < MIN_CODED:
            left.append(
                LeftOut(theme, support, f"only {support} coded comment(s); {MIN_CODED} needed")
            )
        elif total - support < MIN_CODED:
            left.append(
                LeftOut(
                    theme,
                    support,
                    f"{support} of {total} coded comments carry it: "
                    "too few without it to tell it apart",
                )  # fmt: skip
            )
        else:
            kept.append(theme)
    return kept, left


def _fit(matrix, target: np.ndarray) -> Pipeline | None:
    """One theme's calibrated model, or None where the comments given hold too few of it
    (or too few without it) for the calibration's folds."""
    positives = int(target.sum())
    if min(positives, len(target) - positives) < CALIBRATION_FOLDS:
        return None
    return theme_classifier().fit(matrix, target)


def out_of_fold(texts: Sequence[str], labels: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each theme's probability for every coded comment from a model that never saw it.

    The features are learnt again in each fold from its training comments only. A fold whose
    training part holds fewer than 3 comments with (or without) a theme gives that theme a
    probability of 0 in the fold: nothing is suggested where nothing could be learnt.
    """
    texts = np.asarray(texts, dtype=object)
    probabilities = {theme: np.zeros(len(texts)) for theme in labels}
    folds = list(
        KFold(n_splits=min(FOLDS, len(texts)), shuffle=True, random_state=SEED).split(texts)
    )
    per_fold = Parallel(n_jobs=JOBS)(
        delayed(_fold)(
            texts[train].tolist(), texts[test].tolist(), {t: y[train] for t, y in labels.items()}
        )
        for train, test in folds
    )
    for (_, test), held in zip(folds, per_fold, strict=True):
        for theme, probability in held.items():
            probabilities[theme][test] = probability
    return probabilities


def _fold(
    train: list[str], test: list[str], labels: dict[str, np.ndarray]
) -> dict[str, np.ndarray]:
    """One fold: features and models learnt on ``train``, each theme's probabilities on ``test``."""
    features = text_features()
    learnt = features.fit_transform(train)
    held = features.transform(test)
    probabilities = {}
    for theme, target in labels.items():
        model = _fit(learnt, target)
        if model is not None:
            probabilities[theme] = model.predict_proba(held)[:, 1]
    return probabilities


def _counts(target: np.ndarray, predicted: np.ndarray) -> tuple[int, int, int]:
    """True positives, false positives, false negatives."""
    tp = int((target & predicted).sum())
    return tp, int(predicted.sum()) - tp, int(target.sum()) - tp


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold(target: np.ndarray, probability: np.ndarray) -> float:
    """The threshold with the best F1 on out-of-fold probabilities; among equals, the one
    nearest 0.5 (then the higher), so a theme learnt perfectly is not given a needlessly
    low bar."""
    target = target.astype(bool)
    scores = np.array([_f1(*_counts(target, probability >= t)) for t in THRESHOLDS])
    best = THRESHOLDS[np.isclose(scores, scores.max())]
    return float(sorted(best, key=lambda t: (abs(t - 0.5), -t))[0])


def suggested(confidences: np.ndarray, thresholds: np.ndarray, at_least_one: bool) -> np.ndarray:
    """Which themes are suggested (comments x themes, True/False): those whose confidence
    reaches their threshold and, with ``at_least_one``, for a comment with none, the theme
    whose confidence is highest over its threshold (confidence / threshold)."""
    chosen = confidences >= thresholds
    if at_least_one and confidences.size:
        nearest = (confidences / thresholds).argmax(axis=1)
        none = np.flatnonzero(~chosen.any(axis=1))
        chosen[none, nearest[none]] = True
    return chosen


def _averages(target: np.ndarray, chosen: np.ndarray) -> tuple[float, float]:
    """Micro- and macro-averaged F1 over the themes (columns)."""
    tp = (target & chosen).sum(axis=0)
    fp = (chosen & ~target).sum(axis=0)
    fn = (target & ~chosen).sum(axis=0)
    macro = np.where(tp > 0, 2 * tp / np.maximum(2 * tp + fp + fn, 1), 0.0)
    return _f1(int(tp.sum()), int(fp.sum()), int(fn.sum())), float(macro.mean())


def joint_thresholds(
    target: np.ndarray, probability: np.ndarray, thresholds: np.ndarray
) -> np.ndarray:
    """Thresholds searched together under "at least one theme": theme after theme (in the
    columns' order), for :data:`JOINT_ROUNDS` rounds, the threshold giving the best micro +
    macro F1 over all themes; a threshold moves only for a strictly better sum."""
    thresholds = thresholds.copy()
    best = sum(_averages(target, suggested(probability, thresholds, True)))
    for _ in range(JOINT_ROUNDS):
        for column in range(thresholds.size):
            for candidate in THRESHOLDS:
                trial = thresholds.copy()
                trial[column] = candidate
                score = sum(_averages(target, suggested(probability, trial, True)))
                if score > best + 1e-12:
                    best, thresholds = score, trial
    return thresholds


def measure(texts: Sequence[str], labels: dict[str, np.ndarray]) -> Measured:
    """Cross-validate every learnable theme on the coded comments: thresholds, whether to
    suggest at least one theme a comment, and the figures at what is chosen.

    ``labels``: theme -> 0/1 per coded comment (in ``texts``' order).
    """
    kept, left_out = learnable(labels)
    if not kept:
        return Measured(len(texts), (), tuple(left_out), micro_f1=0.0, macro_f1=0.0)
    probabilities = out_of_fold(texts, {theme: labels[theme] for theme in kept})
    target = np.column_stack([labels[theme].astype(bool) for theme in kept])
    probability = np.column_stack([probabilities[theme] for theme in kept])
    alone = np.array([best_threshold(target[:, j], probability[:, j]) for j in range(len(kept))])
    alone_micro, alone_macro = _averages(target, suggested(probability, alone, False))
    joint = joint_thresholds(target, probability, alone)
    joint_micro, joint_macro = _averages(target, suggested(probability, joint, True))
    at_least_one = joint_micro > alone_micro and joint_macro >= alone_macro
    thresholds = joint if at_least_one else alone
    chosen = suggested(probability, thresholds, at_least_one)
    measures, totals = [], np.zeros(3, dtype=int)
    for column, theme in enumerate(kept):
        tp, fp, fn = _counts(target[:, column], chosen[:, column])
        totals += (tp, fp, fn)
        measures.append(
            ThemeMeasure(
                theme=theme,
                support=int(target[:, column].sum()),
                threshold=float(thresholds[column]),
                precision=round(tp / (tp + fp), 4) if tp + fp else 0.0,
                recall=round(tp / (tp + fn), 4) if tp + fn else 0.0,
                f1=round(_f1(tp, fp, fn), 4),
            )
        )
    return Measured(
        coded=len(texts),
        themes=tuple(measures),
        left_out=tuple(left_out),
        micro_f1=round(_f1(*totals), 4),
        macro_f1=round(float(np.mean([m.f1 for m in measures])), 4),
        at_least_one=at_least_one,
        thresholds_only=(round(alone_micro, 4), round(alone_macro, 4)),
    )


def learn(texts: Sequence[str], labels: dict[str, np.ndarray], themes: Sequence[str]) -> ThemeModel:
    """The features and a calibrated model per theme in ``themes``, from all coded comments."""
    features = text_features()
    matrix = features.fit_transform(list(texts))
    model = ThemeModel(features=features)
    for theme in themes:
        fitted = _fit(matrix, labels[theme])
        if fitted is not None:
            model.models[theme] = fitted
    return model
