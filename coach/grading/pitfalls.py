"""Pitfalls: sentences in which the candidate falls into one of a question's known pitfalls.

Such a sentence is a mistake and never evidence for any key point. A pitfall is the wrong
version of some key point, which it makes incorrect unless the point is made right elsewhere.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

import numpy as np

from coach.bank.loader import QuestionBank
from coach.bank.models import Kind, Pitfall
from coach.grading.embedder import Embedder
from coach.grading.judge import ASSERTS, Judge
from coach.grading.models import Mistake, Verdict
from coach.grading.passages import Passage, Transcript
from coach.grading.rubric import Rubric

if TYPE_CHECKING:
    from coach.grading.offline import Settings


class PitfallFinder:
    def __init__(self, embedder: Embedder, judge: Judge, settings: Settings, bank: QuestionBank | None) -> None:
        self.embedder = embedder
        self.judge = judge
        self.settings = settings
        self.bank = bank

    def pitfalls(self, rubric: Rubric) -> list[Pitfall]:
        return rubric_pitfalls(rubric, self.bank)

    def hits(self, rubric: Rubric, usable: list[Passage], vectors: np.ndarray) -> dict[int, Pitfall]:
        """Sentences (by index) that fall into a pitfall: mistakes, and never evidence for
        any point. A sentence must sound more like the pitfall than like any key point made
        right (a counter in base62 is the point, not the enumeration pitfall), and the judge
        must read it as the pitfall; one near several counts under the surest."""
        pitfalls = self.pitfalls(rubric)
        if not usable or not pitfalls:
            return {}
        points = self.embedder.encode([a for kp in rubric.key_points for a in kp.anchors()])
        like_a_point = (vectors @ points.T).max(axis=1)
        best: dict[int, tuple[float, Pitfall]] = {}
        for pitfall in pitfalls:
            anchors = self.embedder.encode([pitfall.text, *pitfall.phrasings])
            sim = (vectors @ anchors.T).max(axis=1)
            near = [
                int(n) for n in np.argsort(-sim)[:3]
                if sim[n] >= self.settings.pitfall_floor and sim[n] >= like_a_point[n] - self.settings.pitfall_margin
            ]  # fmt: skip
            if not near:
                continue
            probs = self.judge.probabilities([(pitfall.text, usable[n].claim) for n in near])
            for n, p in zip(near, probs[:, ASSERTS], strict=True):
                if _AVOIDED.search(usable[n].text):
                    continue  # argues against the pitfall ("blocking everything would be worse")
                if p >= self.settings.pitfall and p > best.get(usable[n].index, (0.0, pitfall))[0]:
                    best[usable[n].index] = (float(p), pitfall)
        for pitfall in pitfalls:
            for passage in usable:
                if said_outright(pitfall, passage.text):
                    best[passage.index] = (1.0, pitfall)
        return {i: pitfall for i, (_, pitfall) in sorted(best.items())}

    def mistakes(self, rubric: Rubric, hits: dict[int, Pitfall], transcript: Transcript, verdicts: list[Verdict]) -> list[Mistake]:
        """Each pitfall sentence as a mistake. A pitfall is the candidate's (wrong) version of
        some key point, the one its words and the pitfall's are most like: that point, unless
        made correctly elsewhere, is incorrect, and the mistake names it."""
        anchors = [self.embedder.encode(kp.anchors()) for kp in rubric.key_points]
        mistakes = []
        for index, pitfall in hits.items():
            quote = transcript.passages[index].text
            why = pitfall.why or f"A known pitfall: {pitfall.text[0].lower()}{pitfall.text[1:]}."
            probe = self.embedder.encode([quote, pitfall.text, *pitfall.phrasings])
            scores = [float((probe @ a.T).max()) for a in anchors]
            best = int(np.argmax(scores))
            point = rubric.key_points[best].id if scores[best] >= self.settings.pitfall_link else None
            mistakes.append(Mistake(kind="pitfall", quote=quote, why=why, key_point=point, pitfall=pitfall.text))
            if point is not None and verdicts[best].status in ("missed", "shallow", "declined"):
                verdicts[best] = Verdict(id=point, status="incorrect", note=f'Falls into a known pitfall: "{quote}"')
        return mistakes


def rubric_pitfalls(rubric: Rubric, bank: QuestionBank | None) -> list[Pitfall]:
    """The rubric's pitfalls, and the ones every answer of its kind can fall into (blame in a
    story; a managed service that "can't fail" or a hash taken as unique in a design). A rubric
    that is not a STAR story is read as a design rubric."""
    extra: tuple[Pitfall, ...] = ()
    if bank is not None:
        kind = Kind.behavioral if _kind(rubric) is Kind.behavioral else Kind.system_design
        own = {q.text for q in rubric.pitfalls}
        extra = tuple(p for p in bank.generic_pitfalls.get(kind, ()) if p.text not in own)
    return [*rubric.pitfalls, *extra]


def _kind(rubric: Rubric) -> Kind | None:
    if rubric.kind is not None:
        return rubric.kind
    star = {"situation", "task", "action", "result", "metrics", "reflection"}
    dims = {kp.dimension.value for kp in rubric.key_points if kp.dimension is not None}
    return Kind.behavioral if dims and dims <= star else None


# "Don't assume a managed service can't go down", "even managed services fail", "blocking all
# traffic would be worse": the pitfall named in order to avoid it.
_AVOIDED = re.compile(
    r"\b(?:can'?t|cannot|don'?t|do\s+not|never|shouldn'?t|mustn'?t|wouldn'?t)\s+(?:just\s+)?(?:assume|trust|rely|count\s+on|believe)|"
    r"\b(?:even|still)\s+(?:a\s+)?managed|\bpitfall|\bmistake|\bnaive(?:ly)?\b|\bwrong\b|"
    r"\bwould\s+be\s+(?:bad|worse|a\s+disaster)\b|\b(?:is|are)\s+worse\s+than\b",
    re.IGNORECASE,
)


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def said_outright(pitfall: Pitfall, sentence: str) -> bool:
    """True if the sentence falls into the pitfall in words no reading could excuse (one of
    its `patterns`), without naming the fix (`unless`) or the pitfall as one to avoid."""
    if not pitfall.patterns or not any(_compiled(p).search(sentence) for p in pitfall.patterns):
        return False
    if pitfall.unless and _compiled(pitfall.unless).search(sentence):
        return False
    return not _AVOIDED.search(sentence)
