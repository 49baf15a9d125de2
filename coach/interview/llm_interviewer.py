"""The LLM side of the interview: the interviewer's messages and the coach's suggestions.

Prompts come from versioned files in prompts/; the offline signals (brief, coverage, the
curated next probe) are given to the model as grounding.
"""

from __future__ import annotations

import logging

from pydantic import BaseModel, ConfigDict, Field

from coach.bank.models import Kind, Question
from coach.llm.base import Message, Provider
from coach.llm.structured import parse_reply
from coach.llm.tokens import trim_to_fit
from coach.prompts import render
from coach.protocol import Suggestion
from coach.storage import Turn

log = logging.getLogger(__name__)
REPLY_TOKENS = 1024


def kind_label(question: Question) -> str:
    return "system-design" if question.kind is Kind.system_design else "technical-leadership (STAR)"


def interviewer_messages(
    question: Question,
    turns: list[Turn],
    covered: set[str],
    probe: str | None,
    phase: str,
    elapsed_s: int,
    budget_s: int,
    context_window: int,
) -> list[Message]:
    system = render(
        "interviewer.v1.system",
        kind_label=kind_label(question),
        question=question,
        phase=phase.replace("_", " "),
        elapsed_min=elapsed_s // 60,
        budget_min=budget_s // 60,
        covered=[kp.text for kp in question.key_points if kp.id in covered],
        uncovered=[kp.text for kp in question.key_points if kp.id not in covered],
        probe=probe,
    )
    history: list[Message] = [
        {"role": "assistant" if t.role == "interviewer" else "user", "content": t.text} for t in turns
    ]
    return trim_to_fit([{"role": "system", "content": system}], history, context_window - REPLY_TOKENS)


class SuggestionsOutput(BaseModel):
    model_config = ConfigDict(extra="ignore")

    items: list[Suggestion] = Field(max_length=8)


SUGGESTIONS_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "suggestions", "schema": SuggestionsOutput.model_json_schema()},
}


async def llm_suggestions(
    provider: Provider, question: Question, candidate_text: str, uncovered: list[str], patterns: list[str]
) -> list[Suggestion]:
    """Structured suggestions from the model, validated; raises ProviderError when unusable."""
    system = render(
        "suggestions.v1.system", kind_label=kind_label(question), question=question, uncovered=uncovered, patterns=patterns
    )
    messages: list[Message] = [
        {"role": "system", "content": system},
        {"role": "user", "content": f"The candidate has said so far:\n\n{candidate_text}"},
    ]
    raw = await provider.complete(messages, response_format=SUGGESTIONS_FORMAT)
    return parse_reply(SuggestionsOutput, raw, "suggestions").items[:6]
