"""One live interview: an explicit state machine that owns the session's frames.

    (new) --open--> replying --(opening done)--> active
    active --say--> replying --(reply done)--> active
    active --end--> grading --> ended          (end while replying waits for the reply)

Every server frame gets the next `seq` under one lock, is written to the store, and only then
is sent to the attached connection, if any (an `interviewer.delta` is sent while it is being
written). Generation does not depend on the connection: a reply goes on (and is stored) when
the client drops, and `attach` replays what it missed.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from coach.bank.models import Question
from coach.grading.rubric import Rubric
from coach.grading.speakers import Role
from coach.interview import offline_interviewer
from coach.interview.closing import grade_interview
from coach.interview.coach import Coach
from coach.interview.coverage import CoverageTracker
from coach.interview.llm_turn import LLMTurns
from coach.interview.frames import FrameChannel, Send, supersede
from coach.interview.offline_turn import OfflineReplies
from coach.interview.replies import Replies
from coach.interview.errors import Busy, SessionEnded, Superseded, TurnLimit
from coach.interview.phases import PhaseState, current_phase
from coach.interview.services import Services
from coach.interview.turn_state import State, TurnState
from coach.interview.work import SessionWork
from coach.llm.base import Provider
from coach.protocol import (
    CandidateTurn,
    InterviewerDelta,
    InterviewerDone,
    Mode,
    Notice,
    Phase,
    Report,
    SessionFrame,
    Suggestions,
    _Server,
)
from coach.storage import Lease, SessionRow, Turn

log = logging.getLogger(__name__)
_DELTA_CHARS = 24  # offline replies are streamed in small pieces, like a model's


class InterviewSession:
    @property
    def state(self) -> State:
        return self.turn_state.now

    def __init__(self, services: Services, row: SessionRow, question: Question, turns: list[Turn], seq: int) -> None:
        self.services = services
        self.id = row.id
        self.row = row
        self.question = question
        self.rubric = Rubric.from_question(question)
        self.turns = turns
        # This instance's hold on the session: every write carries it (coach.storage.writes).
        self.lease = Lease(row.id, row.epoch)
        self.frames = FrameChannel(services.store, self.lease, seq)
        self.turn_state = TurnState(State.ended if row.state == "ended" else State.active)
        self.tracker = CoverageTracker(self.rubric, services.grader)
        self.offline = OfflineReplies(question, self.rubric, services, self.tracker)
        self.coach = Coach(question, services, self.tracker)
        self.llm = LLMTurns(self, row.prompt_tokens + row.completion_tokens)
        self.replies = Replies(self)
        self.phase_name: str | None = None
        self.mode: Mode = "practice"  # what the attached client shows; see protocol.Mode
        self.work = SessionWork(services)
        self.work.on_done = self._work_done
        # Called when the session has no connection and no work left (the manager forgets it).
        self.when_idle: Callable[[], None] | None = None
        # Called once another instance has taken the session over (the manager forgets it).
        self.when_lost: Callable[[], None] | None = None
        self.lost = False

    # -- frames -----------------------------------------------------------------------------

    async def emit(self, frame: _Server) -> None:
        await self.frames.emit(frame)
        if isinstance(frame, (InterviewerDelta, InterviewerDone, Notice)):
            if isinstance(frame, InterviewerDelta):
                self.work.first_delta()
            self.work.started()

    async def attach(self, send: Send, last_seq: int) -> Send | None:
        """Replay every stored frame after `last_seq`, then deliver new frames to `send`;
        the connection this displaced, if any."""
        return await self.frames.attach(send, last_seq)

    def check_connection(self, send: Send) -> None:
        """Only the newest connection may act on the session."""
        if not self.frames.holds(send):
            raise Superseded()

    def detach(self, send: Send) -> None:
        self.frames.detach(send)

    @property
    def attached(self) -> bool:
        return self.frames.attached

    @property
    def idle(self) -> bool:
        return self.state is not State.replying and not self.work.background and not self.attached

    # -- helpers ----------------------------------------------------------------------------

    @property
    def elapsed_s(self) -> float:
        return (datetime.now(UTC) - self.row.created_at).total_seconds()

    def candidate_turns(self) -> list[str]:
        return [t.text for t in self.turns if t.role == "candidate"]

    def said(self) -> list[tuple[Role, str]]:
        """Every turn with its speaker: what the grader reads (only the candidate's words
        count, and it needs the interviewer's to tell agreement from a point made)."""
        return [(t.role, t.text) for t in self.turns]

    def phase(self) -> PhaseState:
        return current_phase(self.question, self.elapsed_s, self.tracker.covered)

    async def emit_phase(self, state: PhaseState) -> bool:
        if state.plan.name == self.phase_name:
            return False
        first = self.phase_name is None
        self.phase_name = state.plan.name
        await self.emit(Phase(phase=state.plan.name, elapsed_s=state.elapsed_in_phase_s, budget_s=state.plan.budget_s, left_s=state.left_s))
        return not first

    async def stream_text(self, turn: int, text: str) -> None:
        for i in range(0, len(text), _DELTA_CHARS):
            await self.emit(InterviewerDelta(turn=turn, text=text[i : i + _DELTA_CHARS]))

    async def close_interrupted_turn(self) -> None:
        """After a crash between storing the interviewer's turn and its interviewer.done, the
        client would wait for that frame for ever: send it now, from the stored turn."""
        last = self.turns[-1] if self.turns else None
        if last is None or last.role != "interviewer" or self.state is State.ended:
            return
        frames = (json.loads(body) for body in await self.services.store.frames_after(self.id, 0))
        if not any(f.get("type") == "interviewer.done" and f.get("turn") == last.turn for f in frames):
            await self.emit(InterviewerDone(turn=last.turn, text=last.text))

    async def finish_turn(self, turn: int, text: str) -> None:
        await self.services.store.add_turn(self.id, turn, "interviewer", text, self.lease)
        self.turns.append(Turn(turn=turn, role="interviewer", text=text))
        await self.emit(InterviewerDone(turn=turn, text=text))

    # -- the state machine ------------------------------------------------------------------

    async def open(self, token: str) -> None:
        """The first frames of a new session: who we are, the phase, the question."""
        q = self.question
        # The opening is the interviewer's turn: a resume meanwhile must not start it again.
        self.turn_state.to(State.replying)
        try:
            await self.emit(
                SessionFrame(
                    session_id=self.id,
                    token=token,
                    question={"id": q.id, "title": q.title, "prompt": q.prompt, "kind": q.kind, "difficulty": q.difficulty},
                    provider=self.row.provider,
                )
            )
            await self.emit_phase(self.phase())
            await self.open_turn()
        finally:
            # an `end` from a resumed connection may have come first
            self.turn_state.back_to_active(State.replying)

    async def open_turn(self) -> None:
        text = offline_interviewer.opening(self.question)
        await self.stream_text(1, text)
        await self.finish_turn(1, text)

    async def say(self, text: str) -> None:
        """Store the candidate's turn (committed before anything acts on it), then reply."""
        if self.state in (State.ended, State.grading):
            raise SessionEnded()
        if self.state is State.replying:
            raise Busy()
        limit = self.services.settings.max_turns_per_session
        if len(self.candidate_turns()) >= limit:
            raise TurnLimit(limit)
        self.turn_state.to(State.replying)
        turn = len(self.turns) + 1
        try:
            await self.services.store.add_turn(self.id, turn, "candidate", text, self.lease)
        except BaseException:
            self.turn_state.to(State.active)
            raise
        self.turns.append(Turn(turn=turn, role="candidate", text=text))
        self.work.turn_stored()
        self.start_reply(candidate=CandidateTurn(turn=turn, text=text))

    def start_reply(self, *, again: bool = False, candidate: CandidateTurn | None = None) -> None:
        """Answer the latest candidate turn in the background. `again`: an earlier reply to it
        was cut off (the server stopped mid-reply), and the client may hold part of it."""
        self.turn_state.to(State.replying)
        self.work.start_reply(self.replies.respond(again, candidate))

    def _work_done(self) -> None:
        if self.idle and self.when_idle is not None:
            self.when_idle()

    def tasks(self) -> set[asyncio.Task[None]]:
        """Work still running for this session."""
        return self.work.tasks()

    @property
    def reply_pending(self) -> bool:
        """The interviewer owes the next turn and nothing is producing it: the process died
        while answering the candidate, or while opening the interview."""
        return self.state is State.active and (not self.turns or self.turns[-1].role == "candidate")

    async def suggest_after_turn(self, turn: int, provider: Provider | None) -> None:
        try:
            await self.services.replies_first.background()
            await self._emit_suggestions(turn, provider)
        except Superseded:
            await self.give_up()
        except Exception:  # the turn itself is answered; only its suggestions are missing
            log.exception("suggestions after turn %s of session %s failed", turn, self.id)

    async def _emit_suggestions(self, turn: int, provider: Provider | None, asked: bool = False) -> None:
        items, source = await self.coach.suggestions(self.turns, provider)
        await self.emit(Suggestions(turn=turn, items=items, source=source, asked=asked))

    async def hint(self) -> None:
        if self.state in (State.ended, State.grading):
            raise SessionEnded()
        turn = max((t.turn for t in self.turns if t.role == "candidate"), default=0)
        await self._emit_suggestions(turn, self.llm.provider(), asked=True)

    async def end(self) -> None:
        """Grade the interview and send the report; the session is over afterwards."""
        if self.state in (State.ended, State.grading):
            raise SessionEnded()
        await self.work.reply_finished()
        self.turn_state.to(State.grading)
        try:
            await self.emit(Notice(code="grading", message="Grading your interview…"))
            body = await grade_interview(self.services, self.lease, self.rubric, self.said(), self.llm.model)
            self.turn_state.to(State.ended)
            await self.emit(Report(report=body))
        except BaseException:
            self.turn_state.back_to_active(State.grading)
            raise

    async def give_up(self) -> None:
        """Another instance has taken the session over (its writes here were refused, or it
        said so through Redis): tell the connection, stop the work, let the manager forget
        the session. Nothing more is stored from here; the new owner carries on."""
        if self.lost:
            return
        self.lost = True
        await supersede(self.frames.detach_all())
        me = asyncio.current_task()
        for task in self.tasks():
            if task is not me:
                task.cancel()
        if self.when_lost is not None:
            self.when_lost()
