"""The provider interface: one required async method that streams a reply."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Literal, TypedDict


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


class Limits(TypedDict, total=False):
    """Sampling settings for one call: a cap on the reply's length, and how much it may vary
    (structured output is asked for at a low temperature, so that it parses and repeats)."""

    max_tokens: int
    temperature: float


# A spoken interviewer turn: one to four sentences.
REPLY = Limits(max_tokens=400, temperature=0.7)
# JSON for the grader and the coach.
STRUCTURED = Limits(temperature=0.0)


@dataclass
class Usage:
    """Tokens one call used, filled in by a provider whose server reports them."""

    prompt_tokens: int = 0
    completion_tokens: int = 0
    reported: bool = False

    def report(self, prompt_tokens: int, completion_tokens: int) -> None:
        self.prompt_tokens, self.completion_tokens, self.reported = prompt_tokens, completion_tokens, True


class Provider(ABC):
    """A chat model. Implementations stream text; everything else is built on that."""

    #: Shown to users and in reports, e.g. "openai/gpt-4o-mini".
    model: str

    @abstractmethod
    def stream(
        self, messages: list[Message], *, response_format: dict[str, Any] | None = None, limits: Limits | None = None, usage: Usage | None = None
    ) -> AsyncIterator[str]:
        """Yield the reply's text as the model produces it. Raises ProviderError on failure.
        Fills `usage` when the server reports what the call used."""

    async def warm(self) -> None:
        """Prepare for the first request (imports, clients); nothing by default."""

    def context_window(self) -> int:
        """Input tokens the model accepts; conservative when unknown."""
        return 8192

    def cost_usd(self, prompt_tokens: int, completion_tokens: int) -> float:
        """What a call cost, where the provider's prices are known; else 0."""
        return 0.0

    async def complete(
        self, messages: list[Message], *, response_format: dict[str, Any] | None = None, limits: Limits | None = None, usage: Usage | None = None
    ) -> str:
        """The whole reply as one string."""
        return "".join([piece async for piece in self.stream(messages, response_format=response_format, limits=limits, usage=usage)])
