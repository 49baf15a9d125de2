
import asyncio
import json
import threading
import time

import pytest

from coach.bank import Kind
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from coach.api.app import create_app
from coach.config import Settings
from coach.storage import Store
from wsclient import of, say, send, until


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache")


@pytest.fixture
def client(settings):
    with TestClient(create_app(settings)) as c:
        yield c


def left_by_a_crash(settings, write) -> None:
    """Writes straight to the database what a server that died mid-way left there."""

    async def run():
        store = Store(settings.resolved_database_url)
        await store.start()
        await write(store)
        await store.close()

    asyncio.run(run())


def start(ws, question_id="sd-url-shortener"):
    send(ws, {"type": "start", "question_id": question_id})
    return until(ws, "interviewer.done")


def test_the_interviewer_answers_what_the_turn_asks(client):
    with client.websocket_connect("/ws/interview") as ws:
        opening = start(ws)[-1]["text"]
        prompt = client.app.state.services.bank.get("sd-url-shortener").prompt.strip()
        assert of(say(ws, "Sorry, could you repeat the question?"), "interviewer.done")[0]["text"] == f"Sure. {prompt}"
        assert prompt in opening
        reply = of(say(ws, "Do we need analytics?"), "interviewer.done")[0]["text"]
        assert "click counts" in reply and "I don't have a figure" not in reply
        assert of(say(ws, "Give me a minute."), "interviewer.done")[0]["text"] == "Take your time."
        reply = of(say(ws, "Is it OK if I use Cassandra for the links?"), "interviewer.done")[0]["text"]
        assert reply == "Yes, that's reasonable. Say it as an assumption and carry on."
        assert of(say(ws, "Should I start with the API or the data model?"), "interviewer.done")[0]["text"].startswith("Your call.")
        reply = of(say(ws, "I don't know."), "interviewer.done")[0]["text"]
        assert reply.startswith("Let's make it smaller:") and reply.endswith("?")


def test_a_wrong_estimate_and_a_pitfall_are_challenged_not_praised(client):
    with client.websocket_connect("/ws/interview") as ws:
        start(ws)
        reply = of(say(ws, "So 100M links a month is roughly 4,000 writes per second."), "interviewer.done")[0]["text"]
        assert "4,000 writes per second" in reply and reply.endswith("?") and "40 " not in reply
        assert not reply.startswith(("Good.", "That makes sense.", "Okay, good.", "Right, thanks."))
        reply = of(say(ws, "We take a hash of the long URL, chop it to seven characters and store that as the code."), "interviewer.done")[0]["text"]
        pitfall = next(p for p in client.app.state.services.bank.get("sd-url-shortener").pitfalls if p.text.startswith("Hashing with truncation"))
        assert reply == pitfall.challenge
        # Said again after the challenge, it is left for the report: the interview moves on.
        reply = of(say(ws, "We take a hash of the long URL, chop it to seven characters and store that as the code."), "interviewer.done")[0]["text"]
        assert pitfall.challenge not in reply


def test_a_whole_offline_interview(client):
    with client.websocket_connect("/ws/interview") as ws:
        opening = start(ws)
        session = opening[0]
        assert session["type"] == "session" and session["seq"] == 1 and session["provider"] == "offline"
        assert session["question"]["id"] == "sd-url-shortener" and session["token"]
        assert [f["seq"] for f in opening] == list(range(1, len(opening) + 1))
        assert opening[1]["type"] == "phase" and opening[1]["phase"] == "requirements"
        assert "".join(f["text"] for f in of(opening, "interviewer.delta")) == opening[-1]["text"]
        assert opening[-1]["text"].startswith("Design a service that turns long links")

        turn = say(ws, "How many new links per month, and how long do we keep them?")
        done = of(turn, "interviewer.done")[0]
        assert "100M new short links per month" in done["text"] and "5 years" in done["text"]
        assert "500 bytes" in done["text"] or "kept for 5 years" in done["text"]
        assert of(turn, "coverage")[0] == {"type": "coverage", "seq": of(turn, "coverage")[0]["seq"], "covered": [], "total": 6}

        turn = say(
            ws,
            "Each app server reserves a range of ids from a counter and base62-encodes them, so two servers never hand out "
            "the same short code. Redirects read from a Redis cache in front of the database, since reads dominate 100 to 1.",
        )
        covered = of(turn, "coverage")[0]["covered"]
        assert {"key-generation", "read-path-cache"} <= set(covered)
        reply = of(turn, "interviewer.done")[0]["text"]
        assert reply.endswith("?"), "the interviewer probes an uncovered point"
        items = of(turn, "suggestions")[0]["items"]
        assert {i["category"] for i in items} >= {"nudge", "pattern"}
        assert of(turn, "suggestions")[0]["turn"] == 4

        send(ws, {"type": "hint"})
        hint = ws.receive_json()
        assert hint["type"] == "suggestions" and hint["items"]
        assert client.app.state.services.replies_first.starting == 0, "every reply that started is counted out"

        send(ws, {"type": "end"})
        report = until(ws, "report")[-1]["report"]
        assert report["session_id"] == session["session_id"] and report["question_id"] == "sd-url-shortener"
        kps = {k["id"]: k for k in report["key_points"]}
        assert kps["key-generation"]["covered"] and kps["key-generation"]["evidence"]
        assert 0 < report["score"] < 100

        send(ws, {"type": "say", "text": "one more thing"})
        assert ws.receive_json() == {"type": "error", "seq": 0, "code": "session_ended", "message": "this interview has ended; start a new one"}


