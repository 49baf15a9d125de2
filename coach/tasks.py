"""Small helpers for asyncio tasks."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import Any


async def drain(tasks: Iterable[asyncio.Future[Any]], timeout: float) -> None:
    """Wait up to `timeout` for `tasks` to end by themselves, then cancel the rest."""
    pending = [t for t in tasks if not t.done()]
    if not pending:
        return
    _, late = await asyncio.wait(pending, timeout=timeout)
    for task in late:
        task.cancel()
    if late:
        await asyncio.wait(late, timeout=timeout)
