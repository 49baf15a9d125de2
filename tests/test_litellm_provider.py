import json

import httpx
import pytest
import respx

from coach.config import Settings
from coach.errors import ProviderError
from coach.llm import provider_from_settings
from coach.llm.litellm_provider import LiteLLMProvider
from llmfake import answer, completion, sse

BASE = "http://llm.test/v1"


def settings(**kw) -> Settings:
    return Settings(model="openai/fake", api_base=BASE, api_key="sk-test-secret-123", **kw)


def test_offline_when_no_model():
    assert provider_from_settings(Settings()) is None


async def test_streams_chunks_in_order():
    with respx.mock(assert_all_called=True) as router:
        router.post(f"{BASE}/chat/completions").mock(
            return_value=sse("Hel", "lo, ", "candidate")
        )
        provider = LiteLLMProvider(settings())
        pieces = [p async for p in provider.stream([{"role": "user", "content": "hi"}])]
        sent = json.loads(router.calls.last.request.content)
    assert pieces == ["Hel", "lo, ", "candidate"]
    assert sent["stream"] is True and sent["messages"] == [{"role": "user", "content": "hi"}]


async def test_response_format_reaches_the_server():
    with respx.mock() as router:
        router.post(f"{BASE}/chat/completions").mock(return_value=completion("{}"))
        fmt = {"type": "json_schema", "json_schema": {"name": "grade", "schema": {"type": "object"}}}
        assert await LiteLLMProvider(settings()).complete([{"role": "user", "content": "x"}], response_format=fmt) == "{}"
        sent = json.loads(router.calls.last.request.content)
        assert sent["response_format"] == fmt and not sent.get("stream"), "structured output is one plain call"


async def test_server_error_is_a_provider_error_without_secrets():
    with respx.mock() as router:
        route = router.post(f"{BASE}/chat/completions").mock(return_value=httpx.Response(500, json={"error": {"message": "boom"}}))
        with pytest.raises(ProviderError) as info:
            await LiteLLMProvider(settings()).complete([{"role": "user", "content": "x"}])
    assert route.call_count == 1, "no hidden retries"
    assert "sk-test-secret-123" not in info.value.message


async def test_falls_back_to_the_next_model():
    with respx.mock() as router:
        router.post(f"{BASE}/chat/completions").mock(
            side_effect=lambda request: httpx.Response(500, json={"error": {"message": "down"}})
            if json.loads(request.content)["model"] == "fake"
            else answer(request, ["from ", "backup"])
        )
        provider = LiteLLMProvider(settings(fallback_models=["openai/backup"]))
        assert await provider.complete([{"role": "user", "content": "x"}]) == "from backup"


async def test_a_stream_falls_back_to_the_next_model():
    with respx.mock() as router:
        router.post(f"{BASE}/chat/completions").mock(
            side_effect=lambda request: httpx.Response(503, json={"error": {"message": "down"}})
            if json.loads(request.content)["model"] == "fake"
            else sse("from ", "backup")
        )
        provider = LiteLLMProvider(settings(fallback_models=["openai/backup"]))
        assert [p async for p in provider.stream([{"role": "user", "content": "x"}])] == ["from ", "backup"]


async def test_without_fallbacks_a_failed_stream_is_one_request_and_a_provider_error():
    with respx.mock() as router:
        route = router.post(f"{BASE}/chat/completions").mock(return_value=httpx.Response(503, json={"error": {"message": "down"}}))
        with pytest.raises(ProviderError, match="503"):
            [p async for p in LiteLLMProvider(settings()).stream([{"role": "user", "content": "x"}])]
    assert route.call_count == 1, "no hidden retries"


async def test_without_fallbacks_a_stream_gets_the_stream_timeout(monkeypatch):
    from coach.llm.litellm_provider import _litellm

    seen: list[dict] = []

    async def fake_acompletion(**kwargs):
        seen.append(kwargs)
        raise RuntimeError("stop here")

    monkeypatch.setattr(_litellm(), "acompletion", fake_acompletion)
    provider = LiteLLMProvider(settings(request_timeout_s=60, stream_timeout_s=7))
    with pytest.raises(ProviderError):
        await provider.complete([{"role": "user", "content": "x"}])
    with pytest.raises(ProviderError):
        [p async for p in provider.stream([{"role": "user", "content": "x"}])]
    assert [(k["timeout"], k.get("stream", False)) for k in seen] == [(60, False), (7, True)]
    assert all("stream_timeout" not in k and k["max_retries"] == 0 for k in seen)


async def test_real_providers_are_blocked_in_tests():
    provider = LiteLLMProvider(Settings(model="openai/gpt-4o-mini", api_key="sk-x"))
    with pytest.raises(ProviderError, match="disabled"):
        await provider.complete([{"role": "user", "content": "x"}])
