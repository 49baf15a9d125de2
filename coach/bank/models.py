"""Pydantic models for the question bank and the pattern library.

Every data file in `seeds/` is loaded into these models. Unknown fields are
rejected so that a typo in a seed file fails loudly instead of being ignored.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*[a-z0-9]$", max_length=64)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Kind(StrEnum):
    system_design = "system_design"
    behavioral = "behavioral"


class Difficulty(StrEnum):
    easy = "easy"
    medium = "medium"
    hard = "hard"


class Dimension(StrEnum):
    """What a key point measures. The first eight grade design rounds, the rest STAR answers."""

    requirements = "requirements"
    estimation = "estimation"
    high_level_design = "high_level_design"
    data = "data"
    scalability = "scalability"
    reliability = "reliability"
    trade_offs = "trade_offs"
    communication = "communication"
    situation = "situation"
    task = "task"
    action = "action"
    result = "result"
    metrics = "metrics"
    reflection = "reflection"


DESIGN_DIMENSIONS = frozenset(list(Dimension)[:8])
STAR_DIMENSIONS = frozenset(list(Dimension)[8:])


class BriefTopic(StrEnum):
    """What a clarifying question is about; the interviewer reveals one fact per topic asked."""

    scope = "scope"
    users = "users"
    traffic = "traffic"
    latency = "latency"
    availability = "availability"
    consistency = "consistency"
    data = "data"
    regions = "regions"
    constraints = "constraints"
    team = "team"
    timeline = "timeline"
    context = "context"


class BriefFact(Strict):
    """A fact the interviewer gives only when the candidate asks about its topic."""

    topic: BriefTopic
    fact: Line


class Company(Strict):
    name: Line
    focus: Line | None = None


class FigureUnit(StrEnum):
    """What a reference figure measures; its value is in the unit's base."""

    per_second = "per_second"  # events per second (requests, writes, messages)
    bytes = "bytes"
    bytes_per_second = "bytes_per_second"
    count = "count"  # connections, users, servers
    seconds = "seconds"


class Figure(Strict):
    """A number an estimate should land near, derived from the brief.

    The grader ties a candidate's number to this figure by its unit and by one of the `cues`
    near it ("write", "new link"), and calls it wrong when it is off by more than `tolerance`.
    """

    quantity: Line  # what the number measures, as the report names it: "write rate"
    unit: FigureUnit
    value: float = Field(gt=0)
    cues: tuple[Annotated[str, StringConstraints(min_length=2, to_lower=True)], ...] = Field(min_length=1)
    basis: Line | None = None  # how it follows from the brief, for the report: "100M a month / 2.6M s"
    # How far off an estimate may be, as a factor either way; wider where honest assumptions
    # differ (bytes per index entry, connections per server).
    tolerance: float = Field(default=3.0, ge=1.5, le=20)


class Pitfall(Strict):
    """A known mistake: how candidates fall into it, and why it is one."""

    text: Line
    why: Line | None = None
    phrasings: tuple[Line, ...] = ()
    # What the interviewer asks right after a candidate falls into it: the flaw made concrete,
    # the fix not given away.
    challenge: Line | None = None
    # Words that fall into it whatever the judge reads (case-insensitive regular expressions,
    # for the unmistakable cases: "it's managed so it can't go down"), unless the same sentence
    # matches `unless` (the fix named beside it: "atomically", "idempotent").
    patterns: tuple[str, ...] = ()
    unless: str | None = None

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: tuple[str, ...]) -> tuple[str, ...]:
        for pattern in patterns:
            re.compile(pattern)
        return patterns

    @model_validator(mode="before")
    @classmethod
    def _from_line(cls, data: object) -> object:
        # A bare line is a pitfall without phrasings (older seed files, short custom rubrics).
        return {"text": data} if isinstance(data, str) else data


class Anchored:
    """A key point's texts that a candidate's sentence is compared with: its own line, the
    other ways a candidate may say it, and what a strong answer says."""

    text: str
    look_for: tuple[str, ...]
    strong_answer: str | None

    def anchors(self) -> list[str]:
        return [self.text, *self.look_for, *([self.strong_answer] if self.strong_answer else [])]


class KeyPoint(Strict, Anchored):
    """One rubric line: what a strong answer covers, as an interviewer would note it."""

    id: Slug
    text: Line
    dimension: Dimension = Dimension.high_level_design
    weight: float = Field(default=1.0, gt=0, le=5)
    # Other ways a candidate may express the point; they widen semantic matching.
    look_for: tuple[Line, ...] = ()
    # What a strong answer would have said; shown when the point is missed.
    strong_answer: Line | None = None
    # Sentences that sound like the point but must not earn it (a cache for writes, when the
    # point is the read path).
    near_misses: tuple[Line, ...] = ()
    # Estimation points: the figures an estimate is checked against.
    figures: tuple[Figure, ...] = ()
    # What the interviewer asks once the point is made: failure, limits, trade-offs.
    deeper: tuple[Line, ...] = ()


class FollowUp(Strict):
    """A probing question the interviewer asks when its key point is still uncovered."""

    key_point: Slug
    ask: Line


class Question(Strict):
    id: Slug
    title: Line
    prompt: Line
    kind: Kind
    difficulty: Difficulty
    topics: tuple[Slug, ...] = Field(min_length=1)
    companies: tuple[Company, ...] = ()
    brief: tuple[BriefFact, ...] = Field(min_length=1)
    key_points: tuple[KeyPoint, ...] = Field(min_length=5, max_length=8)
    follow_ups: tuple[FollowUp, ...] = Field(min_length=3)
    pitfalls: tuple[Pitfall, ...] = Field(min_length=2)
    outline: tuple[Line, ...] = Field(min_length=3)
    # Components a strong design names; the live coach suggests the ones not mentioned yet.
    key_services: tuple[Line, ...] = ()

    @model_validator(mode="after")
    def _consistent(self) -> Question:
        ids = [kp.id for kp in self.key_points]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate key point ids in {self.id}: {sorted(ids)}")
        unknown = {f.key_point for f in self.follow_ups} - set(ids)
        if unknown:
            raise ValueError(f"follow-ups of {self.id} point at unknown key points: {sorted(unknown)}")
        allowed = DESIGN_DIMENSIONS if self.kind is Kind.system_design else STAR_DIMENSIONS
        wrong = sorted({kp.dimension for kp in self.key_points} - allowed)
        if wrong:
            raise ValueError(f"{self.id} is {self.kind} but uses dimensions {wrong}")
        return self

    def key_point(self, key_point_id: str) -> KeyPoint:
        for kp in self.key_points:
            if kp.id == key_point_id:
                return kp
        raise KeyError(key_point_id)


class GenericPitfalls(Strict):
    """seeds/pitfalls.yaml: pitfalls that any question of a kind can fall into."""

    by_kind: dict[Kind, tuple[Pitfall, ...]] = {}


class Pattern(Strict):
    """A scaling or resilience pattern the coach can suggest."""

    id: Slug
    name: Line
    category: Annotated[str, StringConstraints(pattern=r"^(scalability|resilience|data|traffic|delivery)$")]
    summary: Line
    use_when: tuple[Line, ...] = Field(min_length=1)
    costs: tuple[Line, ...] = Field(min_length=1)
    trade_offs: tuple[Line, ...] = Field(min_length=1)
    related: tuple[Slug, ...] = ()
    keywords: tuple[Line, ...] = Field(default=(), description="Words that signal the pattern fits")
