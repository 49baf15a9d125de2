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
