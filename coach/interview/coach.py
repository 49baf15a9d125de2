"""The coach beside the dialogue: suggestions after each turn and on Hint, offline or from the
LLM (falling back to the offline ones when the model fails)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Literal

from coach.bank.models import Question
from coach.errors import ProviderError
from coach.interview.coverage import CoverageTracker
from coach.interview.llm_interviewer import llm_suggestions
from coach.interview.services import Services
from coach.interview.suggestions import suggest
from coach.llm.base import Provider
from coach.protocol import Suggestion
from coach.storage import Turn, last_said, said_by

log = logging.getLogger(__name__)
Source = Literal["model", "offline"]
SUGGEST_CHARS = 4000


class Coach:
    def __init__(self, question: Question, services: Services, tracker: CoverageTracker) -> None:
        self.question = question
        self.services = services
        self.tracker = tracker
        # The last suggestions, and the transcript and model they were made for: a Hint with
        # nothing new said gets them again without another model call.
        self._last: tuple[int, bool, list[Suggestion], Source] | None = None

    async def suggestions(self, turns: Sequence[Turn], provider: Provider | None) -> tuple[list[Suggestion], Source]:
        """The suggestions, and where they came from; reused while the transcript is unchanged."""
        key = (len(turns), provider is not None)
        if self._last is not None and self._last[:2] == key:
            return self._last[2], self._last[3]
        items, source = await self._make(turns, provider)
        self._last = (*key, items, source)
        return items, source

    async def _make(self, turns: Sequence[Turn], provider: Provider | None) -> tuple[list[Suggestion], Source]:
        # What the candidate said lately is what the suggestions are about; a bounded amount of
        # it keeps the cost of a suggestion flat however long the interview (or a pasted essay).
        candidate_text = said_by(turns, "candidate", "\n")[-SUGGEST_CHARS:]
        bank, embedder = self.services.bank, self.services.grader.embedder
        said = said_by(turns, "interviewer")
        run = self.services.run_for(len(last_said(turns, "candidate")))
        offline = await run(suggest, bank, self.question, candidate_text, self.tracker.covered, embedder, 6, said)
        if provider is None or not candidate_text:
            return offline, "offline"
        uncovered = [kp.text for kp in self.question.key_points if kp.id not in self.tracker.covered]
        patterns = [s.title for s in offline if s.category == "pattern"] or [p.name for p in list(bank.patterns.values())[:8]]
        try:
            return await llm_suggestions(provider, self.question, candidate_text, uncovered, patterns), "model"
        except ProviderError as exc:
            log.info("the offline coach's suggestions are used: %s", exc.message)
            return offline, "offline"
