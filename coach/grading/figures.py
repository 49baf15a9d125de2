"""Numbers in a candidate's estimate: read with their units, checked against reference figures.

An estimation key point may carry reference figures derived from the brief ("write rate,
about 40 per second"). A candidate's number is tied to a figure by its unit and by a cue word
near it ("writes", "new links"); one that is off by more than the figure's tolerance (3x
unless the figure says otherwise) is a mistake. The numbers themselves are read by
coach.grading.quantities.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from coach.bank.models import Figure, FigureUnit
from coach.grading.quantities import SECONDS, Quantity, quantities

PEAK_TOLERANCE = 10.0  # a peak may sit up to 10x above an average figure
_RESTATED = 0.05  # a number within 5% of one in the brief, in the same period, repeats the brief
_GIVEN = 0.02  # a figure within 2% of a number in the brief is given: repeating it estimates it
_CONVERTED = 0.1  # a rate within 10% of the brief's in other units converts it (rounding included)

def ratio(value: float, reference: float) -> float:
    """How far apart two positive numbers are, as a factor >= 1."""
    return math.exp(abs(math.log(value / reference)))


@dataclass(frozen=True)
class FigureCheck:
    """What the candidate's numbers say about one estimation key point."""

    estimated: tuple[Figure, ...]  # figures the candidate got within tolerance
    missing: tuple[Figure, ...]  # figures the candidate did not estimate
    wrong: tuple[tuple[int, Quantity, Figure], ...]  # (sentence index, number, figure it misses)
    supporting: tuple[int, ...]  # indexes of the sentences that estimate a figure well

    @property
    def status(self) -> str | None:
        """incorrect, covered, partial, or None when the numbers say nothing either way."""
        if self.wrong:
            return "incorrect"
        if self.estimated and not self.missing:
            return "covered"
        if self.estimated:
            return "partial"
        return None


def _is_a_figure(q: Quantity, figures: Sequence[Figure]) -> bool:
    """True if the brief states a figure itself, in the figure's own terms (50k checks per
    second): then repeating it is the estimate. "10B a day" for a per-second figure is not."""
    return SECONDS.get(q.period or "s", 0) == 1 and any(f.unit is q.unit and ratio(q.value, f.value) <= 1 + _GIVEN for f in figures)


def _converts(q: Quantity, brief: Sequence[Quantity]) -> bool:
    """True if `q` is a brief quantity given in another period (50M a day as 600 a second)."""
    return any(b.unit is q.unit and b.period != q.period and ratio(q.value, b.value) <= 1 + _CONVERTED for b in brief)


# A what-if, not an estimate of today's load: "at 10x", "if traffic doubles", "ten times that".
_SCENARIO = re.compile(
    r"\b(?:at|with|for|under|if\s+we\s+(?:get|hit|see))\s+(?:\d+|two|five|ten|a\s+hundred)\s*(?:x|times)\b|\b\d+\s*x\s+(?:growth|traffic|load|scale|that|this|today)\b|"
    r"\b(?:ten|a\s+hundred|\d+)\s+times\s+(?:that|this|today|the\s+(?:load|traffic))\b|\bif\s+(?:traffic|load|usage)\s+(?:doubles|triples|grows)\b",
    re.IGNORECASE,
)


def _restated(q: Quantity, brief: Sequence[Quantity]) -> bool:
    return any(b.unit is q.unit and b.period == q.period and ratio(q.value, b.value) <= 1 + _RESTATED for b in brief)


