"""The offline grader: what a careful interviewer decides about each key point, on the CPU.

For every key point it
1. retrieves the candidate's passages (windows of 1-3 sentences) that sound most like the
   point or its look-for phrasings, with the sentence embedder;
2. asks the judge (a cross-encoder fine-tuned by this project) what each passage does with
   the point: makes it, part of it, only names it, turns it down, gets it wrong, or neither;
3. checks what the judge cannot see: only the candidate's words count; agreeing with the
   interviewer, open questions and text addressed to the grader make no point; a sentence
   that falls into a known pitfall is a mistake, never evidence; a point needs substance;
   an estimate's numbers are checked against the reference figures (coach.grading.figures).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from coach.bank.loader import QuestionBank
from coach.bank.models import STAR_DIMENSIONS
from coach.grading import arithmetic, estimates, substance
from coach.grading.decide import Point, PointDecider, Window, told_plainly
from coach.grading.embedder import Embedder, get_embedder
from coach.grading.judge import ASSERTS, INCORRECT, Judge, get_judge
from coach.grading.judge import MODEL_ID as JUDGE_ID
from coach.grading.models import Flag, GraderInfo, Grading, Mistake, Verdict
from coach.grading.passages import Passage, Transcript, read
from coach.grading.pitfalls import PitfallFinder
from coach.grading.rubric import Rubric, RubricPoint

MODEL_ID = f"{JUDGE_ID} + all-MiniLM-L6-v2 retrieval"


@dataclass(frozen=True)
class Settings:
    """Chosen on the dev split of bench/eval (see README); one set for every rubric."""

    windows: int = 4  # passages the judge reads per key point
    window_sentences: int = 2  # the longest passage it reads, in sentences
    floor: float = 0.12  # a window less like the point than this is not worth reading
    cover: float = 0.65  # p(asserts) that makes a point covered
    # ... for a point with nothing but its text (a custom rubric without look-for lines or a
    # strong answer), where the judge has less to go on and reads lower
    cover_plain: float = 0.35
    settle: float = 0.9  # p(asserts) of a single sentence that settles a point without reading longer windows
    partial: float = 0.55  # p(asserts) + p(partial) that makes it partial
    incorrect: float = 0.7  # p(incorrect) that makes it incorrect: an accusation needs a sure reading
    # A passage the judge reads as making the point but also, this much as likely relative to
    # that, as a wrong version of it (p(incorrect) >= contested x p(asserts)) is contested:
    # partial at most. A point with nothing but its text has its own ratio.
    contested: float = 0.25
    contested_plain: float = 0.2
    declined: float = 0.5
    shallow: float = 0.6  # p(shallow) + p(asserts) + p(partial) for a mention without substance
    pitfall: float = 0.65  # p(asserts) of a pitfall that makes a sentence a mistake
    pitfall_floor: float = 0.3  # similarity to a pitfall worth asking the judge about
    pitfall_link: float = 0.2  # similarity that ties a pitfall to the key point it gets wrong
    pitfall_margin: float = 0.0  # a pitfall sentence may sound this much more like a key point, at most
    near_miss_margin: float = 0.05  # closer to a near miss than to the point by this: not evidence
    # Closer by this to a key point of another bank question than to this point: not evidence
    # (a good answer to a different question earns nothing here).
    contrast: float = 0.1
    duplicate: float = 0.6  # another question's point this like one of ours is no competition
    max_evidence: int = 2
    plain_story_lines: bool = True  # a change in numbers, and "I owned it", make those story points
    # p(asserts) of a window read against the strong answer that overturns an accusation
    dispute: float = 0.5


def bank_texts(bank: QuestionBank) -> list[str]:
    """Every text the grader embeds for the bank; worth caching on disk."""
    pitfalls = [p for q in bank.questions.values() for p in q.pitfalls] + [p for ps in bank.generic_pitfalls.values() for p in ps]
    return [a for q in bank.questions.values() for kp in q.key_points for a in kp.anchors()] + [
        t for p in pitfalls for t in (p.text, *p.phrasings)
    ]


class OfflineGrader:
    kind = "offline"

    def __init__(
        self,
        embedder: Embedder | None = None,
        settings: Settings | None = None,
        bank: QuestionBank | None = None,
        cache_dir: Path | None = None,
        judge: Judge | None = None,
    ) -> None:
        self._embedder = embedder
        self._judge = judge
        self.settings = settings or Settings()
        self.bank = bank
        self.cache_dir = cache_dir
        # Other questions' key points to contrast a rubric with: they depend only on the rubric.
        self._backgrounds: dict[Rubric, np.ndarray | None] = {}
        self._decider = PointDecider(lambda: self.embedder, self.settings)

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = get_embedder()
        return self._embedder

    @property
    def judge(self) -> Judge:
        if self._judge is None:
            self._judge = get_judge()
        return self._judge

    def _pitfall_finder(self) -> PitfallFinder:
        return PitfallFinder(self.embedder, self.judge, self.settings, self.bank)

    def grade(self, rubric: Rubric, text: str) -> Grading:
        return self.grade_transcript(rubric, read(text))

    def grade_transcript(self, rubric: Rubric, transcript: Transcript, settled: dict[str, Verdict] | None = None) -> Grading:
        """Grade `transcript`; key points in `settled` (live coverage: already covered) keep
        their verdict without being judged again."""
        settled = settled or {}
        passages = transcript.passages
        flags = [Flag(quote=p.text) for p in passages if p.to_grader]
        usable = [p for p in passages if not p.to_grader]
        if self.cache_dir is not None and self.bank is not None:
            self.embedder.warm(bank_texts(self.bank), self.cache_dir)
        vectors = self.embedder.encode([p.claim for p in usable])
        hits = self._pitfall_finder().hits(rubric, usable, vectors)
        # A sentence with a wrong figure is a mistake, never evidence for another point either.
        wrong = {usable[i].index for i in estimates.wrong_sentences(rubric, [p.text for p in usable])}
        sums = {p.index: why for p in usable if (why := arithmetic.wrong_sum(p.text))}
        wrong |= set(sums)
        speaking = [p for p in usable if not p.echo and p.index not in hits and p.index not in wrong]
        elsewhere = self._elsewhere(rubric, vectors)
        chosen = [[] if kp.id in settled else self._retrieve(kp, transcript, speaking, usable, vectors, elsewhere) for kp in rubric.key_points]
        points = [
            self._decider.decide(kp, windows, probs, transcript) if windows else Point()
            for kp, (windows, probs) in zip(rubric.key_points, self._read(rubric, transcript, chosen), strict=True)
        ]
        if self.settings.plain_story_lines:
            points = [told_plainly(kp, p, speaking) for kp, p in zip(rubric.key_points, points, strict=True)]
        verdicts = [
            settled.get(kp.id) or Verdict(id=kp.id, status=p.status, evidence=p.evidence, note=p.note)
            for kp, p in zip(rubric.key_points, points, strict=True)
        ]
        verdicts, mistakes = estimates.review(rubric, verdicts, [p.text for p in usable], self.settings.max_evidence)
        mistakes += self._pitfall_finder().mistakes(rubric, hits, transcript, verdicts)
        mistakes += self._claim_mistakes(rubric, points, verdicts, mistakes)
        said = {m.quote for m in mistakes}
        mistakes += [Mistake(kind="figure", quote=transcript.passages[i].text, why=why) for i, why in sums.items() if transcript.passages[i].text not in said]
        return Grading(verdicts=verdicts, flags=flags, mistakes=mistakes, grader=GraderInfo(kind="offline", model=MODEL_ID))

    def _claim_mistakes(self, rubric: Rubric, points: list[Point], verdicts: list[Verdict], mistakes: list[Mistake]) -> list[Mistake]:
        """The judge's wrong versions of key points, as mistakes. A sentence read as a wrong
        version of several points is the wrong version of the one it is most like; the others
        go back to missed rather than carry an accusation that is not theirs."""
        claimed: dict[str, list[int]] = {}
        for k, (point, verdict) in enumerate(zip(points, verdicts, strict=True)):
            if verdict.status == "incorrect" and point.wrong:
                claimed.setdefault(" ".join(point.wrong), []).append(k)
        out = []
        for quote, ks in claimed.items():
            if len(ks) > 1:
                said = self.embedder.encode([quote])[0]
                ks = sorted(ks, key=lambda k: -float((self.embedder.encode(rubric.key_points[k].anchors()) @ said).max()))
                for k in ks[1:]:
                    verdicts[k] = Verdict(id=verdicts[k].id, status="missed")
            kp = rubric.key_points[ks[0]]
            if not any(quote in m.quote or m.quote in quote for m in mistakes):
                why = f"This does not achieve what the key point asks: {kp.text[0].lower()}{kp.text[1:]}."
                out.append(Mistake(kind="claim", quote=quote, why=why, key_point=kp.id))
        return out

    def candidates(self, rubric: Rubric, transcript: Transcript) -> list[list[str]]:
        """For each key point, the passages the judge would read (training mines these from
        labelled answers, so the judge learns on what it will really be shown)."""
        usable = [p for p in transcript.passages if not p.to_grader]
        vectors = self.embedder.encode([p.claim for p in usable])
        speaking = [p for p in usable if not p.echo]
        return [
            [transcript.claim(w) for w in self._retrieve(kp, transcript, speaking, usable, vectors, self._elsewhere(rubric, vectors))]
            for kp in rubric.key_points
        ]

    def _elsewhere(self, rubric: Rubric, vectors: np.ndarray) -> np.ndarray | None:
        """Each usable sentence's similarity to the nearest key point of another bank question."""
        if self.settings.contrast >= 1 or self.bank is None or not len(vectors):
            return None
        if rubric not in self._backgrounds:
            self._backgrounds[rubric] = self._background(rubric)
        background = self._backgrounds[rubric]
        return None if background is None else (vectors @ background.T).max(axis=1)

    def _background(self, rubric: Rubric) -> np.ndarray | None:
        """Vectors of the other questions' key points that are about something else. A point
        another question shares with this rubric (the same idea asked elsewhere, or a custom
        rubric restating a bank point) is no competition. Like is compared with like: a rubric
        of bare key-point texts meets the other points' texts only."""
        assert self.bank is not None
        others = [kp for q in self.bank.questions.values() if q.id != rubric.question_id for kp in q.key_points]
        own = self.embedder.encode([a for kp in rubric.key_points for a in kp.anchors()])
        texts = self.embedder.encode([kp.text for kp in others])
        kept = [kp for kp, near in zip(others, (texts @ own.T).max(axis=1), strict=True) if near < self.settings.duplicate]
        full = any(kp.look_for or kp.strong_answer for kp in rubric.key_points)
        anchors = [a for kp in kept for a in (kp.anchors() if full else [kp.text])]
        return self.embedder.encode(anchors) if anchors else None

    # --- one key point -----------------------------------------------------------------------

    def _retrieve(
        self,
        kp: RubricPoint,
        transcript: Transcript,
        speaking: list[Passage],
        usable: list[Passage],
        vectors: np.ndarray,
        elsewhere: np.ndarray | None = None,
    ) -> list[Window]:
        """The passages worth the judge's time for `kp`: the two sentences most like it on
        their own (a point made in one sentence is judged on that sentence), then the
        best-scoring longer windows, up to `settings.windows` in all."""
        s = self.settings
        asking_is_the_point = kp.dimension is not None and kp.dimension.value == "requirements"
        allowed = [p for p in speaking if p.question != "open" or asking_is_the_point]
        if not allowed:
            return []
        row = {p.index: n for n, p in enumerate(usable)}
        own = np.stack([vectors[row[p.index]] for p in allowed])
        anchors = self.embedder.encode(kp.anchors())
        sim = (own @ anchors.T).max(axis=1)
        if elsewhere is not None:
            other = elsewhere[[row[p.index] for p in allowed]]
            sim = np.where(other > sim + s.contrast, -1.0, sim)
        if kp.near_misses:
            near = (own @ self.embedder.encode(list(kp.near_misses)).T).max(axis=1)
            sim = np.where(near > sim + s.near_miss_margin, -1.0, sim)
        chosen: list[Window] = [(allowed[n].index,) for n in np.argsort(-sim)[:2] if sim[n] >= s.floor]
        by_index = {p.index: n for n, p in enumerate(allowed)}
        story = kp.dimension in STAR_DIMENSIONS
        longer = [w for w in transcript.windows([p.index for p in allowed], s.window_sentences, across_turns=story) if len(w) > 1]
        scores = [self._window_score(w, by_index, own, anchors) for w in longer]
        for n in np.argsort(-np.array(scores)):
            if len(chosen) >= s.windows or scores[n] < s.floor:
                break
            chosen.append(longer[n])
        return chosen

    def _window_score(self, window: tuple[int, ...], by_index: dict[int, int], own: np.ndarray, anchors: np.ndarray) -> float:
        v = own[[by_index[i] for i in window]].sum(axis=0)
        return float((anchors @ (v / np.linalg.norm(v))).max())

    def _read(self, rubric: Rubric, transcript: Transcript, chosen: list[list[Window]]) -> list[tuple[list[Window], np.ndarray]]:
        """The judge's reading of every chosen window, in two rounds: first the two sentences
        most like each point; the longer windows only for points those did not settle. A point
        made plainly in one sentence costs two readings, not five."""
        first = [windows[:2] for windows in chosen]
        read = self._judge_windows(rubric, transcript, first)
        sure = [
            any(p[ASSERTS] >= self.settings.settle and substance.substance_for(kp.dimension)(transcript.claim(w)) for w, p in zip(ws, ps, strict=True))
            for kp, ws, ps in zip(rubric.key_points, first, read, strict=True)
        ]
        rest = [[] if done else windows[2:] for windows, done in zip(chosen, sure, strict=True)]
        more = self._judge_windows(rubric, transcript, rest)
        return [(a + b, np.concatenate([pa, pb])) for a, b, pa, pb in zip(first, rest, read, more, strict=True)]

    def _judge_windows(self, rubric: Rubric, transcript: Transcript, chosen: list[list[Window]]) -> list[np.ndarray]:
        """One judge call for the windows of every point (its cache makes repeats free).

        An accusation gets a second reading. The judge can take a right answer put in other
        words for a wrong version of a terse point ("Redirects check a Redis cache first" read
        as the pitfall of reading the store first). Where the point has a strong answer, a
        window read as wrong is read again against it; if that reading finds the point made,
        it replaces the first."""
        pairs = [(kp.text, transcript.claim(w)) for kp, windows in zip(rubric.key_points, chosen, strict=True) for w in windows]
        probs = self.judge.probabilities(pairs)
        out, at = [], 0
        for kp, windows in zip(rubric.key_points, chosen, strict=True):
            p = probs[at : at + len(windows)].copy()
            at += len(windows)
            accused = [n for n in range(len(windows)) if p[n, INCORRECT] >= self.settings.incorrect]
            if accused and kp.strong_answer:
                q = self.judge.probabilities([(kp.strong_answer, transcript.claim(windows[n])) for n in accused])
                for n, again in zip(accused, q, strict=True):
                    if again[ASSERTS] >= self.settings.dispute:
                        p[n] = again
            out.append(p)
        return out
