"""Errors of the interview state machine."""

from __future__ import annotations

from coach.errors import CoachError


class SessionEnded(CoachError):
    code = "session_ended"

    def __init__(self) -> None:
        super().__init__("this interview has ended; start a new one")


class Busy(CoachError):
    code = "busy"

    def __init__(self) -> None:
        super().__init__("the interviewer is still answering; send your next turn after interviewer.done")


class TurnLimit(CoachError):
    code = "turn_limit"

    def __init__(self, limit: int) -> None:
        super().__init__(f"this interview has reached its {limit} turns (COACH_MAX_TURNS_PER_SESSION); send 'end' for the report")


class Superseded(CoachError):
    code = "superseded"

    def __init__(self) -> None:
        super().__init__("this interview was resumed on another connection (another tab or device); reload this page to continue here")
