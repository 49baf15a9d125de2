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

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from coach.bank.loader import QuestionBank
from coach.bank.models import Kind, Pitfall
from coach.grading import checks, estimates
from coach.grading.embedder import Embedder, get_embedder
from coach.grading.judge import ASSERTS, DECLINED, INCORRECT, PARTIAL, SHALLOW, Judge, get_judge
from coach.grading.judge import MODEL_ID as JUDGE_ID
from coach.grading.models import Flag, GraderInfo, Grading, Mistake, Status, Verdict
from coach.grading.passages import Passage, Transcript, read
from coach.grading.rubric import Rubric, RubricPoint

MODEL_ID = f"{JUDGE_ID} + all-MiniLM-L6-v2 retrieval"


@dataclass(frozen=True)
class Settings:
    """Chosen on the dev split of bench/eval (see README); one set for every rubric."""

    windows: int = 5  # passages the judge reads per key point
    window_sentences: int = 2  # the longest passage it reads, in sentences
    floor: float = 0.12  # a window less like the point than this is not worth reading
    cover: float = 0.5  # p(asserts) that makes a point covered
    # ... for a point with nothing but its text (a custom rubric without look-for lines or a
    # strong answer), where the judge has less to go on and reads lower
    cover_plain: float = 0.4
    cover_similarity: float = 0.0  # ... read in a window at least this like the point
    settle: float = 0.9  # p(asserts) of a single sentence that settles a point without reading longer windows
    partial: float = 0.45  # p(asserts) + p(partial) that makes it partial
    incorrect: float = 0.7  # p(incorrect) that makes it incorrect: an accusation needs a sure reading
    declined: float = 0.5
    shallow: float = 0.4  # p(shallow) + p(asserts) for a mention without substance
    pitfall: float = 0.8  # p(asserts) of a pitfall that makes a sentence a mistake
    pitfall_floor: float = 0.3  # similarity to a pitfall worth asking the judge about
    pitfall_link: float = 0.2  # similarity that ties a pitfall to the key point it gets wrong
    pitfall_margin: float = 0.0  # a pitfall sentence may sound this much more like a key point, at most
    near_miss_margin: float = 0.05  # closer to a near miss than to the point by this: not evidence
    max_evidence: int = 2


def bank_texts(bank: QuestionBank) -> list[str]:
    """Every text the grader embeds for the bank; worth caching on disk."""
    pitfalls = [p for q in bank.questions.values() for p in q.pitfalls] + [p for ps in bank.generic_pitfalls.values() for p in ps]
    return [a for q in bank.questions.values() for kp in q.key_points for a in kp.anchors()] + [
        t for p in pitfalls for t in (p.text, *p.phrasings)
    ]


@dataclass(frozen=True)
class _Window:
    """Consecutive passages the judge reads for a key point, and how like the point they are."""

    indexes: tuple[int, ...]
    similarity: float


