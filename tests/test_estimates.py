from coach.grading.estimates import review
from coach.grading.models import Verdict
from coach.grading.rubric import Rubric

RUBRIC = Rubric.model_validate(
    {
        "question": "Design a chat service",
        "brief": ["About 10B messages a day."],
        "key_points": [
            {"id": "estimate", "text": "Estimates message rate and storage", "dimension": "estimation", "figures": [
                {"quantity": "message rate", "unit": "per_second", "value": 115741, "cues": ["message"], "basis": "10B a day / 86,400 s"},
                {"quantity": "storage growth", "unit": "bytes_per_second", "value": 2.3e7, "cues": ["storage"]},
            ]},
            {"id": "fan-out", "text": "Fans group messages out per member"},
        ],
    }
)


def test_a_wrong_figure_overrides_the_graders_verdict_and_says_why():
    verdicts = [Verdict(id="estimate", status="covered", evidence=["x"]), Verdict(id="fan-out", status="covered", evidence=["y"])]
    sentences = ["10B a day is about 12k messages per second."]
    out, mistakes = review(RUBRIC, verdicts, sentences)
    assert [v.status for v in out] == ["incorrect", "covered"]
    assert [(m.kind, m.quote, m.key_point) for m in mistakes] == [("figure", sentences[0], "estimate")]
    assert mistakes[0].why == "Message rate is about 116k per second (10B a day / 86,400 s); 12k is 10x too low."


def test_partial_names_what_is_missing():
    out, _ = review(RUBRIC, [Verdict(id="estimate", status="missed")], ["That is about 115k messages per second."])
    assert out[0].status == "partial" and out[0].note == "Estimates message rate; missing: storage growth."
    assert out[0].evidence == ["That is about 115k messages per second."]


def test_an_estimate_with_none_of_the_figures_is_not_covered():
    out, _ = review(RUBRIC, [Verdict(id="estimate", status="covered", evidence=["We estimate traffic first."])], ["We estimate traffic first."])
    assert out[0].status == "partial" and "No estimate of message rate, storage growth" in (out[0].note or "")


def test_numbers_that_say_nothing_leave_the_verdict_alone():
    v = Verdict(id="estimate", status="shallow")
    assert review(RUBRIC, [v], ["We need some servers."])[0] == [v]


def test_right_figures_cover_the_point_only_with_the_rest_of_it():
    sentences = ["That is about 115k messages per second, and roughly 2 TB of new storage a day."]
    covered, _ = review(RUBRIC, [Verdict(id="estimate", status="partial", evidence=sentences)], sentences)
    assert covered[0].status == "covered" and covered[0].evidence == sentences
    alone, _ = review(RUBRIC, [Verdict(id="estimate", status="missed")], sentences)
    assert alone[0].status == "partial" and alone[0].note == "The figures are right; the rest of the point was not made."
