"""Pitfalls said outright (coach.grading.pitfalls.said_outright and the grader): a pitfall's
patterns catch the unmistakable cases the judge may read past, unless the sentence names the
fix or names the pitfall in order to avoid it."""

import pytest

from coach.bank.models import Pitfall
from coach.grading.offline import OfflineGrader
from coach.grading.pitfalls import said_outright
from coach.grading.rubric import Rubric

MANAGED = Pitfall(
    text="Assumes a hosted store never fails",
    patterns=(r"\bhosted\b[^.]{0,40}\b(?:can'?t|won'?t)\s+(?:go\s+down|fail)",),
    unless=r"\bfailover\b",
)


@pytest.mark.parametrize(
    ("sentence", "falls"),
    [
        ("It's hosted, so it can't go down.", True),
        ("It's hosted so it won't fail, and I'd still add failover.", False),  # the fix is named
        ("We shouldn't assume a hosted store can't go down.", False),  # named to be avoided
        ("The hosted store keeps three replicas.", False),
    ],
)
def test_said_outright(sentence, falls):
    assert said_outright(MANAGED, sentence) is falls


def test_a_pitfall_without_patterns_is_left_to_the_judge():
    assert not said_outright(Pitfall(text="Assumes a hosted store never fails"), "It's hosted, so it can't go down.")


def test_a_pitfall_said_outright_is_a_mistake_and_no_evidence():
    rubric = Rubric.model_validate(
        {
            "question": "Design a key-value store",
            "key_points": [{"id": "ha", "text": "Plans for the store failing: replicas and failover", "dimension": "reliability"}],
            "pitfalls": [MANAGED.model_dump()],
        }
    )
    grading = OfflineGrader().grade(rubric, "We keep the data in a hosted store. It's hosted, so it can't go down, so replicas are not needed.")
    assert [m.kind for m in grading.mistakes] == ["pitfall"]
    assert grading.verdicts[0].status != "covered"


def test_every_generic_pitfall_with_patterns_catches_one_of_its_own_phrasings():
    from coach.bank import load_bank

    for pitfalls in load_bank().generic_pitfalls.values():
        for pitfall in pitfalls:
            if pitfall.patterns:
                assert any(said_outright(pitfall, p) for p in pitfall.phrasings), pitfall.text


def test_a_sentence_arguing_against_the_pitfall_is_not_it_whatever_the_judge_reads():
    from judgefake import ScriptedJudge

    rubric = Rubric.model_validate(
        {
            "question": "Design a rate limiter",
            "key_points": [{"id": "open", "text": "Fails open when the limiter's store is down", "dimension": "reliability"}],
            "pitfalls": [{"text": "Blocks all traffic when the limiter's store is down"}],
        }
    )
    # This judge reads both sentences as the pitfall; only one of them says it.
    judge = ScriptedJudge({("Blocks all traffic", "limiter is down"): "asserts"})
    grader = OfflineGrader(judge=judge)
    against = grader.grade(rubric, "Blocking all traffic because the limiter is down would be worse than letting a few clients over their quota.")
    assert against.mistakes == []
    falls = grader.grade(rubric, "If the limiter is down we block all traffic until it is back.")
    assert [m.kind for m in falls.mistakes] == ["pitfall"]
