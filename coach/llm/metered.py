"""The one way the service calls its model: every call checked, timed, counted and remembered.

A MeteredProvider wraps the configured provider. Before a call it refuses at once when the
provider is cooling down after repeated failures or when the session's token budget would be
exceeded; it trims the messages to the model's context window; it gives up when the first
token is late or the whole reply runs past its time; afterwards it records the tokens the
server reported (a tokenizer estimate only when it reported none) and their cost against the
session, and tells ProviderHealth how the call went. Any LLM feature that takes a Provider from
a session gets all of this without knowing about it.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any

from coach.errors import ProviderError
from coach.llm.base import Limits, Message, Provider, Usage
from coach.llm.health import ProviderHealth, ProviderUnavailable
from coach.llm.tokens import count_messages, count_text, fit
from coach.metrics import Metrics

log = logging.getLogger(__name__)

# Tokens kept free for a reply whose call sets no max_tokens.
DEFAULT_REPLY_ROOM = 1024

Record = Callable[[int, int, float], Awaitable[None]]  # prompt tokens, completion tokens, cost in USD


class BudgetExhausted(ProviderError):
    """The session has used its LLM tokens; no request was made."""

    code = "token_budget"


class ProviderTimeout(ProviderError):
    """The model did not answer (or finish) in time."""

    code = "provider_timeout"


# Failures that say nothing about how a request was phrased: asking again differently is no use.
NOT_WORTH_RETRYING = (BudgetExhausted, ProviderTimeout, ProviderUnavailable)


def error_reason(error: ProviderError) -> str:
    """A failure's kind, for metrics: a few stable values, never the message."""
    if isinstance(error, BudgetExhausted):
        return "budget"
    if isinstance(error, ProviderUnavailable):
        return "cooldown"
    if isinstance(error, ProviderTimeout):
        return "timeout"
    status = re.search(r"\(HTTP (\d)\d\d\)", error.message)
    if status:
        return f"http_{status.group(1)}xx"
    return "connection" if "Connection" in error.message else "other"


class Account:
    """One session's LLM tokens: what it may use, what it has used, where usage is recorded."""

    def __init__(self, session_id: str, budget: int, used: int = 0, record: Record | None = None) -> None:
        self.session_id = session_id
        self.budget = budget
        self.used = used
        self._record = record

    @property
    def exhausted(self) -> bool:
        return self.used >= self.budget

    def check(self, prompt_tokens: int) -> None:
        """Refuse a call whose prompt alone would take the session over its budget."""
        if self.used + prompt_tokens > self.budget:
            raise BudgetExhausted(
                f"the session's LLM token budget is spent ({self.used:,} of {self.budget:,} used; this call needs {prompt_tokens:,}; COACH_SESSION_TOKEN_BUDGET)"
            )

    async def add(self, prompt_tokens: int, completion_tokens: int, cost_usd: float) -> None:
        self.used += prompt_tokens + completion_tokens
        if self._record is not None:
            await self._record(prompt_tokens, completion_tokens, cost_usd)


