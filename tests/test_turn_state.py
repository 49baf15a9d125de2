import pytest

from coach.interview.turn_state import TRANSITIONS, IllegalTransition, State, TurnState


def test_a_whole_session():
    s = TurnState()
    for step in (State.replying, State.active, State.replying, State.replying, State.active, State.grading, State.ended):
        s.to(step)
    assert s.now is State.ended


@pytest.mark.parametrize(("start", "new"), [(a, b) for a in State for b in State if b not in TRANSITIONS[a]])
def test_every_other_transition_raises(start, new):
    s = TurnState(start)
    with pytest.raises(IllegalTransition):
        s.to(new)
    assert s.now is start


def test_back_to_active_only_from_the_state_named():
    s = TurnState(State.grading)
    s.back_to_active(State.replying)
    assert s.now is State.grading
    s.back_to_active(State.grading)
    assert s.now is State.active
