"""The provider check at start-up and the provider's state in /readyz (faked with respx)."""

import logging
import time

import httpx
import respx
from fastapi.testclient import TestClient

from coach.api.app import create_app
from coach.config import Settings
from llmfake import completion

BASE = "http://llm.test/v1"


def settled(client: TestClient) -> dict:
    """/readyz once the start-up check has reported."""
    for _ in range(200):
        body = client.get("/readyz").json()
        if body["provider_health"]["state"] != "unknown":
            return body
        time.sleep(0.02)
    raise AssertionError("the provider check never finished")


def app(tmp_path, **kw):
    settings = Settings(model="openai/fake", api_base=BASE, api_key="sk-secret-123", data_dir=tmp_path / "d", cache_dir=tmp_path / "c", check_provider=True, **kw)
    return create_app(settings)


def test_a_working_model_is_reported_ok(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="coach")
    with respx.mock() as router:
        router.post(f"{BASE}/chat/completions").mock(return_value=completion("OK"))
        with TestClient(app(tmp_path)) as client:
            body = settled(client)
    assert body["status"] == "ready" and body["provider_health"]["state"] == "ok"
    assert any("provider check: openai/fake" in r.getMessage() and "answers" in r.getMessage() for r in caplog.records)


def test_a_wrong_key_is_one_log_line_with_the_fix_and_the_provider_cools_down(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="coach")
    with respx.mock() as router:
        route = router.post(f"{BASE}/chat/completions").mock(
            return_value=httpx.Response(401, json={"error": {"message": "Incorrect API key provided: sk-secret-123", "type": "invalid_request_error"}})
        )
        with TestClient(app(tmp_path)) as client:
            body = settled(client)
            assert route.call_count == 1
            with client.websocket_connect("/ws/interview") as ws:
                ws.send_json({"type": "start", "question_id": "sd-url-shortener"})
                while ws.receive_json()["type"] != "interviewer.done":
                    pass
                ws.send_json({"type": "say", "text": "How many links a month?"})
                frames = []
                while not frames or frames[-1]["type"] != "interviewer.done":
                    frames.append(ws.receive_json())
            assert route.call_count == 1, "while it cools down the model is not asked"
    assert body["status"] == "ready", "the offline coach serves; the service is ready"
    health = body["provider_health"]
    assert health["state"] == "down" and "401" in health["last_error"] and health["retry_in_s"] > 0
    assert "sk-secret-123" not in str(body)
    failed = [r for r in caplog.records if "provider check FAILED" in r.getMessage()]
    assert len(failed) == 1 and "COACH_API_KEY" in failed[0].getMessage() and "sk-secret-123" not in failed[0].getMessage()
    assert any(f["type"] == "notice" and f["code"] == "provider_failed" for f in frames)
    assert "100M" in frames[-1]["text"], "the offline interviewer answered from the brief"


def test_an_endpoint_that_never_answers_is_reported_with_the_timeout(tmp_path, caplog):
    import asyncio

    async def hang(request):
        await asyncio.sleep(30)

    with respx.mock(assert_all_called=False) as router:  # the hung request is never recorded as done
        router.post(f"{BASE}/chat/completions").mock(side_effect=hang)
        with TestClient(app(tmp_path, first_token_timeout_s=0.3)) as client:
            body = settled(client)
    assert body["provider_health"]["state"] == "down" and "no reply within 0.3 s" in body["provider_health"]["last_error"]
    assert any("does not answer in time" in r.getMessage() for r in caplog.records)
