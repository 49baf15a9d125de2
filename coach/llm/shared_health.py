"""The provider's health shared between instances (coach.bus): when one instance puts the
model in its cool-down, the others skip it too for the rest of it, instead of each spending
COACH_PROVIDER_FAILURES more timed-out turns finding out; when one instance's trial call
succeeds, the others use the model again at once.

A lost message costs what it did before this existed: that instance finds out by its own
calls.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from coach.bus import Bus
from coach.llm.health import ProviderHealth

log = logging.getLogger(__name__)
CHANNEL = "provider"


class SharedHealth:
    def __init__(self, health: ProviderHealth, bus: Bus) -> None:
        self.health = health
        self.bus = bus
        self._sending: set[asyncio.Task[None]] = set()
        if bus.shared:
            health.on_down = self._went_down
            health.on_up = self._came_up
            bus.on(CHANNEL, self._heard)

    def _went_down(self, seconds: float, reason: str | None) -> None:
        self._send({"model": self.health.model, "state": "down", "for_s": seconds, "reason": reason})

    def _came_up(self) -> None:
        self._send({"model": self.health.model, "state": "ok"})

    def _send(self, message: dict[str, Any]) -> None:
        try:
            task = asyncio.get_running_loop().create_task(self.bus.publish(CHANNEL, message))
        except RuntimeError:  # no loop (a synchronous caller): nobody to tell
            return
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _heard(self, message: dict[str, Any]) -> None:
        if message.get("model") != self.health.model:
            return  # another configuration's model
        if message.get("state") == "down":
            seconds = float(message.get("for_s") or self.health.cooldown_s)
            log.warning("provider %s: another instance started a %.0f s cool-down (%s)", self.health.model, seconds, message.get("reason"))
            self.health.heard_down(seconds, message.get("reason"))
        elif message.get("state") == "ok":
            self.health.heard_up()
