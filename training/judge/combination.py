"""The baseline the judge must beat: a learned combination of cheap signals.

    .venv/bin/python training/judge/combination.py --pairs pairs.jsonl   # prints dev figures

A softmax regression over signals that need no cross-encoder: the embedder's cosine between
key point and passage, word overlap, and the rule checks (substance, declining, questions,
lists of names, numbers, length). It is trained on the same pairs as the judge, plugged into
the same grader in the judge's place, and measured on the dev split of bench/eval. The
README reports both; the project ships the cross-encoder only because it does better there.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from coach.bank import load_bank
from coach.grading import checks, substance
from coach.grading.embedder import get_embedder
from coach.grading.judge import LABELS
from coach.grading.offline import OfflineGrader
from coach.grading.report import build_report

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from grader_eval import evaluate, load, print_figures  # noqa: E402


def _words(text: str) -> set[str]:
    return set(substance.content_words(text))


def features(pairs: list[tuple[str, str]]) -> np.ndarray:
    embedder = get_embedder()
    q = embedder.encode([a for a, _ in pairs])
    p = embedder.encode([b for _, b in pairs])
    rows = []
    for (query, passage), cos in zip(pairs, (q * p).sum(axis=1), strict=True):
        kw, pw = _words(query), _words(passage)
        overlap = len(kw & pw) / max(1, len(kw))
        rows.append(
            [
                cos, cos * cos, overlap, len(kw & pw) / max(1, len(kw | pw)),
                substance.has_substance(passage), checks.declines(passage), checks.question_kind(passage) == "open",
                substance.is_list_of_names(passage), any(ch.isdigit() for ch in passage), min(len(passage.split()), 60) / 60,
                cos * substance.has_substance(passage), cos * checks.declines(passage),
            ]
        )
    return np.array(rows, dtype=np.float32)


class CombinationJudge:
    """Same interface as coach.grading.judge.Judge."""

    def __init__(self, weights: np.ndarray, bias: np.ndarray, mean: np.ndarray, std: np.ndarray) -> None:
        self.weights, self.bias, self.mean, self.std = weights, bias, mean, std

    def probabilities(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        if not pairs:
            return np.zeros((0, len(LABELS)), dtype=np.float32)
        z = ((features(pairs) - self.mean) / self.std) @ self.weights + self.bias
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)


def fit(x: np.ndarray, y: np.ndarray, steps: int = 3000, lr: float = 0.5, l2: float = 1e-3) -> CombinationJudge:
    mean, std = x.mean(axis=0), x.std(axis=0) + 1e-6
    xs = (x - mean) / std
    w = np.zeros((x.shape[1], len(LABELS)))
    b = np.zeros(len(LABELS))
    onehot = np.eye(len(LABELS))[y]
    for _ in range(steps):
        z = xs @ w + b
        e = np.exp(z - z.max(axis=1, keepdims=True))
        prob = e / e.sum(axis=1, keepdims=True)
        grad = prob - onehot
        w -= lr * (xs.T @ grad / len(y) + l2 * w)
        b -= lr * grad.mean(axis=0)
    return CombinationJudge(w, b, mean, std)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pairs", type=Path, required=True)
    args = parser.parse_args()
    pairs = [json.loads(line) for line in args.pairs.read_text().splitlines()]
    x = features([(p["query"], p["passage"]) for p in pairs])
    y = np.array([p["label"] for p in pairs])
    judge = fit(x, y)
    accuracy = float(np.mean(judge.probabilities([(p["query"], p["passage"]) for p in pairs]).argmax(1) == y))
    print(f"combination: training accuracy {accuracy:.3f} over {len(y)} pairs\n")
    grader = OfflineGrader(bank=load_bank(), judge=judge)  # type: ignore[arg-type]
    result = evaluate(lambda r, t: build_report(r, t, grader.grade(r, t)), load("dev"))
    print_figures(result, "dev")


if __name__ == "__main__":
    main()