def test_seq_rises_by_one_across_the_session(client):
    with client.websocket_connect("/ws/interview") as ws:
        frames = start(ws) + say(ws, "We shard the store by short code so every redirect is a single-key lookup.")
        send(ws, {"type": "ping"})
        pong = ws.receive_json()
        assert pong == {"type": "pong", "seq": 0}
        assert [f["seq"] for f in frames] == list(range(1, len(frames) + 1))


def test_resume_replays_missed_frames_then_continues(client):
    with client.websocket_connect("/ws/interview") as ws:
        frames = start(ws) + say(ws, "What's the read to write ratio?")
        sid, token = frames[0]["session_id"], frames[0]["token"]
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "resume", "session_id": sid, "token": token, "last_seq": 3})
        # Every turn is done: its deltas are replaced by its interviewer.done, which carries the text.
        missed = [f for f in frames[3:] if f["type"] != "interviewer.delta"]
        replay = [ws.receive_json() for _ in range(len(missed))]
        assert replay == missed
        more = say(ws, "Then I'd cache the hot links in Redis, because reads dominate.")
        assert more[0]["seq"] == frames[-1]["seq"] + 1


def test_a_delta_goes_out_while_it_is_being_stored(client, monkeypatch):
    received: set[int] = set()
    stored_first: list[int] = []  # deltas whose write finished before the client had them
    queue_frame = Store.queue_frame

    def slow_delta_writes(self, session_id, seq, body, lease=None):
        writing = queue_frame(self, session_id, seq, body, lease)
        if json.loads(body)["type"] != "interviewer.delta":
            return writing

        async def held():
            for _ in range(300):  # the client has it long before: it was sent first
                if seq in received:
                    break
                await asyncio.sleep(0.01)
            else:
                stored_first.append(seq)
            await writing

        return asyncio.ensure_future(held())

    monkeypatch.setattr(Store, "queue_frame", slow_delta_writes)
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "question_id": "sd-url-shortener"})
        frames = []
        while not frames or frames[-1]["type"] != "interviewer.done":
            frames.append(ws.receive_json())
            received.add(frames[-1]["seq"])
    assert of(frames, "interviewer.delta") and stored_first == []
    assert [f["seq"] for f in frames] == list(range(1, len(frames) + 1))


def test_a_client_one_delta_ahead_of_the_store_gets_the_restarted_reply_after_it(settings):
    """The server died right after sending the first delta of a reply, before storing it."""
    with TestClient(create_app(settings)) as client, client.websocket_connect("/ws/interview") as ws:
        opening = start(ws)
    sid, token, last_stored = opening[0]["session_id"], opening[0]["token"], opening[-1]["seq"]

    left_by_a_crash(settings, lambda store: store.add_turn(sid, 2, "candidate", "How many new links per month?"))
    with TestClient(create_app(settings)) as client, client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "resume", "session_id": sid, "token": token, "last_seq": last_stored + 1})
        after = until(ws, "interviewer.done")
    assert after[0]["type"] == "notice" and after[0]["code"] == "reply_restarted"
    assert [f["seq"] for f in after] == list(range(last_stored + 2, last_stored + 2 + len(after))), "nothing the client would drop"
    assert "100M new short links per month" in after[-1]["text"]


