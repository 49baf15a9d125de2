"""What the judge's readings come to for one key point (coach.grading.decide): a reading that
makes the point covers it, unless the judge finds a wrong version of it nearly as likely."""

import numpy as np
import pytest

from coach.grading.decide import PointDecider
from coach.grading.embedder import get_embedder
from coach.grading.offline import Settings
from coach.grading.passages import read
from coach.grading.rubric import RubricPoint

SENTENCE = "Each server keeps its own counter in memory, so the limit is checked without a network hop."
PLAIN = RubricPoint(id="counters", text="Keeps counters in a store every server shares, updated atomically")
FULL = PLAIN.model_copy(update={"look_for": ("one shared counter per client, incremented atomically",)})


def reading(asserts: float, incorrect: float) -> np.ndarray:
    """Six probabilities (asserts, partial, shallow, declined, incorrect, unrelated)."""
    partial = 0.05
    return np.array([[asserts, partial, 0.0, 0.0, incorrect, 1.0 - asserts - partial - incorrect]])


@pytest.mark.parametrize(
    ("point", "asserts", "incorrect", "status"),
    [
        (PLAIN, 0.70, 0.12, "covered"),  # a small doubt: still the point
        (PLAIN, 0.60, 0.30, "partial"),  # contested: the wrong version is half as likely
        (FULL, 0.75, 0.15, "covered"),
        (FULL, 0.70, 0.20, "partial"),
    ],
)
def test_a_contested_reading_is_partial_at_most(point, asserts, incorrect, status):
    decider = PointDecider(get_embedder, Settings())
    got = decider.decide(point, [(0,)], reading(asserts, incorrect), read(SENTENCE))
    assert got.status == status
