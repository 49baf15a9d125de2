"""Whole offline interviews on three bank questions (one STAR), played as a candidate would,
checking what a real interviewer does: repeats the question when asked, answers a yes/no
scope question from the brief, challenges a wrong estimate and a pitfall instead of praising
them (and says so when the estimate is redone right), never offers a nudge it has just asked, and keeps probing while time and points remain."""

import pytest
from fastapi.testclient import TestClient

from coach.api.app import create_app
from coach.config import Settings
from coach.interview import asks
from coach.interview import offline_interviewer as oi
from wsclient import of, say, send, until

PRAISE = ("Good.", "That makes sense.", "Okay, good.", "Right, thanks.")
SCRIPTS = {
    "sd-url-shortener": [
        ("repeat", "Sorry, could you repeat the question?"),
        ("scope", "Do we need analytics?", "click counts"),
        ("estimate", "So 100M links a month is roughly 4,000 writes per second."),
        # Redone after the challenge, and right this time: the interviewer says so.
        ("corrected", "Sorry, I mean about 40 writes a second, and reads are 100 times that."),
        ("content", "Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never hand out the same short code."),
        # Half an estimate: the interviewer asks about something else now, not the same point.
        ("half", "Storage-wise that's about 3 TB over five years.", "estimate"),
        # Said tersely ("hash it, keep seven characters") the judge misses it (tests/test_judge.py).
        ("pitfall", "We take the MD5 of the long URL and keep the first 7 characters as the short code; hashes are unique so we don't check."),
        ("content", "Redirects read from a Redis cache in front of the database, since reads outnumber writes 100 to 1."),
    ],
    "sd-chat-service": [
        ("scope", "Do we need read receipts?", "read receipts"),
        ("again", "Sorry, can you say that again?"),
        ("repeat", "Sorry, what was the question again?"),
        ("estimate", "10B messages a day is about 1,000 messages per second."),
        ("pitfall", "We order messages in a conversation by the timestamp on the sender's phone."),
        ("content", "Each client keeps a WebSocket open to a gateway server, and a presence service maps each user to their gateway."),
        # A false claim any design can make (seeds/pitfalls.yaml), not one of this question's own.
        ("pitfall", "Kafka gives us exactly-once delivery end to end, so a message can never be delivered twice and we don't need any dedup."),
    ],
    "bh-incident-you-led": [
        ("repeat", "Sorry, could you repeat the question?"),
        ("content", "Last year our checkout API went down for forty minutes on a Friday evening, and I was the incident commander."),
        ("pitfall", "Honestly the root cause was a junior engineer who pushed the config without testing it."),
        ("content", "I rolled the config back within ten minutes, then ran a blameless postmortem where we added config validation to CI."),
    ],
}


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache"))) as c:
        yield c


@pytest.mark.parametrize("question_id", sorted(SCRIPTS))
def test_a_scripted_interview(client, question_id):
    question = client.app.state.services.bank.get(question_id)
    challenges = {p.challenge for p in question.pitfalls} | {p.challenge for ps in client.app.state.services.bank.generic_pitfalls.values() for p in ps}
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "question_id": question_id})
        last = until(ws, "interviewer.done")[-1]["text"]
        for kind, text, *expect in SCRIPTS[question_id]:
            frames = say(ws, text)
            reply = of(frames, "interviewer.done")[0]["text"]
            if kind == "repeat":
                assert reply == f"Sure. {question.prompt.strip()}"
            elif kind == "again":
                assert reply == f"Sure. {last}"
            elif kind == "scope":
                assert expect[0] in reply and "I don't have a figure" not in reply
            elif kind == "estimate":
                assert text in reply and reply.endswith("?") and not reply.startswith(PRAISE), reply
            elif kind == "pitfall":
                assert reply in challenges, reply
            elif kind == "corrected":
                assert reply.startswith("That adds up.") and reply.endswith("?"), reply
            elif kind == "half":  # half an answer on a point: the next question is about another
                point = expect[0]
                same = {f.ask for f in question.follow_ups if f.key_point == point} | {asks.PROBES[question.key_point(point).dimension]}
                assert reply.endswith("?") and not any(ask in reply for ask in same), reply
            else:
                assert reply.endswith("?") and oi.WRAP_UP not in reply and oi.OUT_OF_TIME not in reply, reply
            # The coach's nudges never repeat the question the interviewer just asked.
            asked = oi.last_question(reply)
            nudges = [s["detail"] for s in of(frames, "suggestions")[0]["items"] if s["category"] == "nudge"]
            assert asked is None or all(asked not in n for n in nudges), (asked, nudges)
            last = reply
        assert last


def test_questions_about_the_interview_get_an_answer_not_a_missing_figure(client):
    """"Is that what you were looking for?" and "how much time is left?" ask nothing of the
    brief: the interviewer keeps going, or says the time, and never "I don't have a figure"."""
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "question_id": "sd-url-shortener", "mode": "interview"})
        until(ws, "interviewer.done")
        for text, expect in (
            ("I'd put a cache in front of the database. Is that what you were looking for?", "keep going"),
            ("How much time do we have left?", "minutes left"),
        ):
            reply = say_and_read(ws, text)
            assert expect in reply and "figure" not in reply, reply


def say_and_read(ws, text: str) -> str:
    send(ws, {"type": "say", "text": text})
    return until(ws, "interviewer.done")[-1]["text"]
