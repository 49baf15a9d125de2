"""The LLM interviewer's side of a session: the model's reply to a turn, grounded on what the
grader made of it; the session's model, metered against its token budget (every call of the
session, suggestions and grading included, goes through it). When the model fails mid-turn the
offline interviewer answers that turn (the fallback), and a session over its budget goes on
offline.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from coach.errors import ProviderError
from coach.interview.grounding import ground
from coach.interview.llm_interviewer import interviewer_messages
from coach.llm.base import REPLY, Provider
from coach.llm.metered import Account, BudgetExhausted
from coach.protocol import InterviewerDelta, Notice

if TYPE_CHECKING:
    from coach.interview.session import InterviewSession

log = logging.getLogger(__name__)


class LLMTurns:
    def __init__(self, session: InterviewSession, tokens_used: int) -> None:
        self.session = session
        services = session.services
        store = services.store

        async def record(prompt_tokens: int, completion_tokens: int, cost_usd: float) -> None:
            await store.add_usage(session.id, prompt_tokens, completion_tokens, cost_usd)

        self.account = Account(session.id, services.settings.session_token_budget, tokens_used, record)
        self.model = services.provider.for_session(self.account) if services.provider else None
        self._budget_noticed = False

    @property
    def tokens_used(self) -> int:
        return self.account.used

    def provider(self) -> Provider | None:
        """The session's metered model, while it is within its token budget; None offline."""
        return None if self.model is None or self.account.exhausted else self.model

    async def reply(self, provider: Provider, reply_turn: int) -> str:
        """Stream the model's reply; the provider's failure is announced and the offline coach
        answers instead.

        The model is grounded on what the grader made of this very turn (coverage including
        it, a mistake to challenge) when that is ready within the time box
        (`grounding_wait_s`), and on a quick reading of it otherwise (coach.interview.grounding).
        With no time box the turn is scored once the model's first piece is out, so that the
        scoring does not hold up the request on a busy core. Either way the scoring is finished
        before the reply is, so the meter includes the turn. The phase frame is stored and
        sent while the model thinks (and before its first token).
        """
        s = self.session
        scoring = _Scoring(s)
        wait_s = s.services.settings.grounding_wait_s
        if wait_s > 0:
            scoring.start()
        try:
            return await self._stream(provider, reply_turn, scoring, wait_s)
        finally:
            # Only unfinished here when something failed first; that error is the one to report.
            await asyncio.gather(*scoring.started(), return_exceptions=True)

    async def _stream(self, provider: Provider, reply_turn: int, scoring: _Scoring, wait_s: float) -> str:
        s = self.session
        told = await ground(s, scoring.future, scoring.covered_before, wait_s)
        phase = s.phase()
        messages = interviewer_messages(
            s.question,
            s.turns,
            set(told.covered),
            told.probe,
            phase.plan.name,
            phase.elapsed_in_phase_s,
            phase.plan.budget_s,
            provider.context_window(),
            told.signals,
        )
        phase_frame = asyncio.create_task(s.emit_phase(phase))
        pieces: list[str] = []
        try:
            async for piece in provider.stream(messages, limits=REPLY):
                if not pieces:
                    await phase_frame
                pieces.append(piece)
                await s.emit(InterviewerDelta(turn=reply_turn, text=piece))
                scoring.start()
            if not "".join(pieces).strip():
                raise ProviderError("the model sent an empty reply")
            await scoring.start()
            s.services.metrics.turns.labels("model").inc()
        except BudgetExhausted:
            await phase_frame
            await self.budget_notice()
            return await s.replies.answer_offline(reply_turn, scoring.covered_before, phase_may_change=False, scored=scoring.start())
        except ProviderError as exc:
            await phase_frame
            # The metered provider logged the reason for the operator; the candidate gets a plain notice.
            log.info("session %s: the offline coach answers turn %s (%s)", s.id, reply_turn, exc.message)
            await s.emit(Notice(code="provider_failed", message="The AI interviewer could not answer just now; the offline coach answers this turn."))
            # The phase frame already went out with the model's request.
            return await s.replies.answer_offline(reply_turn, scoring.covered_before, phase_may_change=False, scored=scoring.start())
        finally:
            # Only reached unawaited when something else failed first; that error is the one to report.
            await asyncio.gather(phase_frame, return_exceptions=True)
        return "".join(pieces)

    async def budget_notice(self) -> None:
        if self.model is not None and not self._budget_noticed:
            self._budget_noticed = True
            await self.session.emit(
                Notice(code="token_budget", message="This session has used its LLM token budget; the offline coach takes over.")
            )


class _Scoring:
    """The scoring of the candidate's latest turn for one reply, started once, when wanted."""

    def __init__(self, session: InterviewSession) -> None:
        self.session = session
        self.covered_before = set(session.tracker.covered)
        self.future: asyncio.Future[set[str]] | None = None

    def start(self) -> asyncio.Future[set[str]]:
        if self.future is None:
            self.future = asyncio.ensure_future(self.session.replies.score())
        return self.future

    def started(self) -> list[asyncio.Future[set[str]]]:
        return [self.future] if self.future is not None else []
