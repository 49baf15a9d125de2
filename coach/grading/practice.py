"""Pick the bank questions that best practise what an answer missed."""

from __future__ import annotations

from coach.bank.loader import QuestionBank
from coach.grading.embedder import Embedder
from coach.grading.models import GradeReport, Practice
from coach.grading.rubric import Rubric


def recommend(bank: QuestionBank, rubric: Rubric, report: GradeReport, embedder: Embedder, k: int = 3) -> list[Practice]:
    """Up to `k` other questions whose key points are closest to the missed ones.

    With nothing missed, suggest harder questions that share a topic with this one.
    """
    # A design interview is practised with design questions, a STAR story with STAR stories.
    others = [q for q in bank.questions.values() if q.id != rubric.question_id and (rubric.kind is None or q.kind == rubric.kind)]
    missed = [r for r in report.key_points if not r.covered]
    if not missed:
        topics = set(rubric.topics)
        harder = [q for q in others if q.difficulty == "hard" and topics & set(q.topics)]
        return [Practice(question_id=q.id, title=q.title, reason="You covered every point; try a harder question on the same topics.") for q in sorted(harder, key=lambda q: q.id)[:k]]
    candidates = [(q, kp) for q in others for kp in q.key_points]
    if not candidates:
        return []
    vectors = embedder.encode([r.text for r in missed] + [kp.text for _, kp in candidates])
    sims = vectors[: len(missed)] @ vectors[len(missed) :].T
    best: dict[str, tuple[float, Practice]] = {}
    for m_index, m in enumerate(missed):
        for c_index, (q, kp) in enumerate(candidates):
            s = float(sims[m_index, c_index]) * (1 + 0.5 * m.weight / 5)
            if q.id not in best or s > best[q.id][0]:
                reason = f"Practises what you missed ({m.text[0].lower()}{m.text[1:]}) through: {kp.text[0].lower()}{kp.text[1:]}."
                best[q.id] = (s, Practice(question_id=q.id, title=q.title, reason=reason))
    ranked = sorted(best.values(), key=lambda pair: -pair[0])
    return [p for _, p in ranked[:k]]
