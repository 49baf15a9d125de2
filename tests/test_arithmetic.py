"""Arithmetic said out loud (coach.grading.arithmetic): a stated product or quotient off by
more than 3x is a mistake, with the right result; right sums and other sentences are not."""

import pytest

from coach.grading.arithmetic import wrong_sum
from coach.grading.offline import OfflineGrader
from coach.grading.rubric import Rubric


@pytest.mark.parametrize(
    "sentence",
    [
        "40 writes/s x 86400 = 3.5M a day.",
        "50M posts a day times 200 followers is 10 billion feed inserts a day.",
        "100M links a month divided by 2.6M seconds is about 40 per second.",
        "100 bytes times 1M keys is 100 MB.",
        "We need 3 replicas times 2 regions.",
        "At 10x that is 1M.",
        "2,000 servers times 500 is 1,000,000 connections.",  # thousands grouped with commas
        "0 times 5 is 3, whatever that means.",  # nothing to compare
    ],
)
def test_right_sums_and_other_sentences_pass(sentence):
    assert wrong_sum(sentence) is None


def test_numbers_grouped_with_commas_are_read_whole():
    why = wrong_sum("2,000 servers times 500 is 1,000 connections.")
    assert why is not None and why.startswith("2,000 x 500 is about 1M, not 1,000")


def test_a_sum_a_thousand_times_off_is_wrong_and_says_the_right_result():
    why = wrong_sum("1 GB/s times 86400 is 86 GB a day, so 7 days is about 600 GB.")
    assert why is not None and "86 TB" in why and "1005x" in why


def test_the_grader_lists_it_as_a_mistake():
    rubric = Rubric.model_validate({"question": "Design a log pipeline", "key_points": [{"id": "size", "text": "Sizes daily storage from the ingest rate", "dimension": "estimation"}]})
    grading = OfflineGrader().grade(rubric, "We ingest 1 GB/s. 1 GB/s times 86400 is 86 GB a day, so one disk is plenty.")
    figure = [m for m in grading.mistakes if m.kind == "figure"]
    assert len(figure) == 1 and "86 TB" in figure[0].why
    assert all("86 GB a day" not in e for v in grading.verdicts for e in v.evidence)
