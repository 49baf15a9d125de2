"""Grade an answer: the LLM grader when one is configured, the offline grader otherwise or
when the LLM fails. Never invents a score: a failure is reported, and the offline grader
produces the figures."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path
from types import EllipsisType
from typing import Any

from coach.bank.loader import QuestionBank
from coach.errors import ProviderError
from coach.grading.llm import LLMGrader
from coach.grading.models import GradeReport, Grading
from coach.grading.offline import OfflineGrader
from coach.grading.passages import Transcript, read
from coach.grading.practice import recommend
from coach.grading.report import build_report
from coach.grading.rubric import Rubric
from coach.llm.base import Provider
from coach.llm.metered import BudgetExhausted

log = logging.getLogger(__name__)
RunCpu = Callable[..., Awaitable[Any]]


class GradingService:
    def __init__(
        self,
        bank: QuestionBank,
        provider: Provider | None = None,
        offline: OfflineGrader | None = None,
        cache_dir: Path | None = None,
        run_cpu: RunCpu | None = None,
    ) -> None:
        self.bank = bank
        self.provider = provider
        self.offline = offline or OfflineGrader(bank=bank, cache_dir=cache_dir)
        # Embedding and grading are CPU-bound: off the event loop, on the caller's worker if any.
        self.run_cpu: RunCpu = run_cpu or asyncio.to_thread

    async def grade(
        self, rubric: Rubric, answer: str | Transcript, *, provider: Provider | None | EllipsisType = ...
    ) -> GradeReport:
        """Grade a plain answer, a transcript with speaker labels, or turns already read.
        `provider`: the model to grade with instead of the service's (an interview's own,
        metered against its budget), or None for the offline grader."""
        model = self.provider if isinstance(provider, EllipsisType) else provider
        transcript = answer if isinstance(answer, Transcript) else read(answer)
        notices: list[str] = []
        grading: Grading
        if model is None:
            grading = await self.run_cpu(self.offline.grade_transcript, rubric, transcript)
        else:
            try:
                grading = await LLMGrader(model).grade(rubric, transcript)
            except BudgetExhausted as exc:
                grading = await self.run_cpu(self.offline.grade_transcript, rubric, transcript)
                grading.grader.fallback_reason = f"{model.model}: {exc.message}"
                notices.append("This interview used its LLM token budget; the offline grader graded it.")
            except ProviderError as exc:
                log.info("the offline grader grades instead of %s: %s", model.model, exc.message)
                grading = await self.run_cpu(self.offline.grade_transcript, rubric, transcript)
                grading.grader.fallback_reason = f"{model.model}: {exc.message}"
                # Plain words for the candidate; the reason is in the log and in grader.fallback_reason.
                notices.append(f"The LLM grader ({model.model}) could not grade this answer, so the offline grader did.")
        report = build_report(rubric, transcript, grading, notices=notices)
        report.practice_next = await self.run_cpu(recommend, self.bank, rubric, report, self.offline.embedder)
        return report
