"""A scripted judge for grader tests: says what a passage does with a key point by rules, so a
test of the grader's own logic does not depend on how the trained model reads a sentence."""

from __future__ import annotations

import numpy as np

from coach.grading.judge import LABELS


class ScriptedJudge:
    """`rules` maps (text in the key point or pitfall, text in the passage) to a label; the
    first rule that matches wins, and anything else is unrelated."""

    def __init__(self, rules: dict[tuple[str, str], str]) -> None:
        self.rules = rules
        self.calls: list[tuple[str, str]] = []

    def probabilities(self, pairs: list[tuple[str, str]]) -> np.ndarray:
        self.calls += pairs
        out = np.full((len(pairs), len(LABELS)), 0.02, dtype=np.float32)
        for row, (query, passage) in enumerate(pairs):
            label = next((lab for (q, p), lab in self.rules.items() if q in query and p in passage), "unrelated")
            out[row, LABELS.index(label)] = 0.9
        return out
