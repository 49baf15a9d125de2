"""What every interview session shares: settings, bank, storage, provider, graders, a CPU worker,
and the rule that replies go before background work."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from coach.bank.loader import QuestionBank
from coach.config import Settings
from coach.grading.offline import OfflineGrader
from coach.grading.service import GradingService
from coach.interview.priority import RepliesFirst
from coach.llm.metered import MeteredProvider
from coach.metrics import Metrics
from coach.storage import Store

T = TypeVar("T")


def cpu_worker() -> ThreadPoolExecutor:
    """One worker for the coach's CPU-bound work (embeddings, coverage, suggestions, grading),
    so that it never takes more than one core from the event loop that streams replies."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-cpu")


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
    metrics: Metrics = field(default_factory=Metrics)
    replies_first: RepliesFirst = field(default_factory=RepliesFirst)

    async def run_cpu(self, fn: Callable[..., T], *args: Any) -> T:
        return await runner(self.cpu)(fn, *args)
