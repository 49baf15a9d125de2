from pathlib import Path

import pytest
import yaml

from coach.bank import Kind, load_bank
from coach.bank.loader import DEFAULT_SEEDS_DIR, load_bank_from
from coach.bank.models import DESIGN_DIMENSIONS, STAR_DIMENSIONS
from coach.errors import BankError, UnknownQuestion


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def test_bank_size_and_mix(bank):
    kinds = [q.kind for q in bank.questions.values()]
    assert len(kinds) >= 30
    assert kinds.count(Kind.system_design) >= 20
    assert kinds.count(Kind.behavioral) >= 10
    assert len(bank.patterns) >= 25


def test_every_question_is_complete(bank):
    for q in bank.questions.values():
        assert 5 <= len(q.key_points) <= 8, q.id
        assert len(q.follow_ups) >= 3, q.id
        assert q.brief and q.pitfalls and q.outline, q.id
        ids = {kp.id for kp in q.key_points}
        assert len(ids) == len(q.key_points), q.id
        assert {f.key_point for f in q.follow_ups} <= ids, q.id
        allowed = DESIGN_DIMENSIONS if q.kind is Kind.system_design else STAR_DIMENSIONS
        assert {kp.dimension for kp in q.key_points} <= allowed, q.id
        weights = [kp.weight for kp in q.key_points]
        assert all(0 < w <= 5 for w in weights), q.id
        assert max(weights) / min(weights) <= 3, f"{q.id}: one key point outweighs another more than 3x"


def test_every_pitfall_has_a_why_phrasings_and_a_challenge(bank):
    pitfalls = [p for q in bank.questions.values() for p in q.pitfalls] + [p for ps in bank.generic_pitfalls.values() for p in ps]
    for p in pitfalls:
        assert p.why and len(p.phrasings) >= 4, p.text
        # The interviewer says it to the candidate: a question, short, and never the why itself.
        assert p.challenge and p.challenge.endswith("?") and len(p.challenge.split()) <= 35, p.text
        assert p.challenge != p.why, p.text
    challenges = [p.challenge for p in pitfalls]
    assert len(set(challenges)) == len(challenges)


def test_every_design_key_point_has_three_deeper_questions(bank):
    asks = [a for q in bank.questions.values() for kp in q.key_points for a in kp.deeper]
    for q in bank.questions.values():
        for kp in q.key_points if q.kind is Kind.system_design else ():
            assert len(kp.deeper) >= 3 and all(a.endswith("?") for a in kp.deeper), f"{q.id}/{kp.id}"
            assert not {f.ask for f in q.follow_ups} & set(kp.deeper), f"{q.id}/{kp.id}"
    assert len(set(asks)) == len(asks)


def test_star_questions_cover_star(bank):
    for q in bank.filter(kind="behavioral"):
        dims = {kp.dimension.value for kp in q.key_points}
        assert {"situation", "task", "action", "reflection"} <= dims, q.id
        assert dims & {"result", "metrics"}, q.id


def test_ids_unique_across_questions_and_patterns(bank):
    assert not set(bank.questions) & set(bank.patterns)
    for p in bank.patterns.values():
        assert set(p.related) <= set(bank.patterns), p.id


@pytest.mark.parametrize(
    ("question_id", "figures"),
    [
        ("sd-consumer-growth-100m", ["2%", "300 ms", "99.95%", "Europe"]),
        ("sd-message-platform-1m", ["1M messages per second", "At-least-once"]),
        ("sd-service-governance", ["400 services"]),
        ("sd-auth-region-failover", ["region"]),
        ("sd-prove-100k-rps", ["100k RPS"]),
        ("sd-auth-provider-migration", ["SAML"]),
        ("sd-login-slos", ["p99"]),
        ("sd-collaborative-editor", ["1M concurrently open documents"]),
        ("sd-push-notifications-10m", ["10M pushes per minute", "200 ms", "99.95%"]),
        ("sd-black-friday-ecommerce", ["10,000 concurrent users", "500,000 concurrent users", "10,000 orders per minute"]),
        ("sd-realtime-bidding", ["100k bid requests per second", "50 ms"]),
        ("sd-matchmaking-2m", ["500K daily", "2M"]),
    ],
)
def test_seed_scenarios_carry_their_figures(bank, question_id, figures):
    brief = " ".join(f.fact for f in bank.get(question_id).brief)
    for figure in figures:
        assert figure in brief, f"{question_id} brief lacks {figure!r}"


def test_classics_present(bank):
    titles = " ".join(q.title.lower() for q in bank.questions.values())
    for word in ["url shortener", "rate limiter", "news feed", "chat", "autocomplete", "ride", "video", "payment"]:
        assert word in titles


def test_filters(bank):
    assert all(q.difficulty == "hard" for q in bank.filter(difficulty="hard"))
    assert all("caching" in q.topics for q in bank.filter(topic="caching"))
    assert bank.filter(kind="behavioral", topic="no-such-topic") == []


def test_unknown_question(bank):
    with pytest.raises(UnknownQuestion, match="nope"):
        bank.get("nope")


def _copy_seeds(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    (seeds / "questions").mkdir(parents=True)
    (seeds / "patterns.yaml").write_text((DEFAULT_SEEDS_DIR / "patterns.yaml").read_text())
    src = DEFAULT_SEEDS_DIR / "questions" / "sd-url-shortener.yaml"
    (seeds / "questions" / src.name).write_text(src.read_text())
    return seeds


def test_unknown_field_fails_loudly(tmp_path):
    seeds = _copy_seeds(tmp_path)
    path = seeds / "questions" / "sd-url-shortener.yaml"
    data = yaml.safe_load(path.read_text())
    data["key_points"][0]["wieght"] = 2
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(BankError, match="wieght"):
        load_bank_from(seeds)


def test_follow_up_must_point_at_a_key_point(tmp_path):
    seeds = _copy_seeds(tmp_path)
    path = seeds / "questions" / "sd-url-shortener.yaml"
    data = yaml.safe_load(path.read_text())
    data["follow_ups"][0]["key_point"] = "no-such-point"
    path.write_text(yaml.safe_dump(data))
    with pytest.raises(BankError, match="no-such-point"):
        load_bank_from(seeds)


def test_file_name_must_match_id(tmp_path):
    seeds = _copy_seeds(tmp_path)
    (seeds / "questions" / "sd-url-shortener.yaml").rename(seeds / "questions" / "other.yaml")
    with pytest.raises(BankError, match="name the file"):
        load_bank_from(seeds)


def test_design_questions_name_key_services(bank):
    for q in bank.filter(kind="system_design"):
        assert len(q.key_services) >= 4, q.id
