"""What every interview session shares: settings, bank, storage, provider, graders, a CPU worker,
and the rule that replies go before background work."""

from __future__ import annotations

import asyncio
import os
import secrets
import socket
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from coach.bank.loader import QuestionBank
from coach.bus import Bus
from coach.config import Settings
from coach.grading.offline import OfflineGrader
from coach.grading.service import GradingService
from coach.interview.priority import RepliesFirst
from coach.llm.metered import MeteredProvider
from coach.llm.shared_health import SharedHealth
from coach.metrics import Metrics
from coach.storage import Store

T = TypeVar("T")
QUICK_TURN_CHARS = 1500


def cpu_worker(name: str = "coach-cpu") -> ThreadPoolExecutor:
    """One worker thread for the coach's CPU-bound work (embeddings, coverage, suggestions,
    grading). There are two lanes of one thread each (see Services): a quick one for what a
    candidate waits on turn by turn, and a heavy one for long turns and whole transcripts, so
    that a candidate pasting essays, or an interview being graded, never queues in front of an
    ordinary turn. The model runtime releases the interpreter's lock while it computes, so the
    lanes share the cores with the event loop rather than stalling it."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)


def runner(executor: ThreadPoolExecutor) -> Callable[..., Awaitable[Any]]:
    """`await run(fn, *args)` runs fn on `executor`."""

    async def run(fn: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)

    return run


@dataclass
class Services:
    """What every session shares."""

    settings: Settings
    bank: QuestionBank
    store: Store
    provider: MeteredProvider | None  # without a session's account; sessions meter their own
    grader: OfflineGrader
    grading: GradingService
    cpu: ThreadPoolExecutor = field(default_factory=cpu_worker)
    heavy: ThreadPoolExecutor = field(default_factory=lambda: cpu_worker("coach-heavy"))
    metrics: Metrics = field(default_factory=Metrics)
    replies_first: RepliesFirst = field(default_factory=RepliesFirst)
    # How this process names itself as the owner of sessions (several may share a database).
    instance: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}")
    # Word between instances (Redis pub/sub); publishes nothing without COACH_REDIS_URL.
    bus: Bus = field(init=False)

    def __post_init__(self) -> None:
        self.bus = Bus(self.settings.redis_url, self.instance)
        if self.provider is not None:
            SharedHealth(self.provider.health, self.bus)

    async def run_cpu(self, fn: Callable[..., T], *args: Any) -> T:
        """The quick lane: small jobs a candidate is waiting on."""
        return await runner(self.cpu)(fn, *args)

    async def run_heavy(self, fn: Callable[..., T], *args: Any) -> T:
        """The heavy lane: long turns, whole transcripts, grading."""
        return await runner(self.heavy)(fn, *args)

    def run_for(self, chars: int) -> Callable[..., Awaitable[Any]]:
        """The lane for scoring a turn of `chars` characters: a pasted essay rather than
        something said goes to the heavy lane, behind nobody's ordinary turn."""
        return self.run_heavy if chars > QUICK_TURN_CHARS else self.run_cpu
