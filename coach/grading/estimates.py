"""The estimate check both graders share: a key point with reference figures is judged by
the candidate's numbers as well as by its words.

A number off by more than ~3x makes the point incorrect and is listed as a mistake; numbers
for only some of the figures make it partial (naming what is missing); numbers for all of
them cover it, with the sentences that carry them as evidence. Where the candidate's numbers
say nothing either way, the grader's own verdict stands, except that a point asking for
figures is not covered by an estimate that gives none of them.
"""

from __future__ import annotations

from coach.grading import figures
from coach.grading.models import Mistake, Verdict
from coach.grading.quantities import Quantity
from coach.grading.rubric import Rubric, RubricPoint


def why_wrong(quantity: Quantity, figure: figures.Figure) -> str:
    r = figures.ratio(quantity.value, figure.value)
    basis = f" ({figure.basis})" if figure.basis else ""
    direction = "high" if quantity.value > figure.value else "low"
    return (
        f"{figure.quantity[0].upper()}{figure.quantity[1:]} is about {figures.describe(figure.value, figure.unit)}{basis}; "
        f"{quantity.surface} is {r:.0f}x too {direction}."
    )


def review_point(kp: RubricPoint, verdict: Verdict, sentences: list[str], brief: tuple[str, ...], max_evidence: int = 2) -> tuple[Verdict, list[Mistake]]:
    """`verdict` revised by the figure check, and the wrong figures as mistakes."""
    check = figures.check(kp.figures, sentences, brief)
    mistakes = [Mistake(kind="figure", quote=sentences[i], why=why_wrong(q, f), key_point=kp.id) for i, q, f in check.wrong]
    support = [sentences[i] for i in check.supporting][:max_evidence]
    status = check.status
    if status == "incorrect":
        return Verdict(id=kp.id, status="incorrect", note="An estimate is off by more than 3x; see the mistakes."), mistakes
    if status == "covered" and verdict.status not in ("covered", "partial"):
        # The numbers are right, but the grader heard nothing else of the point ("...and plans
        # capacity ahead of it").
        note = "The figures are right; the rest of the point was not made."
        return Verdict(id=kp.id, status="partial", evidence=support, note=note), mistakes
    if status == "covered":
        return Verdict(id=kp.id, status="covered", evidence=support), mistakes
    if status == "partial":
        done = ", ".join(f.quantity for f in check.estimated)
        missing = ", ".join(f.quantity for f in check.missing)
        return Verdict(id=kp.id, status="partial", evidence=support, note=f"Estimates {done}; missing: {missing}."), mistakes
    if verdict.status == "covered":
        note = f"No estimate of {', '.join(f.quantity for f in kp.figures)} was found in the numbers given."
        return Verdict(id=kp.id, status="partial", evidence=verdict.evidence, note=note), mistakes
    return verdict, mistakes


def review(rubric: Rubric, verdicts: list[Verdict], sentences: list[str], max_evidence: int = 2) -> tuple[list[Verdict], list[Mistake]]:
    """Every verdict of a point with figures revised; mistakes for every wrong figure."""
    by_id = {kp.id: kp for kp in rubric.key_points}
    out: list[Verdict] = []
    mistakes: list[Mistake] = []
    for v in verdicts:
        kp = by_id.get(v.id)
        if kp is None or not kp.figures:
            out.append(v)
            continue
        revised, found = review_point(kp, v, sentences, rubric.brief, max_evidence)
        out.append(revised)
        mistakes += found
    return out, mistakes


def wrong_sentences(rubric: Rubric, sentences: list[str]) -> set[int]:
    """Indexes of the sentences that hold a figure off by more than its tolerance."""
    return {i for kp in rubric.key_points if kp.figures for i, _, _ in figures.check(kp.figures, sentences, rubric.brief).wrong}
