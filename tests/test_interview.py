"""Phases, brief answers, the offline interviewer and the coach's suggestions."""

import pytest

from coach.bank import load_bank
from coach.grading.embedder import get_embedder
from coach.interview import asks
from coach.interview import offline_interviewer as oi
from coach.interview.acts import Act
from coach.interview.brief import answer_from_brief, is_clarifying, split_questions
from coach.interview.phases import current_phase
from coach.interview.suggestions import suggest


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_phases_follow_the_clock(bank):
    q = bank.get("sd-black-friday-ecommerce")
    assert current_phase(q, 0, set()).plan.name == "requirements"
    state = current_phase(q, 400, set())
    assert (state.plan.name, state.elapsed_in_phase_s, state.plan.budget_s) == ("estimation", 100, 300)
    assert current_phase(q, 10_000, set()).plan.name == "wrap_up"


def test_phases_move_on_early_when_covered(bank):
    q = bank.get("sd-black-friday-ecommerce")
    assert current_phase(q, 10, {"spike-estimate"}).plan.name == "high_level_design"
    assert current_phase(q, 10, {kp.id for kp in q.key_points}).plan.name == "wrap_up"


def test_a_phase_reached_early_keeps_the_time_saved(bank):
    """The clock runs to the phase's scheduled end: moving on early does not restart it at a
    full budget, and it keeps running down between turns instead of resetting."""
    q = bank.get("sd-black-friday-ecommerce")
    early = current_phase(q, 10, {"spike-estimate"})
    later = current_phase(q, 70, {"spike-estimate"})
    assert early.left_s > early.plan.budget_s
    assert early.left_s - later.left_s == 60
    on_time = current_phase(q, 400, set())
    assert on_time.left_s == on_time.plan.budget_s - on_time.elapsed_in_phase_s


def test_star_questions_have_their_own_phases(bank):
    q = bank.get("bh-incident-you-led")
    assert current_phase(q, 0, set()).plan.name == "situation_and_task"
    assert current_phase(q, 0, {"situation", "role"}).plan.name == "actions"
    # The story moves on when the candidate does, even with the scene half set.
    assert current_phase(q, 0, {"mitigate-first"}).plan.name == "actions"
    assert current_phase(q, 0, {"situation", "impact-numbers"}).plan.name == "reflection"
    # A design interview comes back for what was skipped: the estimate, here.
    d = bank.get("sd-url-shortener")
    assert current_phase(d, 0, {"key-generation", "storage-choice"}).plan.name == "estimation"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many users do we expect at peak?", ["About 10,000 concurrent users normally"]),
        ("What are the latency requirements?", ["Product pages under 200 ms p95"]),
        ("How many orders per minute?", ["Up to 10,000 orders per minute"]),
        ("Do we need to support multiple currencies?", []),
    ],
)
def test_brief_answers_only_what_was_asked(bank, question, expected):
    facts = answer_from_brief(question, bank.get("sd-black-friday-ecommerce").brief, get_embedder())
    assert [f.fact[: len(e)] for f, e in zip(facts, expected, strict=False)] == expected
    assert len(facts) == len(expected)


@pytest.mark.parametrize(
    ("question_id", "question", "topics"),
    [
        ("sd-url-shortener", "How many new URLs per day?", ["traffic"]),
        ("sd-url-shortener", "How long do we keep links?", ["data"]),
        ("sd-url-shortener", "Do we need user accounts?", ["scope"]),
        ("sd-chat-service", "Do we need read receipts?", ["scope"]),
        ("sd-chat-service", "Do we need group chats?", ["traffic"]),  # "groups up to 200 members"
        ("sd-chat-service", "Do we need end-to-end encryption?", []),
        ("sd-news-feed", "How many posts per day?", ["traffic"]),
        ("sd-rate-limiter", "Which regions do we run in?", []),
    ],
)
def test_brief_answers_by_topic(bank, question_id, question, topics):
    """Rates per day are traffic, "do we need ..." is scope; a brief that is silent says nothing."""
    facts = answer_from_brief(question, bank.get(question_id).brief, get_embedder())
    assert [f.topic.value for f in facts] == topics


