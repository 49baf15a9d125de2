"""Word between Coach instances, through Redis pub/sub: small JSON messages on named channels.

Nothing here is needed for correctness: each use says what happens when a message is lost
(an instance finds out another way, a little later). Without COACH_REDIS_URL there is one
instance and nobody to tell: publishing does nothing. An instance ignores its own messages.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)
PREFIX = "coach:"
_RETRY_S = 1.0

Handler = Callable[[dict[str, Any]], Awaitable[None]]


class Bus:
    def __init__(self, redis_url: str | None, instance: str) -> None:
        self.redis_url = redis_url
        self.instance = instance
        self._handlers: dict[str, Handler] = {}
        self._client: Any = None
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    @property
    def shared(self) -> bool:
        return bool(self.redis_url)

    def on(self, channel: str, handler: Handler) -> None:
        """Call `handler(message)` for other instances' messages on `channel` (before start)."""
        self._handlers[PREFIX + channel] = handler

    async def start(self) -> None:
        if not self.redis_url or not self._handlers:
            return
        import coredis  # only with Redis configured

        self._client = coredis.Redis.from_url(self.redis_url, decode_responses=True)
        self._listener = asyncio.create_task(self._listen())
        try:  # serve at once either way; a Redis that is down is retried in the background
            await asyncio.wait_for(self._subscribed.wait(), timeout=2)
        except TimeoutError:
            log.warning("bus: not subscribed to Redis yet; retrying in the background")

    async def publish(self, channel: str, message: dict[str, Any]) -> None:
        if self._client is None:
            return
        try:
            await self._client.publish(PREFIX + channel, json.dumps({**message, "by": self.instance}))
        except Exception as exc:  # each use says how the others find out without it
            log.warning("bus: could not publish on %s: %s", channel, exc)

    async def _listen(self) -> None:
        while True:
            try:
                async with self._client.pubsub(channels=list(self._handlers), ignore_subscribe_messages=True) as pubsub:
                    self._subscribed.set()
                    async for message in pubsub:
                        await self._heard(message.get("channel"), message.get("data"))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("bus: Redis subscription lost (%s); retrying in %.0f s", exc, _RETRY_S)
                await asyncio.sleep(_RETRY_S)

    async def _heard(self, channel: object, data: object) -> None:
        handler = self._handlers.get(str(channel))
        try:
            message = json.loads(str(data))
            if not isinstance(message, dict):
                raise ValueError("not an object")
        except ValueError:
            log.warning("bus: ignored a malformed message on %s: %.80r", channel, data)
            return
        if handler is None or message.get("by") == self.instance:
            return
        try:
            await handler(message)
        except Exception:
            log.exception("bus: handling a message on %s failed", channel)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
