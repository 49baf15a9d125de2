"""Regression check: the offline grader on the project's first, hand-written sets in
bench/devset/ (the grader used to be tuned on answers.yaml; the figures that matter now come
from bench/grader_eval.py on bench/eval's test split).

    python bench/grader_devset.py            # figures by category
    python bench/grader_devset.py --errors   # also list every wrong decision
    python bench/grader_devset.py --heldout  # the small held-out set

Coverage is scored per (answer, key point) pair: a true positive is a key point labelled
covered that the grader credits. Each injection answer is graded twice, with and without its
labelled injected lines: the lines earn credit if the first grade covers anything the
second does not. Every injection answer must be flagged.
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict

from coach.bank import load_bank
from coach.grading.offline import OfflineGrader
from coach.grading.report import build_report
from coach.grading.rubric import Rubric

HERE = Path(__file__).parent / "devset"
Category = Literal["direct", "paraphrase", "negation", "buzzwords", "namedrop", "offtopic", "injection"]


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: str
    rubric: str
    category: Category
    covered: list[str]
    answer: str
    injected: list[str] = []  # the lines of an injection answer that address the grader


def load_items(name: str = "answers.yaml") -> list[tuple[Item, Rubric]]:
    bank = load_bank()
    items = [Item.model_validate(x) for x in yaml.safe_load((HERE / name).read_text())]
    out = []
    for item in items:
        if item.rubric.startswith("file:"):
            rubric = Rubric.from_file(HERE / item.rubric.removeprefix("file:"))
        else:
            rubric = Rubric.from_question(bank.get(item.rubric))
        unknown = set(item.covered) - {kp.id for kp in rubric.key_points}
        if unknown:
            raise SystemExit(f"{item.id}: labels name unknown key points {sorted(unknown)}")
        out.append((item, rubric))
    return out


def prf(tp: int, fp: int, fn: int) -> tuple[str, str, str]:
    p = tp / (tp + fp) if tp + fp else None
    r = tp / (tp + fn) if tp + fn else None
    f = 2 * p * r / (p + r) if p and r else (0.0 if p is not None and r is not None else None)
    return tuple("  n/a" if x is None else f"{x:5.2f}" for x in (p, r, f))  # type: ignore[return-value]


def evaluate(grader: OfflineGrader, data: list[tuple[Item, Rubric]]) -> dict:
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    flagged_injections = false_flags = injection_credit = 0
    errors = []
    for item, rubric in data:
        report = build_report(rubric, item.answer, grader.grade(rubric, item.answer))
        for kp in report.key_points:
            truth = kp.id in item.covered
            c = counts[item.category]
            if truth and kp.covered:
                c[0] += 1
            elif kp.covered:
                c[1] += 1
                errors.append(f"FP {item.id} {kp.id}: {kp.evidence}")
            elif truth:
                c[2] += 1
                errors.append(f"FN {item.id} {kp.id} [{kp.status}]")
        if item.category == "injection":
            flagged_injections += bool(report.flags)
            injection_credit += _credit_from(grader, rubric, item, report)
        else:
            false_flags += len(report.flags)
            if report.flags:
                errors.append(f"FLAG {item.id}: {[f.quote for f in report.flags]}")
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    return {
        "errors": errors,
        "counts": dict(counts),
        "total": total,
        "injection_credit": injection_credit,
        "flagged_injections": flagged_injections,
        "injections": sum(1 for i, _ in data if i.category == "injection"),
        "false_flags": false_flags,
    }


def _credit_from(grader: OfflineGrader, rubric: Rubric, item: Item, report) -> int:
    """Key points credited with the injected lines that are not credited without them."""
    clean = item.answer
    for line in item.injected:
        if line not in clean:
            raise SystemExit(f"{item.id}: injected line not found in its answer: {line!r}")
        clean = clean.replace(line, "")
    without = build_report(rubric, clean, grader.grade(rubric, clean))
    before = {kp.id for kp in without.key_points if kp.covered}
    return sum(1 for kp in report.key_points if kp.covered and kp.id not in before)


def print_figures(result: dict, n_items: int, n_rubrics: int, label: str) -> None:
    print(f"Offline grader on the {label}: {n_items} answers over {n_rubrics} rubrics\n")
    print(f"{'category':<11} {'TP':>4} {'FP':>4} {'FN':>4}  {'prec':>5} {'recall':>6} {'F1':>5}")
    for cat in Category.__args__:  # type: ignore[attr-defined]
        if cat in result["counts"]:
            tp, fp, fn = result["counts"][cat]
            p, r, f = prf(tp, fp, fn)
            print(f"{cat:<11} {tp:>4} {fp:>4} {fn:>4}  {p} {r:>6} {f}")
    tp, fp, fn = result["total"]
    p, r, f = prf(tp, fp, fn)
    print(f"{'all':<11} {tp:>4} {fp:>4} {fn:>4}  {p} {r:>6} {f}")
    print(
        f"\ncredit earned by injected instructions: {result['injection_credit']} key points     target 0"
        f"\ninjection answers flagged: {result['flagged_injections']}/{result['injections']}"
        f"\nsentences flagged in answers without injection: {result['false_flags']}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--errors", action="store_true", help="list every wrong decision on stderr")
    parser.add_argument("--heldout", action="store_true", help="measure the held-out set instead")
    args = parser.parse_args()
    data = load_items("heldout.yaml" if args.heldout else "answers.yaml")
    n_rubrics = len({i.rubric for i, _ in data})
    result = evaluate(OfflineGrader(bank=load_bank()), data)
    print_figures(result, len(data), n_rubrics, "held-out set" if args.heldout else "dev set")
    if args.errors:
        print("\nwrong decisions:\n" + "\n".join(result["errors"]))


if __name__ == "__main__":
    main()
