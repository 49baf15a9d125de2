"""The mistakes in a turn that need no model to find: a pitfall said outright (one of its
`patterns`), an estimate off by more than its tolerance, a product or quotient worked out
wrong. They take well under a millisecond, so the LLM interviewer can be told about them
when the full reading of the turn (the judge's) is not ready yet (coach.interview.grounding).
The grader finds the same ones, and more, in its own pass.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.bank.models import Pitfall
from coach.grading import arithmetic, figures
from coach.grading.estimates import why_wrong
from coach.grading.models import Mistake
from coach.grading.pitfalls import said_outright
from coach.grading.rubric import Rubric
from coach.grading.text import sentences


def sure_mistakes(rubric: Rubric, pitfalls: Sequence[Pitfall], text: str) -> list[Mistake]:
    """The figure and pitfall mistakes of `text` (one turn) that its words alone decide;
    wrong figures first, one mistake per sentence."""
    spans = [s.text for s in sentences(text)]
    found: dict[int, Mistake] = {}
    for kp in rubric.key_points:
        if kp.figures:
            for i, quantity, figure in figures.check(kp.figures, spans, rubric.brief).wrong:
                found.setdefault(i, Mistake(kind="figure", quote=spans[i], why=why_wrong(quantity, figure), key_point=kp.id))
    for i, span in enumerate(spans):
        if i not in found and (why := arithmetic.wrong_sum(span)):
            found[i] = Mistake(kind="figure", quote=span, why=why)
    out = [found[i] for i in sorted(found)]
    for i, span in enumerate(spans):
        pitfall = next((p for p in pitfalls if said_outright(p, span)), None) if i not in found else None
        if pitfall is not None:
            why = pitfall.why or f"A known pitfall: {pitfall.text[0].lower()}{pitfall.text[1:]}."
            out.append(Mistake(kind="pitfall", quote=span, why=why, pitfall=pitfall.text))
    return out
