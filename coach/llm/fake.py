"""A scripted provider for tests and demos: replies come from a queue, in order."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Iterable
from typing import Any

from coach.errors import ProviderError
from coach.llm.base import Limits, Message, Provider, Usage


class ScriptedProvider(Provider):
    """Each call takes the next scripted reply. A reply that is an exception is raised
    instead (after the text chunks before it, if the item is a list)."""

    def __init__(self, replies: Iterable[str | Exception | list[str | Exception]], model: str = "scripted/fake", chunk: int = 8) -> None:
        self.model = model
        self._replies = deque(replies)
        self._chunk = chunk
        self.calls: list[list[Message]] = []
        self.response_formats: list[dict[str, Any] | None] = []
        self.limits: list[Limits | None] = []

    async def stream(
        self, messages: list[Message], *, response_format: dict[str, Any] | None = None, limits: Limits | None = None, usage: Usage | None = None
    ) -> AsyncIterator[str]:
        self.calls.append(messages)
        self.response_formats.append(response_format)
        self.limits.append(limits)
        if not self._replies:
            raise ProviderError("the scripted provider has no replies left")
        reply = self._replies.popleft()
        for item in reply if isinstance(reply, list) else [reply]:
            if isinstance(item, Exception):
                raise item
            for i in range(0, len(item), self._chunk):
                yield item[i : i + self._chunk]