def test_clarifying_questions():
    assert is_clarifying("What's the peak traffic?")
    assert is_clarifying("how many users")
    assert not is_clarifying("We shard by user id.")
    assert split_questions("How many users, and how many orders per minute?") == ["How many users", "how many orders per minute?"]


def test_probe_targets_the_weakest_uncovered_point_of_the_phase(bank):
    q = bank.get("sd-url-shortener")
    kp, ask = oi.next_probe(q, set(), set(), phase_index=1)  # estimation
    assert kp.id == "estimate" and ask == "How much storage do we need for five years?"
    kp2, ask2 = oi.next_probe(q, {"estimate"}, {ask}, phase_index=2)
    assert kp2.id != "estimate" and ask2 != ask
    # Once the curated follow-up of a point was asked, a neutral probe of its dimension follows.
    _, ask3 = oi.next_probe(q, set(), {ask}, phase_index=1)
    assert ask3 == asks.PROBES[kp.dimension]


def test_a_point_the_last_turn_spoke_to_waits_its_turn(bank):
    """Right after a half-made or wrong answer on a point, the interviewer asks about another
    one (asking the same thing at once sounds as if nobody listened); it comes back later."""
    q = bank.get("sd-url-shortener")
    first, _ = oi.next_probe(q, set(), set(), phase_index=1)
    other, _ = oi.next_probe(q, set(), set(), phase_index=1, just_said=frozenset({first.id}))
    assert other.id != first.id
    only = frozenset(kp.id for kp in q.key_points if kp.id != first.id)
    back, _ = oi.next_probe(q, only, set(), phase_index=1, just_said=frozenset({first.id}))
    assert back.id == first.id  # nothing else left to ask: the point comes back


def test_probes_never_contain_the_strong_answer(bank):
    for q in bank.questions.values():
        covered: set[str] = set()
        asked: set[str] = set()
        for _ in range(20):
            probe = oi.next_probe(q, covered, asked, 0)
            if probe is None:
                break
            kp, ask = probe
            assert kp.strong_answer not in ask and kp.text not in ask
            asked.add(ask)


def test_reply_when_everything_is_covered(bank):
    q = bank.get("sd-url-shortener")
    text = oi.reply(q, turn_count=5, answers=[], unanswered_questions=0, only_questions=False, covered={kp.id for kp in q.key_points}, progressed=True, asked=set(), phase_index=4, phase_changed_to=None)
    assert "end the interview" in text


def test_the_acknowledgement_follows_whether_the_answer_moved_the_rubric(bank):
    q = bank.get("sd-url-shortener")
    common = dict(answers=[], unanswered_questions=0, only_questions=False, covered=set(), asked=set(), phase_index=2, phase_changed_to=None)
    moved = {oi.reply(q, turn_count=n, progressed=True, **common).split(" ")[0] for n in range(8)}
    dodged = {oi.reply(q, turn_count=n, progressed=False, **common).split(" ")[0] for n in range(8)}
    assert moved.isdisjoint(dodged), "a dodged question is never met with praise"
    assert all(oi.reply(q, turn_count=n, progressed=False, **common).startswith(("Okay.", "I see.", "Noted.", "Hm, okay.")) for n in range(8))


def test_unknown_fact_asks_for_an_assumption(bank):
    q = bank.get("sd-url-shortener")
    text = oi.reply(q, turn_count=2, answers=[], unanswered_questions=1, only_questions=True, covered=set(), progressed=False, asked=set(), phase_index=0, phase_changed_to=None)
    assert "assumption" in text


