"""The LLM grader: the same six statuses and mistakes as the offline grader, as structured
output validated by pydantic, with the candidate's text fenced as data.

Sentences the offline checks recognise as addressed to the grader are removed before the
model sees the answer, and turns keep their speakers so the model can tell the candidate's
words from the interviewer's. The model's quotes go through the same evidence check as the
offline grader's (in `coach.grading.report`), so an invented quote earns nothing, and its
verdicts on estimates go through the same figure check (`coach.grading.estimates`).
"""

from __future__ import annotations

import secrets

from pydantic import BaseModel, ConfigDict, Field, model_validator

from coach.bank.models import Kind
from coach.errors import ProviderError
from coach.grading import checks, estimates
from coach.grading.models import Flag, GraderInfo, Grading, Mistake, MistakeKind, Status, Verdict
from coach.grading.passages import Transcript, read
from coach.grading.rubric import Rubric
from coach.grading.text import quote_in
from coach.llm.base import Message, Provider
from coach.llm.structured import complete_structured, parse_reply
from coach.prompts import render


class LLMKeyPoint(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str
    status: Status
    evidence: list[str] = Field(default_factory=list)
    missing: str | None = None
    rationale: str = ""

    @model_validator(mode="before")
    @classmethod
    def _covered_flag(cls, data: object) -> object:
        # Some models answer with the older boolean shape; it maps onto two of the statuses.
        if isinstance(data, dict) and "status" not in data and isinstance(data.get("covered"), bool):
            return {**data, "status": "covered" if data["covered"] else "missed"}
        return data


class LLMMistake(BaseModel):
    model_config = ConfigDict(extra="ignore")

    kind: MistakeKind = "claim"
    quote: str
    why: str = Field(min_length=3)
    key_point: str | None = None


class LLMGradeOutput(BaseModel):
    """What the model must return."""

    model_config = ConfigDict(extra="ignore")

    key_points: list[LLMKeyPoint]
    mistakes: list[LLMMistake] = Field(default_factory=list)
    addressed_to_grader: list[str] = Field(default_factory=list)


PROMPT = "grade.v2"  # prompts/grade.v2.system.md.j2 and .user.md.j2


def parse_output(raw: str, rubric: Rubric) -> LLMGradeOutput:
    """Validate the model's reply; raise ProviderError saying what was wrong with it."""
    out = parse_reply(LLMGradeOutput, raw, "grading")
    check_output(out, rubric)
    return out


def check_output(out: LLMGradeOutput, rubric: Rubric) -> None:
    """Every key point of the rubric graded once, and nothing else."""
    expected = {kp.id for kp in rubric.key_points}
    got = [kp.id for kp in out.key_points]
    if set(got) != expected or len(got) != len(expected):
        missing, extra = sorted(expected - set(got)), sorted(set(got) - expected)
        raise ProviderError(f"the model's grading did not match the rubric (missing {missing}, unknown {extra})")


def _fenced(transcript: Transcript) -> str:
    """The turns as the model reads them: speakers labelled, grader-addressed sentences removed."""
    removed = [p.span for p in transcript.passages if p.to_grader]
    lines = []
    for turn in transcript.turns:
        pieces, pos = [], turn.start
        for span in (s for s in removed if turn.start <= s.start < turn.end):
            pieces.append(transcript.text[pos : span.start])
            pos = span.end
        pieces.append(transcript.text[pos : turn.end])
        words = " ".join("".join(pieces).split())
        if words:
            lines.append(f"{'Candidate' if turn.role == 'candidate' else 'Interviewer'}: {words}")
    return "\n\n".join(lines)


class LLMGrader:
    kind = "llm"

    def __init__(self, provider: Provider) -> None:
        self.provider = provider

    def messages(self, rubric: Rubric, answer: str, nonce: str | None = None) -> list[Message]:
        kind_label = "technical-leadership (STAR)" if rubric.kind == Kind.behavioral else "system-design"
        user = render(
            f"{PROMPT}.user",
            question=rubric.question,
            brief=rubric.brief,
            key_points=rubric.key_points,
            pitfalls=rubric.pitfalls,
            answer=answer,
            nonce=nonce or secrets.token_hex(8),
        )
        return [
            {"role": "system", "content": render(f"{PROMPT}.system", kind_label=kind_label, pitfalls=rubric.pitfalls)},
            {"role": "user", "content": user},
        ]

    async def grade(self, rubric: Rubric, text: str | Transcript) -> Grading:
        transcript = text if isinstance(text, Transcript) else read(text)
        flags = [Flag(quote=p.text) for p in transcript.passages if p.to_grader]
        flagged = {f.quote for f in flags}
        out = await complete_structured(self.provider, self.messages(rubric, _fenced(transcript)), LLMGradeOutput, "grading", lambda o: check_output(o, rubric))
        source = transcript.candidate_text
        for quote in out.addressed_to_grader:
            if quote_in(quote, source) and quote not in flagged:
                flags.append(Flag(quote=quote))
                flagged.add(quote)
        mistakes = [Mistake(kind=m.kind, quote=m.quote, why=m.why, key_point=m.key_point) for m in out.mistakes]
        wrong = [m.quote for m in mistakes]
        verdicts = [
            Verdict(
                id=kp.id,
                status=kp.status,
                # A quote that is text to the grader or one of the candidate's mistakes is no evidence.
                evidence=[
                    q for q in kp.evidence
                    if not checks.addresses_grader(q) and not any(quote_in(q, w) or quote_in(w, q) for w in wrong)
                ],
                note=(f"Missing: {kp.missing}" if kp.status == "partial" and kp.missing else kp.rationale) or None,
            )
            for kp in out.key_points
        ]
        sentences = [p.text for p in transcript.passages if not p.to_grader]
        verdicts, wrong_figures = estimates.review(rubric, verdicts, sentences)
        known = {m.quote for m in mistakes}
        mistakes += [m for m in wrong_figures if m.quote not in known]
        return Grading(verdicts=verdicts, flags=flags, mistakes=mistakes, grader=GraderInfo(kind="llm", model=self.provider.model))
