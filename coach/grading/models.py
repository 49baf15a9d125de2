"""What graders decide and what the report says, as pydantic models.

A grader (offline or LLM) produces a `Grading`: one `Verdict` per key point plus flags.
`coach.grading.report` turns it into the `GradeReport` that the CLI prints and the
interview service sends.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["covered", "partial", "shallow", "declined", "incorrect", "missed"]
STATUSES: tuple[Status, ...] = ("covered", "partial", "shallow", "declined", "incorrect", "missed")
STATUS_NOTES: dict[str, str] = {
    "covered": "Covered, with the quoted evidence.",
    "partial": "Part of the point is made; the rest is missing.",
    "shallow": "Mentioned, but without a mechanism, a number or a reason; a name alone earns no credit.",
    "declined": "Raised but turned down, postponed or left unsure; that earns no credit.",
    "incorrect": "Asserted, but wrong; see the mistakes.",
    "missed": "Not addressed.",
}
# A story point is shallow for want of specifics, not of a mechanism.
STORY_SHALLOW_NOTE = "Mentioned, but without specifics: what you did yourself, or a number; a label alone earns no credit."
# The share of a key point's weight each status earns.
CREDIT: dict[str, float] = {"covered": 1.0, "partial": 0.5}

MistakeKind = Literal["figure", "pitfall", "claim"]


class Mistake(BaseModel):
    """Something the candidate said that is wrong: a figure, a known pitfall, a broken claim."""

    kind: MistakeKind
    quote: str = Field(description="The candidate's words, verbatim")
    why: str = Field(description="One line on why it is wrong")
    key_point: str | None = Field(default=None, description="The key point it concerns, if any")
    pitfall: str | None = Field(default=None, description="For a pitfall: which of the question's known pitfalls")


class Verdict(BaseModel):
    id: str
    status: Status
    evidence: list[str] = Field(default_factory=list)
    note: str | None = None


class Flag(BaseModel):
    kind: Literal["addressed_to_grader"] = "addressed_to_grader"
    quote: str
    message: str = "Text addressed to the grader or an AI, not to the design; it earns nothing."


class GraderInfo(BaseModel):
    kind: Literal["offline", "llm"]
    model: str
    fallback_reason: str | None = None


class Grading(BaseModel):
    verdicts: list[Verdict]
    flags: list[Flag] = Field(default_factory=list)
    mistakes: list[Mistake] = Field(default_factory=list)
    grader: GraderInfo


class KeyPointResult(BaseModel):
    id: str
    text: str
    dimension: str
    weight: float
    covered: bool = Field(description="True only when the status is covered (kept for older clients)")
    status: Status
    score: float = Field(description="Points earned: the weight if covered, half of it if partial, else 0")
    evidence: list[str] = Field(description="The candidate's sentences that make the point, verbatim")
    note: str
    strong_answer: str | None = None


class DimensionScore(BaseModel):
    dimension: str
    score: int = Field(ge=0, le=100)
    covered: int
    partial: int = 0
    total: int


class Missed(BaseModel):
    """A key point that earned less than its full weight, with what a strong answer says."""

    id: str
    text: str
    status: Status = "missed"
    strong_answer: str


class Practice(BaseModel):
    question_id: str
    title: str
    reason: str


class LLMUsage(BaseModel):
    """What an interview's model calls used: interviewer, coach and grader together."""

    prompt_tokens: int = Field(ge=0)
    completion_tokens: int = Field(ge=0)
    cost_usd: float = Field(ge=0)


class TranscriptTurn(BaseModel):
    """One turn of an interview, as the report shows it."""

    turn: int = Field(ge=1)
    role: Literal["interviewer", "candidate"]
    text: str
    # Seconds from the interview's start, and the phase it was in (interviews only).
    at_s: int | None = None
    phase: str | None = None


class PhaseTime(BaseModel):
    """One phase of an interview as it went: when it began, how long it took, how many
    answers the candidate gave in it and how many hints they asked for."""

    phase: str
    started_s: int = Field(ge=0)
    duration_s: int = Field(ge=0)
    answers: int = Field(ge=0)
    hints: int = Field(ge=0)


class GradeReport(BaseModel):
    """The graded answer. `score` is 0-100: each key point's weight counts in full when
    covered and by half when partial."""

    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=0, le=100)
    question_id: str | None = None
    question: str
    key_points: list[KeyPointResult]
    dimensions: list[DimensionScore]
    strengths: list[str]
    missed: list[Missed]
    mistakes: list[Mistake] = Field(default_factory=list)
    practice_next: list[Practice]
    flags: list[Flag]
    grader: GraderInfo
    notices: list[str] = Field(default_factory=list)
    session_id: str | None = None
    # An interview's LLM usage (null for a single graded answer and for offline interviews).
    usage: LLMUsage | None = None
    # An interview's turns, both sides, in order (empty for a single graded answer).
    transcript: list[TranscriptTurn] = Field(default_factory=list)
    # An interview's phases in order, with time and hints (empty for a single graded answer).
    timeline: list[PhaseTime] = Field(default_factory=list)
    hints_used: int = 0
    duration_s: int | None = None


def json_schema() -> dict[str, object]:
    """JSON Schema of a GradeReport, as `coach report-schema` prints it (docs/report.schema.json)."""
    schema = GradeReport.model_json_schema(ref_template="#/$defs/{model}")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
