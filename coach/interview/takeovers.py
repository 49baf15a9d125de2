"""Word between instances that one of them took a session over (Redis pub/sub).

Correctness does not rest on this: the store refuses a stale owner's writes (fencing, see
coach.storage.writes), so an instance that missed the message finds out on its next write.
The message makes it prompt: the old connection hears `superseded` and closes at once instead
of on its next turn. Without COACH_REDIS_URL there is one instance, and nothing to tell.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)
CHANNEL = "coach:takeovers"
_RETRY_S = 1.0

OnTakeover = Callable[[str, int], Awaitable[None]]  # (session id, the new owner's epoch)


class Takeovers:
    def __init__(self, redis_url: str | None, instance: str, on_takeover: OnTakeover) -> None:
        self.redis_url = redis_url
        self.instance = instance
        self.on_takeover = on_takeover
        self._client: Any = None
        self._listener: asyncio.Task[None] | None = None
        self._subscribed = asyncio.Event()

    async def start(self) -> None:
        if not self.redis_url:
            return
        import coredis  # only with Redis configured

        self._client = coredis.Redis.from_url(self.redis_url, decode_responses=True)
        self._listener = asyncio.create_task(self._listen())
        try:  # serve at once either way; a Redis that is down is retried in the background
            await asyncio.wait_for(self._subscribed.wait(), timeout=2)
        except TimeoutError:
            log.warning("takeovers: not subscribed to Redis yet; retrying in the background")

    async def announce(self, session_id: str, epoch: int) -> None:
        """Tell the other instances that this one now owns `session_id` at `epoch`."""
        if self._client is None:
            return
        message = json.dumps({"session": session_id, "epoch": epoch, "by": self.instance})
        try:
            await self._client.publish(CHANNEL, message)
        except Exception as exc:  # the old owner learns from the store instead
            log.warning("takeovers: could not announce session %s: %s", session_id, exc)

    async def _listen(self) -> None:
        while True:
            try:
                async with self._client.pubsub(channels=[CHANNEL], ignore_subscribe_messages=True) as pubsub:
                    self._subscribed.set()
                    async for message in pubsub:
                        await self._heard(message.get("data"))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("takeovers: Redis subscription lost (%s); retrying in %.0f s", exc, _RETRY_S)
                await asyncio.sleep(_RETRY_S)

    async def _heard(self, data: object) -> None:
        try:
            message = json.loads(str(data))
            session_id, epoch, by = str(message["session"]), int(message["epoch"]), str(message["by"])
        except (ValueError, KeyError, TypeError):
            log.warning("takeovers: ignored a malformed message %.80r", data)
            return
        if by == self.instance:
            return
        try:
            await self.on_takeover(session_id, epoch)
        except Exception:
            log.exception("takeovers: handling session %s failed", session_id)

    async def close(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            await asyncio.gather(self._listener, return_exceptions=True)
