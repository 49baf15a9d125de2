"""Rubric coverage of the candidate's words so far, recomputed after every turn.

Re-grades the whole candidate transcript with the offline grader; embeddings of sentences
already seen come from the embedder's cache, so each turn costs only its new sentences.
"""

from __future__ import annotations

from coach.grading.models import Grading
from coach.grading.offline import OfflineGrader
from coach.grading.rubric import Rubric


class CoverageTracker:
    def __init__(self, rubric: Rubric, grader: OfflineGrader) -> None:
        self.rubric = rubric
        self.grader = grader
        self.covered: set[str] = set()
        self.last: Grading | None = None

    def update(self, candidate_turns: list[str]) -> set[str]:
        """Grade `candidate_turns`; return the key points newly covered. CPU-bound: run in a thread."""
        grading = self.grader.grade(self.rubric, "\n\n".join(candidate_turns))
        now = {v.id for v in grading.verdicts if v.status == "covered"}
        new = now - self.covered
        self.covered, self.last = now, grading
        return new
