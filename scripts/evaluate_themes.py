"""Measure the theme learner on labelled texts it has not seen, the way #21 asks for it.

A share of the labelled texts (``--coded``, 60% by default) is learnt from as if an analyst
had coded it: thresholds and the "at least one theme" rule are chosen by cross-validation on
that share only, exactly as ``workbook suggest-themes`` does. The rest is held out as the
"uncoded" comments, and the suggestions for it are scored against its labels: per theme
precision, recall and F1, then micro- and macro-averaged F1, beside the cross-validated
figures the command itself would print. docs/theme-suggestions.md, "Evaluation", reports
its figures.

Input: a CSV of ``text,theme`` (a text with several themes on several rows), or Debian's
``fortunes`` topic files (``apt-get download fortunes``, then ``dpkg-deb -x``) with
``--fortunes DIR``:

    .venv/bin/python scripts/evaluate_themes.py --fortunes /tmp/f/usr/share/games/fortunes
    .venv/bin/python scripts/evaluate_themes.py --csv labelled.csv --coded 0.3 --seed 11

Do not run it on public labelled NHS Friends and Family Test comments: #21 keeps such a set
apart to check the workbook, and tuning on one would make that check meaningless.
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from pipelines.suggest import learner  # noqa: E402

#: Debian fortunes' topic files used as themes in docs/theme-suggestions.md.
FORTUNE_THEMES = (
    *("computers", "drugs", "education", "food", "kids", "law"),
    *("love", "politics", "science", "sports", "startrek", "work"),
)


def fortunes(folder: Path, themes: tuple[str, ...]) -> dict[str, set[str]]:
    """Each fortune of 10 to 400 characters (spaces collapsed) and the topic files it is in."""
    texts: dict[str, set[str]] = defaultdict(set)
    for theme in themes:
        raw = (folder / theme).read_text(encoding="utf-8", errors="replace")
        for chunk in raw.split("\n%\n"):
            text = " ".join(chunk.replace("%", "").split())
            if 10 <= len(text) <= 400:
                texts[text].add(theme)
    return texts


def labelled_csv(path: Path) -> dict[str, set[str]]:
    """``text,theme`` rows: each distinct text and its themes."""
    texts: dict[str, set[str]] = defaultdict(set)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            if row["text"].strip() and row["theme"].strip():
                texts[row["text"].strip()].add(row["theme"].strip())
    return texts


def evaluate(texts: dict[str, set[str]], coded: float, seed: int) -> list[str]:
    """Learn from ``coded`` of the texts (a seeded shuffle), score the rest: the lines to print."""
    ordered = sorted(texts)
    order = np.random.default_rng(seed).permutation(len(ordered))
    cut = int(len(ordered) * coded)
    learnt = [ordered[i] for i in order[:cut]]
    held = [ordered[i] for i in order[cut:]]
    themes = sorted({t for labels in texts.values() for t in labels})
    labels = {t: np.array([t in texts[x] for x in learnt], dtype=np.int8) for t in themes}
    started = time.perf_counter()
    measured = learner.measure(learnt, labels)
    kept = [m.theme for m in measured.themes]
    model = learner.learn(learnt, labels, kept)
    confidences = model.confidences(held)
    seconds = time.perf_counter() - started
    thresholds = np.array([m.threshold for m in measured.themes])
    chosen = learner.suggested(
        np.column_stack([confidences[t] for t in kept]), thresholds, measured.at_least_one
    )
    target = np.column_stack([[t in texts[x] for x in held] for t in kept])
    micro, macro = learner._averages(target, chosen)
    lines = [
        f"{len(texts):,} texts, {len(themes)} themes; learnt from {len(learnt):,} "
        f"({coded:.0%}, seed {seed}), held out {len(held):,}; {seconds:.1f} s",
        "",
        "| theme | learnt | held out | threshold | precision | recall | F1 | F1 by CV |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for column, measure in enumerate(measured.themes):
        tp = int((target[:, column] & chosen[:, column]).sum())
        fp, fn = int(chosen[:, column].sum()) - tp, int(target[:, column].sum()) - tp
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        lines.append(
            f"| {measure.theme} | {measure.support} | {int(target[:, column].sum())} | "
            f"{measure.threshold:.2f} | {precision:.2f} | {recall:.2f} | {f1:.2f} | "
            f"{measure.f1:.2f} |"
        )
    lines += [
        "",
        f"held out: micro-averaged F1 {micro:.3f}, macro-averaged F1 {macro:.3f}",
        f"cross-validated on the learnt share: micro {measured.micro_f1:.3f}, macro "
        f"{measured.macro_f1:.3f} (at least one theme: {measured.at_least_one})",
    ]
    for left in measured.left_out:
        lines.append(f"left out: {left.theme} ({left.reason})")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--csv", type=Path, help="labelled texts: columns text, theme")
    source.add_argument("--fortunes", type=Path, help="Debian fortunes' folder of topic files")
    parser.add_argument("--coded", type=float, default=0.6, help="share learnt from (0-1)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the learnt/held-out split")
    args = parser.parse_args(argv)
    if not 0 < args.coded < 1:
        parser.error("--coded must be between 0 and 1")
    texts = fortunes(args.fortunes, FORTUNE_THEMES) if args.fortunes else labelled_csv(args.csv)
    print("\n".join(evaluate(texts, args.coded, args.seed)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
