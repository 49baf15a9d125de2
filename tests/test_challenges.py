"""The offline interviewer's push-back on the grader's mistakes (coach.interview.challenges)."""

from coach.bank.models import Pitfall
from coach.grading.models import Mistake
from coach.interview.challenges import challenge

HASHING = Pitfall(text="Truncated hashes without collision checks", why="Prefixes collide.", challenge="Two URLs can share a seven-character prefix. What then?")
FIGURE = Mistake(kind="figure", quote="That is about 4,000 writes per second.", why="About 40 per second; 100x too high.", key_point="estimate")
PIT = Mistake(kind="pitfall", quote="We hash the URL and keep seven characters.", why="Prefixes collide.", key_point="keys", pitfall=HASHING.text)
CLAIM = Mistake(kind="claim", quote="Counters live in each server's memory.", why="Not shared.", key_point="counters")
TURN = "We hash the URL and keep seven characters. That is about 4,000 writes per second. Counters live in each server's memory."


def test_a_wrong_figure_is_asked_for_again_without_the_right_number():
    line = challenge([FIGURE], TURN, [HASHING], "")
    assert line is not None and FIGURE.quote in line and line.endswith("?")
    assert "40 " not in line and "100x" not in line


def test_figures_come_before_pitfalls_and_a_pitfall_gets_its_own_challenge():
    assert "4,000 writes" in challenge([PIT, FIGURE], TURN, [HASHING], "")
    assert challenge([PIT], TURN, [HASHING], "") == HASHING.challenge


def test_a_pitfall_without_a_challenge_of_its_own_is_still_challenged():
    bare = Pitfall(text=HASHING.text)
    line = challenge([PIT], TURN, [bare], "")
    assert line is not None and PIT.quote in line and line.endswith("?")


def test_only_the_last_turn_is_challenged_and_only_once():
    assert challenge([FIGURE, PIT], "Redirects go through Redis first.", [HASHING], "") is None
    said = "Good question. " + HASHING.challenge
    assert challenge([PIT], TURN, [HASHING], said) is None
    assert "4,000" in challenge([PIT, FIGURE], TURN, [HASHING], said)


def test_the_judges_wrong_versions_of_a_point_are_left_for_the_report():
    assert challenge([CLAIM], TURN, [HASHING], "") is None
