"""What is running for one session: the reply under way and the background work after it.

It also owns two things that hang on a reply's first frame: the replies-first gate (other
sessions' background work waits until this reply has started) and the first-delta latency
metric. When the last piece of work ends, `when_idle` lets the manager forget a session that
nobody is connected to.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Coroutine
from typing import Any

from coach.interview.services import Services


class SessionWork:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.reply: asyncio.Task[None] | None = None
        self.background: set[asyncio.Task[None]] = set()
        self._starting = False  # a reply is under way and has sent nothing yet
        self._asked_at: float | None = None  # when the candidate's turn awaiting its first delta was stored
        # Called when a piece of work ends; the session decides whether it is idle.
        self.on_done: Callable[[], None] | None = None

    def turn_stored(self) -> None:
        self._asked_at = time.monotonic()

    def start_reply(self, work: Coroutine[Any, Any, None]) -> None:
        self._starting = True
        self.services.replies_first.begin()
        self.reply = asyncio.create_task(work)
        self.reply.add_done_callback(self._done)

    def start_background(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.create_task(work)
        self.background.add(task)
        task.add_done_callback(self.background.discard)
        task.add_done_callback(self._done)

    def first_delta(self) -> None:
        if self._asked_at is not None:
            self.services.metrics.first_delta.observe(time.monotonic() - self._asked_at)
            self._asked_at = None

    def started(self) -> None:
        """The reply under way has sent its first frame (or ended): background work may run."""
        if self._starting:
            self._starting = False
            self.services.replies_first.end()

    async def reply_finished(self) -> None:
        """Wait for the reply under way, if any (without cancelling it if the waiter is)."""
        if self.reply is not None and not self.reply.done():
            await asyncio.shield(self.reply)

    def tasks(self) -> set[asyncio.Task[None]]:
        return {t for t in (self.reply, *self.background) if t is not None and not t.done()}

    def _done(self, _task: asyncio.Task[None]) -> None:
        if self.on_done is not None:
            self.on_done()
