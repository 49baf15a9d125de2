"""Domain errors. The core raises these; the edges (CLI, HTTP, websocket) translate them once.

Each error carries a stable machine-readable `code` and a message that says what to fix.
"""

from __future__ import annotations


class CoachError(Exception):
    code = "coach_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SessionEnded(CoachError):
    code = "session_ended"

    def __init__(self) -> None:
        super().__init__("this interview has ended; start a new one")


class Superseded(CoachError):
    """Another connection took the interview over: on this instance, or on another one (the
    store then refuses this instance's writes to it: see coach.storage.writes)."""

    code = "superseded"

    def __init__(self) -> None:
        super().__init__("this interview was resumed on another connection (another tab or device); reload this page to continue here")


class BankError(CoachError):
    """A seed file is missing, malformed or inconsistent with the rest of the bank."""

    code = "bank_invalid"


class UnknownQuestion(CoachError):
    code = "unknown_question"

    def __init__(self, question_id: str) -> None:
        super().__init__(f"unknown question id {question_id!r}; `coach questions` lists the bank")
        self.question_id = question_id


class InvalidInput(CoachError):
    """User-supplied data (a rubric file, an answer file, a frame) is unusable."""

    code = "invalid_input"


class ProviderError(CoachError):
    """The configured LLM failed or answered something we cannot use."""

    code = "provider_error"
