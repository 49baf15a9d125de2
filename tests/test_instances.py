"""Two Coach instances on one PostgreSQL database serving the same session (coach.interview
manager + takeovers, coach.storage leases): the older connection is superseded, no turn is
lost or written twice, seqs continue, and a graded session stays ended on both."""

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from coach.api.app import create_app
from coach.config import Settings
from wsclient import send, until

def instance(tmp_path, name: str, database_url: str, redis_url: str | None) -> TestClient:
    settings = Settings(data_dir=tmp_path / name, cache_dir=tmp_path / "cache", database_url=database_url, redis_url=redis_url)
    return TestClient(create_app(settings))


def begin(ws) -> tuple[dict, int]:
    send(ws, {"type": "start", "question_id": "sd-url-shortener", "mode": "interview"})
    frames = until(ws, "interviewer.done")
    return frames[0], frames[-1]["seq"]


def resume(ws, session: dict, last_seq: int) -> None:
    send(ws, {"type": "resume", "session_id": session["session_id"], "token": session["token"], "last_seq": last_seq, "mode": "interview"})


def resumed(ws, session: dict, last_seq: int) -> None:
    """Resume, and return once the server has taken the session (frames are handled in order)."""
    resume(ws, session, last_seq)
    send(ws, {"type": "ping"})
    assert until(ws, "pong")[-1]["type"] == "pong"


def stored_turns(client: TestClient, session_id: str) -> list[tuple[int, str, str]]:
    store = client.app.state.services.store
    return [(t.turn, t.role, t.text) for t in client.portal.call(store.turns, session_id)]


@pytest.mark.parametrize("redis", ["with Redis", "without Redis"])
def test_the_same_session_on_two_instances(tmp_path, postgres_url, redis, request):
    redis_url = request.getfixturevalue("redis_url") if redis == "with Redis" else None
    with instance(tmp_path, "a", postgres_url, redis_url) as a, instance(tmp_path, "b", postgres_url, redis_url) as b:
        with a.websocket_connect("/ws/interview") as on_a:
            session, seq = begin(on_a)
            send(on_a, {"type": "say", "text": "How many links a month?"})
            seq = until(on_a, "interviewer.done")[-1]["seq"]
            with b.websocket_connect("/ws/interview") as on_b:
                resumed(on_b, session, seq)
                if redis_url:
                    # Told at once, through Redis: not on its next turn.
                    told = on_a.receive_json()
                else:
                    # The store refuses A's write; A's connection is told then, and nothing is stored.
                    send(on_a, {"type": "say", "text": "A turn sent to the old instance."})
                    told = on_a.receive_json()
                assert (told["type"], told.get("code")) == ("error", "superseded"), told
                with pytest.raises(WebSocketDisconnect) as closed:
                    on_a.receive_json()
                assert closed.value.code == 1000, "superseded, not an internal error"

                send(on_b, {"type": "say", "text": "Each app server reserves a range of ids from a counter and base62-encodes them."})
                frames = until(on_b, "interviewer.done")
                assert frames[0]["seq"] == seq + 1, "seqs go on from where A left them"
                send(on_b, {"type": "end"})
                report = until(on_b, "report")[-1]

        turns = stored_turns(b, session["session_id"])
        assert [t[0] for t in turns] == [1, 2, 3, 4, 5], "no turn lost, none twice"
        assert "A turn sent to the old instance." not in [t[2] for t in turns]
        # The graded session stays ended on A too: a resume there replays the report and refuses turns.
        with a.websocket_connect("/ws/interview") as again:
            resume(again, session, report["seq"] - 1)
            assert again.receive_json()["type"] == "report"
            send(again, {"type": "say", "text": "One more thing."})
            assert again.receive_json()["code"] == "session_ended"
        assert len(stored_turns(a, session["session_id"])) == 5


def test_the_session_may_be_named_in_the_url_for_a_balancer(tmp_path):
    with TestClient(create_app(Settings(data_dir=tmp_path / "d", cache_dir=tmp_path / "c"))) as client:
        with client.websocket_connect("/ws/interview") as ws:
            session, seq = begin(ws)
        with client.websocket_connect(f"/ws/interview?session={session['session_id']}") as ws:
            resumed(ws, session, seq)
            send(ws, {"type": "say", "text": "How many links a month?"})
            assert "100M" in until(ws, "interviewer.done")[-1]["text"]
        with client.websocket_connect(f"/ws/interview?session={'0' * 32}") as ws:
            resume(ws, session, seq)
            refused = ws.receive_json()
            assert refused["code"] == "invalid_input" and "URL names session" in refused["message"]
