"""The rubric a grader works from: a bank question's key points or a user's RUBRIC.json."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from coach.bank.models import Anchored, Dimension, Figure, Kind, Line, Pitfall, Question, Slug
from coach.errors import InvalidInput


class RubricPoint(BaseModel, Anchored):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: Slug | str = Field(min_length=1, max_length=64)
    text: Line
    weight: float = Field(default=1.0, gt=0, le=100)
    dimension: Dimension | None = None
    look_for: tuple[Line, ...] = ()
    strong_answer: Line | None = None
    near_misses: tuple[Line, ...] = ()
    figures: tuple[Figure, ...] = ()


class Rubric(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    question: Line
    key_points: tuple[RubricPoint, ...] = Field(min_length=1, max_length=50)
    question_id: str | None = None
    title: str | None = None
    kind: Kind | None = None
    topics: tuple[str, ...] = ()
    pitfalls: tuple[Pitfall, ...] = ()
    # The interviewer's brief: numbers a candidate repeats from it are not estimates of theirs.
    brief: tuple[Line, ...] = ()

    @model_validator(mode="after")
    def _unique_ids(self) -> Rubric:
        ids = [kp.id for kp in self.key_points]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"duplicate key point ids: {', '.join(dupes)}")
        return self

    @classmethod
    def from_question(cls, q: Question) -> Rubric:
        return cls(
            question=q.prompt,
            question_id=q.id,
            title=q.title,
            kind=q.kind,
            topics=q.topics,
            pitfalls=q.pitfalls,
            brief=tuple(f.fact for f in q.brief),
            key_points=tuple(
                RubricPoint(
                    id=kp.id,
                    text=kp.text,
                    weight=kp.weight,
                    dimension=kp.dimension,
                    look_for=kp.look_for,
                    strong_answer=kp.strong_answer,
                    near_misses=kp.near_misses,
                    figures=kp.figures,
                )
                for kp in q.key_points
            ),
        )

    @classmethod
    def from_file(cls, path: Path) -> Rubric:
        """Parse a RUBRIC.json; every failure becomes one readable line."""
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InvalidInput(f"rubric file not found: {path}") from None
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"cannot read rubric file {path}: {exc}") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"rubric file {path} is not valid JSON: {exc.msg} at line {exc.lineno}") from None
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or "top level"
            more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
            raise InvalidInput(f"rubric file {path} is invalid at {where}: {first['msg']}{more}") from None
