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
from coach.storage import Turn, said_by

log = logging.getLogger(__name__)
Source = Literal["model", "offline"]


class Coach:
    def __init__(self, question: Question, services: Services, tracker: CoverageTracker) -> None:
        self.question = question
        self.services = services
        self.tracker = tracker

    async def suggestions(self, turns: Sequence[Turn], provider: Provider | None) -> tuple[list[Suggestion], Source]:
        """The suggestions, and where they came from."""
        candidate_text = said_by(turns, "candidate", "\n")
        bank, embedder = self.services.bank, self.services.grader.embedder
        said = said_by(turns, "interviewer")
        offline = await self.services.run_cpu(suggest, bank, self.question, candidate_text, self.tracker.covered, embedder, 6, said)
        if provider is None or not candidate_text:
            return offline, "offline"
        uncovered = [kp.text for kp in self.question.key_points if kp.id not in self.tracker.covered]
        patterns = [s.title for s in offline if s.category == "pattern"] or [p.name for p in list(bank.patterns.values())[:8]]
        try:
            return await llm_suggestions(provider, self.question, candidate_text, uncovered, patterns), "model"
        except ProviderError as exc:
            log.warning("LLM suggestions failed, the offline coach's are used: %s", exc.message)
            return offline, "offline"
