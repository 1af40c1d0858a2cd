"""What ``workbook suggest-themes`` writes beside the clean data, atomically:
``theme_suggestions.csv`` (the contract's columns) and ``theme_model.json`` (figures only:
counts, thresholds, precision, recall, F1 and library versions, never a comment's words)."""

from __future__ import annotations

import json
from dataclasses import asdict
from importlib.metadata import version
from pathlib import Path
from typing import Any

import polars as pl

from pipelines.atomic import write_text_atomic
from pipelines.suggest import learner, meanings
from pipelines.suggest.learner import Measured

SUGGESTIONS_FILE = "theme_suggestions.csv"
MODEL_FILE = "theme_model.json"
#: theme_suggestions.csv's columns, in the data contract's order.
SUGGESTION_COLUMNS: tuple[str, ...] = ("response_id", "question_id", "theme", "confidence")
#: The libraries whose versions the model file records.
LIBRARIES: tuple[str, ...] = (
    "scikit-learn",
    "numpy",
    "scipy",
    "polars",
    "joblib",
    "wordllama",
    "tokenizers",
    "safetensors",
)


def empty_suggestions() -> pl.DataFrame:
    return pl.DataFrame(
        schema={
            "response_id": pl.String(),
            "question_id": pl.String(),
            "theme": pl.String(),
            "confidence": pl.Float64(),
        }
    )


def write_suggestions(suggestions: pl.DataFrame, folder: Path) -> Path:
    """``theme_suggestions.csv``: one row per suggested theme, by question, response, theme."""
    path = folder / SUGGESTIONS_FILE
    ordered = suggestions.select(SUGGESTION_COLUMNS).sort("question_id", "response_id", "theme")
    write_text_atomic(path, ordered.write_csv(float_precision=4))
    return path


def method() -> dict[str, Any]:
    """The method's settings, as the model file records them."""
    return {
        "features": "TF-IDF of words (1-2) and of letter runs within words (2-5), min_df 2, sublinear tf",
        "meanings": (
            f"each comment's mean token embedding, length 1 ({meanings.MODEL_NAME}; from the"
            " installed package, nothing downloaded), beside the TF-IDF features, unweighted"
        ),
        "model": "one-vs-rest linear SVM, Platt-calibrated (CalibratedClassifierCV, sigmoid)",
        "feature_weights": (
            "per theme, each TF-IDF feature times its absolute log-count ratio in and out of"
            " the theme (NB-SVM, Wang and Manning 2012)"
        ),
        "nb_alpha": learner.NB_ALPHA,
        "svm_c": learner.SVM_C,
        "calibration_folds": learner.CALIBRATION_FOLDS,
        "cross_validation_folds": learner.FOLDS,
        "threshold": "per theme, best F1 on out-of-fold probabilities of the coded comments",
        "at_least_one": (
            "per question: where no theme reaches its threshold, the one highest over its"
            " threshold, with thresholds searched together (best micro + macro F1), kept only"
            " where the out-of-fold micro F1 rises and the macro F1 does not fall"
        ),
        "min_coded_per_theme": learner.MIN_CODED,
        "random_state": learner.SEED,
    }


def question_record(measured: Measured, uncoded: int, suggested: int) -> dict[str, Any]:
    """One question's entry: counts, averaged F1, each theme's figures, the themes left out."""
    return {
        "coded": measured.coded,
        "uncoded": uncoded,
        "suggestions": suggested,
        "micro_f1": measured.micro_f1,
        "macro_f1": measured.macro_f1,
        "at_least_one": measured.at_least_one,
        "thresholds_only": (
            dict(zip(("micro_f1", "macro_f1"), measured.thresholds_only, strict=True))
            if measured.thresholds_only
            else None
        ),
        "themes": [asdict(theme) for theme in measured.themes],
        "left_out": [asdict(theme) for theme in measured.left_out],
    }


def write_model(consultation: str, questions: dict[str, Any], folder: Path) -> Path:
    """``theme_model.json``: the method, the library versions and each question's figures."""
    record = {
        "consultation": consultation,
        "method": method(),
        "versions": {name: version(name) for name in LIBRARIES},
        "questions": questions,
    }
    path = folder / MODEL_FILE
    write_text_atomic(path, json.dumps(record, indent=2, ensure_ascii=False) + "\n")
    return path


def read_model(folder: Path) -> dict[str, Any]:
    """``theme_model.json`` as written by the last ``workbook suggest-themes``."""
    return json.loads((folder / MODEL_FILE).read_text(encoding="utf-8"))
