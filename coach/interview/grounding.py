"""What the LLM interviewer is told about the candidate's last turn, within a time box.

The full reading of a turn (the grader's coverage including it, and its mistakes) takes tens
of milliseconds of judge passes, and more when many candidates share the cores: waited for
before every request, it was the whole of the server's added tail (docs/serving.md). So the
model's request waits for it at most `grounding_wait_s`. Past that, the request goes out
grounded on a quick reading of the turn: its dialogue act and the mistakes that need no judge
(a pitfall said outright, an estimate off by more than 3x, wrong arithmetic; well under a
millisecond), the coverage as of the turn before, and a line telling the model that the
grader has not read the last turn yet, so it reads it itself. The full reading goes on, and
the meter shows it before the reply's interviewer.done. With no time box (the default) the
full reading starts only once the model's first piece is out (coach.interview.llm_turn): on
a core shared by many candidates, CPU spent beside the request delays the request.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import TYPE_CHECKING

from coach.grading.pitfalls import rubric_pitfalls
from coach.grading.sure_mistakes import sure_mistakes
from coach.interview import offline_interviewer
from coach.interview.llm_interviewer import Signals, signals
from coach.storage import last_said

if TYPE_CHECKING:
    from coach.interview.session import InterviewSession


@dataclass(frozen=True)
class Grounding:
    covered: frozenset[str]  # the key points the model is told are covered
    probe: str | None  # the curated next question, if any
    signals: Signals


async def ground(session: InterviewSession, scoring: asyncio.Future[set[str]] | None, covered_before: set[str], wait_s: float) -> Grounding:
    """The grounding for the model's reply to the last candidate turn: the full reading if
    `scoring` (under way, or not started) finishes within `wait_s`, the quick one otherwise
    (`scoring` goes on)."""
    s = session
    if scoring is not None and not scoring.done() and wait_s > 0:
        await asyncio.wait({scoring}, timeout=wait_s)
    full = scoring is not None and scoring.done()
    if full:
        scoring.result()  # its failure is the turn's failure, as if it had been awaited
    covered = frozenset(s.tracker.covered) if full else frozenset(covered_before)
    pitfalls = rubric_pitfalls(s.rubric, s.services.bank)
    last = last_said(s.turns, "candidate")
    if full and s.tracker.last is not None:
        mistakes = s.tracker.last.mistakes
    else:
        mistakes = sure_mistakes(s.rubric, pitfalls, last)
    told = signals(s.question, s.turns, covered_before, set(covered), mistakes, pitfalls, pending=not full)
    asked = offline_interviewer.asked(s.question, s.turns)
    probe = offline_interviewer.next_probe(s.question, set(covered), asked, s.phase().index, s.tracker.spoken_to(last))
    return Grounding(covered=covered, probe=probe[1] if probe else None, signals=told)
