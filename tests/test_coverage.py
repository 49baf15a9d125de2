"""Live rubric coverage (coach.interview.coverage): what the meter counts, and what the
interviewer should not ask about right after the candidate spoke to it."""

import pytest

from coach.grading.offline import OfflineGrader
from coach.grading.rubric import Rubric
from coach.interview.coverage import CoverageTracker

STORY = Rubric.model_validate(
    {
        "question": "Tell me about an outage you led the response to.",
        "key_points": [
            {"id": "role", "text": "States their role in the response (incident commander, responder)", "dimension": "task"},
            {"id": "numbers", "text": "Quantifies the impact and the improvement afterwards", "dimension": "metrics"},
        ],
    }
)


@pytest.fixture(scope="module")
def grader():
    return OfflineGrader()


def test_a_story_told_a_sentence_a_turn_is_counted(grader):
    """A STAR answer moves a line at a time; a line with no mechanism or reason still counts."""
    tracker = CoverageTracker(STORY, grader)
    turns = [("interviewer", "What was your role?"), ("candidate", "I was on call, so I became the incident commander.")]
    assert "role" in tracker.update(turns)


def test_a_story_s_numbers_speak_to_its_metrics_point(grader):
    tracker = CoverageTracker(STORY, grader)
    tracker.update([("interviewer", "What happened?"), ("candidate", "We lost about 2% of orders that evening.")])
    assert "numbers" in tracker.spoken_to("We lost about 2% of orders that evening.")
    assert "numbers" not in tracker.spoken_to("I rolled the deploy back.")
