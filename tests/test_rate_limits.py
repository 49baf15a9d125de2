"""Rate limits: sessions per address, turns and hints per session, connections per address,
turns per session; in memory and in Redis (shared by two instances)."""


import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from coach.api.app import create_app
from coach.config import Settings
from wsclient import send, until

def app(tmp_path, **kw):
    return create_app(Settings(data_dir=tmp_path / "d", cache_dir=tmp_path / "c", **kw))


def start(ws):
    send(ws, {"type": "start", "question_id": "sd-url-shortener", "mode": "interview"})
    return until(ws, "interviewer.done")[0]


def test_sessions_per_address(tmp_path):
    with TestClient(app(tmp_path, limit_sessions="2/minute")) as client:
        for _ in range(2):
            with client.websocket_connect("/ws/interview") as ws:
                start(ws)
        with client.websocket_connect("/ws/interview") as ws:
            send(ws, {"type": "start", "question_id": "sd-url-shortener"})
            refused = ws.receive_json()
            assert refused["code"] == "rate_limited" and 1 <= refused["retry_after_s"] <= 60 and "2 per 1 minute" in refused["message"]
            send(ws, {"type": "ping"})
            assert ws.receive_json()["type"] == "pong", "the connection stays usable"


def test_turns_per_session_are_refused_before_anything_is_stored(tmp_path):
    with TestClient(app(tmp_path, limit_turns="2/minute", limit_hints="1/minute")) as client:
        with client.websocket_connect("/ws/interview") as ws:
            session = start(ws)
            for text in ("About 100M links a month.", "Reads dominate."):
                send(ws, {"type": "say", "text": text})
                until(ws, "interviewer.done")
            send(ws, {"type": "say", "text": "A third turn too soon."})
            assert ws.receive_json()["code"] == "rate_limited"
            send(ws, {"type": "hint"})
            until(ws, "suggestions")
            send(ws, {"type": "hint"})
            assert ws.receive_json()["code"] == "rate_limited"
        store = client.app.state.services.store
        turns = client.portal.call(store.turns, session["session_id"])
        assert [t.text for t in turns if t.role == "candidate"] == ["About 100M links a month.", "Reads dominate."]


def test_turns_per_session_in_all(tmp_path):
    with TestClient(app(tmp_path, max_turns_per_session=1)) as client, client.websocket_connect("/ws/interview") as ws:
        start(ws)
        send(ws, {"type": "say", "text": "About 100M links a month."})
        until(ws, "interviewer.done")
        send(ws, {"type": "say", "text": "One more."})
        refused = ws.receive_json()
        assert refused["code"] == "turn_limit" and "'end'" in refused["message"]
        send(ws, {"type": "end"})
        assert until(ws, "report")[-1]["type"] == "report"


def test_connections_per_address(tmp_path):
    with TestClient(app(tmp_path, max_connections_per_address=2)) as client:
        with client.websocket_connect("/ws/interview"), client.websocket_connect("/ws/interview"):
            with client.websocket_connect("/ws/interview") as third:
                assert third.receive_json()["code"] == "rate_limited"
                with pytest.raises(WebSocketDisconnect) as closed:
                    third.receive_json()
                assert closed.value.code == 1013
        with client.websocket_connect("/ws/interview") as again:
            send(again, {"type": "ping"})
            assert again.receive_json()["type"] == "pong", "closed connections are no longer counted"


def test_two_instances_count_together_in_redis(tmp_path, redis_url):
    with TestClient(app(tmp_path / "a", redis_url=redis_url, limit_sessions="2/minute")) as a, TestClient(app(tmp_path / "b", redis_url=redis_url, limit_sessions="2/minute")) as b:
        a.portal.call(a.app.state.limits.reset)
        for client in (a, b):
            with client.websocket_connect("/ws/interview") as ws:
                start(ws)
        with b.websocket_connect("/ws/interview") as ws:
            send(ws, {"type": "start", "question_id": "sd-url-shortener"})
            assert ws.receive_json()["code"] == "rate_limited", "the second instance saw the first one's session"
        a.portal.call(a.app.state.limits.reset)


def test_a_redis_outage_does_not_stop_interviews(tmp_path, caplog):
    with TestClient(app(tmp_path, redis_url="redis://127.0.0.1:9/0", limit_sessions="1/minute")) as client:
        for _ in range(2):
            with client.websocket_connect("/ws/interview") as ws:
                start(ws)
    assert any("rate limits not enforced" in r.getMessage() for r in caplog.records)
