"""Hostile frames: every one gets an error frame (or the documented close), the connection stays
usable, and nothing crashes, on SQLite and PostgreSQL."""

import json

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.websockets import WebSocketDisconnect

from coach.api.app import create_app
from coach.config import Settings
from wsclient import send, until


@pytest.fixture
def client(database_url, tmp_path):
    with TestClient(create_app(Settings(database_url=database_url, data_dir=tmp_path / "d", cache_dir=tmp_path / "c"))) as c:
        yield c


HOSTILE = {
    "nested arrays": ("[" * 5000 + "]" * 5000, "invalid_json"),
    "nested inside a frame": ('{"type":"say","text":' + "[" * 3000 + "]" * 3000 + "}", "invalid_json"),
    "an integer of 5,000 digits": ('{"type":"resume","session_id":"a","token":"b","last_seq":' + "9" * 5000 + "}", "invalid_json"),
    "last_seq of 2^63": ('{"type":"resume","session_id":"a","token":"b","last_seq":' + str(2**63) + "}", "invalid_frame"),
    "a negative last_seq": ('{"type":"resume","session_id":"a","token":"b","last_seq":-1}', "invalid_frame"),
    "last_seq as a float": ('{"type":"resume","session_id":"a","token":"b","last_seq":1e308}', "invalid_frame"),
    "an unpaired surrogate in text": ('{"type":"say","text":"\\ud800 hi"}', "invalid_frame"),
    "an unpaired surrogate in an id": ('{"type":"resume","session_id":"\\udfff","token":"b","last_seq":0}', "invalid_frame"),
    "NUL in an id": ('{"type":"resume","session_id":"\\u0000","token":"b","last_seq":0}', "invalid_frame"),
    "a 60,000-character id": ('{"type":"resume","session_id":"' + "a" * 60_000 + '","token":"b","last_seq":0}', "invalid_frame"),
    "NUL in the type": ('{"type":"say\\u0000","text":"hi"}', "unknown_type"),
    "not an object": ("[1, 2]", "invalid_frame"),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_a_hostile_frame_gets_an_error_frame_and_the_connection_goes_on(client, name):
    raw, code = HOSTILE[name]
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, raw)
        error = ws.receive_json()
        assert (error["type"], error["code"]) == ("error", code), error
        assert len(error["message"]) < 300, "large input is never echoed back"
        send(ws, {"type": "ping"})
        assert ws.receive_json()["type"] == "pong"


def test_a_turn_with_nul_is_stored_and_answered(client):
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "question_id": "sd-url-shortener", "mode": "interview"})
        session = until(ws, "interviewer.done")[0]
        send(ws, {"type": "say", "text": "We need\u0000 about 100M links a month."})
        done = until(ws, "interviewer.done")[-1]
        assert done["text"]
    services = client.app.state.services
    turns = client.portal.call(services.store.turns, session["session_id"])
    assert turns[1].text == "We need\ufffd about 100M links a month."


def test_a_frame_just_over_the_limit_gets_the_error_frame_before_the_close(client):
    limit = client.app.state.services.settings.max_frame_bytes
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "say", "text": "x" * (limit * 4)})
        assert ws.receive_json()["code"] == "frame_too_large"
        with pytest.raises(WebSocketDisconnect) as closed:
            ws.receive_json()
        assert closed.value.code == 1009


# --- fuzz ----------------------------------------------------------------------------------

_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
_fields = st.dictionaries(
    st.sampled_from(["text", "session_id", "token", "last_seq", "question_id", "kind", "difficulty", "topic", "mode", "extra"]),
    _json,
    max_size=4,
)
# Frames of every type, shaped wrongly more often than not; `start` only with a question that
# does not exist, so that no frame opens a session (each then gets exactly one answer).
_frames = st.one_of(
    st.builds(lambda t, f: {**f, "type": t}, st.sampled_from(["say", "hint", "end", "ping", "resume", "nope", ""]) | _json, _fields),
    st.builds(lambda f, q: {**f, "type": "start", "question_id": q}, _fields, st.text(min_size=1, max_size=20).map(lambda s: "zz-" + s)),
    _json,
).map(json.dumps) | st.text(max_size=200) | st.binary(max_size=64).map(lambda b: b.decode("latin-1"))


def test_thousands_of_generated_frames_each_get_an_answer_and_the_server_stays_healthy(tmp_path):
    with TestClient(create_app(Settings(data_dir=tmp_path / "d", cache_dir=tmp_path / "c"))) as client:
        with client.websocket_connect("/ws/interview") as ws:
            answered = []

            @settings(max_examples=3000, deadline=None, database=None, suppress_health_check=list(HealthCheck))
            @given(_frames)
            def one(raw: str) -> None:
                ws.send_text(raw)
                frame = ws.receive_json()
                assert frame["type"] in ("error", "pong"), frame
                assert frame["type"] == "pong" or frame["code"] in {"invalid_json", "invalid_frame", "unknown_type", "no_session", "unknown_question", "unauthorized", "rate_limited"}, frame
                answered.append(frame["type"])

            one()
            send(ws, {"type": "ping"})
            assert ws.receive_json()["type"] == "pong"
        assert len(answered) >= 1000
        assert client.get("/healthz").status_code == 200 and client.get("/readyz").status_code == 200