def test_an_opening_cut_off_by_a_crash_starts_again_on_resume(settings):
    sid, token = "ab" * 16, "t0ken"

    async def session_frame_only(store):
        await store.create_session(sid, token, "sd-url-shortener", "offline")
        await store.add_frame(sid, 1, json.dumps({"type": "session", "seq": 1, "session_id": sid, "token": ""}))

    left_by_a_crash(settings, session_frame_only)
    with TestClient(create_app(settings)) as client, client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "resume", "session_id": sid, "token": token, "last_seq": 1})
        send(ws, {"type": "ping"})
        until(ws, "pong")
        live = client.app.state.interviews.live[sid]
        for _ in range(100):  # waiting on the socket would hang for good if nothing restarts
            if live.turns:
                break
            time.sleep(0.05)
        assert live.turns, "the opening was started again"
        after = [f for f in until(ws, "interviewer.done") if f["type"] != "pong"]
        assert after[0]["type"] == "notice" and after[0]["code"] == "reply_restarted"
        assert after[-1]["turn"] == 1 and after[-1]["text"].startswith("Design a service that turns long links")
        turn = say(ws, "How many new links per month?")
    assert of(turn, "interviewer.done")[0]["turn"] == 3


def hold_the_opening(monkeypatch) -> threading.Event:
    """The opening's turn is not stored, so the opening does not end, until the event is set."""
    release = threading.Event()
    add_turn = Store.add_turn

    async def held(self, session_id, turn, role, text, lease=None):
        if turn == 1:
            await asyncio.to_thread(release.wait, 5)
        await add_turn(self, session_id, turn, role, text, lease)

    monkeypatch.setattr(Store, "add_turn", held)
    return release


def resume_during_the_opening(first, second) -> list[dict]:
    send(first, {"type": "start", "question_id": "sd-url-shortener"})
    session = first.receive_json()
    send(second, {"type": "resume", "session_id": session["session_id"], "token": session["token"], "last_seq": 1})
    send(second, {"type": "ping"})
    return until(second, "pong")


def test_a_resume_during_the_opening_does_not_open_twice(client, monkeypatch):
    opened = hold_the_opening(monkeypatch)
    with client.websocket_connect("/ws/interview") as first, client.websocket_connect("/ws/interview") as second:
        frames = resume_during_the_opening(first, second)
        opened.set()
        frames += until(second, "interviewer.done")
        send(second, {"type": "ping"})
        frames += until(second, "pong")
    assert not of(frames, "notice"), "the opening was under way, not cut off"
    assert len(of(frames, "interviewer.done")) == 1


def test_an_end_during_the_opening_ends_the_session(client, monkeypatch):
    opened = hold_the_opening(monkeypatch)
    with client.websocket_connect("/ws/interview") as first, client.websocket_connect("/ws/interview") as second:
        resume_during_the_opening(first, second)
        send(second, {"type": "end"})
        until(second, "report")
        opened.set()
        until(second, "interviewer.done")
        send(second, {"type": "say", "text": "One more thing about caching."})
        send(second, {"type": "ping"})
        after = until(second, "pong")
    assert [f["code"] for f in of(after, "error")] == ["session_ended"]


def test_resume_replay_never_contains_the_token(client):
    with client.websocket_connect("/ws/interview") as ws:
        frames = start(ws)
        sid, token = frames[0]["session_id"], frames[0]["token"]
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "resume", "session_id": sid, "token": token, "last_seq": 0})
        first = ws.receive_json()
        assert first["type"] == "session" and first["session_id"] == sid and first["token"] == ""


