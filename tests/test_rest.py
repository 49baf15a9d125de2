import jsonschema
import pytest
from fastapi.testclient import TestClient

from coach.api.app import create_app
from coach.config import Settings
from wsclient import send, until


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(Settings(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache"))) as c:
        yield c


def test_readyz_checks_the_database(client, monkeypatch):
    body = client.get("/readyz").json()
    assert {k: body[k] for k in ("status", "database", "database_error", "provider")} == {"status": "ready", "database": "ok", "database_error": None, "provider": "offline"}
    assert body["provider_health"]["state"] == "offline"

    async def down(query):
        raise ConnectionRefusedError("connection refused")

    monkeypatch.setattr(client.app.state.services.store.db, "read", down)
    answer = client.get("/readyz")
    assert answer.status_code == 503 and answer.json()["database"] == "down" and "ConnectionRefusedError" in answer.json()["database_error"]
    assert client.get("/healthz").status_code == 200, "liveness does not depend on the database"


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok", "version": "0.1.0", "provider": "offline", "database": "sqlite", "questions": 30}


def test_questions_that_train_a_dimension_come_weightiest_first(client):
    listed = client.get("/api/questions", params={"dimension": "estimation"}).json()
    shares = [q["dimensions"]["estimation"] for q in listed]
    assert listed and shares == sorted(shares, reverse=True) and all(s > 0 for s in shares)
    assert all(q["kind"] == "behavioral" for q in client.get("/api/questions", params={"dimension": "reflection"}).json())
    assert client.get("/api/questions", params={"dimension": "charisma"}).status_code == 422


def test_questions_are_public_without_the_interviewers_material(client):
    listed = client.get("/api/questions", params={"kind": "system_design", "difficulty": "easy"}).json()
    assert listed and all(q["kind"] == "system_design" and q["difficulty"] == "easy" for q in listed)
    one = client.get("/api/questions/sd-payments").json()
    assert set(one) == {"id", "title", "prompt", "kind", "difficulty", "topics", "companies", "dimensions"}
    assert abs(sum(one["dimensions"].values()) - 1) < 0.01
    assert client.get("/api/questions", params={"topic": "caching"}).json()
    bad = client.get("/api/questions", params={"kind": "nope"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_request"
    assert bad.json()["error"]["message"].startswith("query.kind:")
    missing = client.get("/api/questions/nope")
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "unknown_question"


def test_openapi_docs(client):
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/questions", "/api/questions/{question_id}", "/api/sessions/{session_id}/report", "/healthz"} <= set(paths)


def test_every_error_is_documented_with_the_shape_it_has(client):
    spec = client.get("/openapi.json").json()
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "question_id": "sd-rate-limiter"})
        session = until(ws, "interviewer.done")[0]
    unfinished = {"Authorization": f"Bearer {session['token']}"}
    report = "/api/sessions/{session_id}/report"
    cases = [
        ("/api/questions", "/api/questions?difficulty=impossible", {}, 422),
        ("/api/questions/{question_id}", "/api/questions/no-such-question", {}, 404),
        (report, "/api/sessions/x/report", {}, 401),
        (report, "/api/sessions/x/report", {"Authorization": "Bearer x"}, 404),
        (report, f"/api/sessions/{session['session_id']}/report", unfinished, 409),
        (report, f"/api/sessions/{session['session_id']}/report?format=pdf", unfinished, 422),
    ]
    for path, url, headers, status in cases:
        response = client.get(url, headers=headers)
        assert response.status_code == status, url
        documented = spec["paths"][path]["get"]["responses"]
        assert str(status) in documented, f"{path} answers {status} without documenting it"
        schema = documented[str(status)]["content"]["application/json"]["schema"]
        jsonschema.validate(response.json(), {**schema, "components": spec["components"]})


TOKEN_BUCKET = "I'd use a token bucket per API key that refills at 100 tokens a second and holds up to 200, so a quiet client can burst briefly."


def _finished_session(client, text: str = TOKEN_BUCKET) -> tuple[str, str]:
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "question_id": "sd-rate-limiter"})
        session = until(ws, "interviewer.done")[0]
        send(ws, {"type": "say", "text": text})
        until(ws, "suggestions")
        send(ws, {"type": "end"})
        until(ws, "report")
    return session["session_id"], session["token"]


def test_report_in_three_formats_with_the_token(client):
    sid, token = _finished_session(client)
    auth = {"Authorization": f"Bearer {token}"}
    as_json = client.get(f"/api/sessions/{sid}/report", headers=auth)
    assert as_json.status_code == 200 and as_json.json()["session_id"] == sid
    assert {k["id"]: k["covered"] for k in as_json.json()["key_points"]}["algorithm"] is True
    md = client.get(f"/api/sessions/{sid}/report", headers={**auth, "Accept": "text/markdown"})
    assert md.headers["content-type"].startswith("text/markdown") and md.text.startswith("# Interview report")
    html = client.get(f"/api/sessions/{sid}/report?format=html", headers=auth)
    assert html.headers["content-type"].startswith("text/html") and "<h1>A distributed rate limiter</h1>" in html.text


def test_report_needs_the_right_token(client):
    sid, _ = _finished_session(client)
    missing = client.get(f"/api/sessions/{sid}/report")
    assert missing.status_code == 401 and missing.headers["www-authenticate"] == "Bearer"
    assert client.get(f"/api/sessions/{sid}/report", headers={"Authorization": "Bearer wrong"}).status_code == 404
    assert client.get("/api/sessions/nope/report", headers={"Authorization": "Bearer x"}).status_code == 404


def test_report_of_an_unfinished_interview(client):
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "question_id": "sd-rate-limiter"})
        session = until(ws, "interviewer.done")[0]
    r = client.get(f"/api/sessions/{session['session_id']}/report", headers={"Authorization": f"Bearer {session['token']}"})
    assert r.status_code == 409 and r.json()["error"]["code"] == "not_ready"


def test_html_report_escapes_candidate_text(client):
    sid, token = _finished_session(client, "<script>alert(1)</script> " + TOKEN_BUCKET)
    html = client.get(f"/api/sessions/{sid}/report?format=html", headers={"Authorization": f"Bearer {token}"}).text
    assert "<script>alert(1)</script>" not in html
