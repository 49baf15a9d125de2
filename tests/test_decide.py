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


def test_plain_story_lines_make_metrics_and_task_points():
    from coach.grading.decide import Point, told_plainly

    passages = read("I owned that end to end. Incidents went from about three a month to one. Should we have hired faster?").passages
    task = RubricPoint(id="role", text="States their responsibility for the migration", dimension="task")
    metrics = RubricPoint(id="result", text="Shows results with numbers (incidents, lead time)", dimension="metrics")
    design = RubricPoint(id="store", text="Keeps history in a partitioned store", dimension="data")
    assert told_plainly(task, Point(), passages).evidence == ["I owned that end to end."]
    assert told_plainly(metrics, Point(status="partial"), passages).evidence == ["Incidents went from about three a month to one."]
    assert told_plainly(design, Point(), passages).status == "missed"
