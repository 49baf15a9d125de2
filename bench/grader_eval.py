"""Measure the offline grader on the labelled answers in bench/eval (written by people who never
saw the grader; see bench/eval/split.py for how dev and test were split).

    python bench/grader_eval.py --split test      # the figures the README publishes
    python bench/grader_eval.py --split dev       # what tuning may look at
    python bench/grader_eval.py --split dev --errors
    python bench/grader_eval.py --split dev --sweep   # settings around the defaults (tuning)
    python bench/grader_eval.py --files training/judge/answers/T1[3-7].yaml --errors

Coverage is scored per (answer, key point): a true positive is a point labelled covered that
the grader marks covered (partial is not covered on either side). Also reported: agreement on
the six statuses, key points credited where the label says incorrect or the evidence quotes a
labelled mistake (wrong figures, pitfalls, blame), mistakes found, credit earned by injected
lines (each injection answer graded with and without them), and sentences flagged as
addressed to the grader in answers without any.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from collections import Counter, defaultdict
from pathlib import Path

import yaml

from coach.bank import load_bank
from coach.grading.models import STATUSES, GradeReport
from coach.grading.offline import OfflineGrader, Settings
from coach.grading.report import build_report
from coach.grading.rubric import Rubric
from coach.grading.text import normalise

HERE = Path(__file__).parent / "eval"


def load(split: str) -> list[tuple[dict, Rubric]]:
    return load_files([HERE / f"{split}.yaml"])


def load_files(paths: list[Path]) -> list[tuple[dict, Rubric]]:
    """Labelled answers in bench/eval's shape; a `file:` rubric is relative to its file."""
    bank = load_bank()
    out = []
    for path in paths:
        for item in yaml.safe_load(path.read_text()):
            name = item["rubric"]
            rubric = Rubric.from_file(path.parent / name.removeprefix("file:")) if name.startswith("file:") else Rubric.from_question(bank.get(name))
            out.append((item, rubric))
    return out


def _overlaps(a: str, b: str) -> bool:
    a, b = normalise(a), normalise(b)
    return a in b or b in a


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(grade, data: list[tuple[dict, Rubric]]) -> dict:  # noqa: ANN001 - grade(rubric, text) -> GradeReport
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    statuses: Counter[tuple[str, str]] = Counter()
    errors: list[str] = []
    wrong_credit = injection_credit = false_flags = 0
    mistakes_found = mistakes_labelled = mistakes_reported = mistakes_right = 0
    times: list[float] = []
    for item, rubric in data:
        start = time.perf_counter()
        report: GradeReport = grade(rubric, item["answer"])
        times.append(time.perf_counter() - start)
        custom = item["rubric"].startswith("file:")
        labelled = item.get("mistakes", [])
        for kp in report.key_points:
            truth = item["labels"][kp.id]
            statuses[(truth, kp.status)] += 1
            for key in ("all", "custom" if custom else "bank", f"category:{item['category']}"):
                c = counts[key]
                if truth == "covered" and kp.covered:
                    c[0] += 1
                elif kp.covered:
                    c[1] += 1
                elif truth == "covered":
                    c[2] += 1
            if kp.covered and (truth == "incorrect" or any(_overlaps(e, m) for e in kp.evidence for m in labelled)):
                wrong_credit += 1
                errors.append(f"WRONG-CREDIT {item['id']} {kp.id} [{truth}]: {kp.evidence}")
            if kp.status != truth:
                errors.append(f"{truth:>9} -> {kp.status:<9} {item['id']} {kp.id}: {kp.evidence or kp.note}")
        mistakes_labelled += len(labelled)
        mistakes_found += sum(1 for m in labelled if any(_overlaps(m, r.quote) for r in report.mistakes))
        mistakes_reported += len(report.mistakes)
        mistakes_right += sum(1 for r in report.mistakes if any(_overlaps(m, r.quote) for m in labelled))
        if item.get("injected"):
            clean = item["answer"]
            for line in item["injected"]:
                clean = clean.replace(line, "")
            before = {kp.id for kp in grade(rubric, clean).key_points if kp.covered}
            gained = [kp.id for kp in report.key_points if kp.covered and kp.id not in before]
            injection_credit += len(gained)
            if gained:
                errors.append(f"INJECTION-CREDIT {item['id']}: {gained}")
        else:
            false_flags += len(report.flags)
            if report.flags:
                errors.append(f"FLAG {item['id']}: {[f.quote for f in report.flags]}")
    return {
        "counts": {k: v for k, v in counts.items()},
        "statuses": statuses,
        "wrong_credit": wrong_credit,
        "injection_credit": injection_credit,
        "false_flags": false_flags,
        "mistakes": (mistakes_found, mistakes_labelled, mistakes_right, mistakes_reported),
        "errors": errors,
        "times": times,
        "items": len(data),
        "rubrics": (len({i["rubric"] for i, _ in data if not i["rubric"].startswith("file:")}), len({i["rubric"] for i, _ in data if i["rubric"].startswith("file:")})),
    }