def test_wrong_token_gets_an_error_and_nothing_of_the_session(client):
    with client.websocket_connect("/ws/interview") as ws:
        sid = start(ws)[0]["session_id"]
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "resume", "session_id": sid, "token": "guess", "last_seq": 0})
        assert ws.receive_json()["code"] == "unauthorized"
        send(ws, {"type": "say", "text": "hello"})
        assert ws.receive_json()["code"] == "no_session"
        send(ws, {"type": "resume", "session_id": "no-such-session", "token": "x", "last_seq": 0})
        assert ws.receive_json()["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("frame", "code"),
    [
        ("not json", "invalid_json"),
        ("[1, 2]", "invalid_frame"),
        ('{"text": "no type"}', "unknown_type"),
        ('{"type": "shout"}', "unknown_type"),
        ('{"type": "say"}', "invalid_frame"),
        ('{"type": "say", "text": 42}', "invalid_frame"),
        ('{"type": "say", "text": ""}', "invalid_frame"),
        ('{"type": "say", "text": "hi", "extra": 1}', "invalid_frame"),
        ('{"type": "resume", "session_id": "x", "token": "y", "last_seq": -1}', "invalid_frame"),
        ('{"type": "say", "text": "hi"}', "no_session"),
        ('{"type": "hint"}', "no_session"),
        ('{"type": "end"}', "no_session"),
        ('{"type": "start", "question_id": "nope"}', "unknown_question"),
        ('{"type": "start", "kind": "behavioral", "topic": "no-such-topic"}', "unknown_question"),
        ('{"type": "start", "difficulty": "impossible"}', "invalid_frame"),
    ],
)
def test_bad_input_gets_an_error_frame_and_the_connection_stays_usable(client, frame, code):
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, frame)
        error = ws.receive_json()
        assert error["type"] == "error" and error["code"] == code and error["seq"] == 0 and error["message"]
        send(ws, {"type": "ping"})
        assert ws.receive_json()["type"] == "pong"


def test_binary_frames_are_refused(client):
    with client.websocket_connect("/ws/interview") as ws:
        ws.send_bytes(b'{"type": "ping"}')
        assert ws.receive_json()["code"] == "invalid_frame"


def test_second_start_on_one_connection(client):
    with client.websocket_connect("/ws/interview") as ws:
        start(ws)
        send(ws, {"type": "start"})
        assert ws.receive_json()["code"] == "already_in_session"


def test_oversized_frame_is_refused_and_others_are_served(client):
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "say", "text": "x" * 70_000})
        assert ws.receive_json()["code"] == "frame_too_large"
        with pytest.raises(WebSocketDisconnect) as info:
            ws.receive_json()
        assert info.value.code == 1009
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "ping"})
        assert ws.receive_json()["type"] == "pong"


def test_say_while_the_interviewer_answers_is_busy(client):
    with client.websocket_connect("/ws/interview") as ws:
        start(ws)
        send(ws, {"type": "say", "text": "First I'd clarify the scale."})
        send(ws, {"type": "say", "text": "And then?"})
        frames = until(ws, "suggestions")
        # The handler reads the second frame while the reply to the first is still under way.
        assert [f["code"] for f in of(frames, "error")] == ["busy"]
        assert [f["turn"] for f in of(frames, "interviewer.done")] == [3], "the second turn was not taken"


def test_a_say_right_after_interviewer_done_is_answered(client):
    with client.websocket_connect("/ws/interview") as ws:
        start(ws)
        for text in ("How many links a month?", "How long are they kept?", "What is the read to write ratio?"):
            send(ws, {"type": "say", "text": text})
            frame = ws.receive_json()
            while frame["type"] not in ("interviewer.done", "error"):
                frame = ws.receive_json()
            assert frame["type"] == "interviewer.done", f"interviewer.done ends the turn; the next one is welcome, got {frame}"
        later = until(ws, "suggestions")
        assert not of(later, "error")


def test_start_by_filters(client):
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "kind": "behavioral", "difficulty": "easy"})
        session = ws.receive_json()
        assert session["question"]["kind"] == "behavioral" and session["question"]["difficulty"] == "easy"


def test_blame_in_a_star_story_is_challenged(client):
    with client.websocket_connect("/ws/interview") as ws:
        start(ws, "bh-incident-you-led")
        turn = say(ws, "Honestly the root cause was a junior engineer who pushed the config without testing it.")
        bank = client.app.state.services.bank
        blame = {p.challenge for p in bank.get("bh-incident-you-led").pitfalls if "lam" in p.text} | {p.challenge for p in bank.generic_pitfalls[Kind.behavioral]}
        assert of(turn, "interviewer.done")[0]["text"] in blame


def test_a_star_interview(client):
    with client.websocket_connect("/ws/interview") as ws:
        opening = start(ws, "bh-scaling-a-system")
        assert opening[1]["phase"] == "situation_and_task"
        turn = say(ws, "I was the tech lead responsible for getting our matchmaking service to 2M daily users without a rewrite.")
        assert of(turn, "coverage")[0]["total"] == 7
        assert of(turn, "interviewer.done")[0]["text"].endswith("?")


