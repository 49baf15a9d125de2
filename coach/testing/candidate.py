"""A scripted candidate that survives lost connections, as docs/protocol.md tells clients to:
it keeps its last `say` until a reply to it arrives, resumes with the last seq it saw, and
after the replay (`ping` ... `pong`) says again what was not answered, or asks for the report
again. It records every frame, so a test can check that no seq ever meant two frames.
For the scale-out test and benchmark (loopback only).
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

from websockets.exceptions import ConnectionClosed, InvalidHandshake, InvalidStatus
from websockets.sync.client import ClientConnection, connect


class Conflict(AssertionError):
    """The server sent two different frames under one seq."""


@dataclass
class Candidate:
    url: str  # ws://.../ws/interview
    question_id: str
    turns: list[str]
    mode: str = "interview"
    timeout_s: float = 60.0
    session: dict[str, Any] | None = None
    report: dict[str, Any] | None = None
    seen: dict[int, str] = field(default_factory=dict)  # seq -> the frame's body, as first received
    reconnects: int = 0
    first_reply_s: list[float] = field(default_factory=list)  # `say` to the first reply frame
    last_seq: int = 0
    _ws: ClientConnection | None = None

    # -- frames ------------------------------------------------------------------------------

    def _record(self, frame: dict[str, Any]) -> None:
        seq = frame.get("seq", 0)
        if not seq:
            return
        body = json.dumps({k: v for k, v in frame.items() if k != "token"}, sort_keys=True)
        if seq in self.seen and self.seen[seq] != body:
            raise Conflict(f"seq {seq} was {self.seen[seq][:120]} and then {body[:120]}")
        self.seen.setdefault(seq, body)
        self.last_seq = max(self.last_seq, seq)

    def _recv(self) -> dict[str, Any]:
        assert self._ws is not None
        frame = json.loads(self._ws.recv(timeout=self.timeout_s))
        self._record(frame)
        if frame["type"] == "session" and self.session is None:
            self.session = frame
        if frame["type"] == "report":
            self.report = frame["report"]
        return frame

    def _send(self, frame: dict[str, Any]) -> None:
        assert self._ws is not None
        self._ws.send(json.dumps(frame))

    # -- connection --------------------------------------------------------------------------

    def _connect(self) -> None:
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                self._ws = connect(self.url, open_timeout=5, close_timeout=1, legacy=True)  # held across calls, not in a with block
                return
            except (OSError, InvalidHandshake, InvalidStatus, TimeoutError):
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def _resume(self) -> list[dict[str, Any]]:
        """A new connection, the session resumed on whichever instance the balancer picks;
        the frames replayed (up to the pong)."""
        assert self.session is not None
        self.reconnects += 1
        self._connect()
        self._send({"type": "resume", "session_id": self.session["session_id"], "token": self.session["token"], "last_seq": self.last_seq, "mode": self.mode})
        self._send({"type": "ping"})
        replay = []
        while (frame := self._recv())["type"] != "pong":
            if frame["type"] == "error":
                raise AssertionError(f"resume refused: {frame}")
            replay.append(frame)
        return replay

    def _until(self, done: Any, resend: dict[str, Any], arrived: Any = lambda frame: False) -> None:
        """Receive until `done(frame)`; on a lost connection resume, and send `resend` again
        unless a frame seen shows it `arrived`, or the replay restarts its reply or holds what
        it waits for."""
        while True:
            try:
                while not done(self._recv()):
                    pass
                return
            except (ConnectionClosed, OSError, TimeoutError):
                pass
            while True:
                try:
                    replay = self._resume()
                    break
                except (ConnectionClosed, OSError, TimeoutError):
                    continue
            if any(done(f) for f in replay):
                return
            if any(arrived(json.loads(body)) for body in self.seen.values()) or any(f.get("code") == "reply_restarted" for f in replay):
                continue  # the server has it (its frame came before the drop or in the replay): its reply follows
            try:
                self._send(resend)
            except (ConnectionClosed, OSError):
                continue

    # -- the interview ----------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        self._connect()
        self._send({"type": "start", "question_id": self.question_id, "mode": self.mode})
        while self._recv()["type"] != "interviewer.done":
            pass
        assert self.session is not None
        # The opening is turn 1; the k-th answer is turn 2k and its reply turn 2k + 1.
        for k, text in enumerate(self.turns, start=1):
            said_at = time.monotonic()
            first: list[float] = []

            def replied(frame: dict[str, Any], reply_turn: int = 2 * k + 1) -> bool:
                kind = frame["type"]
                if kind in ("interviewer.delta", "interviewer.done") and frame["turn"] == reply_turn and not first:
                    first.append(time.monotonic() - said_at)
                if kind == "error" and frame.get("code") != "busy":  # busy: it had arrived; the reply follows
                    raise AssertionError(f"turn refused: {frame}")
                return kind == "interviewer.done" and frame["turn"] == reply_turn

            say = {"type": "say", "text": text}
            self._send(say)
            self._until(replied, say, lambda f, turn=2 * k: f["type"] == "candidate" and f["turn"] == turn)
            self.first_reply_s.append(first[0] if first else time.monotonic() - said_at)
        end = {"type": "end"}
        self._send(end)
        self._until(lambda f: f["type"] == "report", end)
        if self._ws is not None:
            self._ws.close()
        return self.report or {}
