"""Retention: finished interviews' frames are deleted after COACH_RETENTION_DAYS.

Frames are what a resume replays; once an interview has ended and its report is saved, they
are only its history. Its turns and report stay for good (the report carries its own
transcript and timeline). Every instance may prune: the deletion is the same whoever runs it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

from coach.storage.store import Store

log = logging.getLogger(__name__)
EVERY_S = 3600.0


async def prune_forever(store: Store, days: int, every_s: float = EVERY_S) -> None:
    """Prune now, then every `every_s` seconds, until cancelled."""
    while True:
        try:
            deleted = await store.purge_frames(datetime.now(UTC) - timedelta(days=days))
            if deleted:
                log.info("retention: deleted %s frames of interviews finished over %s days ago", deleted, days)
        except Exception as exc:  # the next round tries again
            log.warning("retention: pruning failed: %s", exc)
        await asyncio.sleep(every_s)
