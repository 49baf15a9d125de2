"""The metered provider: budget before each call, usage after it, timeouts, cool-down, trimming."""

import asyncio
import json

import httpx
import pytest
import respx

from coach.config import Settings
from coach.errors import ProviderError
from coach.llm import metered_provider
from coach.llm.base import Provider
from coach.llm.fake import ScriptedProvider
from coach.llm.health import ProviderHealth, ProviderUnavailable
from coach.llm.litellm_provider import LiteLLMProvider
from coach.llm.metered import Account, BudgetExhausted, MeteredProvider
from coach.llm.tokens import count_messages, fit
from llmfake import chunk

BASE = "http://llm.test/v1"
ASK = [{"role": "system", "content": "You are terse."}, {"role": "user", "content": "Say hi."}]


class Ledger:
    def __init__(self) -> None:
        self.rows: list[tuple[int, int, float]] = []

    async def __call__(self, prompt: int, completion: int, cost: float) -> None:
        self.rows.append((prompt, completion, cost))


def wrap(inner: Provider, account: Account | None = None, first: float = 5.0, total: float = 10.0, threshold: int = 3) -> MeteredProvider:
    return MeteredProvider(inner, ProviderHealth(inner.model, threshold, 30), first_token_timeout_s=first, total_timeout_s=total, account=account)


def real(**kw) -> LiteLLMProvider:
    return LiteLLMProvider(Settings(model="openai/gpt-4o-mini", api_base=BASE, api_key="sk-test", **kw))


async def collect(provider: Provider, messages=ASK) -> str:
    return "".join([p async for p in provider.stream(messages)])


def test_the_servers_reported_usage_is_recorded_with_its_cost():
    ledger = Ledger()
    account = Account("s1", budget=10_000, record=ledger)
    usage = {"prompt_tokens": 123, "completion_tokens": 7, "total_tokens": 130}
    with respx.mock() as router:
        route = router.post(f"{BASE}/chat/completions").mock(
            return_value=httpx.Response(200, json={"id": "c", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini",
                                                   "choices": [{"index": 0, "message": {"role": "assistant", "content": "{}"}, "finish_reason": "stop"}],
                                                   "usage": usage})
        )
        assert asyncio.run(wrap(real(), account).complete(ASK)) == "{}"
    assert route.call_count == 1
    (prompt, completion, cost), = ledger.rows
    assert (prompt, completion) == (123, 7) and account.used == 130
    assert cost > 0, "gpt-4o-mini has a known price"


def test_a_stream_asks_for_usage_and_records_what_the_last_chunk_reports():
    ledger = Ledger()
    account = Account("s1", budget=10_000, record=ledger)
    last = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "gpt-4o-mini", "choices": [],
            "usage": {"prompt_tokens": 321, "completion_tokens": 2, "total_tokens": 323}}
    body = chunk("Hi") + chunk(" there") + f"data: {json.dumps(last)}\n\n".encode() + b"data: [DONE]\n\n"
    with respx.mock() as router:
        route = router.post(f"{BASE}/chat/completions").mock(return_value=httpx.Response(200, content=body, headers={"content-type": "text/event-stream"}))
        assert asyncio.run(collect(wrap(real(), account))) == "Hi there"
    assert json.loads(route.calls[0].request.content)["stream_options"] == {"include_usage": True}
    assert ledger.rows[0][:2] == (321, 2) and account.used == 323


def test_without_reported_usage_the_tokenizer_estimates():
    ledger = Ledger()
    account = Account("s1", budget=10_000, record=ledger)
    assert asyncio.run(collect(wrap(ScriptedProvider(["Hello there, candidate."]), account))) == "Hello there, candidate."
    (prompt, completion, _), = ledger.rows
    assert prompt == count_messages(ASK) and 3 <= completion <= 8


def test_a_call_that_fails_with_nothing_back_costs_nothing():
    ledger = Ledger()
    account = Account("s1", budget=10_000, record=ledger)
    with pytest.raises(ProviderError):
        asyncio.run(collect(wrap(ScriptedProvider([ProviderError("HTTP 500")]), account)))
    assert ledger.rows == [] and account.used == 0