def print_figures(result: dict, split: str) -> None:
    bank_q, custom_r = result["rubrics"]
    print(f"Offline grader on the {split} answers: {result['items']} answers, {bank_q} bank questions, {custom_r} custom rubrics\n")
    print(f"{'':<22} {'TP':>4} {'FP':>4} {'FN':>4}  {'prec':>5} {'recall':>6} {'F1':>5}")
    keys = ["bank", "custom", "all"] + sorted(k for k in result["counts"] if k.startswith("category:"))
    targets = {"bank": "   target >= 0.88", "custom": "   target >= 0.80"}
    for key in keys:
        if key not in result["counts"]:
            continue
        tp, fp, fn = result["counts"][key]
        p, r, f = prf(tp, fp, fn)
        label = key.removeprefix("category:")
        print(f"{label:<22} {tp:>4} {fp:>4} {fn:>4}  {p:5.2f} {r:6.2f} {f:5.2f}{targets.get(key, '')}")
        if key == "all":
            print()
    statuses = result["statuses"]
    agree = sum(n for (t, g), n in statuses.items() if t == g) / max(1, sum(statuses.values()))
    print(f"\nstatus agreement (six statuses): {agree:.2f}")
    print("labelled \\ graded " + " ".join(f"{s[:8]:>9}" for s in STATUSES))
    for truth in STATUSES:
        print(f"{truth:<17} " + " ".join(f"{statuses[(truth, g)]:>9}" for g in STATUSES))
    found, labelled, right, reported = result["mistakes"]
    print(
        f"\nkey points credited from wrong figures, pitfalls or blame: {result['wrong_credit']}     target <= 2 (test split)"
        f"\ncredit earned by injected instructions: {result['injection_credit']} key points     target 0"
        f"\nmistakes: {found} of {labelled} labelled mistakes reported; {right} of {reported} reported mistakes are labelled ones"
        f"\nsentences flagged as addressed to the grader in answers without injection: {result['false_flags']}"
    )
    times = sorted(result["times"])
    print(f"grading time per answer: median {times[len(times) // 2] * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms")


def sweep(data: list[tuple[dict, Rubric]]) -> None:
    """One line per setting changed from the default: bank and custom F1, status agreement,
    credit from mistakes. The judge's readings are cached, so each line costs little."""
    base = Settings()
    grid = {
        "cover": (0.35, 0.45, 0.5, 0.55, 0.65, 0.75),
        "cover_plain": (0.3, 0.35, 0.4, 0.45, 0.5),
        "settle": (0.8, 0.85, 0.9, 0.95, 1.01),
        "partial": (0.35, 0.45, 0.55, 0.65),
        "incorrect": (0.5, 0.6, 0.7, 0.8, 0.9),
        "declined": (0.3, 0.4, 0.5, 0.6),
        "shallow": (0.3, 0.4, 0.5, 0.6),
        "pitfall": (0.4, 0.5, 0.6, 0.7, 0.8),
        "pitfall_margin": (-0.05, 0.0, 0.05, 0.1, 0.2),
        "floor": (0.05, 0.1, 0.15, 0.2),
        "contrast": (0.0, 0.05, 0.1, 0.15, 0.2, 1.0),
        "windows": (2, 3, 4, 5),
        "window_sentences": (1, 2, 3),
    }
    bank = load_bank()
    for name, values in grid.items():
        for value in values:
            grader = OfflineGrader(bank=bank, settings=replace(base, **{name: value}))
            res = evaluate(lambda r, t, g=grader: build_report(r, t, g.grade(r, t)), data)
            f = {k: prf(*res["counts"][k])[2] for k in ("bank", "custom")}
            statuses = res["statuses"]
            agree = sum(n for (t, g), n in statuses.items() if t == g) / max(1, sum(statuses.values()))
            mark = " (default)" if getattr(base, name) == value else ""
            print(f"{name}={value}{mark}: bank F1 {f['bank']:.3f} custom F1 {f['custom']:.3f} statuses {agree:.3f} "
                  f"wrong credit {res['wrong_credit']} injection credit {res['injection_credit']}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--split", choices=["dev", "test"])
    which.add_argument(
        "--files", type=Path, nargs="+",
        help="other labelled answers in the same shape, e.g. training/judge/answers/T1[3-7].yaml (answers the shipped judge never trained on: more data to tune on)",
    )  # fmt: skip
    parser.add_argument("--errors", action="store_true", help="list every disagreement with the labels")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    parser.add_argument("--sweep", action="store_true", help="figures for settings around the defaults (dev only)")
    args = parser.parse_args()
    data = load_files(args.files) if args.files else load(args.split)
    name = "given files'" if args.files else f"{args.split} split's"
    if args.sweep:
        if args.split == "test":
            raise SystemExit("tune on dev only: --sweep needs --split dev (or --files)")
        sweep(data)
        return
    grader = OfflineGrader(bank=load_bank())

    def grade(rubric: Rubric, text: str) -> GradeReport:
        return build_report(rubric, text, grader.grade(rubric, text))

    result = evaluate(grade, data)
    print_figures(result, name)
    if args.errors:
        print("\ndisagreements:\n" + "\n".join(result["errors"]))
    if args.json:
        summary = {k: result[k] for k in ("counts", "wrong_credit", "injection_credit", "false_flags", "mistakes", "items")}
        args.json.write_text(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
