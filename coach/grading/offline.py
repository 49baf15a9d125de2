"""The offline grader: semantic matching with a local embedding model plus interviewer checks.

For each key point it looks for a candidate sentence that is (1) close in meaning to the
point or one of its look-for phrasings, (2) more about this point than about another one of
the rubric, (3) about as close to it as to any key point of the *other* questions in the bank
(so a good answer to a different question earns nothing here), (4) asserted rather than
declined, postponed or asked, and (5) substantive: it carries a mechanism, a number or a
reason. Sentences addressed to the grader are removed first and flagged; they can never be
evidence.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.bank.loader import QuestionBank
from coach.grading import checks
from coach.grading.embedder import MODEL_ID, Embedder, get_embedder
from coach.grading.models import Flag, GraderInfo, Grading, Status, Verdict
from coach.grading.rubric import Rubric, RubricPoint
from coach.grading.text import Span, sentences


@dataclass(frozen=True)
class Thresholds:
    """Tuned on bench/devset (see README); one set for every rubric, no per-question tuning."""

    match: float = 0.40  # cosine similarity that counts as "about this point"
    consider: float = 0.30  # below this a sentence is not even a shallow mention
    margin: float = 0.02  # a sentence serves its nearest point, or one within this of it
    contrast: float = 0.06  # ... and may trail the best other-question key point by at most this
    duplicate: float = 0.60  # other questions' points this close to one of ours are not competition
    max_evidence: int = 2


def bank_texts(bank: QuestionBank) -> list[str]:
    """Every text the grader embeds for the bank; worth caching on disk."""
    return [a for q in bank.questions.values() for kp in q.key_points for a in kp.anchors()]


_ORDER: dict[Status, int] = {"covered": 3, "shallow": 2, "declined": 1, "missed": 0}


class OfflineGrader:
    kind = "offline"

    def __init__(
        self,
        embedder: Embedder | None = None,
        thresholds: Thresholds | None = None,
        bank: QuestionBank | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self._embedder = embedder
        self.thresholds = thresholds or Thresholds()
        self.bank = bank
        self.cache_dir = cache_dir
        # The background depends only on the rubric: built once, not on every grading.
        self._backgrounds: dict[Rubric, np.ndarray | None] = {}

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    def grade(self, rubric: Rubric, text: str) -> Grading:
        spans = sentences(text)
        flags = [Flag(quote=s.text) for s in spans if checks.addresses_grader(s.text)]
        flagged = {f.quote for f in flags}
        usable = [s for s in spans if s.text not in flagged]
        similarity = self._similarity(rubric, usable)
        eligible = self._contrast(rubric, usable, similarity)
        verdicts = [
            self._judge(kp, column, usable, similarity, eligible[:, column])
            for column, kp in enumerate(rubric.key_points)
        ]
        return Grading(verdicts=verdicts, flags=flags, grader=GraderInfo(kind="offline", model=MODEL_ID))

    def _similarity(self, rubric: Rubric, usable: list[Span]) -> np.ndarray:
        """Matrix [sentence, key point] of the best cosine over each point's anchors."""
        if not usable:
            return np.zeros((0, len(rubric.key_points)), dtype=np.float32)
        anchors = [kp.anchors() for kp in rubric.key_points]
        flat = [a for group in anchors for a in group]
        vectors = self.embedder.encode([s.text for s in usable] + flat)
        sent, anc = vectors[: len(usable)], vectors[len(usable) :]
        raw = sent @ anc.T
        out = np.empty((len(usable), len(anchors)), dtype=np.float32)
        col = 0
        for k, group in enumerate(anchors):
            out[:, k] = raw[:, col : col + len(group)].max(axis=1)
            col += len(group)
        return out

    def _contrast(self, rubric: Rubric, usable: list[Span], sim: np.ndarray) -> np.ndarray:
        """Mask [sentence, key point]: True where the sentence is not clearly about some other
        question's key point instead. All True without a bank to compare with."""
        if rubric not in self._backgrounds:
            background = self._background(rubric)
            self._backgrounds[rubric] = self.embedder.encode(background) if background else None
        vectors = self._backgrounds[rubric]
        if vectors is None or not usable:
            return np.ones_like(sim, dtype=bool)
        best_elsewhere = (self.embedder.encode([s.text for s in usable]) @ vectors.T).max(axis=1)
        return sim >= best_elsewhere[:, None] - self.thresholds.contrast

    def _background(self, rubric: Rubric) -> list[str]:
        """Anchors of the other questions' key points that are about something else.

        A point another question shares with this rubric (the same idea, asked elsewhere, or
        a custom rubric restating a bank point) is not competition, so it is left out. Like is
        compared with like: a rubric of bare key-point texts meets the other points' texts only.
        """
        if self.bank is None:
            return []
        others = [kp for q in self.bank.questions.values() if q.id != rubric.question_id for kp in q.key_points]
        own = [a for kp in rubric.key_points for a in kp.anchors()]
        if self.cache_dir is not None:
            self.embedder.warm(bank_texts(self.bank), self.cache_dir)
        vectors = self.embedder.encode([kp.text for kp in others] + own)
        nearest_own = (vectors[: len(others)] @ vectors[len(others) :].T).max(axis=1)
        full = any(kp.look_for or kp.strong_answer for kp in rubric.key_points)
        kept = [kp for kp, near in zip(others, nearest_own, strict=True) if near < self.thresholds.duplicate]
        return [a for kp in kept for a in kp.anchors()] if full else [kp.text for kp in kept]

    def _judge(self, kp: RubricPoint, k: int, usable: list[Span], sim: np.ndarray, eligible: np.ndarray) -> Verdict:
        t = self.thresholds
        best_status: Status = "missed"
        evidence: list[str] = []
        if len(usable):
            best_other = np.max(np.delete(sim, k, axis=1), axis=1) if sim.shape[1] > 1 else np.zeros(len(usable))
            for i in np.argsort(-sim[:, k]):
                score = float(sim[i, k])
                if score < t.consider:
                    break
                if score < best_other[i] - t.margin or not eligible[i]:
                    continue  # this sentence is really about another key point
                status = self._status(kp, usable, int(i), score, sim[:, k])
                if status == "covered":
                    evidence.append(usable[i].text)
                    if len(evidence) >= t.max_evidence:
                        break
                if _ORDER[status] > _ORDER[best_status]:
                    best_status = status
        return Verdict(id=kp.id, status=best_status, evidence=evidence)

    def _status(self, kp: RubricPoint, usable: list[Span], i: int, score: float, column: np.ndarray) -> Status:
        sentence = usable[i].text
        asking_is_the_point = kp.dimension is not None and kp.dimension.value == "requirements"
        if checks.is_question(sentence) and not asking_is_the_point:
            return "shallow" if score >= self.thresholds.match else "missed"
        if not checks.keypoint_tolerates_negation(kp.text) and self._declined(kp, sentence):
            return "declined"
        if score < self.thresholds.match:
            return "missed"
        # A mechanism often follows in the next sentence ("We shard. Each user ...").
        following = usable[i + 1].text if i + 1 < len(usable) and column[i + 1] >= self.thresholds.match else ""
        if checks.has_substance(sentence) or (following and checks.has_substance(f"{sentence} {following}")):
            return "covered"
        return "shallow"

    def _declined(self, kp: RubricPoint, sentence: str) -> bool:
        if not checks.declines(sentence):
            return False
        parts = checks.clauses(sentence)
        if len(parts) == 1:
            return True
        # "We don't want X, so we do Y" covers Y: a clause that introduces the alternative
        # chosen, and carries the point best, rescues the sentence. Anything else declines.
        texts = [text for text, _ in parts]
        vectors = self.embedder.encode(texts + kp.anchors())
        part_vecs, anchor_vecs = vectors[: len(texts)], vectors[len(texts) :]
        best = int(np.argmax((part_vecs @ anchor_vecs.T).max(axis=1)))
        text, rescues = parts[best]
        return not rescues or checks.declines(text)