def test_the_budget_is_checked_before_the_request():
    inner = ScriptedProvider(["never sent"])
    account = Account("s1", budget=count_messages(ASK) - 1)
    with pytest.raises(BudgetExhausted, match="COACH_SESSION_TOKEN_BUDGET"):
        asyncio.run(collect(wrap(inner, account)))
    with pytest.raises(BudgetExhausted):
        asyncio.run(wrap(inner, account).complete(ASK))
    assert inner.calls == [], "nothing reached the provider"
    assert wrap(inner).health.state == "unknown", "a refused call is not a provider failure"


class Hung(Provider):
    """Accepts the request and then sends nothing for `delay` seconds, then `after`."""

    model = "hung/model"

    def __init__(self, delay: float, after: list[str] | None = None, gap: float = 0.0) -> None:
        self.delay, self.after, self.gap, self.calls = delay, after or ["late"], gap, 0

    async def stream(self, messages, *, response_format=None, limits=None, usage=None):
        self.calls += 1
        await asyncio.sleep(self.delay)
        for piece in self.after:
            yield piece
            await asyncio.sleep(self.gap)

    async def complete(self, messages, *, response_format=None, limits=None, usage=None):
        self.calls += 1
        await asyncio.sleep(self.delay)
        return "late"


def test_a_late_first_token_fails_fast_and_repeated_failures_cool_the_provider_down():
    inner = Hung(delay=30)
    provider = wrap(inner, first=0.2, total=5, threshold=2)

    async def scenario() -> list[float]:
        took = []
        for _ in range(2):
            start = asyncio.get_running_loop().time()
            with pytest.raises(ProviderError, match="no reply within 0.2 s"):
                await collect(provider)
            took.append(asyncio.get_running_loop().time() - start)
        with pytest.raises(ProviderUnavailable):
            await collect(provider)
        with pytest.raises(ProviderUnavailable):
            await provider.complete(ASK)
        return took

    took = asyncio.run(scenario())
    assert max(took) < 2, took
    assert inner.calls == 2, "the cool-down skips the provider without a request"
    assert provider.health.state == "down" and "no reply within" in provider.health.report().last_error


def test_a_reply_that_never_finishes_is_cut_at_the_total_timeout():
    provider = wrap(Hung(delay=0, after=["a", "b", "c", "d"], gap=0.2), first=1, total=0.3)

    async def scenario() -> list[str]:
        got = []
        with pytest.raises(ProviderError, match="did not finish within 0.3 s"):
            async for piece in provider.stream(ASK):
                got.append(piece)
        return got

    assert asyncio.run(scenario())[:1] == ["a"]


def test_a_slow_structured_call_gives_up_at_the_total_timeout():
    provider = wrap(Hung(delay=30), total=0.2)
    with pytest.raises(ProviderError, match="no reply within 0.2 s"):
        asyncio.run(provider.complete(ASK))


def test_messages_are_trimmed_to_the_context_window():
    long_turns = [{"role": "user" if n % 2 else "assistant", "content": f"turn {n} " + "word " * 200} for n in range(40)]
    kept = fit([ASK[0], *long_turns], 2000)
    assert count_messages(kept) <= 2000 and kept[0] == ASK[0] and kept[-1] == long_turns[-1]
    one = [ASK[0], {"role": "user", "content": "START " + "filler " * 5000 + " END"}]
    cut = fit(one, 1500)
    assert count_messages(cut) <= 1500
    assert cut[1]["content"].startswith("START") and cut[1]["content"].endswith("END") and "tokens left out" in cut[1]["content"]


def test_metered_from_settings_takes_the_timeouts():
    provider = metered_provider(ScriptedProvider([]), Settings(model="x/y", first_token_timeout_s=3, request_timeout_s=40, provider_failures=5))
    assert (provider.first_token_timeout_s, provider.total_timeout_s, provider.health.threshold) == (3, 40, 5)
    assert metered_provider(None, Settings()) is None