def test_suggestions(bank):
    q = bank.get("sd-black-friday-ecommerce")
    items = suggest(bank, q, "We should cache product pages in Redis and use a CDN.", {"caching-catalog"}, get_embedder())
    categories = [i.category for i in items]
    assert {"key_service", "pattern", "trade_off", "nudge"} <= set(categories) and len(items) <= 6
    titles = " ".join(i.title for i in items)
    assert "Product catalog" not in titles, "catalog was mentioned already"
    assert "Cache-aside caching" not in titles, "caching was mentioned already"
    nudges = [i.detail for i in items if i.category == "nudge"]
    assert all(n.startswith("Ask yourself:") for n in nudges)
    strong = [kp.strong_answer for kp in q.key_points]
    assert not any(s in n for s in strong for n in nudges)


def test_a_challenge_replaces_praise_and_the_next_probe(bank):
    q = bank.get("sd-url-shortener")
    common = dict(answers=[], unanswered_questions=0, only_questions=False, covered=set(), asked=set(), phase_index=1, phase_changed_to=None)
    line = "Walk me through that arithmetic again?"
    assert oi.reply(q, turn_count=3, progressed=True, challenge=line, **common) == line
    fact = q.brief[0]
    assert oi.reply(q, turn_count=3, progressed=True, challenge=line, **{**common, "answers": [fact]}) == f"{fact.fact} {line}"


def test_replies_to_what_the_turn_is_doing(bank):
    q = bank.get("sd-url-shortener")
    phase = current_phase(q, 0, set()).plan
    follow = q.follow_ups[0]
    dim = next(kp.dimension for kp in q.key_points if kp.id == follow.key_point)
    common = dict(last_probe=follow.ask, dimension=dim, phase=phase, facts=[])
    assert oi.reply_to_act(q, Act.repeat, **common) == f"Sure. {follow.ask}"
    assert oi.reply_to_act(q, Act.repeat, **{**common, "last_probe": None}) == f"Sure. {q.prompt.strip()}"
    rephrased = oi.reply_to_act(q, Act.rephrase, **common)
    assert rephrased != follow.ask and rephrased.endswith("?")
    challenge = q.pitfalls[0].challenge
    assert oi.reply_to_act(q, Act.rephrase, **{**common, "last_probe": challenge}) == f"What I'm asking is: {challenge}"
    assert oi.reply_to_act(q, Act.stuck, **common) == asks.SMALLER[dim]
    # Stuck on a challenge: the same question made smaller, not a new topic.
    on_challenge = oi.reply_to_act(q, Act.stuck, **{**common, "last_probe": challenge})
    assert on_challenge not in asks.SMALLER.values() and "your design" in on_challenge
    assert "end the interview" in oi.reply_to_act(q, Act.wrap_up, **common)
    assert oi.reply_to_act(q, Act.pause, **common) == "Take your time."
    assert oi.reply_to_act(q, Act.direction, **common).startswith("Your call.")
    assert "assumption" in oi.reply_to_act(q, Act.permission, **common)
    fact = q.brief[0]
    assert oi.reply_to_act(q, Act.permission, **{**common, "facts": [fact]}) == f"{fact.fact} Go with that."


def test_every_dimension_can_be_rephrased_and_made_smaller():
    assert set(asks.SMALLER) == set(asks.PROBES) == set(asks.REPHRASED) == set(asks.D)
    assert all(line.endswith("?") for table in (asks.SMALLER, asks.REPHRASED) for line in table.values())


def test_the_dimension_of_a_probe(bank):
    q = bank.get("sd-url-shortener")
    follow = q.follow_ups[0]
    assert oi.dimension_of(q, follow.ask) == next(kp.dimension for kp in q.key_points if kp.id == follow.key_point)
    assert oi.dimension_of(q, asks.PROBES[asks.D.reliability]) is asks.D.reliability
    assert oi.dimension_of(q, None) is None
    assert oi.last_question("Right, thanks. How would you shard it?") == "How would you shard it?"


