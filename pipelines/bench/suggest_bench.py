"""The theme-suggestion line of ``workbook bench`` (#21): learn a codebook from N coded
comments (cross-validated thresholds and figures, then the final models) and suggest themes
for N uncoded ones, timed.

The comments are synthetic, made here from a fixed seed (no network, no data file): words
invented from English letter frequencies, drawn from a long-tailed (Zipf) vocabulary, with
each theme's own cue words mixed in, so the learner sees as many distinct words and letter
runs as real feedback gives it. Only the time means anything; the F1 of such text does not.
"""

from __future__ import annotations

import time

import numpy as np

from pipelines.suggest.learner import learn, measure

#: Themes of the synthetic codebook (about a dozen, as in NHS patient feedback coding).
THEMES = 12
#: Distinct invented words, and cue words per theme.
VOCABULARY = 8000
CUES = 40
#: Share of a comment's words drawn from its themes' cue words.
CUE_SHARE = 0.2
SEED = 21
LETTERS = "etaoinshrdlcumwfgypbvkjxqz"
LETTER_WEIGHTS = np.array(
    [12.7, 9.1, 8.2, 7.5, 7.0, 6.7, 6.3, 6.1, 6.0, 4.3, 4.0, 2.8, 2.8, 2.4, 2.4, 2.2, 2.0]
    + [2.0, 1.9, 1.5, 1.0, 0.8, 0.2, 0.2, 0.1, 0.1]
)


def invented_words(count: int, rng: np.random.Generator) -> list[str]:
    """``count`` distinct words of 2 to 11 letters, letters drawn by English frequency."""
    weights = LETTER_WEIGHTS / LETTER_WEIGHTS.sum()
    words: dict[str, None] = {}
    while len(words) < count:
        length = int(np.clip(rng.poisson(5), 2, 11))
        words["".join(rng.choice(list(LETTERS), size=length, p=weights))] = None
    return list(words)


def synthetic_comments(count: int, seed: int = SEED) -> tuple[list[str], dict[str, np.ndarray]]:
    """``count`` comments and their themes (theme -> 0/1 per comment): one theme for most,
    two or three for some; 3 to 80 words each (median about 16)."""
    rng = np.random.default_rng(seed)
    words = np.array(invented_words(VOCABULARY, rng))
    zipf = 1 / np.arange(1, VOCABULARY + 1)
    zipf /= zipf.sum()
    cues = [rng.choice(VOCABULARY, size=CUES, replace=False) for _ in range(THEMES)]
    labels = {f"theme {t + 1:02d}": np.zeros(count, dtype=np.int8) for t in range(THEMES)}
    names = list(labels)
    popularity = rng.dirichlet(np.full(THEMES, 2.0))
    texts = []
    for row in range(count):
        carried = rng.choice(THEMES, size=rng.choice([1, 2, 3], p=[0.7, 0.25, 0.05]), p=popularity)
        for theme in set(carried.tolist()):
            labels[names[theme]][row] = 1
        length = int(np.clip(rng.lognormal(2.8, 0.7), 3, 80))
        cued = rng.random(length) < CUE_SHARE
        picks = rng.choice(VOCABULARY, size=length, p=zipf)
        own = np.concatenate([cues[t] for t in carried])
        picks[cued] = rng.choice(own, size=int(cued.sum()))
        texts.append(" ".join(words[picks]))
    return texts, labels


def time_suggestions(comments: int) -> dict[str, float]:
    """Seconds to learn from ``comments`` coded comments (cross-validation, then the final
    models) and to suggest themes for as many uncoded ones; their sum is ``seconds``."""
    texts, labels = synthetic_comments(2 * comments)
    coded, uncoded = texts[:comments], texts[comments:]
    learnt = {theme: target[:comments] for theme, target in labels.items()}
    started = time.perf_counter()
    measured = measure(coded, learnt)
    measured_at = time.perf_counter()
    model = learn(coded, learnt, [m.theme for m in measured.themes])
    learnt_at = time.perf_counter()
    model.confidences(uncoded)
    done = time.perf_counter()
    return {
        "seconds": done - started,
        "cross_validation_seconds": measured_at - started,
        "final_models_seconds": learnt_at - measured_at,
        "suggest_seconds": done - learnt_at,
        "themes": len(measured.themes),
    }
