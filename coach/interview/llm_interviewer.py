"""The LLM side of the interview: the interviewer's messages and the coach's suggestions.

Prompts come from versioned files in prompts/; the offline signals (brief, coverage, the
curated next probe) are given to the model as grounding.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from coach.bank.models import Kind, Pitfall, Question
from coach.grading.llm import PROMPT as GRADE_PROMPT
from coach.grading.models import Mistake
from coach.grading.text import sentences
from coach.interview.acts import Act, classify, is_question
from coach.interview.challenges import pick
from coach.llm.base import Message, Provider
from coach.llm.structured import complete_structured
from coach.llm.tokens import trim_to_fit
from coach.prompts import render
from coach.protocol import Suggestion
from coach.storage import Turn, said_by

log = logging.getLogger(__name__)
# Room kept for the reply when the history is trimmed (the reply itself is capped lower).
REPLY_TOKENS = 1024
INTERVIEWER_PROMPT = "interviewer.v3"
SUGGESTIONS_PROMPT = "suggestions.v1"
# Every prompt an LLM session uses, recorded with the session.
PROMPTS = (INTERVIEWER_PROMPT, SUGGESTIONS_PROMPT, GRADE_PROMPT)


@dataclass(frozen=True)
class Signals:
    """What the offline judgement made of the candidate's last turn, for the model."""

    just_covered: tuple[str, ...] = ()  # key points the last turn made
    asked: str | None = None  # what the turn asks, if it asks something (a dialogue act)
    challenge: Challenge | None = None
    # The grader had not read the last turn within the time box: coverage is as of the turn
    # before, and the mistakes are the sure ones (coach.interview.grounding).
    pending: bool = False


@dataclass(frozen=True)
class Challenge:
    quote: str  # the candidate's words
    ask: str  # the pointed question to put


# A figure in parentheses or between dashes in a key point is the answer ("about 40 writes/s"):
# the model is told what is open, not what the right numbers are.
_ANSWER_FIGURES = re.compile(r"\s*\([^()]*\d[^()]*\)|\s+-\s+[^-]*\d[^-]*\s+-\s+(?=\w)|\s+-\s+[^-]*\d[^-]*$")


def without_answer_figures(text: str) -> str:
    """'Estimates write rates and storage (about 40 writes/s, a few TB)' -> 'Estimates write rates and storage'."""
    return _ANSWER_FIGURES.sub(lambda m: " " if m.group(0).rstrip().endswith("-") else "", text).strip()


def kind_label(question: Question) -> str:
    return "system-design" if question.kind is Kind.system_design else "technical-leadership (STAR)"


# What a turn that is not design content asks of the interviewer, in the prompt's words.
_ASKS = {
    Act.questions: "a clarifying question",
    Act.repeat: "to hear your last question again",
    Act.rephrase: "what you meant by your last question",
    Act.permission: "whether an assumption or a technology is fine",
    Act.direction: "where to start or what to cover first",
    Act.stuck: "help, since they are stuck: give a smaller first step, not the answer",
    Act.pause: "a moment to think: say they can take their time, and nothing else",
}


def signals(
    question: Question,
    turns: Sequence[Turn],
    covered_before: set[str],
    covered: set[str],
    mistakes: Sequence[Mistake],
    pitfalls: Sequence[Pitfall],
    *,
    pending: bool = False,
) -> Signals:
    """The offline judgement of the last (candidate) turn, as the model is told it."""
    last = turns[-1].text
    act = classify(last)
    if act is Act.content and any(is_question(s.text) for s in sentences(last)):
        act = Act.questions
    found = pick(mistakes, last, pitfalls, said_by(turns, "interviewer"))
    return Signals(
        just_covered=tuple(kp.text for kp in question.key_points if kp.id in covered - covered_before),
        asked=_ASKS.get(act),
        challenge=Challenge(quote=found[0].quote, ask=found[1]) if found else None,
        pending=pending,
    )


def interviewer_messages(
    question: Question,
    turns: list[Turn],
    covered: set[str],
    probe: str | None,
    phase: str,
    elapsed_s: int,
    budget_s: int,
    context_window: int,
    signals: Signals | None = None,
) -> list[Message]:
    signals = signals or Signals()
    system = render(
        f"{INTERVIEWER_PROMPT}.system",
        kind_label=kind_label(question),
        question=question,
        phase=phase.replace("_", " "),
        elapsed_min=elapsed_s // 60,
        budget_min=budget_s // 60,
        covered=[kp.text for kp in question.key_points if kp.id in covered],
        uncovered=[without_answer_figures(kp.text) for kp in question.key_points if kp.id not in covered],
        just_covered=list(signals.just_covered),
        asked=signals.asked,
        challenge=signals.challenge,
        pending=signals.pending,
        probe=probe,
    )
    history: list[Message] = [
        {"role": "assistant" if t.role == "interviewer" else "user", "content": t.text} for t in turns
    ]
    return trim_to_fit([{"role": "system", "content": system}], history, context_window - REPLY_TOKENS)


class SuggestionsOutput(BaseModel):
    model_config = ConfigDict(extra="ignore")

    items: list[Suggestion] = Field(max_length=8)


async def llm_suggestions(
    provider: Provider, question: Question, candidate_text: str, uncovered: list[str], patterns: list[str]
) -> list[Suggestion]:
    """Structured suggestions from the model, validated; raises ProviderError when unusable."""
    system = render(
        f"{SUGGESTIONS_PROMPT}.system", kind_label=kind_label(question), question=question, uncovered=uncovered, patterns=patterns
    )
    messages: list[Message] = [
        {"role": "system", "content": system},
        {"role": "user", "content": f"The candidate has said so far:\n\n{candidate_text}"},
    ]
    return (await complete_structured(provider, messages, SuggestionsOutput, "suggestions")).items[:6]
