"""Check the judge's training data before it is used.

    python training/judge/validate.py training/judge/data/t1.yaml training/judge/answers/T1.yaml ...

Three kinds of file, told apart by where they live:
- data/t*.yaml: for bank questions, passages labelled against each key point (asserts,
  partial, shallow, declined, incorrect, near misses) and phrasings of each bank pitfall;
- data/extra-*.yaml: the same for rubrics invented for training, carried inline;
- answers/*.yaml: whole answers labelled like bench/eval, plus `quotes`: for every key point
  not labelled missed, the words that carry its label.
Prints one line per problem and exits 1 if there is any.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from coach.bank import load_bank
from coach.grading.rubric import Rubric

HERE = Path(__file__).parent
Label = Literal["covered", "partial", "shallow", "declined", "incorrect", "missed"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Partial(_Strict):
    text: str
    missing: str


class Wrong(_Strict):
    text: str
    why: str


class PointPassages(_Strict):
    id: str
    asserts: list[str] = Field(min_length=6)
    partial: list[Partial] = Field(min_length=2)
    shallow: list[str] = Field(min_length=2)
    declined: list[str] = Field(min_length=2)
    incorrect: list[Wrong] = Field(min_length=2)
    near_misses: list[str] = Field(min_length=2)


class PitfallPhrasings(_Strict):
    pitfall: str
    why: str
    phrasings: list[str] = Field(min_length=3)


class QuestionPassages(_Strict):
    question: str
    key_points: list[PointPassages]
    pitfalls: list[PitfallPhrasings]


class InventedRubric(Rubric):
    kind: Literal["system_design", "behavioral"]  # type: ignore[assignment]


class InventedPassages(_Strict):
    rubric: InventedRubric
    key_points: list[PointPassages]
    pitfalls: list[PitfallPhrasings] = Field(min_length=2)


class TrainingAnswer(_Strict):
    id: str
    rubric: str
    category: str
    answer: str
    labels: dict[str, Label]
    quotes: dict[str, list[str]] = {}
    mistakes: list[str] = []
    injected: list[str] = []
    notes: str | None = None


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()


def _question(entry: QuestionPassages) -> list[str]:
    q = load_bank().get(entry.question)
    ids = [kp.id for kp in q.key_points]
    got = [kp.id for kp in entry.key_points]
    out = [f"{q.id}: key points must be exactly {ids}, got {got}"] if sorted(got) != sorted(ids) else []
    if sorted(p.pitfall for p in entry.pitfalls) != sorted(p.text for p in q.pitfalls):
        out.append(f"{q.id}: pitfalls must repeat the bank's lines verbatim: {[p.text for p in q.pitfalls]}")
    return out


def _invented(entry: InventedPassages) -> list[str]:
    ids = [kp.id for kp in entry.rubric.key_points]
    got = [kp.id for kp in entry.key_points]
    out = [f"passages must cover the rubric's key points in order: {ids}, got {got}"] if got != ids else []
    if not 5 <= len(ids) <= 7:
        out.append(f"a rubric needs 5 to 7 key points, has {len(ids)}")
    return out


def _answer(item: TrainingAnswer) -> list[str]:
    name = item.rubric
    rubric = Rubric.from_file(HERE / "answers" / name.removeprefix("file:")) if name.startswith("file:") else Rubric.from_question(load_bank().get(name))
    ids = {kp.id for kp in rubric.key_points}
    out = []
    if set(item.labels) != ids:
        out.append(f"{item.id}: labels must name every key point: missing {sorted(ids - set(item.labels))}, unknown {sorted(set(item.labels) - ids)}")
    out += [f"{item.id}: {kp} is {label}: give the quote(s) that carry it under quotes" for kp, label in item.labels.items() if label != "missed" and not item.quotes.get(kp)]
    out += [f"{item.id}: quotes name an unknown key point {kp}" for kp in item.quotes if kp not in ids]
    quotes = [q for qs in item.quotes.values() for q in qs] + item.mistakes + item.injected
    out += [f"{item.id}: not verbatim in the answer: {q!r}" for q in quotes if _squash(q) not in _squash(item.answer)]
    return out


def problems(path: Path) -> list[str]:
    kind, check = (
        (TrainingAnswer, _answer) if path.parent.name == "answers"
        else (InventedPassages, _invented) if path.name.startswith("extra-")
        else (QuestionPassages, _question)
    )  # fmt: skip
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"{path}: not valid YAML: {exc}"]
    if not isinstance(raw, list):
        return [f"{path}: the file must be a YAML list"]
    out: list[str] = []
    for n, data in enumerate(raw):
        try:
            out += [f"{path}: {line}" for line in check(kind.model_validate(data))]  # type: ignore[arg-type]
        except ValidationError as exc:
            e = exc.errors()[0]
            out.append(f"{path} entry #{n}: {e['loc']}: {e['msg']}")
        except Exception as exc:  # noqa: BLE001 - an unknown question or rubric file, as one line
            out.append(f"{path} entry #{n}: {exc}")
    return out


def main() -> None:
    found = [p for arg in sys.argv[1:] for p in problems(Path(arg))]
    print("\n".join(found) if found else "ok")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
