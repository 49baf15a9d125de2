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
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from coach.bank.models import Question
from coach.grading.rubric import Rubric
from coach.grading.speakers import Role
from coach.interview import offline_interviewer
from coach.interview.closing import grade_interview
from coach.interview.coach import Coach
from coach.interview.coverage import CoverageTracker
from coach.interview.llm_turn import LLMTurns
from coach.interview.frames import FrameChannel, Send
from coach.interview.offline_turn import OfflineReplies
from coach.interview.errors import Busy, SessionEnded, Superseded, TurnLimit
from coach.interview.phases import PhaseState, current_phase, plan_for
from coach.interview.services import Services
from coach.interview.turn_state import State, TurnState
from coach.interview.work import SessionWork
from coach.llm.base import Provider
from coach.protocol import (
    CandidateTurn,
    Coverage,
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
from coach.storage import SessionRow, Turn, last_said

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
        self.frames = FrameChannel(services.store, row.id, seq)
        self.turn_state = TurnState(State.ended if row.state == "ended" else State.active)
        self.tracker = CoverageTracker(self.rubric, services.grader)
        self.offline = OfflineReplies(question, self.rubric, services, self.tracker)
        self.coach = Coach(question, services, self.tracker)
        self.llm = LLMTurns(self, row.prompt_tokens + row.completion_tokens)
        self.phase_name: str | None = None
        self.mode: Mode = "practice"  # what the attached client shows; see protocol.Mode
        self.work = SessionWork(services)
        self.work.on_done = self._work_done
        # Called when the session has no connection and no work left (the manager forgets it).
        self.when_idle: Callable[[], None] | None = None

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

    async def _stream_text(self, turn: int, text: str) -> None:
        for i in range(0, len(text), _DELTA_CHARS):
            await self.emit(InterviewerDelta(turn=turn, text=text[i : i + _DELTA_CHARS]))

    async def _finish_turn(self, turn: int, text: str) -> None:
        await self.services.store.add_turn(self.id, turn, "interviewer", text)
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
            await self._open_turn()
        finally:
            # an `end` from a resumed connection may have come first
            self.turn_state.back_to_active(State.replying)

    async def _open_turn(self) -> None:
        text = offline_interviewer.opening(self.question)
        await self._stream_text(1, text)
        await self._finish_turn(1, text)

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
            await self.services.store.add_turn(self.id, turn, "candidate", text)
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
        self.work.start_reply(self._respond(again, candidate))

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

    async def _respond(self, again: bool = False, candidate: CandidateTurn | None = None) -> None:
        candidate_turn = len(self.turns)
        reply_turn = candidate_turn + 1
        # The turn is stored already; its frame leads the reply's. It is stored while the turn
        # is scored: it takes the frame lock first, so its seq still comes first.
        leading = asyncio.create_task(self.emit(candidate)) if candidate is not None else None
        if leading is not None:
            await asyncio.sleep(0)  # it takes the lock now, before any frame of the reply
        try:
            if again:
                await self.emit(
                    Notice(code="reply_restarted", message="The interviewer's last turn was cut off; it starts again from the beginning.")
                )
            if not self.turns:
                await self._open_turn()
                return
            provider = self.llm.provider()
            if provider is None:
                await self.llm.budget_notice()
                text = await self.answer_offline(reply_turn, set(self.tracker.covered), phase_may_change=True)
            else:
                text = await self.llm.reply(provider, reply_turn)
            if leading is not None:
                await leading
            await self.emit(Coverage(covered=sorted(self.tracker.covered), total=len(self.question.key_points)))
            # interviewer.done ends the turn: the next `say` is welcome from then on, so the
            # suggestions follow in the background.
            await self._finish_turn(reply_turn, text)
            if self.mode == "practice":
                self.work.start_background(self._suggest_after_turn(candidate_turn, provider))
        except Exception:
            log.exception("reply to turn %s of session %s failed", candidate_turn, self.id)
            await self.emit(Notice(code="internal_error", message="Something went wrong answering that turn; please say it again."))
        finally:
            if leading is not None:
                await asyncio.gather(leading, return_exceptions=True)
            self.work.started()
            self.turn_state.back_to_active(State.replying)

    def score(self) -> Awaitable[set[str]]:
        """Grade the candidate's turns for rubric coverage, on the CPU worker."""
        return self.services.run_for(len(last_said(self.turns, "candidate")))(self.tracker.update, self.said())

    async def answer_offline(self, reply_turn: int, covered_before: set[str], *, phase_may_change: bool) -> str:
        """Score the turn, then stream the offline interviewer's reply to it."""
        await self.score()
        phase_changed = await self.emit_phase(self.phase()) if phase_may_change else False
        text = await self.offline.reply(
            self.turns,
            reply_turn=reply_turn,
            phase=self.phase(),
            phase_changed=phase_changed,
            covered_before=covered_before,
            asked=offline_interviewer.asked(self.question, self.turns),
            time_left_s=sum(p.budget_s for p in plan_for(self.question.kind)) - self.elapsed_s,
        )
        self.services.metrics.turns.labels("offline").inc()
        await self._stream_text(reply_turn, text)
        return text

    async def _suggest_after_turn(self, turn: int, provider: Provider | None) -> None:
        try:
            await self.services.replies_first.background()
            await self._emit_suggestions(turn, provider)
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
            body = await grade_interview(self.services, self.id, self.rubric, self.said(), self.llm.model)
            self.turn_state.to(State.ended)
            await self.emit(Report(report=body))
        except BaseException:
            self.turn_state.back_to_active(State.grading)
            raise