class MeteredProvider(Provider):
    def __init__(
        self,
        inner: Provider,
        health: ProviderHealth,
        *,
        first_token_timeout_s: float,
        total_timeout_s: float,
        account: Account | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.inner = inner
        self.metrics = metrics
        self.model = inner.model
        self.health = health
        self.first_token_timeout_s = first_token_timeout_s
        self.total_timeout_s = total_timeout_s
        self.account = account

    def _with(self, **changes: Any) -> MeteredProvider:
        """The same provider, health and metrics, with some settings changed."""
        settings: dict[str, Any] = {
            "first_token_timeout_s": self.first_token_timeout_s,
            "total_timeout_s": self.total_timeout_s,
            "account": self.account,
            "metrics": self.metrics,
        }
        return MeteredProvider(self.inner, self.health, **{**settings, **changes})

    def for_session(self, account: Account) -> MeteredProvider:
        """The same provider and health, counting against `account`."""
        return self._with(account=account)

    async def warm(self) -> None:
        await self.inner.warm()

    def context_window(self) -> int:
        return self.inner.context_window()

    def cost_usd(self, prompt_tokens: int, completion_tokens: int) -> float:
        return self.inner.cost_usd(prompt_tokens, completion_tokens)

    def _prepare(self, messages: list[Message], limits: Limits | None, kind: str) -> tuple[list[Message], int]:
        """Check before the call; the messages trimmed to fit, and their token count."""
        try:
            self.health.check()
            room = (limits or {}).get("max_tokens", DEFAULT_REPLY_ROOM)
            messages = fit(messages, self.context_window() - room)
            prompt_tokens = count_messages(messages)
            if self.account is not None:
                self.account.check(prompt_tokens)
        except ProviderError as refused:
            self._observe(kind, refused)
            raise
        return messages, prompt_tokens

    async def stream(
        self, messages: list[Message], *, response_format: dict[str, Any] | None = None, limits: Limits | None = None, usage: Usage | None = None
    ) -> AsyncIterator[str]:
        messages, estimate = self._prepare(messages, limits, "stream")
        used = usage or Usage()
        pieces: list[str] = []
        loop = asyncio.get_running_loop()
        start = loop.time()
        source = self.inner.stream(messages, response_format=response_format, limits=limits, usage=used)
        try:
            with self._watched("stream"):
                while True:
                    late = self.total_timeout_s if pieces else min(self.first_token_timeout_s, self.total_timeout_s)
                    try:
                        # Only the wait for the next piece is timed: the caller's work between
                        # pieces is never interrupted by this timeout.
                        async with asyncio.timeout_at(start + late):
                            piece = await anext(source)
                    except StopAsyncIteration:
                        break
                    except TimeoutError:
                        what = f"no reply within {late:g} s" if not pieces else f"the reply did not finish within {late:g} s"
                        raise ProviderTimeout(f"{what} (COACH_FIRST_TOKEN_TIMEOUT_S, COACH_REQUEST_TIMEOUT_S)") from None
                    pieces.append(piece)
                    yield piece
        finally:
            await source.aclose()
            await self._count(used, estimate, pieces)

    async def complete(
        self, messages: list[Message], *, response_format: dict[str, Any] | None = None, limits: Limits | None = None, usage: Usage | None = None
    ) -> str:
        messages, estimate = self._prepare(messages, limits, "complete")
        used = usage or Usage()
        text = ""
        try:
            with self._watched("complete"):
                try:
                    async with asyncio.timeout(self.total_timeout_s):
                        text = await self.inner.complete(messages, response_format=response_format, limits=limits, usage=used)
                except TimeoutError:
                    raise ProviderTimeout(f"no reply within {self.total_timeout_s:g} s (COACH_REQUEST_TIMEOUT_S)") from None
        finally:
            await self._count(used, estimate, [text] if text else [])
        return text

    async def probe(self) -> str | None:
        """One tiny request that tells whether the model answers within the first-token
        timeout: None when it does, else the reason. A failure puts the provider in its
        cool-down at once, so that the first candidates are not the ones who wait for it."""
        check = self._with(total_timeout_s=self.first_token_timeout_s, account=None, metrics=None)
        try:
            await check.complete([{"role": "user", "content": "Reply with the word OK."}], limits={"max_tokens": 5, "temperature": 0.0})
        except ProviderError as exc:
            self.health.down()
            return exc.message
        return None

    @contextmanager
    def _watched(self, kind: str) -> Iterator[None]:
        """Tell the health record and the metrics how the call went; log a failure with the
        session's id."""
        try:
            yield
        except ProviderError as exc:
            self.health.failed(exc.message)
            self._observe(kind, exc)
            session = f" (session {self.account.session_id})" if self.account else ""
            log.warning("provider %s failed%s: %s", self.model, session, exc.message)
            raise
        self.health.succeeded()
        self._observe(kind, None)

    def _observe(self, kind: str, error: ProviderError | None) -> None:
        if self.metrics is None:
            return
        if error is None:
            self.metrics.provider_calls.labels(kind, "ok").inc()
            return
        refused = isinstance(error, (BudgetExhausted, ProviderUnavailable))
        self.metrics.provider_calls.labels(kind, "refused" if refused else "error").inc()
        self.metrics.provider_errors.labels(error_reason(error)).inc()

    async def _count(self, used: Usage, estimate: int, pieces: list[str]) -> None:
        """Record what the call used: the server's count, else an estimate when anything came
        back. A call that failed with nothing back is not charged."""
        if used.reported:
            prompt, completion = used.prompt_tokens, used.completion_tokens
        elif pieces:
            prompt, completion = estimate, count_text("".join(pieces))
        else:
            return
        cost = self.cost_usd(prompt, completion)
        if self.metrics is not None:
            self.metrics.usage(prompt, completion, cost)
        if self.account is not None:
            await self.account.add(prompt, completion, cost)