@dataclass
class _Point:
    """What the passages say about one key point, as the grader works through them."""

    status: Status = "missed"
    evidence: list[str] = field(default_factory=list)
    note: str | None = None
    wrong: list[str] = field(default_factory=list)  # windows the judge read as a wrong version


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
        hits = self._pitfall_hits(rubric, usable, vectors)
        # A sentence with a wrong figure is a mistake, never evidence for another point either.
        wrong = {usable[i].index for i in estimates.wrong_sentences(rubric, [p.text for p in usable])}
        speaking = [p for p in usable if not p.echo and p.index not in hits and p.index not in wrong]
        chosen = [[] if kp.id in settled else self._retrieve(kp, transcript, speaking, usable, vectors) for kp in rubric.key_points]
        points = [
            self._decide(kp, windows, probs, transcript) if windows else _Point()
            for kp, (windows, probs) in zip(rubric.key_points, self._read(rubric, transcript, chosen), strict=True)
        ]
        verdicts = [
            settled.get(kp.id) or Verdict(id=kp.id, status=p.status, evidence=p.evidence, note=p.note)
            for kp, p in zip(rubric.key_points, points, strict=True)
        ]
        verdicts, mistakes = estimates.review(rubric, verdicts, [p.text for p in usable], self.settings.max_evidence)
        mistakes += self._pitfall_mistakes(rubric, hits, transcript, verdicts)
        for kp, point, verdict in zip(rubric.key_points, points, verdicts, strict=True):
            for quote in point.wrong if verdict.status == "incorrect" else []:
                if not any(quote in m.quote or m.quote in quote for m in mistakes):
                    why = f"This does not achieve what the key point asks: {kp.text[0].lower()}{kp.text[1:]}."
                    mistakes.append(Mistake(kind="claim", quote=quote, why=why, key_point=kp.id))
        return Grading(verdicts=verdicts, flags=flags, mistakes=mistakes, grader=GraderInfo(kind="offline", model=MODEL_ID))

    def candidates(self, rubric: Rubric, transcript: Transcript) -> list[list[str]]:
        """For each key point, the passages the judge would read (training mines these from
        labelled answers, so the judge learns on what it will really be shown)."""
        usable = [p for p in transcript.passages if not p.to_grader]
        vectors = self.embedder.encode([p.claim for p in usable])
        speaking = [p for p in usable if not p.echo]
        return [
            [" ".join(transcript.passages[i].claim for i in w.indexes) for w in self._retrieve(kp, transcript, speaking, usable, vectors)]
            for kp in rubric.key_points
        ]

    # --- one key point -----------------------------------------------------------------------

    def _retrieve(
        self, kp: RubricPoint, transcript: Transcript, speaking: list[Passage], usable: list[Passage], vectors: np.ndarray
    ) -> list[_Window]:
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
        if kp.near_misses:
            near = (own @ self.embedder.encode(list(kp.near_misses)).T).max(axis=1)
            sim = np.where(near > sim + s.near_miss_margin, -1.0, sim)
        chosen = [_Window((allowed[n].index,), float(sim[n])) for n in np.argsort(-sim)[:2] if sim[n] >= s.floor]
        by_index = {p.index: n for n, p in enumerate(allowed)}
        longer = [w for w in transcript.windows([p.index for p in allowed], s.window_sentences) if len(w) > 1]
        scores = [self._window_score(w, by_index, own, anchors) for w in longer]
        for n in np.argsort(-np.array(scores)):
            if len(chosen) >= s.windows or scores[n] < s.floor:
                break
            chosen.append(_Window(longer[n], scores[n]))
        return chosen

    def _window_score(self, window: tuple[int, ...], by_index: dict[int, int], own: np.ndarray, anchors: np.ndarray) -> float:
        v = own[[by_index[i] for i in window]].sum(axis=0)
        return float((anchors @ (v / np.linalg.norm(v))).max())

    def _read(self, rubric: Rubric, transcript: Transcript, chosen: list[list[_Window]]) -> list[tuple[list[_Window], np.ndarray]]:
        """The judge's reading of every chosen window, in two rounds: first the two sentences
        most like each point; the longer windows only for points those did not settle. A point
        made plainly in one sentence costs two readings, not five."""
        s = self.settings

        def claims(w: _Window) -> str:
            return " ".join(transcript.passages[i].claim for i in w.indexes)

        first = [windows[:2] for windows in chosen]
        read = self._judge_windows(rubric, first, claims)
        sure = [
            any(p[ASSERTS] >= s.settle and checks.has_substance(claims(w)) for w, p in zip(ws, ps, strict=True))
            for ws, ps in zip(first, read, strict=True)
        ]
        rest = [[] if done else windows[2:] for windows, done in zip(chosen, sure, strict=True)]
        more = self._judge_windows(rubric, rest, claims)
        return [(a + b, np.concatenate([pa, pb])) for a, b, pa, pb in zip(first, rest, read, more, strict=True)]

    def _judge_windows(self, rubric: Rubric, chosen: list[list[_Window]], claims) -> list[np.ndarray]:  # noqa: ANN001
        """One judge call for the windows of every point (its cache makes repeats free)."""
        pairs = [(kp.text, claims(w)) for kp, windows in zip(rubric.key_points, chosen, strict=True) for w in windows]
        probs = self.judge.probabilities(pairs)
        out, at = [], 0
        for windows in chosen:
            out.append(probs[at : at + len(windows)])
            at += len(windows)
        return out

    def _decide(self, kp: RubricPoint, chosen: list[_Window], probs: np.ndarray, transcript: Transcript) -> _Point:
        s = self.settings
        point = _Point()
        windows = [w.indexes for w in chosen]
        texts = [" ".join(transcript.passages[i].claim for i in w) for w in windows]

        def quote(n: int) -> list[str]:
            """The window's words as verbatim quotes: one per run of adjacent sentences."""
            runs: list[list[int]] = []
            for i in windows[n]:
                if runs and runs[-1][-1] == i - 1:
                    runs[-1].append(i)
                else:
                    runs.append([i])
            return [" ".join(transcript.passages[i].text for i in run) for run in runs]

        substance = [checks.has_substance(t) for t in texts]
        # A window that turns the idea down or puts it off makes no point, whatever it names.
        declined = [any(self._declined(kp, transcript.passages[i].text) for i in w) for w in windows]
        cover = s.cover if kp.look_for or kp.strong_answer else s.cover_plain
        covering = [
            n for n, w in enumerate(chosen)
            if probs[n, ASSERTS] >= cover and substance[n] and not declined[n] and w.similarity >= s.cover_similarity
        ]  # fmt: skip
        if covering:
            # Evidence is the fewest sentences that make the point: shorter windows first.
            used: set[int] = set()
            for n in sorted(covering, key=lambda n: (len(windows[n]), -probs[n, ASSERTS])):
                if not used & set(windows[n]) and len(point.evidence) < s.max_evidence:
                    point.evidence += quote(n)
                    used |= set(windows[n])
            point.status = "covered"
            return point
        part = np.where(declined, 0.0, probs[:, ASSERTS] + probs[:, PARTIAL])
        best = int(np.argmax(part))
        if part[best] >= s.partial and substance[best]:
            point.status = "partial"
            point.evidence += quote(best)
            missing = self._missing_part(kp, texts[best])
            point.note = f"Part of the point is made; missing: {missing}." if missing else None
            return point
        wrong = [n for n in range(len(chosen)) if probs[n, INCORRECT] >= s.incorrect]
        if wrong:
            point.status = "incorrect"
            point.wrong = quote(wrong[0])
            return point
        if any(probs[n, DECLINED] >= s.declined or (declined[n] and probs[n, ASSERTS] + probs[n, DECLINED] >= s.shallow) for n in range(len(chosen))):
            point.status = "declined"
            return point
        if any(probs[n, SHALLOW] + probs[n, ASSERTS] + probs[n, PARTIAL] >= s.shallow for n in range(len(chosen))):
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
        vectors = self.embedder.encode([text for text, _ in parts])
        best = int(np.argmax((vectors @ self.embedder.encode(kp.anchors()).T).max(axis=1)))
        text, rescues = parts[best]
        return not rescues or checks.declines(text)

    def _missing_part(self, kp: RubricPoint, said: str) -> str | None:
        """The part of a multi-part key point least like what the candidate said."""
        parts = [p.strip(" ,.;") for p in _PARTS.split(kp.text) if len(p.split()) >= 2]
        if len(parts) < 2:
            return None
        vectors = self.embedder.encode([*parts, said])
        return parts[int(np.argmin(vectors[:-1] @ vectors[-1]))]

    # --- pitfalls -----------------------------------------------------------------------------

    def _pitfalls(self, rubric: Rubric) -> list[Pitfall]:
        """The rubric's pitfalls, and for behavioural rubrics the ones every story can fall into."""
        extra: tuple[Pitfall, ...] = ()
        if self.bank is not None and _kind(rubric) is Kind.behavioral:
            extra = tuple(p for p in self.bank.generic_pitfalls.get(Kind.behavioral, ()) if p.text not in {q.text for q in rubric.pitfalls})
        return [*rubric.pitfalls, *extra]

    def _pitfall_hits(self, rubric: Rubric, usable: list[Passage], vectors: np.ndarray) -> dict[int, Pitfall]:
        """Sentences (by index) that fall into a pitfall: mistakes, and never evidence for
        any point. A sentence must sound more like the pitfall than like any key point made
        right (a counter in base62 is the point, not the enumeration pitfall), and the judge
        must read it as the pitfall; one near several counts under the surest."""
        pitfalls = self._pitfalls(rubric)
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
                if p >= self.settings.pitfall and p > best.get(usable[n].index, (0.0, pitfall))[0]:
                    best[usable[n].index] = (float(p), pitfall)
        return {i: pitfall for i, (_, pitfall) in sorted(best.items())}

    def _pitfall_mistakes(self, rubric: Rubric, hits: dict[int, Pitfall], transcript: Transcript, verdicts: list[Verdict]) -> list[Mistake]:
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
            mistakes.append(Mistake(kind="pitfall", quote=quote, why=why, key_point=point))
            if point is not None and verdicts[best].status in ("missed", "shallow", "declined"):
                verdicts[best] = Verdict(id=point, status="incorrect", note=f'Falls into a known pitfall: "{quote}"')
        return mistakes


def _kind(rubric: Rubric) -> Kind | None:
    if rubric.kind is not None:
        return rubric.kind
    star = {"situation", "task", "action", "result", "metrics", "reflection"}
    dims = {kp.dimension.value for kp in rubric.key_points if kp.dimension is not None}
    return Kind.behavioral if dims and dims <= star else None


# Where a key point's text divides into parts: "X with Y", "X and Y", "X (Y)", "X, Y".
_PARTS = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s+with\s+|\s*\(|\)\s*|;\s*|\s+-\s+")
