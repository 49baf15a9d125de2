"""Whose turn it is in a session, as an explicit state machine: the transitions a session may
make are listed once, and any other raises, so a bug shows up where it happens instead of
as a session stuck in the wrong state.

    active ──say / resume──▶ replying ──reply sent or failed──▶ active
    active / replying ──end──▶ grading ──report sent──▶ ended
                                       ──grading failed──▶ active

Replying may start again while replying (a stored turn's reply starts right after it is
committed); `end` during the opening (a resumed connection) finds it replying.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    active = "active"  # the candidate's turn
    replying = "replying"  # the interviewer's turn
    grading = "grading"  # the report is being made
    ended = "ended"


TRANSITIONS: dict[State, frozenset[State]] = {
    State.active: frozenset({State.replying, State.grading}),
    State.replying: frozenset({State.replying, State.active, State.grading}),
    State.grading: frozenset({State.ended, State.active}),
    State.ended: frozenset(),
}


class IllegalTransition(RuntimeError):
    def __init__(self, current: State, new: State) -> None:
        super().__init__(f"a session cannot go from {current.value} to {new.value}")


class TurnState:
    def __init__(self, state: State = State.active) -> None:
        self._state = state

    @property
    def now(self) -> State:
        return self._state

    def to(self, new: State) -> None:
        if new not in TRANSITIONS[self._state]:
            raise IllegalTransition(self._state, new)
        self._state = new

    def back_to_active(self, from_: State) -> None:
        """Return to the candidate's turn if still in `from_` (something else, an `end`, may
        have moved on meanwhile)."""
        if self._state is from_:
            self.to(State.active)
