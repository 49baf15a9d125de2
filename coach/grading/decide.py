"""What the judge's readings of a key point's passages come to: covered (with the fewest
sentences that make it as evidence), partial (and which part is missing), incorrect,
declined, shallow or missed. Only substance counts, and a passage that turns the idea down
makes no point whatever it names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from coach.bank.models import Dimension
from coach.grading import checks, substance
from coach.grading.embedder import Embedder
from coach.grading.judge import ASSERTS, DECLINED, INCORRECT, PARTIAL, SHALLOW
from coach.grading.models import Status
from coach.grading.passages import Passage, Transcript
from coach.grading.rubric import RubricPoint

if TYPE_CHECKING:
    from coach.grading.offline import Settings

# Consecutive passages (by index) that the judge reads together for a key point.
Window = tuple[int, ...]


@dataclass
class Point:
    """What the passages say about one key point, as the grader works through them."""

    status: Status = "missed"
    evidence: list[str] = field(default_factory=list)
    note: str | None = None
    wrong: list[str] = field(default_factory=list)  # windows the judge read as a wrong version


class PointDecider:
    def __init__(self, embedder: Callable[[], Embedder], settings: Settings) -> None:
        self._embedder = embedder  # the grader's, loaded on first use
        self.settings = settings

    def decide(self, kp: RubricPoint, windows: list[Window], probs: np.ndarray, transcript: Transcript) -> Point:
        s = self.settings
        point = Point()
        texts = [transcript.claim(w) for w in windows]

        solid = [substance.substance_for(kp.dimension)(t) for t in texts]
        # A window that turns the idea down or puts it off makes no point, whatever it names.
        declined = [any(self._declined(kp, transcript.passages[i].text) for i in w) for w in windows]
        full = bool(kp.look_for or kp.strong_answer)
        cover, contested = (s.cover, s.contested) if full else (s.cover_plain, s.contested_plain)
        covering = [
            n for n in range(len(windows))
            if probs[n, ASSERTS] >= cover and probs[n, INCORRECT] < contested * probs[n, ASSERTS] and solid[n] and not declined[n]
        ]  # fmt: skip
        if covering:
            # Evidence is the fewest sentences that make the point: shorter windows first.
            used: set[int] = set()
            for n in sorted(covering, key=lambda n: (len(windows[n]), -probs[n, ASSERTS])):
                if not used & set(windows[n]) and len(point.evidence) < s.max_evidence:
                    point.evidence += transcript.quotes(windows[n])
                    used |= set(windows[n])
            point.status = "covered"
            return point
        part = np.where(declined, 0.0, probs[:, ASSERTS] + probs[:, PARTIAL])
        best = int(np.argmax(part))
        if part[best] >= s.partial and solid[best]:
            point.status = "partial"
            point.evidence += transcript.quotes(windows[best])
            missing = self._missing_part(kp, texts[best])
            point.note = f"Part of the point is made; missing: {missing}." if missing else None
            return point
        wrong = [n for n in range(len(windows)) if probs[n, INCORRECT] >= s.incorrect]
        if wrong:
            point.status = "incorrect"
            point.wrong = transcript.quotes(windows[wrong[0]])
            return point
        # Turned down in words, and read as about this point (the mention bar, as for shallow).
        if any(probs[n, DECLINED] >= s.declined or (declined[n] and probs[n, ASSERTS] + probs[n, DECLINED] >= s.shallow) for n in range(len(windows))):
            point.status = "declined"
            return point
        if any(probs[n, SHALLOW] + probs[n, ASSERTS] + probs[n, PARTIAL] >= s.shallow for n in range(len(windows))):
            point.status = "shallow"
        return point

    def _declined(self, kp: RubricPoint, sentence: str) -> bool:
        """True if the sentence turns the point down, puts it off or is unsure of it. "We don't
        want X, so we do Y" still makes Y: a clause that introduces the alternative chosen, and
        is the part most like the point, rescues the sentence."""
        if checks.keypoint_tolerates_negation(kp.text) or not checks.declines(sentence):
            return False
        parts = checks.clauses(sentence)
        if len(parts) == 1:
            return True
        vectors = self._embedder().encode([text for text, _ in parts])
        best = int(np.argmax((vectors @ self._embedder().encode(kp.anchors()).T).max(axis=1)))
        text, rescues = parts[best]
        return not rescues or checks.declines(text)

    def _missing_part(self, kp: RubricPoint, said: str) -> str | None:
        """The part of a multi-part key point least like what the candidate said."""
        parts = [p.strip(" ,.;") for p in _PARTS.split(kp.text) if len(p.split()) >= 2]
        if len(parts) < 2:
            return None
        vectors = self._embedder().encode([*parts, said])
        return parts[int(np.argmin(vectors[:-1] @ vectors[-1]))]


def told_plainly(kp: RubricPoint, point: Point, speaking: Sequence[Passage]) -> Point:
    """`point`, or covered where one of two story points is said in plain words the judge
    often reads as unrelated to a point that lists examples: the result as a change in numbers
    ("incidents went from about three a month to one") and the teller's own part ("I owned that
    end to end")."""
    says = _PLAIN_STORY_LINES.get(kp.dimension) if kp.dimension is not None else None
    if says is None or point.status == "covered":
        return point
    said = next((p.text for p in speaking if p.question != "open" and says(p.text)), None)
    return Point(status="covered", evidence=[said]) if said else point


_PLAIN_STORY_LINES: dict[Dimension, Callable[[str], bool]] = {
    Dimension.metrics: substance.measures_a_change,
    Dimension.task: substance.states_ownership,
}


# Where a key point's text divides into parts: "X with Y", "X and Y", "X (Y)", "X, Y".
_PARTS = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s+with\s+|\s*\(|\)\s*|;\s*|\s+-\s+")
