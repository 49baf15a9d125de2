"""A session's frames: numbered, stored, sent, and replayed on resume, all in one place.

Every frame gets the next sequence number and is stored before the client can act on it, so
a dropped connection resumes anywhere: `attach` replays what the client has not seen, then
new frames follow.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from coach.protocol import InterviewerDelta, SessionFrame, _Server
from coach.storage import Store

Send = Callable[[str], Awaitable[None]]


class FrameChannel:
    def __init__(self, store: Store, session_id: str, seq: int) -> None:
        self.store = store
        self.session_id = session_id
        self.seq = seq
        self._send: Send | None = None
        self._lock = asyncio.Lock()

    async def emit(self, frame: _Server) -> None:
        async with self._lock:
            self.seq += 1
            frame.seq = self.seq
            body = frame.model_dump_json()
            # The token is the client's secret: stored frames never carry it.
            stored = frame.model_copy(update={"token": ""}).model_dump_json() if isinstance(frame, SessionFrame) else body
            storing = self.store.queue_frame(self.session_id, self.seq, stored)
            # A token is what the candidate is waiting for: it goes out while it is being stored;
            # every other frame after. The lock is held until the frame is stored, so at most one
            # frame sent is ever missing from the store (see `attach`).
            if not isinstance(frame, InterviewerDelta):
                await storing
            await self._deliver(body)
            await storing

    async def _deliver(self, body: str) -> None:
        if self._send is None:
            return
        try:
            await self._send(body)
        except Exception:  # the connection went away; the frame is stored for resume
            self._send = None

    async def attach(self, send: Send, last_seq: int) -> Send | None:
        """Replay every stored frame after `last_seq`, then deliver new frames to `send`.
        Returns the connection `send` displaced, if any."""
        async with self._lock:
            previous = self._send if self._send is not send else None
            # A server that died while storing a delta it had sent leaves the client one frame
            # ahead of the store. That delta's reply starts again; its frames must not reuse
            # the seq the client already has.
            self.seq = max(self.seq, min(last_seq, self.seq + 1))
            self._send = send
            for body in await self.store.frames_after(self.session_id, last_seq):
                await self._deliver(body)
        return previous

    def detach(self, send: Send) -> None:
        if self._send is send:
            self._send = None

    def holds(self, send: Send) -> bool:
        return self._send is send

    @property
    def attached(self) -> bool:
        return self._send is not None
