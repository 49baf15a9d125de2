"""The LLM grader: structured output validated by pydantic, candidate text fenced as data.

Sentences the offline checks recognise as addressed to the grader are removed before the
model sees the answer. The model's quotes go through the same evidence check as the offline
grader's (in `coach.grading.report`), so an invented quote earns nothing.
"""

from __future__ import annotations

import secrets

from pydantic import BaseModel, ConfigDict, Field

from coach.bank.models import Kind
from coach.errors import ProviderError
from coach.grading import checks
from coach.grading.models import Flag, GraderInfo, Grading, Verdict
from coach.grading.rubric import Rubric
from coach.grading.text import candidate_text, quote_in, sentences
from coach.llm.base import Message, Provider
from coach.llm.structured import parse_reply
from coach.prompts import render


class LLMKeyPoint(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    covered: bool
    evidence: list[str] = Field(default_factory=list)
    rationale: str = ""


class LLMGradeOutput(BaseModel):
    """What the model must return."""

    model_config = ConfigDict(extra="ignore")

    key_points: list[LLMKeyPoint]
    addressed_to_grader: list[str] = Field(default_factory=list)


RESPONSE_FORMAT = {
    "type": "json_schema",
    "json_schema": {"name": "grade", "schema": LLMGradeOutput.model_json_schema()},
}


def parse_output(raw: str, rubric: Rubric) -> LLMGradeOutput:
    """Validate the model's reply; raise ProviderError saying what was wrong with it."""
    out = parse_reply(LLMGradeOutput, raw, "grading")
    expected = {kp.id for kp in rubric.key_points}
    got = [kp.id for kp in out.key_points]
    if set(got) != expected or len(got) != len(expected):
        missing, extra = sorted(expected - set(got)), sorted(set(got) - expected)
        raise ProviderError(f"the model's grading did not match the rubric (missing {missing}, unknown {extra})")
    return out


class LLMGrader:
    kind = "llm"

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def messages(self, rubric: Rubric, answer: str, nonce: str | None = None) -> list[Message]:
        kind_label = "technical-leadership (STAR)" if rubric.kind == Kind.behavioral else "system-design"
        user = render(
            "grade.v1.user",
            question=rubric.question,
            key_points=rubric.key_points,
            answer=answer,
            nonce=nonce or secrets.token_hex(8),
        )
        return [
            {"role": "system", "content": render("grade.v1.system", kind_label=kind_label)},
            {"role": "user", "content": user},
        ]

    async def grade(self, rubric: Rubric, text: str) -> Grading:
        spans = sentences(text)
        flags = [Flag(quote=s.text) for s in spans if checks.addresses_grader(s.text)]
        flagged = {f.quote for f in flags}
        cleaned = " ".join(s.text for s in spans if s.text not in flagged)
        raw = await self.provider.complete(self.messages(rubric, cleaned), response_format=RESPONSE_FORMAT)
        out = parse_output(raw, rubric)
        source = candidate_text(text)
        for quote in out.addressed_to_grader:
            if quote_in(quote, source) and quote not in flagged:
                flags.append(Flag(quote=quote))
                flagged.add(quote)
        verdicts = [
            Verdict(
                id=kp.id,
                status="covered" if kp.covered else "missed",
                evidence=[q for q in kp.evidence if not checks.addresses_grader(q)] if kp.covered else [],
                note=kp.rationale or None,
            )
            for kp in out.key_points
        ]
        return Grading(verdicts=verdicts, flags=flags, grader=GraderInfo(kind="llm", model=self.provider.model))
