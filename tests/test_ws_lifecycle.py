"""Connections and memory: idle connections close, a newer connection supersedes an older one,
sessions nobody is connected to leave memory once their work is done."""

import time

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from coach.api.app import create_app
from coach.config import Settings
from wsclient import send, until


def app(tmp_path, **kw):
    return create_app(Settings(data_dir=tmp_path / "d", cache_dir=tmp_path / "c", **kw))


def start(ws, mode="practice"):
    send(ws, {"type": "start", "question_id": "sd-url-shortener", "mode": mode})
    frames = until(ws, "interviewer.done")
    return frames[0], frames[-1]["seq"]


def test_an_idle_connection_is_closed_with_a_notice_and_its_session_resumes(tmp_path):
    with TestClient(app(tmp_path, idle_timeout_s=0.5)) as client:
        with client.websocket_connect("/ws/interview") as ws:
            session, seq = start(ws)
            notice = ws.receive_json()
            assert (notice["type"], notice["code"], notice["seq"]) == ("notice", "idle_timeout", 0)
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
            assert closed.value.code == 1000
        with client.websocket_connect("/ws/interview") as ws:
            send(ws, {"type": "resume", "session_id": session["session_id"], "token": session["token"], "last_seq": seq})
            send(ws, {"type": "say", "text": "How many links a month?"})
            assert "100M" in until(ws, "interviewer.done")[-1]["text"]


def test_a_newer_connection_supersedes_the_older_one(tmp_path):
    with TestClient(app(tmp_path)) as client:
        with client.websocket_connect("/ws/interview") as first:
            session, seq = start(first, mode="interview")
            with client.websocket_connect("/ws/interview") as second:
                send(second, {"type": "resume", "session_id": session["session_id"], "token": session["token"], "last_seq": seq})
                told = first.receive_json()
                assert told["code"] == "superseded" and "another" in told["message"]
                with pytest.raises(WebSocketDisconnect):
                    first.receive_json()
                send(second, {"type": "say", "text": "How many links a month?"})
                assert "100M" in until(second, "interviewer.done")[-1]["text"]


def test_an_older_connection_still_open_cannot_act(tmp_path):
    # Even before it has read its superseded frame and closed, the displaced connection's
    # turns are refused: only the newest connection speaks for the session.
    from coach.interview.errors import Superseded

    with TestClient(app(tmp_path)) as client, client.websocket_connect("/ws/interview") as ws:
        session, seq = start(ws, mode="interview")
        live = client.app.state.interviews.live[session["session_id"]]
        other = lambda text: None  # noqa: E731 - a stand-in for another connection
        client.portal.call(live.attach, other, seq)
        with pytest.raises(Superseded):
            live.check_connection(ws)  # type: ignore[arg-type]


def test_sessions_with_no_connection_leave_memory_when_their_work_ends(tmp_path):
    with TestClient(app(tmp_path, limit_sessions="100/minute")) as client:
        interviews = client.app.state.interviews
        for _ in range(20):
            with client.websocket_connect("/ws/interview") as ws:
                start(ws)
                send(ws, {"type": "say", "text": "I'd store the mappings in a key-value store."})
                until(ws, "interviewer.done")
                # Closed right away: the suggestions for this turn are still being made.
        for _ in range(200):
            if not interviews.live:
                break
            time.sleep(0.05)
        assert interviews.live == {}, f"{len(interviews.live)} abandoned sessions still in memory"
