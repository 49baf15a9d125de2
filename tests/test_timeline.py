"""The report's timeline, rebuilt from stored frames and turns."""

import json
from datetime import UTC, datetime, timedelta

from coach.interview.timeline import build
from coach.storage.store import Turn

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def frame(**body) -> str:
    return json.dumps(body)


def turn(n: int, role: str, at_s: int) -> Turn:
    return Turn(turn=n, role=role, text=f"{role} {n}", created_at=T0 + timedelta(seconds=at_s))


def test_turns_get_their_time_and_phase_and_phases_their_span_answers_and_hints():
    frames = [
        frame(type="session", seq=1),
        frame(type="phase", phase="requirements", elapsed_s=0, budget_s=300, seq=2),
        frame(type="interviewer.done", turn=1, text="q", seq=3),
        frame(type="candidate", turn=2, text="a", seq=4),
        frame(type="suggestions", turn=2, items=[], asked=True, seq=5),
        # the turn that moved the interview on stays in the phase it was said in
        frame(type="phase", phase="estimation", elapsed_s=0, budget_s=300, seq=6),
        frame(type="interviewer.done", turn=3, text="q", seq=7),
        frame(type="suggestions", turn=2, items=[], seq=8),  # after a turn, not asked for
        frame(type="candidate", turn=4, text="a", seq=9),
        frame(type="suggestions", turn=4, items=[], asked=True, seq=10),
        frame(type="suggestions", turn=4, items=[], asked=True, seq=11),
    ]
    turns = [turn(1, "interviewer", 0), turn(2, "candidate", 40), turn(3, "interviewer", 45), turn(4, "candidate", 200)]
    story = build(frames, turns, T0, T0 + timedelta(seconds=500))
    assert [(t.at_s, t.phase) for t in story.transcript] == [(0, "requirements"), (40, "requirements"), (45, "estimation"), (200, "estimation")]
    assert [(p.phase, p.started_s, p.duration_s, p.answers, p.hints) for p in story.phases] == [
        ("requirements", 0, 45, 1, 1),
        ("estimation", 45, 455, 1, 2),
    ]
    assert (story.hints, story.duration_s) == (3, 500)


def test_turns_stored_before_times_were_read_back_have_no_time():
    story = build([frame(type="phase", phase="actions", elapsed_s=0, budget_s=60)], [Turn(1, "interviewer", "q")], T0, T0 + timedelta(seconds=9))
    assert story.transcript[0].at_s is None and story.transcript[0].phase is None
    assert [(p.phase, p.started_s, p.duration_s) for p in story.phases] == [("actions", 0, 9)]
