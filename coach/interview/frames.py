"""A session's frames: numbered, stored, sent, and replayed on resume, all in one place.

Every frame gets the next sequence number and is stored before the client can act on it, so
a dropped connection resumes anywhere: `attach` replays what the client has not seen, then
new frames follow. Frames are stored under the session's lease: once another instance has
taken the session over, storing fails with `Superseded` and nothing more goes out from here.
Once a reply's interviewer.done (which carries the whole text) is stored, its deltas are
deleted, so a turn costs a handful of rows however long the reply.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable

from coach.protocol import InterviewerDelta, InterviewerDone, SessionFrame, _Server
from coach.storage import Lease, Store

Send = Callable[[str], Awaitable[None]]


async def supersede(send: Send | None) -> None:
    """Tell a displaced connection it was superseded and close it, where it can be told (the
    websocket's Connection can; a bare callable, as in tests, cannot)."""
    told = getattr(send, "supersede", None)
    if told is not None:
        await told()


class FrameChannel:
    def __init__(self, store: Store, lease: Lease, seq: int) -> None:
        self.store = store
        self.lease = lease
        self.session_id = lease.session_id
        self.seq = seq
        self._send: Send | None = None
        self._lock = asyncio.Lock()
        self._deltas: list[int] = []  # seqs of the reply under way's deltas
        self._compacting: set[asyncio.Task[None]] = set()

    async def emit(self, frame: _Server) -> None:
        async with self._lock:
            self.seq += 1
            frame.seq = self.seq
            body = frame.model_dump_json()
            # The token is the client's secret: stored frames never carry it.
            stored = frame.model_copy(update={"token": ""}).model_dump_json() if isinstance(frame, SessionFrame) else body
            storing = self.store.queue_frame(self.session_id, self.seq, stored, self.lease)
            # A token is what the candidate is waiting for: it goes out while it is being stored;
            # every other frame after. The lock is held until the frame is stored, so at most one
            # frame sent is ever missing from the store (see `attach`).
            if not isinstance(frame, InterviewerDelta):
                await storing
            await self._deliver(body)
            await storing
            if isinstance(frame, InterviewerDelta):
                self._deltas.append(self.seq)
            elif isinstance(frame, InterviewerDone) and self._deltas:
                self._compact(self._deltas)
                self._deltas = []

    def _compact(self, seqs: list[int]) -> None:
        """Delete a finished reply's deltas, off the reply's path (a failure only leaves them)."""
        task = asyncio.create_task(self.store.drop_frames(self.session_id, seqs))
        self._compacting.add(task)
        task.add_done_callback(self._compacting.discard)
        task.add_done_callback(lambda t: t.cancelled() or t.exception())

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
            for body in _compacted(await self.store.frames_after(self.session_id, last_seq)):
                await self._deliver(body)
        return previous

    def detach(self, send: Send) -> None:
        if self._send is send:
            self._send = None

    def detach_all(self) -> Send | None:
        """Stop delivering; the connection that was attached, if any."""
        send, self._send = self._send, None
        return send

    def holds(self, send: Send) -> bool:
        return self._send is send

    @property
    def attached(self) -> bool:
        return self._send is not None


def _compacted(bodies: list[str]) -> list[str]:
    """The replay without the deltas of replies whose interviewer.done follows (it carries
    the whole text): what the store holds once their deletion has caught up."""
    frames = [json.loads(body) for body in bodies]
    done = {f["turn"] for f in frames if f.get("type") == "interviewer.done"}
    return [body for body, f in zip(bodies, frames, strict=True) if not (f.get("type") == "interviewer.delta" and f.get("turn") in done)]
