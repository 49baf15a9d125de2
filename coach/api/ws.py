"""The websocket endpoint /ws/interview (protocol v1, see docs/protocol.md)."""

from __future__ import annotations

import asyncio
import logging

from fastapi import APIRouter, WebSocket, WebSocketDisconnect

from coach.api.rate_limits import RateLimited, RateLimits
from coach.api.security import origin_allowed
from coach.api.errors import error_frame
from coach.errors import CoachError, InvalidInput
from coach.interview.errors import Superseded
from coach.interview.manager import Interviews
from coach.interview.session import InterviewSession
from coach.protocol import End, Hint, Notice, Ping, Pong, ProtocolError, Resume, Say, Start, parse_client_frame

log = logging.getLogger(__name__)
router = APIRouter()


class NoSession(CoachError):
    code = "no_session"

    def __init__(self, kind: str) -> None:
        super().__init__(f"'{kind}' needs a session: send 'start' or 'resume' first")


class AlreadyInSession(CoachError):
    code = "already_in_session"

    def __init__(self) -> None:
        super().__init__("this connection already has a session; open a new connection for another one")


class Connection:
    """One websocket as a session sees it: frames go out one at a time, and a newer
    connection to the same session can take over (this one is then told and closed)."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self._lock = asyncio.Lock()

    async def __call__(self, text: str) -> None:
        async with self._lock:
            await self.ws.send_text(text)

    async def supersede(self) -> None:
        try:
            await self(error_frame(Superseded()))
            await self.ws.close(code=1000, reason="superseded by a newer connection")
        except Exception:  # already gone
            pass


def _check_routed(ws: WebSocket, frame: Resume) -> None:
    """`/ws/interview?session=ID` lets a load balancer route on the session; any instance can
    serve any session, so this is only checked to agree with the frame."""
    routed = ws.query_params.get("session")
    if routed is not None and routed != frame.session_id:
        raise InvalidInput(f"the URL names session {routed[:40]!r} but 'resume' names {frame.session_id!r}; drop ?session= or make them agree")


async def _refuse(ws: WebSocket, code: int, reason: str, frame: str | None = None) -> None:
    """Accept only to say why, then close: a refused handshake reaches a page as a bare 403."""
    try:
        await ws.accept()
        if frame is not None:
            await ws.send_text(frame)
        await ws.close(code=code, reason=reason)
    except (WebSocketDisconnect, RuntimeError):  # the client left first
        pass


@router.websocket("/ws/interview")
async def interview(ws: WebSocket) -> None:
    interviews: Interviews = ws.app.state.interviews
    limit: int = ws.app.state.services.settings.max_frame_bytes
    idle_s: float = ws.app.state.services.settings.idle_timeout_s
    origin = ws.headers.get("origin")
    limits: RateLimits = ws.app.state.limits
    address = ws.client.host if ws.client else "unknown"
    if not origin_allowed(origin, ws.headers.get("host"), ws.app.state.services.settings.allowed_origins):
        await _refuse(ws, 1008, f"origin {origin[:60]} is not allowed (COACH_ALLOWED_ORIGINS)")
        return
    if not limits.connect(address):
        too_many = RateLimited(f"too many open connections from your address (at most {limits.max_connections})", 5.0)
        await _refuse(ws, 1013, "too many connections from this address", error_frame(too_many))
        return
    # Registered so that shutdown can stop this handler before the store closes under it.
    handlers: set[asyncio.Task[None]] = ws.app.state.handlers
    me = asyncio.current_task()
    assert me is not None
    handlers.add(me)  # type: ignore[arg-type]
    connections = ws.app.state.services.metrics.connections
    connections.inc()
    send = Connection(ws)

    session: InterviewSession | None = None
    try:
        await ws.accept()
        while True:
            try:
                async with asyncio.timeout(idle_s):
                    message = await ws.receive()
            except TimeoutError:
                # Not stored (seq 0): it is about this connection, not the interview.
                await send(Notice(code="idle_timeout", message=f"Closed after {idle_s / 60:g} minutes without a frame; resume to continue.").model_dump_json())
                await ws.close(code=1000, reason="idle")
                break
            if message["type"] == "websocket.disconnect":
                break
            raw = message.get("text")
            if raw is None:
                raw_bytes = message.get("bytes") or b""
                await send(error_frame(ProtocolError("invalid_frame", "frames must be UTF-8 JSON text, not binary")))
                if len(raw_bytes) > limit:
                    await ws.close(code=1009, reason="frame too large")
                    break
                continue
            if len(raw) > limit and len(raw.encode()) > limit:
                await send(error_frame(ProtocolError("frame_too_large", f"frames may be at most {limit} bytes")))
                await ws.close(code=1009, reason="frame too large")
                break
            try:
                frame = parse_client_frame(raw)
                if isinstance(frame, Ping):
                    await send(Pong().model_dump_json())
                elif isinstance(frame, (Start, Resume)):
                    if session is not None:
                        raise AlreadyInSession()
                    if isinstance(frame, Start):
                        await limits.hit("session", address)
                        session = await interviews.start(frame, send)
                    else:
                        _check_routed(ws, frame)
                        session = await interviews.resume(frame, send)
                elif session is None:
                    raise NoSession(frame.type)
                else:
                    session.check_connection(send)  # a connection a newer one displaced may not act
                    if isinstance(frame, Say):
                        await limits.hit("turn", session.id)
                        await session.say(frame.text)
                    elif isinstance(frame, Hint):
                        await limits.hit("hint", session.id)
                        await session.hint()
                    elif isinstance(frame, End):
                        await session.end()
            except Superseded as exc:
                if session is not None and session.frames.holds(send):
                    await session.give_up()  # another instance took the session over: its store said so
                else:
                    await send(error_frame(exc))
                    await ws.close(code=1000, reason="superseded by a newer connection")
                break
            except CoachError as exc:
                await send(error_frame(exc))
    except WebSocketDisconnect:
        pass
    except Exception:
        log.exception("websocket handler failed")
        await ws.close(code=1011)
    finally:
        limits.disconnect(address)
        connections.dec()
        handlers.discard(me)  # type: ignore[arg-type]
        if session is not None:
            interviews.release(session, send)
