"""/metrics: Prometheus text with the metrics an operator watches."""

import httpx
import respx
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from coach.api.app import create_app
from coach.config import Settings
from llmfake import answer
from wsclient import send, until

BASE = "http://llm.test/v1"


def samples(client: TestClient) -> dict[tuple[str, tuple], float]:
    text = client.get("/metrics").text
    return {(s.name, tuple(sorted(s.labels.items()))): s.value for f in text_string_to_metric_families(text) for s in f.samples}


def test_a_session_with_a_failing_model_shows_in_the_metrics(tmp_path):
    settings = Settings(model="openai/fake", api_base=BASE, api_key="sk-test", data_dir=tmp_path / "d", cache_dir=tmp_path / "c", provider_failures=10)
    calls = {"n": 0}

    def reply(request: httpx.Request) -> httpx.Response:
        calls["n"] += 1
        return httpx.Response(503, json={"error": {"message": "overloaded"}}) if calls["n"] == 1 else answer(request, ["Go on."])

    with respx.mock() as router, TestClient(create_app(settings)) as client:
        router.post(f"{BASE}/chat/completions").mock(side_effect=reply)
        response = client.get("/metrics")
        assert response.headers["content-type"].startswith("text/plain; version=")
        with client.websocket_connect("/ws/interview") as ws:
            send(ws, {"type": "start", "question_id": "sd-url-shortener", "mode": "interview"})
            until(ws, "interviewer.done")
            during = samples(client)
            for text in ("Let's say 100M links a month.", "I'd store them in a key-value store."):
                send(ws, {"type": "say", "text": text})
                until(ws, "interviewer.done")
        after = samples(client)
    assert during[("coach_connections_open", ())] == 1 and during[("coach_sessions_live", ())] == 1
    assert after[("coach_connections_open", ())] == 0
    assert after[("coach_sessions_started_total", (("mode", "interview"),))] == 1
    assert after[("coach_turns_total", (("source", "offline"),))] == 1, "the failed turn was answered offline"
    assert after[("coach_turns_total", (("source", "model"),))] == 1
    assert after[("coach_provider_calls_total", (("kind", "stream"), ("outcome", "error")))] == 1
    assert after[("coach_provider_calls_total", (("kind", "stream"), ("outcome", "ok")))] == 1
    assert after[("coach_provider_errors_total", (("reason", "http_5xx"),))] == 1
    assert after[("coach_first_delta_seconds_count", ())] == 2
    assert after[("coach_llm_tokens_total", (("type", "prompt"),))] > 0 and ("coach_llm_cost_usd_total", ()) in after
    assert after[("coach_cpu_queue_depth", (("lane", "quick"),))] == 0 and after[("coach_cpu_queue_depth", (("lane", "heavy"),))] == 0
    assert after[("coach_provider_up", ())] == 1
