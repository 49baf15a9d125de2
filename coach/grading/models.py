"""What graders decide and what the report says, as pydantic models.

A grader (offline or LLM) produces a `Grading`: one `Verdict` per key point plus flags.
`coach.grading.report` turns it into the `GradeReport` that the CLI prints and the
interview service sends.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["covered", "shallow", "declined", "missed"]
STATUS_NOTES: dict[str, str] = {
    "covered": "Covered, with the quoted evidence.",
    "shallow": "Mentioned, but without a mechanism, a number or a reason; a name alone earns no credit.",
    "declined": "Raised but turned down, postponed or left unsure; that earns no credit.",
    "missed": "Not addressed.",
}


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
    grader: GraderInfo


class KeyPointResult(BaseModel):
    id: str
    text: str
    dimension: str
    weight: float
    covered: bool
    status: Status
    score: float = Field(description="Points earned: the weight if covered, else 0")
    evidence: list[str]
    note: str
    strong_answer: str | None = None


class DimensionScore(BaseModel):
    dimension: str
    score: int = Field(ge=0, le=100)
    covered: int
    total: int


class Missed(BaseModel):
    id: str
    text: str
    strong_answer: str


class Practice(BaseModel):
    question_id: str
    title: str
    reason: str


class GradeReport(BaseModel):
    """The graded answer. `score` is 0-100 from the weights of the covered key points."""

    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=0, le=100)
    question_id: str | None = None
    question: str
    key_points: list[KeyPointResult]
    dimensions: list[DimensionScore]
    strengths: list[str]
    missed: list[Missed]
    practice_next: list[Practice]
    flags: list[Flag]
    grader: GraderInfo
    notices: list[str] = Field(default_factory=list)
    session_id: str | None = None
