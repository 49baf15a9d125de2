"""Check a file of labelled evaluation answers before it is used.

    python bench/eval/validate.py bench/eval/authors/A.yaml [...]

Each item names a rubric (a bank question id, or file:rubrics/NAME.json beside this script),
a category, the answer, a status for every key point of the rubric, and the verbatim quotes
that are mistakes (wrong figures, known pitfalls, blame). Prints one line per problem and
exits 1 if there is any.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from coach.bank import load_bank
from coach.grading.rubric import Rubric

HERE = Path(__file__).parent
Category = Literal[
    "paraphrase", "transcript", "mixed", "dodge", "mistakes", "namedrop", "question", "blame", "injection", "offtopic"
]
Label = Literal["covered", "partial", "shallow", "declined", "incorrect", "missed"]


class EvalItem(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    rubric: str
    category: Category
    answer: str
    labels: dict[str, Label]
    mistakes: list[str] = []
    injected: list[str] = []
    notes: str | None = None


def rubric_for(name: str, bank=None) -> Rubric:
    if name.startswith("file:"):
        return Rubric.from_file(HERE / name.removeprefix("file:"))
    return Rubric.from_question((bank or load_bank()).get(name))


def _squash(text: str) -> str:
    return " ".join(text.split()).lower()


def problems(path: Path) -> list[str]:
    out: list[str] = []
    bank = load_bank()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        return [f"{path}: not valid YAML: {exc}"]
    if not isinstance(raw, list):
        return [f"{path}: the file must be a YAML list of items"]
    seen: set[str] = set()
    for n, data in enumerate(raw):
        try:
            item = EvalItem.model_validate(data)
        except ValidationError as exc:
            out.append(f"{path} item #{n}: {exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}")
            continue
        where = f"{path} {item.id}"
        if item.id in seen:
            out.append(f"{where}: duplicate id")
        seen.add(item.id)
        try:
            rubric = rubric_for(item.rubric, bank)
        except Exception as exc:  # noqa: BLE001 - report any rubric problem as a line
            out.append(f"{where}: rubric {item.rubric!r}: {exc}")
            continue
        ids = [kp.id for kp in rubric.key_points]
        if set(item.labels) != set(ids):
            out.append(f"{where}: labels must name every key point exactly: missing {sorted(set(ids) - set(item.labels))}, unknown {sorted(set(item.labels) - set(ids))}")
        for quote in item.mistakes + item.injected:
            if _squash(quote) not in _squash(item.answer):
                out.append(f"{where}: quote not found verbatim in the answer: {quote!r}")
        if item.category == "injection" and not item.injected:
            out.append(f"{where}: an injection item must list its injected lines")
        if len(item.answer.split()) < 15:
            out.append(f"{where}: the answer is very short ({len(item.answer.split())} words)")
    return out


def main() -> None:
    found = [p for arg in sys.argv[1:] for p in problems(Path(arg))]
    print("\n".join(found) if found else "ok")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
