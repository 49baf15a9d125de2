"""Errors of the interview state machine."""

from __future__ import annotations

from coach.errors import CoachError, SessionEnded, Superseded

__all__ = ["Busy", "SessionEnded", "Superseded", "TurnLimit"]


class Busy(CoachError):
    code = "busy"

    def __init__(self) -> None:
        super().__init__("the interviewer is still answering; send your next turn after interviewer.done")


class TurnLimit(CoachError):
    code = "turn_limit"

    def __init__(self, limit: int) -> None:
        super().__init__(f"this interview has reached its {limit} turns (COACH_MAX_TURNS_PER_SESSION); send 'end' for the report")