def test_interview_mode_sends_suggestions_only_on_hint_and_a_repeated_hint_reuses_them(client):
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "question_id": "sd-url-shortener", "mode": "interview"})
        until(ws, "interviewer.done")
        send(ws, {"type": "say", "text": "I'd keep the mappings in a key-value store and cache hot links in Redis."})
        until(ws, "interviewer.done")
        send(ws, {"type": "ping"})
        assert [f["type"] for f in until(ws, "pong")] == ["pong"], "no suggestions after the turn in interview mode"
        send(ws, {"type": "hint"})
        first = until(ws, "suggestions")[-1]
        send(ws, {"type": "hint"})
        again = until(ws, "suggestions")[-1]
    assert first["items"] and again["items"] == first["items"]


def test_a_resume_from_nothing_rebuilds_the_whole_transcript(client):
    """Another device knows only the session id and token: the replay carries both sides."""
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "question_id": "sd-url-shortener", "mode": "interview"})
        session = until(ws, "interviewer.done")[0]
        send(ws, {"type": "say", "text": "How many links a month?"})
        live = until(ws, "interviewer.done")
    assert [f["type"] for f in live][0] == "candidate", "the stored turn leads its reply"
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "resume", "session_id": session["session_id"], "token": session["token"], "last_seq": 0})
        send(ws, {"type": "ping"})
        replay = until(ws, "pong")
    said = [(f["turn"], f["text"]) for f in replay if f["type"] in ("candidate", "interviewer.done")]
    assert said[1] == (2, "How many links a month?") and said[0][0] == 1 and said[2][0] == 3


def test_the_report_of_an_interview_carries_its_transcript(client):
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "question_id": "sd-url-shortener", "mode": "interview"})
        session = until(ws, "interviewer.done")[0]
        send(ws, {"type": "say", "text": "How many links a month?"})
        until(ws, "interviewer.done")
        send(ws, {"type": "hint"})
        assert until(ws, "suggestions")[-1]["asked"] is True
        send(ws, {"type": "end"})
        report = until(ws, "report")[-1]["report"]
    assert [(t["turn"], t["role"]) for t in report["transcript"]] == [(1, "interviewer"), (2, "candidate"), (3, "interviewer")]
    assert report["transcript"][1]["text"] == "How many links a month?"
    # The timeline: every turn's time and phase, the phases with their answers and the hint.
    assert all(isinstance(t["at_s"], int) and t["phase"] == "requirements" for t in report["transcript"])
    assert [(p["phase"], p["answers"], p["hints"]) for p in report["timeline"]] == [("requirements", 1, 1)]
    assert report["hints_used"] == 1 and report["duration_s"] >= 0
    auth = {"Authorization": f"Bearer {session['token']}"}
    md = client.get(f"/api/sessions/{session['session_id']}/report", params={"format": "md"}, headers=auth).text
    assert "## Transcript" in md and "### Requirements" in md and "**Candidate** [0:00]: How many links a month?" in md
    assert "## Timeline" in md and "| Requirements | 0:00 |" in md
    html = client.get(f"/api/sessions/{session['session_id']}/report", params={"format": "html"}, headers=auth).text
    assert "<h2>Transcript</h2>" in html and "How many links a month?" in html and "<h2>Timeline</h2>" in html


def test_a_turn_stored_without_its_done_frame_is_closed_on_resume(client):
    """The server died between storing the interviewer's turn and its interviewer.done: the
    client would wait for that frame for ever. The resume sends it, from the stored turn."""
    with client.websocket_connect("/ws/interview") as ws:
        frames = start(ws)
    sid, token, seq = frames[0]["session_id"], frames[0]["token"], frames[-1]["seq"]
    store = client.app.state.services.store
    # As the dead instance left it: both turns stored, the reply's frames never were.
    client.portal.call(store.add_turn, sid, 2, "candidate", "How many links a month?")
    client.portal.call(store.add_turn, sid, 3, "interviewer", "About 100M new links a month.")
    client.app.state.interviews.live.clear()
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "resume", "session_id": sid, "token": token, "last_seq": seq})
        done = until(ws, "interviewer.done")[-1]
        assert (done["turn"], done["text"]) == (3, "About 100M new links a month.")
        send(ws, {"type": "say", "text": "Then I'd cache the hot links in Redis, because reads dominate."})
        assert until(ws, "interviewer.done")[-1]["turn"] == 5
