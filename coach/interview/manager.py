"""Starts and resumes interviews; keeps live sessions in memory and reloads them from storage.

A session that has been dropped and is idle is forgotten; `resume` rebuilds it from the
database, which is also what happens after the server restarts. A candidate turn that was
stored but never answered (the process died mid-reply) is answered on resume.

Several instances may share one database. The instance a session was started or resumed on
owns it: `resume` claims it (a new epoch in the store; the old owner's writes are refused
from then on), tells the others (Redis pub/sub), and rebuilds it from the store, so any
instance can serve any session and a dead instance's sessions resume anywhere at once.
"""

from __future__ import annotations

import asyncio
import logging
import random
import secrets
from dataclasses import replace

from coach.bank.models import Question
from coach.errors import CoachError, UnknownQuestion
from coach.interview.llm_interviewer import PROMPTS
from coach.interview.services import Services
from coach.interview.frames import Send, supersede
from coach.interview.session import InterviewSession
from coach.interview.takeovers import Takeovers
from coach.protocol import Resume, Start
from coach.logs import bind_session
from coach.tasks import drain

log = logging.getLogger(__name__)


class Unauthorized(CoachError):
    code = "unauthorized"

    def __init__(self) -> None:
        # One message for an unknown session and a wrong token: ids cannot be probed.
        super().__init__("no session with that id and token")


class NoMatchingQuestion(UnknownQuestion):
    def __init__(self, filters: str) -> None:
        CoachError.__init__(self, f"no question matches {filters}; `GET /api/questions` lists the bank")
        self.question_id = ""


class Interviews:
    def __init__(self, services: Services) -> None:
        self.services = services
        self.live: dict[str, InterviewSession] = {}
        self._loading: dict[str, asyncio.Lock] = {}
        self.takeovers = Takeovers(services.bus, self._taken_over)

    def pick_question(self, frame: Start) -> Question:
        bank = self.services.bank
        if frame.question_id:
            return bank.get(frame.question_id)
        found = bank.filter(kind=frame.kind, difficulty=frame.difficulty, topic=frame.topic)
        if not found:
            wanted = ", ".join(f"{k}={v}" for k, v in frame.model_dump(exclude={"type"}, exclude_none=True).items()) or "the bank"
            raise NoMatchingQuestion(wanted)
        return random.choice(found)

    async def start(self, frame: Start, send: Send) -> InterviewSession:
        question = self.pick_question(frame)
        session_id, token = secrets.token_hex(16), secrets.token_urlsafe(24)
        bind_session(session_id)
        provider = self.services.provider.model if self.services.provider else "offline"
        prompts = " ".join(PROMPTS) if self.services.provider else None
        row = await self.services.store.create_session(session_id, token, question.id, provider, prompts, owner=self.services.instance)
        session = InterviewSession(self.services, row, question, [], 0)
        session.mode = frame.mode
        self._hold(session)
        self.services.metrics.sessions_started.labels(frame.mode).inc()
        log.info("session %s started: question %s, %s mode, %s", session_id, question.id, frame.mode, provider)
        await session.attach(send, 0)
        await session.open(token)
        return session

    async def resume(self, frame: Resume, send: Send) -> InterviewSession:
        row = await self.services.store.get_session(frame.session_id)
        if row is None or not row.token_matches(frame.token):
            raise Unauthorized()
        bind_session(row.id)
        session = await self._load(row.id)
        session.mode = frame.mode
        await supersede(await session.attach(send, frame.last_seq))
        if session.reply_pending:
            session.start_reply(again=True)
        return session

    async def _load(self, session_id: str) -> InterviewSession:
        """The session, owned by this instance: the one in memory if nobody took it over
        since, else claimed and rebuilt from the store."""
        lock = self._loading.setdefault(session_id, asyncio.Lock())
        async with lock:
            store = self.services.store
            row = await store.get_session(session_id)
            if row is None:
                raise Unauthorized()
            held = self.live.get(session_id)
            if held is not None and not held.lost and held.lease.epoch == row.epoch:
                return held
            if held is not None:
                await held.give_up()
            epoch = await store.claim(session_id, self.services.instance)
            await self.takeovers.announce(session_id, epoch)
            row = replace(row, epoch=epoch, owner=self.services.instance)
            question = self.services.bank.get(row.question_id)
            session = InterviewSession(self.services, row, question, await store.turns(session_id), await store.last_seq(session_id))
            if session.candidate_turns():
                await self.services.run_heavy(session.tracker.update, session.said())
            session.phase_name = session.phase().plan.name
            await session.close_interrupted_turn()
            self._hold(session)
        self._loading.pop(session_id, None)
        return session

    async def close(self, timeout: float = 30) -> None:
        """Let every live session's running work finish (cancelling it after `timeout`), so
        that storage can close under nothing."""
        await drain({t for s in self.live.values() for t in s.tasks()}, timeout)
        self.live.clear()

    def release(self, session: InterviewSession, send: Send) -> None:
        """The connection is gone; forget the session once nothing is running for it (now,
        or when its last reply or background work ends: see InterviewSession.when_idle)."""
        session.detach(send)
        self._forget(session)

    def _hold(self, session: InterviewSession) -> None:
        """Keep `session` in memory until it is idle with nobody connected, or taken over."""
        session.when_idle = lambda: self._forget(session)
        session.when_lost = lambda: self._drop(session)
        self.live[session.id] = session

    def _drop(self, session: InterviewSession) -> None:
        if self.live.get(session.id) is session:
            del self.live[session.id]

    async def _taken_over(self, session_id: str, epoch: int) -> None:
        """Another instance claimed `session_id` at `epoch`: give up our copy, if older."""
        held = self.live.get(session_id)
        if held is not None and held.lease.epoch < epoch:
            log.info("session %s taken over by another instance (epoch %s)", session_id, epoch)
            await held.give_up()

    def _forget(self, session: InterviewSession) -> None:
        """Drop an idle session from memory; `resume` reloads it from the store."""
        if session.idle and self.live.get(session.id) is session:
            del self.live[session.id]
