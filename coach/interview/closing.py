"""The end of an interview: the report, graded by the session's model (metered against its
budget) or offline, with the interview's LLM usage, saved; one log line and a metric."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any

from coach.grading.models import LLMUsage, TranscriptTurn
from coach.grading.passages import read_turns
from coach.grading.rubric import Rubric
from coach.grading.speakers import Role
from coach.interview import timeline
from coach.interview.services import Services
from coach.llm.base import Provider
from coach.storage import Lease

log = logging.getLogger(__name__)


async def grade_interview(services: Services, lease: Lease, rubric: Rubric, said: list[tuple[Role, str]], model: Provider | None) -> dict[str, Any]:
    """Grade and save the report, under the session's lease (one report per session); its
    JSON body."""
    session_id = lease.session_id
    report = await services.grading.grade(rubric, read_turns(said), provider=model)
    report.session_id = session_id
    report.transcript = [TranscriptTurn(turn=n, role=role, text=text) for n, (role, text) in enumerate(said, start=1)]
    row = await services.store.get_session(session_id)
    if row is not None:
        if model is not None:
            report.usage = LLMUsage(prompt_tokens=row.prompt_tokens, completion_tokens=row.completion_tokens, cost_usd=row.cost_usd)
        story = timeline.build(await services.store.frames_after(session_id, 0), await services.store.turns(session_id), row.created_at, datetime.now(UTC))
        if len(story.transcript) == len(report.transcript):  # the stored turns are the ones graded
            report.transcript = story.transcript
            report.timeline, report.hints_used, report.duration_s = story.phases, story.hints, story.duration_s
    body = report.model_dump(mode="json")
    await services.store.save_report(session_id, body, report.score, lease)
    services.metrics.sessions_ended.labels(report.grader.kind).inc()
    log.info("session %s graded: %s/100 by the %s grader, %s turns", session_id, report.score, report.grader.kind, len(said))
    return body
