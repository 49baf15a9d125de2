"""Structured replies from any OpenAI-compatible server (coach.llm.structured), faked with respx."""

import json

import httpx
import pytest
import respx
from pydantic import BaseModel

from coach.config import Settings
from coach.errors import ProviderError
from coach.llm import structured
from coach.llm.litellm_provider import LiteLLMProvider
from llmfake import completion

BASE = "http://llm.test/v1"


class Out(BaseModel):
    answer: str


def provider() -> LiteLLMProvider:
    return LiteLLMProvider(Settings(model="openai/fake", api_base=BASE, api_key="sk-test"))


def kinds(router) -> list[str | None]:
    return [(json.loads(c.request.content).get("response_format") or {}).get("type") for c in router.calls]


MESSAGES = [{"role": "system", "content": "Answer."}, {"role": "user", "content": "Q"}]


async def test_a_server_that_refuses_json_schema_is_asked_for_json_object_and_remembered():
    def server(request):
        fmt = json.loads(request.content).get("response_format") or {}
        if fmt.get("type") == "json_schema":
            return httpx.Response(500, json={"error": {"message": "response_format type must be text or json_object"}})
        return completion('{"answer": "42"}')

    with respx.mock() as router:
        router.post(f"{BASE}/chat/completions").mock(side_effect=server)
        assert (await structured.complete_structured(provider(), MESSAGES, Out, "answer")).answer == "42"
        assert kinds(router) == ["json_schema", "json_object"]
        sent = json.loads(router.calls.last.request.content)
        assert '"answer"' in sent["messages"][0]["content"], "the schema is in the prompt when the server cannot enforce it"
        assert sent["temperature"] == 0.0
        await structured.complete_structured(provider(), MESSAGES, Out, "answer")
        assert kinds(router)[2:] == ["json_object"], "the mode that worked is where the next call starts"


async def test_a_server_that_refuses_response_format_gets_plain_text_with_the_schema():
    def server(request):
        if "response_format" in json.loads(request.content):
            return httpx.Response(400, json={"error": {"message": "unknown field response_format"}})
        return completion('```json\n{"answer": "ok"}\n```')

    with respx.mock() as router:
        router.post(f"{BASE}/chat/completions").mock(side_effect=server)
        assert (await structured.complete_structured(provider(), MESSAGES, Out, "answer")).answer == "ok"
        assert kinds(router) == ["json_schema", "json_object", None]


async def test_an_invalid_reply_is_repaired_once():
    replies = iter([completion('{"answr": 1}'), completion('{"answer": "fixed"}')])
    with respx.mock() as router:
        router.post(f"{BASE}/chat/completions").mock(side_effect=lambda request: next(replies))
        assert (await structured.complete_structured(provider(), MESSAGES, Out, "answer")).answer == "fixed"
        repair = json.loads(router.calls.last.request.content)["messages"]
        assert repair[-2] == {"role": "assistant", "content": '{"answr": 1}'} and "not usable" in repair[-1]["content"]


async def test_a_down_server_is_one_provider_error_after_every_mode():
    with respx.mock() as router:
        router.post(f"{BASE}/chat/completions").mock(return_value=httpx.Response(503, json={"error": {"message": "down"}}))
        with pytest.raises(ProviderError):
            await structured.complete_structured(provider(), MESSAGES, Out, "answer")
        assert len(router.calls) == 3
