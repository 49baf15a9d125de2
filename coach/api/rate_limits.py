"""Rate limits with the `limits` library: in memory, or in Redis when COACH_REDIS_URL is set
(then every instance counts together).

    sessions started  per client address   COACH_LIMIT_SESSIONS    (10/minute)
    turns             per session          COACH_LIMIT_TURNS       (20/minute)
    hints             per session          COACH_LIMIT_HINTS       (10/minute)
    open connections  per client address   COACH_MAX_CONNECTIONS_PER_ADDRESS (20, this instance)

A limited frame is refused before anything is stored, with a `rate_limited` error frame that
says when to try again. If Redis fails, limits are not enforced (and the log says so): an
outage of the limiter must not stop interviews.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from typing import Literal

from limits import RateLimitItem, parse
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string

from coach.config import Settings
from coach.errors import CoachError

log = logging.getLogger(__name__)
Rule = Literal["session", "turn", "hint"]


class RateLimited(CoachError):
    code = "rate_limited"

    def __init__(self, message: str, retry_after_s: float) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


_WHAT = {"session": "interviews started from your address", "turn": "turns in this interview", "hint": "hints in this interview"}


class RateLimits:
    def __init__(self, settings: Settings) -> None:
        url = settings.redis_url
        self.backend = "redis" if url else "memory"
        self._storage = storage_from_string(f"async+{url}" if url else "async+memory://", key_prefix="coach-limits")
        self._limiter = MovingWindowRateLimiter(self._storage)
        self._rules: dict[Rule, RateLimitItem] = {
            "session": parse(settings.limit_sessions),
            "turn": parse(settings.limit_turns),
            "hint": parse(settings.limit_hints),
        }
        self.max_connections = settings.max_connections_per_address
        self._open: Counter[str] = Counter()

    async def hit(self, rule: Rule, key: str) -> None:
        """Count one `rule` event for `key`; raise RateLimited when it is over the limit."""
        item = self._rules[rule]
        try:
            if await self._limiter.hit(item, rule, key):
                return
            stats = await self._limiter.get_window_stats(item, rule, key)
        except Exception as exc:  # the limiter's store is down: serve rather than refuse
            log.warning("rate limits not enforced: %s store failed: %s", self.backend, exc)
            return
        wait = max(1.0, round(stats.reset_time - time.time(), 1))
        raise RateLimited(f"too many {_WHAT[rule]} (at most {item}); try again in {wait:.0f} s", wait)

    async def reset(self) -> None:
        """Forget every count (all instances' when in Redis)."""
        await self._storage.reset()

    def connect(self, address: str) -> bool:
        """Count an open connection from `address`; False when it would be one too many."""
        if self._open[address] >= self.max_connections:
            return False
        self._open[address] += 1
        return True

    def disconnect(self, address: str) -> None:
        self._open[address] -= 1
        if self._open[address] <= 0:
            del self._open[address]
