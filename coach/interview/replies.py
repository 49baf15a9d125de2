"""A reply to the candidate's latest turn, from start to end: the turn's own frame first, the
reply (the model's, or the offline interviewer's, which scores the turn first), the coverage,
interviewer.done, then the coach's suggestions in the background. A failure is announced and
the candidate may say the turn again; a session another instance took over stops here.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from typing import TYPE_CHECKING

from coach.errors import Superseded
from coach.interview import offline_interviewer
from coach.interview.phases import plan_for
from coach.interview.turn_state import State
from coach.protocol import CandidateTurn, Coverage, Notice
from coach.storage import last_said

if TYPE_CHECKING:
    from coach.interview.session import InterviewSession

log = logging.getLogger(__name__)


class Replies:
    def __init__(self, session: InterviewSession) -> None:
        self.session = session

    async def respond(self, again: bool = False, candidate: CandidateTurn | None = None) -> None:
        """Answer the latest candidate turn: its frame first, then the reply (the model's or the
        offline interviewer's), the coverage, interviewer.done, and suggestions after."""
        s = self.session
        candidate_turn = len(s.turns)
        reply_turn = candidate_turn + 1
        # The turn is stored already; its frame leads the reply's. It is stored while the turn
        # is scored: it takes the frame lock first, so its seq still comes first.
        leading = asyncio.create_task(s.emit(candidate)) if candidate is not None else None
        if leading is not None:
            await asyncio.sleep(0)  # it takes the lock now, before any frame of the reply
        try:
            if again:
                await s.emit(
                    Notice(code="reply_restarted", message="The interviewer's last turn was cut off; it starts again from the beginning.")
                )
            if not s.turns:
                await s.open_turn()
                return
            provider = s.llm.provider()
            if provider is None:
                await s.llm.budget_notice()
                text = await self.answer_offline(reply_turn, set(s.tracker.covered), phase_may_change=True)
            else:
                text = await s.llm.reply(provider, reply_turn)
            if leading is not None:
                await leading
            await s.emit(Coverage(covered=sorted(s.tracker.covered), total=len(s.question.key_points)))
            # interviewer.done ends the turn: the next `say` is welcome from then on, so the
            # suggestions follow in the background.
            await s.finish_turn(reply_turn, text)
            if s.mode == "practice":
                s.work.start_background(s.suggest_after_turn(candidate_turn, provider))
        except Superseded:
            await s.give_up()
        except Exception:
            log.exception("reply to turn %s of session %s failed", candidate_turn, s.id)
            await s.emit(Notice(code="internal_error", message="Something went wrong answering that turn; please say it again."))
        finally:
            if leading is not None:
                await asyncio.gather(leading, return_exceptions=True)
            s.work.started()
            s.turn_state.back_to_active(State.replying)

    def score(self) -> Awaitable[set[str]]:
        """Grade the candidate's turns for rubric coverage, on the CPU worker."""
        s = self.session
        return s.services.run_for(len(last_said(s.turns, "candidate")))(s.tracker.update, s.said())

    async def answer_offline(
        self, reply_turn: int, covered_before: set[str], *, phase_may_change: bool, scored: Awaitable[set[str]] | None = None
    ) -> str:
        """Score the turn (or wait for `scored`, its scoring already under way), then stream
        the offline interviewer's reply to it."""
        s = self.session
        await (scored if scored is not None else self.score())
        phase_changed = await s.emit_phase(s.phase()) if phase_may_change else False
        text = await s.offline.reply(
            s.turns,
            reply_turn=reply_turn,
            phase=s.phase(),
            phase_changed=phase_changed,
            covered_before=covered_before,
            asked=offline_interviewer.asked(s.question, s.turns),
            time_left_s=sum(p.budget_s for p in plan_for(s.question.kind)) - s.elapsed_s,
        )
        s.services.metrics.turns.labels("offline").inc()
        await s.stream_text(reply_turn, text)
        return text

