"""The provider interface: one required async method that streams a reply."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import AsyncIterator
from typing import Any, Literal, TypedDict


class Message(TypedDict):
    role: Literal["system", "user", "assistant"]
    content: str


class Provider(ABC):
    """A chat model. Implementations stream text; everything else is built on that."""

    #: Shown to users and in reports, e.g. "openai/gpt-4o-mini".
    model: str

    @abstractmethod
    def stream(self, messages: list[Message], *, response_format: dict[str, Any] | None = None) -> AsyncIterator[str]:
        """Yield the reply's text as the model produces it. Raises ProviderError on failure."""

    async def warm(self) -> None:
        """Prepare for the first request (imports, clients); nothing by default."""

    def context_window(self) -> int:
        """Input tokens the model accepts; conservative when unknown."""
        return 8192

    def cost_usd(self, prompt_tokens: int, completion_tokens: int) -> float:
        """What a call cost, where the provider's prices are known; else 0."""
        return 0.0

    async def complete(self, messages: list[Message], *, response_format: dict[str, Any] | None = None) -> str:
        """The whole reply as one string."""
        return "".join([piece async for piece in self.stream(messages, response_format=response_format)])
