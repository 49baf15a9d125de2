"""The trained judge on clear-cut cases: what it must never get wrong, whatever it is retrained on."""

import numpy as np
import pytest

from coach.grading.judge import LABELS, get_judge

CACHE = "Serves redirects from a cache in front of the store since reads dominate"
KEYS = "Generates short unique keys (base62 of a counter or pre-allocated ranges, or hashing with collision checks)"


@pytest.mark.parametrize(
    ("point", "passage", "label"),
    [
        (KEYS, "Each app server leases a block of ids from a counter and base62-encodes them, so two servers never hand out the same code.", "asserts"),
        (CACHE, "Most lookups are answered from Redis in front of the database, because reads outnumber writes a hundred to one.", "asserts"),
        (CACHE, "I wouldn't bother with a cache at this scale; the database can take it.", "declined"),
        (CACHE, "We'll need a cache.", "shallow"),
        (CACHE, "I like to cycle to work on Fridays when the weather is good.", "unrelated"),
        # A false claim any design can make (seeds/pitfalls.yaml), read against its pitfall.
        ("Claims exactly-once delivery end to end from the messaging system alone",
         "Kafka gives us exactly-once delivery, so the charge worker will never process a payment twice.", "asserts"),
        # A known weakness of the shipped judge (docs/grading.md): it reads this as unrelated to
        # the terse pitfall text, though it reads it right against the pitfall's phrasings.
        pytest.param(
            "Hashing with truncation and no collision handling", "I'd MD5 the long URL and keep the first seven characters as the code.", "asserts",
            marks=pytest.mark.xfail(strict=True, reason="judge E misses a pitfall named only tersely"),
        ),
    ],
)
def test_clear_cases(point, passage, label):
    probs = get_judge().probabilities([(point, passage)])[0]
    assert LABELS[int(np.argmax(probs))] == label, dict(zip(LABELS, probs.round(2), strict=True))


def test_probabilities_are_a_distribution_and_cached():
    judge = get_judge()
    pairs = [(CACHE, "Redis in front of the store absorbs the reads."), (KEYS, "Base62 of a counter.")]
    first = judge.probabilities(pairs)
    assert first.shape == (2, len(LABELS)) and np.allclose(first.sum(axis=1), 1, atol=1e-5)
    assert np.array_equal(judge.probabilities(pairs[::-1]), first[::-1])