def check(figures: Sequence[Figure], sentences: Sequence[str], brief: Sequence[str] = ()) -> FigureCheck:
    """Compare the numbers in `sentences` (the candidate's, in order) with `figures`.

    A number repeated from the brief estimates nothing, unless the figure is that very number.
    A number tied to a figure by its unit and a cue word is wrong when it is off by more than
    the figure's tolerance, unless the same
    sentence also gets that figure right (an intermediate step: "500 bytes each, 3 TB in all").
    """
    given = [q for fact in brief for q in quantities(fact) if not _is_a_figure(q, figures)]
    found = [
        (i, q)
        for i, s in enumerate(sentences)
        for q in quantities(s, sentences[i - 1] if i else "")
        if not q.per_item and not _restated(q, given)
    ]
    estimated: list[Figure] = []
    wrong: list[tuple[int, Quantity, Figure]] = []
    supporting: set[int] = set()
    tied = _tie(found, figures)
    for figure in figures:
        same_unit = [(i, q) for i, q in found if q.unit is figure.unit]
        # Counts are of too many things to guess: only a cue ties one to a figure.
        alone = figure.unit is not FigureUnit.count and sum(1 for f in figures if f.unit is figure.unit) == 1
        cued = [(i, q) for i, q in same_unit if tied.get((i, id(q))) is figure]
        # A lone figure of its unit may be estimated by a number with no cue at all.
        pool = cued + ([(i, q) for i, q in same_unit if (i, id(q)) not in tied] if alone else [])
        good = [(i, q) for i, q in pool if _close(q, figure)]
        if good:
            estimated.append(figure)
            supporting.update(i for i, _ in good)
        good_sentences = {i for i, _ in good}
        wrong += [(i, q, figure) for i, q in cued if not _close(q, figure) and i not in good_sentences]
    # A number that is right for one figure is not wrong for another ("4k reads" is no write rate);
    # nor is the brief's own rate in other units ("50M posts a day is about 600 writes/s", where
    # the figure is the fan-out rate), nor a what-if ("at 10x that's over 1M inserts/s").
    right = {(i, q) for i, q in found for f in estimated if q.unit is f.unit and _close(q, f)}
    stated = [q for fact in brief for q in quantities(fact)]
    wrong = [
        (i, q, f) for i, q, f in wrong
        if (i, q) not in right and not _converts(q, stated) and not _SCENARIO.search(sentences[i])
    ]  # fmt: skip
    return FigureCheck(
        estimated=tuple(estimated),
        missing=tuple(f for f in figures if f not in estimated),
        wrong=tuple(wrong),
        supporting=tuple(sorted(supporting)),
    )


def _tie(found: Sequence[tuple[int, Quantity]], figures: Sequence[Figure]) -> dict[tuple[int, int], Figure]:
    """Each number tied to the figure of its unit whose cue is nearest; a tie is no tie."""
    out: dict[tuple[int, int], Figure] = {}
    for i, q in found:
        ranked = sorted((q.cue_distance(f), n) for n, f in enumerate(figures) if f.unit is q.unit)
        if ranked and ranked[0][0] < math.inf and (len(ranked) == 1 or ranked[1][0] > ranked[0][0]):
            out[(i, id(q))] = figures[ranked[0][1]]
    return out


def _close(q: Quantity, figure: Figure) -> bool:
    r = ratio(q.value, figure.value) - 1e-9  # exactly the tolerance is within it
    if q.peak and q.value > figure.value:
        return r <= max(PEAK_TOLERANCE, figure.tolerance)
    return r <= figure.tolerance


def describe(value: float, unit: FigureUnit) -> str:
    """A figure as people write it: '40 per second', '3 TB', '1 GB/s'."""
    if unit is FigureUnit.bytes or unit is FigureUnit.bytes_per_second:
        for name, size in (("PB", 1e15), ("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("KB", 1e3)):
            if value >= size:
                text = f"{_short(value / size)} {name}"
                break
        else:
            text = f"{_short(value)} bytes"
        return text + ("/s" if unit is FigureUnit.bytes_per_second else "")
    if unit is FigureUnit.seconds:
        return f"{_short(value * 1000)} ms" if value < 1 else f"{_short(value)} s"
    for name, size in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if value >= size:
            text = f"{_short(value / size)}{name}"
            break
    else:
        text = _short(value)
    return text + (" per second" if unit is FigureUnit.per_second else "")


def _short(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".") if x < 10 else f"{round(x):,}"