def test_the_interviewer_never_ends_early(bank):
    q = bank.get("sd-url-shortener")
    everything = {kp.id for kp in q.key_points}
    used = {f.ask for f in q.follow_ups} | set(asks.PROBES.values())
    common = dict(turn_count=9, answers=[], unanswered_questions=0, only_questions=False, progressed=False, phase_index=3, phase_changed_to=None)
    # Points left and their probes used up: the same ask in other words, never a wrap-up.
    left = oi.reply(q, covered=everything - {"storage-choice"}, asked=used, time_left_s=600, **common)
    data = next(kp.dimension for kp in q.key_points if kp.id == "storage-choice")
    assert left.endswith(asks.REPHRASED[data])
    # Every point made with twenty minutes left: deeper questions, the heaviest point's own first.
    deep = oi.reply(q, covered=everything, asked=used, time_left_s=1200, **common)
    heaviest = max(q.key_points, key=lambda kp: kp.weight)
    assert deep.endswith(heaviest.deeper[0]) and oi.WRAP_UP not in deep
    spent_own = used | {a for kp in q.key_points for a in kp.deeper}
    assert oi.reply(q, covered=everything, asked=spent_own, time_left_s=1200, **common).endswith(asks.DEEPER[q.kind][0])
    # Only in the last five minutes is wrapping up offered.
    assert oi.reply(q, covered=everything, asked=used, time_left_s=200, **common).endswith(oi.WRAP_UP)
    # Out of questions and time with points left: no claim that everything was covered.
    spent = used | set(asks.all_asks())
    assert oi.reply(q, covered=set(), asked=spent, time_left_s=100, **common).endswith(oi.OUT_OF_TIME)


def test_a_nudge_never_repeats_what_the_interviewer_asked(bank):
    q = bank.get("sd-url-shortener")
    first = suggest(bank, q, "Let's start.", set(), get_embedder())
    nudges = [s.detail.removeprefix("Ask yourself: ") for s in first if s.category == "nudge"]
    assert nudges
    again = suggest(bank, q, "Let's start.", set(), get_embedder(), interviewer_text=f"Okay. {nudges[0]}")
    assert nudges[0] not in [s.detail.removeprefix("Ask yourself: ") for s in again if s.category == "nudge"]
    assert any(s.category == "nudge" for s in again)


def test_a_star_story_gets_story_advice_not_design_patterns(bank):
    q = next(q for q in bank.questions.values() if q.kind.value == "behavioral")
    items = suggest(bank, q, "I was the tech lead on the payments team.", set(), get_embedder())
    assert {s.category for s in items} <= {"story", "nudge"} and any(s.category == "story" for s in items)
    assert items[0].title == "Set the scene"


def test_a_new_phase_is_announced_only_with_a_question_about_it(bank):
    """Moving on to reflection and then asking about actions sounds as if nobody listened:
    a question about an earlier phase is brought in as going back, not as moving on."""
    from coach.bank.models import Dimension, Kind
    from coach.interview.phases import plan_for

    q = next(q for q in bank.questions.values() if q.kind is Kind.behavioral and any(kp.dimension is Dimension.action for kp in q.key_points))
    plan = plan_for(q.kind)
    last = plan[-1]
    action = next(kp for kp in q.key_points if kp.dimension is Dimension.action)
    covered = {kp.id for kp in q.key_points if kp.id != action.id}
    common = dict(turn_count=3, answers=[], unanswered_questions=0, only_questions=False, progressed=True, asked=set(), time_left_s=1200)
    back = oi.reply(q, covered=covered, phase_index=len(plan) - 1, phase_changed_to=last, **common)
    assert "Let's move on" not in back and "Before we move on" in back and back.endswith("?")
    moving = oi.reply(q, covered={kp.id for kp in q.key_points if kp.dimension not in last.dimensions}, phase_index=len(plan) - 1, phase_changed_to=last, **common)
    assert f"Let's move on to {last.name}" in moving
