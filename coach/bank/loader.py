"""Load and cross-check the seed files into a `QuestionBank`."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from coach.bank.models import Difficulty, Dimension, GenericPitfalls, Kind, Pattern, Pitfall, Question
from coach.errors import BankError, UnknownQuestion

# seeds/ at the top of the repository; coach/seeds links to it, so that a wheel carries it.
DEFAULT_SEEDS_DIR = Path(__file__).resolve().parents[1] / "seeds"

M = TypeVar("M", bound=BaseModel)


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise BankError(f"cannot read seed file {path}: {exc}") from exc


def _parse(model: type[M], data: object, path: Path) -> M:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise BankError(f"invalid seed file {path}:\n{exc}") from exc


class QuestionBank:
    """All questions and patterns, indexed by id, with the filters the CLI and API offer."""

    def __init__(
        self,
        questions: Iterable[Question],
        patterns: Iterable[Pattern],
        generic_pitfalls: dict[Kind, tuple[Pitfall, ...]] | None = None,
    ) -> None:
        # Pitfalls any answer of a kind can fall into (blaming a person, in any STAR story).
        self.generic_pitfalls: dict[Kind, tuple[Pitfall, ...]] = generic_pitfalls or {}
        self.questions: dict[str, Question] = {}
        for q in questions:
            if q.id in self.questions:
                raise BankError(f"duplicate question id {q.id!r}")
            self.questions[q.id] = q
        self.patterns: dict[str, Pattern] = {}
        for p in patterns:
            if p.id in self.patterns:
                raise BankError(f"duplicate pattern id {p.id!r}")
            self.patterns[p.id] = p
        for p in self.patterns.values():
            missing = set(p.related) - set(self.patterns)
            if missing:
                raise BankError(f"pattern {p.id!r} relates to unknown patterns {sorted(missing)}")

    def get(self, question_id: str) -> Question:
        try:
            return self.questions[question_id]
        except KeyError:
            raise UnknownQuestion(question_id) from None

    def filter(
        self,
        kind: Kind | str | None = None,
        difficulty: Difficulty | str | None = None,
        topic: str | None = None,
        dimension: Dimension | str | None = None,
    ) -> list[Question]:
        """Questions matching every given filter, in a stable order (kind, then id). With a
        dimension: the questions that grade it, those where it weighs most first."""
        out = [
            q
            for q in self.questions.values()
            if (kind is None or q.kind == kind)
            and (difficulty is None or q.difficulty == difficulty)
            and (topic is None or topic in q.topics)
            and (dimension is None or dimension in dimension_weights(q))
        ]
        if dimension is not None:
            return sorted(out, key=lambda q: (-dimension_weights(q)[Dimension(dimension)], q.id))
        return sorted(out, key=lambda q: (q.kind != Kind.system_design, q.id))

    def topics(self) -> list[str]:
        return sorted({t for q in self.questions.values() for t in q.topics})


def dimension_weights(q: Question) -> dict[Dimension, float]:
    """Each dimension the question grades, with its share of the key points' weight."""
    total = sum(kp.weight for kp in q.key_points)
    out: dict[Dimension, float] = {}
    for kp in q.key_points:
        out[kp.dimension] = out.get(kp.dimension, 0.0) + kp.weight / total
    return out


def load_bank_from(seeds_dir: Path) -> QuestionBank:
    question_dir = seeds_dir / "questions"
    files = sorted(question_dir.glob("*.yaml"))
    if not files:
        raise BankError(f"no question files in {question_dir}")
    questions = []
    for path in files:
        q = _parse(Question, _read_yaml(path), path)
        if path.stem != q.id:
            raise BankError(f"{path} holds question {q.id!r}; name the file {q.id}.yaml")
        questions.append(q)
    patterns_path = seeds_dir / "patterns.yaml"
    raw = _read_yaml(patterns_path)
    if not isinstance(raw, list):
        raise BankError(f"{patterns_path} must hold a list of patterns")
    patterns = [_parse(Pattern, item, patterns_path) for item in raw]
    pitfalls_path = seeds_dir / "pitfalls.yaml"
    generic = _parse(GenericPitfalls, _read_yaml(pitfalls_path), pitfalls_path) if pitfalls_path.exists() else GenericPitfalls()
    return QuestionBank(questions, patterns, {Kind(k): v for k, v in generic.by_kind.items()})


@lru_cache(maxsize=4)
def load_bank(seeds_dir: Path = DEFAULT_SEEDS_DIR) -> QuestionBank:
    """The bank in `seeds_dir`, parsed once per process."""
    return load_bank_from(seeds_dir)
