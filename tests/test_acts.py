"""What the candidate's turn is doing (coach.interview.acts)."""

import pytest

from coach.interview.acts import SCOPE_QUESTION, Act, classify, is_question


@pytest.mark.parametrize(
    ("turn", "act"),
    [
        ("Sorry, could you repeat the question?", Act.repeat),
        ("Pardon?", Act.repeat),
        ("I didn't catch that, can you say it again?", Act.repeat),
        ("What do you mean by that?", Act.rephrase),
        ("I'm not sure what you're asking.", Act.rephrase),
        ("Is it OK if I use WebSockets?", Act.permission),
        ("Can I assume about 100M users?", Act.permission),
        ("Should I start with the high-level design or the data model?", Act.direction),
        ("Where should I start?", Act.direction),
        ("I don't know.", Act.stuck),
        ("Honestly, no idea.", Act.stuck),
        ("Give me a minute.", Act.pause),
        ("Can we wrap up?", Act.wrap_up),
        ("I think I'm done.", Act.wrap_up),
        ("That's all I have.", Act.wrap_up),
        ("I think we're going to shard by user.", Act.content),
        ("Hmm, let me think about that.", Act.pause),
        ("How many users, and how many writes per second?", Act.questions),
        ("Do we need analytics?", Act.questions),
        ("We shard by user id so load spreads evenly, right?", Act.content),
        ("Each server reserves a block of ids and base62-encodes them. How many links a month?", Act.content),
        # A line of a story that says "repeat" or "once more" asks for nothing.
        ("Time to detect went from 20 minutes to 2, and we have not had a repeat in a year.", Act.content),
        ("We had a repeat of the outage a week later.", Act.content),
        ("So we rolled it out once more, this time behind a flag for one region.", Act.content),
        # A long turn that opens with a hedge is still design content.
        ("I don't know the exact numbers, but I'd put a Redis cache in front of the store because reads outnumber writes a hundred to one, "
         "and shard the store by the short code so every lookup is a single-partition read.", Act.content),
    ],
)
def test_classify(turn, act):
    assert classify(turn) is act


def test_a_claim_put_as_a_question_is_not_a_question():
    assert is_question("How many links are created per day?")
    assert is_question("how many users")
    assert not is_question("We'd keep the counters in Redis, wouldn't we?")
    assert not is_question("We shard by user id.")


def test_scope_questions():
    assert SCOPE_QUESTION.search("Do we need analytics?")
    assert SCOPE_QUESTION.search("Is search in scope?")
    assert not SCOPE_QUESTION.search("How many users do we have?")


@pytest.mark.parametrize(
    "turn",
    ["Is that what you were looking for?", "Does that answer it?", "Do you want me to go deeper?", "OK, next question?", "Should I move on?"],
)
def test_checking_in_is_about_the_interview_not_the_brief(turn):
    from coach.interview.acts import CHECK_IN

    assert CHECK_IN.search(turn)


@pytest.mark.parametrize("turn", ["How many users do we have?", "Is the data encrypted at rest?", "Do we need analytics?"])
def test_questions_about_the_problem_are_not_check_ins(turn):
    from coach.interview.acts import CHECK_IN, TIME_QUESTION

    assert not CHECK_IN.search(turn) and not TIME_QUESTION.search(turn)


def test_which_one_do_you_mean_asks_for_the_question_again_in_other_words():
    assert classify("Which choice do you mean, the Redis cache?") is Act.rephrase
