"""The LLM interviewer's grounding (coach.interview.llm_interviewer); the HTTP side is in test_ws_llm.py."""

import pytest

from coach.bank import load_bank
from coach.grading.models import Mistake
from coach.interview.llm_interviewer import signals, without_answer_figures
from coach.storage import Turn


@pytest.mark.parametrize(
    ("text", "open_point"),
    [
        ("Estimates write rates and storage (about 40 writes/s, a few TB over 5 years)", "Estimates write rates and storage"),
        ("Sizes the spike - 50x concurrency and about 170 orders per second - and plans capacity", "Sizes the spike and plans capacity"),
        ("Chooses 301 versus 302 redirects deliberately (caching versus click counting)", "Chooses 301 versus 302 redirects deliberately (caching versus click counting)"),
        ("Converts 10M/min into per-second rates", "Converts 10M/min into per-second rates"),  # the brief's number, not the answer
    ],
)
def test_open_points_lose_their_answer_figures(text, open_point):
    assert without_answer_figures(text) == open_point


def test_signals_of_the_last_turn():
    q = load_bank().get("sd-url-shortener")
    turns = [Turn(1, "interviewer", q.prompt), Turn(2, "candidate", "Codes come from a counter in base62. Roughly 4,000 writes per second.")]
    wrong = Mistake(kind="figure", quote="Roughly 4,000 writes per second.", why="About 40 per second.", key_point="estimate")
    got = signals(q, turns, set(), {"key-generation"}, [wrong], q.pitfalls)
    assert got.just_covered == (next(kp.text for kp in q.key_points if kp.id == "key-generation"),)
    assert got.challenge is not None and got.challenge.quote == wrong.quote and "40 " not in got.challenge.ask
    assert got.asked is None and not got.pending
    asking = signals(q, [*turns[:1], Turn(2, "candidate", "How long do we keep links?")], set(), set(), [], q.pitfalls)
    assert asking.asked == "a clarifying question" and asking.challenge is None
