"""Origins and headers: other web pages cannot drive a local Coach, pages get a strict CSP,
reports are never cached, /docs needs no CDN."""

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from coach.api.app import create_app
from coach.api.security import origin_allowed
from coach.config import Settings
from wsclient import send


@pytest.fixture
def client(tmp_path):
    with TestClient(create_app(Settings(data_dir=tmp_path / "d", cache_dir=tmp_path / "c", allowed_origins="https://coach.school.example"))) as c:
        yield c


def test_origin_rule():
    assert origin_allowed(None, "127.0.0.1:8000", []), "scripts send no Origin"
    assert origin_allowed("http://127.0.0.1:8000", "127.0.0.1:8000", [])
    assert origin_allowed("https://coach.example", "coach.example", []), "behind a TLS proxy the Host is the public one"
    assert not origin_allowed("http://127.0.0.1:8001", "127.0.0.1:8000", [])
    assert not origin_allowed("https://evil.example", "127.0.0.1:8000", [])
    assert not origin_allowed("null", "127.0.0.1:8000", [])
    assert origin_allowed("https://lms.example/", "127.0.0.1:8000", ["https://lms.example"])
    assert origin_allowed("https://anything.example", "127.0.0.1:8000", ["*"])


@pytest.mark.parametrize(
    ("origin", "welcome"),
    [(None, True), ("http://testserver", True), ("https://coach.school.example", True), ("https://evil.example", False)],
)
def test_the_websocket_refuses_other_pages_with_a_clear_reason(client, origin, welcome):
    headers = {"origin": origin} if origin else {}
    with client.websocket_connect("/ws/interview", headers=headers) as ws:
        if welcome:
            send(ws, {"type": "ping"})
            assert ws.receive_json()["type"] == "pong"
        else:
            with pytest.raises(WebSocketDisconnect) as closed:
                ws.receive_json()
            assert closed.value.code == 1008 and "https://evil.example is not allowed" in closed.value.reason


def test_pages_carry_a_strict_policy(client):
    page = client.get("/")
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-content-type-options"] == "nosniff" and page.headers["referrer-policy"] == "no-referrer"
    assert "<script>" not in page.text, "no inline script: the policy would block it"
    assert client.get("/api/questions").headers["x-content-type-options"] == "nosniff"


def test_docs_load_nothing_from_outside(client):
    docs = client.get("/docs")
    assert docs.status_code == 200 and "http" not in docs.text.replace("http-equiv", ""), "no CDN"
    assert "<script>" not in docs.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/static/docs.js").status_code == 200 and client.get("/openapi.json").status_code == 200
    assert client.get("/favicon.ico").status_code == 200


def test_reports_and_sessions_are_never_cached(client):
    with client.websocket_connect("/ws/interview") as ws:
        send(ws, {"type": "start", "question_id": "sd-url-shortener"})
        session = ws.receive_json()
        while ws.receive_json()["type"] != "interviewer.done":
            pass
        send(ws, {"type": "end"})
        while ws.receive_json()["type"] != "report":
            pass
    auth = {"Authorization": f"Bearer {session['token']}"}
    sid = session["session_id"]
    for fmt in ("json", "md", "html"):
        answer = client.get(f"/api/sessions/{sid}/report", params={"format": fmt}, headers=auth)
        assert answer.status_code == 200 and answer.headers["cache-control"] == "no-store", fmt
    html = client.get(f"/api/sessions/{sid}/report", params={"format": "html"}, headers=auth)
    assert html.headers["content-security-policy"].startswith("default-src 'none'")
    assert client.get(f"/api/sessions/{sid}", headers=auth).headers["cache-control"] == "no-store"
