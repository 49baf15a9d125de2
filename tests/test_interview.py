"""Phases, brief answers, the offline interviewer and the coach's suggestions."""

import pytest

from coach.bank import load_bank
from coach.grading.embedder import get_embedder
from coach.interview import offline_interviewer as oi
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


def test_star_questions_have_their_own_phases(bank):
    q = bank.get("bh-incident-you-led")
    assert current_phase(q, 0, set()).plan.name == "situation_and_task"
    assert current_phase(q, 0, {"situation", "role"}).plan.name == "actions"


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
    assert ask3 == oi.PROBES[kp.dimension]


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
