"""Replies first: background work of any session waits while a reply is about to start.

The time from a candidate's `say` to the interviewer's first token is what a candidate feels.
The coach's suggestions (an LLM call, and CPU work that shares the interpreter's lock with the
event loop) can wait a little, so they hold back while any session's reply has not started
yet; never longer than `max_wait_s`, so that a steady stream of new turns cannot starve them.
"""

from __future__ import annotations

import asyncio
from contextlib import suppress


class RepliesFirst:
    def __init__(self, max_wait_s: float = 0.25) -> None:
        self.max_wait_s = max_wait_s
        self._starting = 0
        self._quiet = asyncio.Event()
        self._quiet.set()

    @property
    def starting(self) -> int:
        """Replies whose first token has not gone out yet."""
        return self._starting

    def begin(self) -> None:
        self._starting += 1
        self._quiet.clear()

    def end(self) -> None:
        self._starting -= 1
        if self._starting == 0:
            self._quiet.set()

    async def background(self) -> None:
        """Return once no reply is starting, or after `max_wait_s`."""
        if self._starting:
            with suppress(TimeoutError):
                await asyncio.wait_for(self._quiet.wait(), self.max_wait_s)
