"""The mistakes a turn's words alone decide (coach.grading.sure_mistakes): what the LLM
interviewer is told about when the grader's full reading of the turn is late."""

from coach.bank.models import Pitfall
from coach.grading.rubric import Rubric
from coach.grading.sure_mistakes import sure_mistakes

HOSTED = Pitfall(
    text="Assumes a hosted store never fails",
    why="Hosted stores have outages too.",
    patterns=(r"\bhosted\b[^.]{0,40}\b(?:can'?t|won'?t)\s+(?:go\s+down|fail)",),
)
RUBRIC = Rubric.model_validate(
    {
        "question": "Design a chat service",
        "brief": ["About 10B messages a day."],
        "key_points": [
            {"id": "estimate", "text": "Estimates the message rate", "dimension": "estimation", "figures": [
                {"quantity": "message rate", "unit": "per_second", "value": 115741, "cues": ["message"], "basis": "10B a day / 86,400 s"},
            ]},
            {"id": "store", "text": "Keeps history in a partitioned store"},
        ],
    }
)


def test_wrong_figures_wrong_sums_and_pitfalls_said_outright_are_found_in_order():
    text = (
        "It's hosted, so it can't go down. "
        "10B a day is about 12k messages per second. "
        "And 2,000 servers times 50 connections is 1M connections."
    )
    got = sure_mistakes(RUBRIC, [HOSTED], text)
    assert [(m.kind, m.quote) for m in got] == [
        ("figure", "10B a day is about 12k messages per second."),
        ("figure", "And 2,000 servers times 50 connections is 1M connections."),
        ("pitfall", "It's hosted, so it can't go down."),
    ]
    assert got[0].key_point == "estimate" and "116k per second" in got[0].why
    assert "100k" in got[1].why and got[2].why == "Hosted stores have outages too." and got[2].pitfall == HOSTED.text


def test_right_figures_and_plain_design_talk_hold_no_mistake():
    text = "10B a day is about 115k messages per second. History sits in a store partitioned by conversation, hosted in two regions."
    assert sure_mistakes(RUBRIC, [HOSTED], text) == []


def test_a_pitfall_without_its_own_why_says_which_pitfall():
    bare = Pitfall(text="Assumes a hosted store never fails", patterns=HOSTED.patterns)
    (got,) = sure_mistakes(RUBRIC, [bare], "The hosted queue won't fail.")
    assert got.why == "A known pitfall: assumes a hosted store never fails."
