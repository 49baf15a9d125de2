"""Rubric coverage of the interview so far, recomputed after every turn with the grader's
own judgement (the same offline grader the report uses).

Each turn costs only what is new: sentence vectors and the judge's reading of a (key point,
passage) pair are cached, so re-grading the transcript embeds the new sentences and judges
only the passages that the new turn brought to the top. The meter reads fewer passages per
point than the report does (LIVE_WINDOWS), so that a turn is scored in tens of milliseconds;
the report at the end grades everything afresh with the full reading.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from coach.bank.models import Dimension
from coach.grading.models import Grading
from coach.grading.offline import OfflineGrader
from coach.grading.passages import read_turns
from coach.grading.rubric import Rubric
from coach.grading.speakers import Role
from coach.grading import figures
from coach.grading.text import normalise, sentences


LIVE_WINDOWS = 2
# The meter reads at most this much of one turn, so that a pasted essay costs a bounded amount
# of CPU per turn; the report grades every word.
LIVE_TURN_CHARS = 6000


class CoverageTracker:
    def __init__(self, rubric: Rubric, grader: OfflineGrader) -> None:
        self.rubric = rubric
        # The same embedder, judge and checks; a smaller reading budget per point.
        self.grader = OfflineGrader(
            embedder=grader.embedder, judge=grader.judge, bank=grader.bank, cache_dir=grader.cache_dir,
            settings=replace(grader.settings, windows=min(LIVE_WINDOWS, grader.settings.windows)),
        )
        self.covered: set[str] = set()
        self.last: Grading | None = None

    def update(self, turns: Sequence[tuple[Role, str]]) -> set[str]:
        """Grade the interview's turns (speaker, words); return the key points newly covered.
        Only the candidate's words count, and agreeing with the interviewer is no point.
        CPU-bound: run it on a worker."""
        # A point once covered stays covered while the interview goes on: only the others are
        # judged again (the report at the end grades everything afresh).
        settled = {v.id: v for v in self.last.verdicts if v.status == "covered"} if self.last else {}
        turns = [(role, text[:LIVE_TURN_CHARS] if role == "candidate" else text) for role, text in turns]
        grading = self.grader.grade_transcript(self.rubric, read_turns(turns), settled)
        now = {v.id for v in grading.verdicts if v.status == "covered"}
        new = now - self.covered
        self.covered, self.last = now, grading
        return new

    def spoken_to(self, turn: str) -> frozenset[str]:
        """Key points `turn` spoke to without making them (partial, shallow, declined or wrong):
        the interviewer does not ask about those right away, as if the candidate had said
        nothing; it comes back to them later."""
        if self.last is None:
            return frozenset()
        said = normalise(turn)
        out = {v.id for v in self.last.verdicts if v.status not in ("covered", "missed") and any(normalise(q) in said for q in v.evidence)}
        out |= {m.key_point for m in self.last.mistakes if m.key_point and normalise(m.quote) in said}
        # An estimate in this turn speaks to its point even when an earlier, wrong one decides
        # the point's status (and so its evidence).
        spans = [s.text for s in sentences(turn)]
        for kp in self.rubric.key_points:
            if kp.id in self.covered:
                continue
            if kp.figures:
                check = figures.check(kp.figures, spans, self.rubric.brief)
                if check.estimated or check.wrong:
                    out.add(kp.id)
            # A story's numbers ("we lost about 2% of orders") speak to its metrics point:
            # "how did you measure that, in numbers?" right after them is not listening.
            elif kp.dimension is Dimension.metrics and _A_NUMBER.search(turn):
                out.add(kp.id)
        return frozenset(out)


_A_NUMBER = re.compile(r"\d|\b(?:percent|half|twice|double|tripled?|halved)\b", re.IGNORECASE)
