"""Word between instances that one of them took a session over (coach.bus).

Correctness does not rest on this: the store refuses a stale owner's writes (fencing, see
coach.storage.writes), so an instance that missed the message finds out on its next write.
The message makes it prompt: the old connection hears `superseded` and closes at once instead
of on its next turn.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from coach.bus import Bus

log = logging.getLogger(__name__)
CHANNEL = "takeovers"

OnTakeover = Callable[[str, int], Awaitable[None]]  # (session id, the new owner's epoch)


class Takeovers:
    def __init__(self, bus: Bus, on_takeover: OnTakeover) -> None:
        self.bus = bus
        self.on_takeover = on_takeover
        bus.on(CHANNEL, self._heard)

    async def announce(self, session_id: str, epoch: int) -> None:
        """Tell the other instances that this one now owns `session_id` at `epoch`."""
        await self.bus.publish(CHANNEL, {"session": session_id, "epoch": epoch})

    async def _heard(self, message: dict[str, Any]) -> None:
        try:
            session_id, epoch = str(message["session"]), int(message["epoch"])
        except (KeyError, TypeError, ValueError):
            log.warning("takeovers: ignored a malformed message %.80r", message)
            return
        await self.on_takeover(session_id, epoch)
