import pytest

from coach.bank.models import Dimension
from coach.grading import substance


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We'll use Kafka, Redis, Cassandra, Kubernetes and a CDN.", False),
        ("We'll add a cache.", False),
        ("Kafka. Partitions.", False),
        ("It would be highly scalable and fault tolerant, with sharding and caching everywhere.", False),
        ("Redirect lookups hit Redis first, because almost all traffic is reads.", True),
        ("A million 1 KB messages per second is about 1 GB/s in, 3 GB/s with three replicas.", True),
        ("When a node's memory is full it evicts the least recently used entries.", True),
        ("I'd split it into catalog, cart, checkout and payment services, so the read-heavy catalog scales alone.", True),
    ],
)
def test_substance(sentence, expected):
    assert substance.has_substance(sentence) is expected


@pytest.mark.parametrize(
    "sentence",
    [
        "I was on call, so I became the incident commander.",
        "We had a big outage during Black Friday where the payment service started timing out.",
        "Payments recovered within 25 minutes.",
        "First I got the right people on a call and opened a status channel.",
    ],
)
def test_a_line_of_a_story_has_a_story_s_substance(sentence):
    # Told a sentence a turn, a STAR answer makes its points without a mechanism or a reason.
    assert substance.tells_a_story(sentence)
    assert substance.substance_for(Dimension.task)(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "Postmortem, alerts, canary, runbooks and on-call rotation.",
        "Communication.",
        "It went well.",
    ],
)
def test_names_and_vague_lines_are_no_story(sentence):
    assert not substance.tells_a_story(sentence)


def test_design_points_still_need_a_mechanism_a_number_or_a_reason():
    line = "We used a cache for the hot keys."
    assert substance.tells_a_story(line)
    assert not substance.has_substance(line)
    assert substance.substance_for(Dimension.data) is substance.has_substance


@pytest.mark.parametrize(
    "sentence",
    [
        "We added some caching and a couple of read replicas, and then things were much better.",
        "I learned a lot from it about scoping.",
        "Our product manager didn't push back on any of it.",
    ],
)
def test_filler_and_what_others_did_are_no_story(sentence):
    assert not substance.tells_a_story(sentence)


@pytest.mark.parametrize(
    ("sentence", "measured"),
    [
        ("After six months incidents caused by new joiners went from about three a month to one.", True),
        ("New joiners merged their first change in four days, down from about three weeks.", True),
        ("Warehouse spend dropped about 35% in the first year.", True),
        ("p99 came back to about 180 ms at peak.", True),
        ("We moved from Rails to Go.", False),  # a change, but not in numbers
        ("Things got a lot faster after that.", False),
        ("I went from the API team to platform.", False),
    ],
)
def test_a_result_told_as_a_change_in_numbers(sentence, measured):
    assert substance.measures_a_change(sentence) is measured


@pytest.mark.parametrize(
    ("sentence", "owns"),
    [
        ("I owned that end to end.", True),
        ("I was the first engineering manager of the platform team.", True),
        ("As the lead, fixing it was on me.", True),
        ("I was on call, so I became the incident commander.", True),
        ("I was asked to run the migration, but the real owner was the architecture group.", False),  # handed on
        ("The rollout was their call, not mine.", False),
        ("We led the industry in uptime.", False),
    ],
)
def test_the_tellers_own_part_said_plainly(sentence, owns):
    assert substance.states_ownership(sentence) is owns


def test_a_change_in_numbers_makes_a_storys_metrics_point():
    from coach.grading.offline import OfflineGrader
    from coach.grading.rubric import Rubric

    rubric = Rubric.model_validate(
        {
            "question": "Tell me about growing a team.",
            "key_points": [{"id": "result", "text": "Shows results with numbers (time to first commit, review latency, promotions, incidents)", "dimension": "metrics"}],
        }
    )
    # The judge alone reads the second sentence as unrelated to a point that lists kinds of metrics.
    said = "For one engineer, Dan, I paired with him on the ledger service and then let him own its next release. After six months incidents caused by new joiners went from about three a month to one."
    (verdict,) = OfflineGrader().grade(rubric, said).verdicts
    assert verdict.status == "covered" and verdict.evidence == ["After six months incidents caused by new joiners went from about three a month to one."]
