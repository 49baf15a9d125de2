"""The interview as it went, for the report: each turn's time and phase, and per phase how
long it took, how many answers the candidate gave and how many hints they asked for.

Read back from what was stored (the turns with their times, the frames in the order they were
sent), so a report graded after a restart or on another instance tells the same story. A phase
frame is sent when the interview moves on, after the turn that moved it: every turn belongs to
the last phase announced before it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from coach.grading.models import PhaseTime, TranscriptTurn
from coach.storage.store import Turn


@dataclass(frozen=True)
class Timeline:
    transcript: list[TranscriptTurn]
    phases: list[PhaseTime]
    hints: int
    duration_s: int


def _seconds(at: datetime | None, start: datetime) -> int | None:
    return None if at is None else max(0, int((at - start).total_seconds()))


def build(frames: Sequence[str], turns: Sequence[Turn], started: datetime, ended: datetime) -> Timeline:
    """`frames` are the stored bodies in order; `turns` the stored turns with their times."""
    phase_of: dict[int, str] = {}  # turn number -> phase it was said in
    hints: dict[str, int] = {}
    order: list[str] = []  # phases in the order they were entered
    current: str | None = None
    for body in frames:
        frame = json.loads(body)
        kind = frame.get("type")
        if kind == "phase":
            current = frame["phase"]
            if current not in order:
                order.append(current)
        elif kind in ("candidate", "interviewer.done") and current is not None:
            phase_of.setdefault(frame["turn"], current)
        elif kind == "suggestions" and frame.get("asked") and current is not None:
            hints[current] = hints.get(current, 0) + 1
    transcript = [
        TranscriptTurn(turn=n, role=t.role, text=t.text, at_s=_seconds(t.created_at, started), phase=phase_of.get(t.turn))  # type: ignore[arg-type]
        for n, t in enumerate(turns, start=1)
    ]
    duration = _seconds(ended, started) or 0
    starts: dict[str, int] = {}
    for t in transcript:
        if t.phase is not None and t.phase not in starts:
            starts[t.phase] = t.at_s or 0
    if order:
        starts[order[0]] = 0  # the interview opens in its first phase
    entered = [p for p in order if p in starts]
    phases = []
    for i, name in enumerate(entered):
        begin = starts[name]
        end = starts[entered[i + 1]] if i + 1 < len(entered) else duration
        answers = sum(1 for t in transcript if t.phase == name and t.role == "candidate")
        phases.append(PhaseTime(phase=name, started_s=begin, duration_s=max(0, end - begin), answers=answers, hints=hints.get(name, 0)))
    return Timeline(transcript, phases, sum(hints.values()), duration)
