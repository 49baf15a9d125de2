"""Arithmetic said out loud: "1 GB/s times 86,400 is 86 GB a day" is 1000x off, whatever
the question's reference figures are. A product or quotient whose stated result is off by more
than the figures' tolerance (3x) is a mistake; the why gives the right result.

Numbers are compared as said (a rate in its own period: "50M a day times 200 is 10B a day"),
so the units need not be reconciled; only the sentence's own three numbers are used.
"""

from __future__ import annotations

import re

from coach.bank.models import FigureUnit
from coach.grading.figures import describe, ratio
from coach.grading.quantities import SECONDS, Quantity, quantities

TOLERANCE = 3.0
# A comma between digits groups thousands ("2,000"); any other ends the operand.
_CHAR = r"(?:[^,;:=?!]|(?<=\d),(?=\d{3}))"
_OPERAND = rf"{_CHAR}*?\d{_CHAR}*?"
_SUM = re.compile(
    rf"(?P<a>{_OPERAND})\s+(?P<op>times|x|×|\*|multiplied\s+by|divided\s+by|over|/)\s+(?P<b>{_OPERAND})\s*"
    r"(?:=|\bis\b|\bare\b|\bgives\b|\bequals\b|\bcomes\s+to\b|\bthat'?s\b|\bmakes\b)\s*"
    r"(?:about\s+|roughly\s+|around\s+|approximately\s+|~\s*|only\s+|just\s+)?(?P<c>\d(?:[^,;?!]|(?<=\d),(?=\d{3}))*)",
    re.IGNORECASE,
)


def _said(q: Quantity) -> float:
    """The number as the candidate said it: a rate in its own period, not per second."""
    return q.value * SECONDS.get(q.period or "s", 1) if q.unit in (FigureUnit.per_second, FigureUnit.bytes_per_second) else q.value


def wrong_sum(sentence: str) -> str | None:
    """Why the sentence's stated product or quotient is wrong, or None (right, or not one)."""
    m = _SUM.search(sentence)
    if m is None:
        return None
    a, b, c = quantities(m["a"]), quantities(m["b"]), quantities(m["c"])
    if not (a and b and c):
        return None
    x, y, said = _said(a[-1]), _said(b[0]), c[0]
    dividing = m["op"].lower() in ("divided by", "over", "/")
    if x == 0 or y == 0 or said.value == 0:
        return None
    result = x / y if dividing else x * y
    if ratio(result, _said(said)) <= TOLERANCE:
        return None
    unit = said.unit if said.unit is not FigureUnit.bytes_per_second else FigureUnit.bytes
    shown = describe(result, unit if unit in (FigureUnit.bytes, FigureUnit.count) else FigureUnit.count)
    sign = "/" if dividing else "x"
    return f"{a[-1].surface} {sign} {b[0].surface} is about {shown}, not {said.surface}: the arithmetic is {ratio(result, _said(said)):.0f}x off."
