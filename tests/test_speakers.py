import pytest

from coach.grading.speakers import turns


def roles(text):
    return [(t.role, text[t.start : t.end].strip()) for t in turns(text)]


@pytest.mark.parametrize(
    "text",
    [
        "Interviewer: How do you store links?\nCandidate: In a key-value store.",
        "Q: How do you store links?\nA: In a key-value store.",
        "**Interviewer:** How do you store links?\n**Me:** In a key-value store.",
        "**Interviewer**: How do you store links?\n**Candidate**: In a key-value store.",
        "Interviewer (Dana): How do you store links?\nCandidate (Raj): In a key-value store.",
        "Dana (interviewer): How do you store links?\nRaj: In a key-value store.",
        "[Interviewer] How do you store links?\n[Candidate] In a key-value store.",
        "Interviewer [00:01:02]: How do you store links?\nYou [00:01:10]: In a key-value store.",
        "> Interviewer: How do you store links?\n> Candidate: In a key-value store.",
    ],
)
def test_label_styles(text):
    assert roles(text) == [("interviewer", "How do you store links?"), ("candidate", "In a key-value store.")]


def test_two_bare_names_the_one_asking_is_the_interviewer():
    text = "Tom: I'd start with the API.\nPriya: What about scale?\nTom: We shard by user.\nPriya: And hot keys?"
    assert [r for r, _ in roles(text)] == ["candidate", "interviewer", "candidate", "interviewer"]


def test_section_headings_are_not_speakers():
    text = "Storage: a key-value store.\nCaching: Redis in front.\nNote: we redirect with a 302."
    assert roles(text) == [("candidate", text)]


def test_plain_answer_is_the_candidates():
    assert roles("We shard by user id: each user's rows live on one node.") == [("candidate", "We shard by user id: each user's rows live on one node.")]
