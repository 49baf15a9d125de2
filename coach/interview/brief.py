"""Answer a candidate's clarifying questions from the question's brief, and only what was asked."""

from __future__ import annotations

import re

import numpy as np

from coach.bank.models import BriefFact, BriefTopic
from coach.grading.embedder import Embedder

T = BriefTopic
_TOPIC_WORDS: dict[BriefTopic, tuple[str, ...]] = {
    T.scope: ("feature", "features", "scope", "functional", "functionality", "requirements", "use case", "in scope", "support", "what does", "what should", "do we need", "required", "optional"),
    T.users: ("users", "user", "dau", "mau", "daily active", "monthly active", "people", "customers", "accounts", "players", "drivers", "devices", "how many"),
    T.traffic: ("traffic", "qps", "rps", "requests", "per second", "per minute", "peak", "load", "throughput", "volume", "messages", "orders", "writes", "reads", "read", "write", "spike", "ratio", "per day", "per hour", "per month", "each day", "a day", "daily", "created"),
    T.latency: ("latency", "fast", "p99", "p95", "p50", "milliseconds", " ms", "response time", "slow", "quickly"),
    T.availability: ("availability", "available", "uptime", "nines", "downtime", "sla", "slo", "outage", "fail", "failure"),
    T.consistency: ("consistency", "consistent", "ordering", "order", "duplicate", "duplicates", "exactly once", "at least once", "stale", "strong"),
    T.data: ("data", "storage", "store", "size", "bytes", "gb", "tb", "retention", "retain", "keep", "kept", "history", "how big", "how large"),
    T.regions: ("region", "regions", "global", "globally", "geograph", "countries", "country", "europe", "eu", "multi-region", "where are"),
    T.constraints: ("constraint", "constraints", "budget", "cost", "limit", "limits", "compliance", "security", "pci", "restriction"),
    T.team: ("team", "teams", "engineers", "headcount", "staff", "people do we"),
    T.timeline: ("timeline", "deadline", "how long", "months", "weeks", "by when", "time frame", "timeframe"),
    T.context: ("today", "currently", "current", "existing", "right now", "context", "background", "legacy", "what do we have"),
}
_QUESTION_START = re.compile(
    r"^(?:what|how|who|where|when|which|why|is|are|do|does|did|can|could|should|would|will|may|any|roughly|approximately)\b",
    re.IGNORECASE,
)


_SPLIT = re.compile(
    r",?\s+(?:and|or|also)\s+(?=(?:what|how|who|where|when|which|is|are|do|does|can|should|will)\b)|;\s*",
    re.IGNORECASE,
)


_CLAUSES = re.compile(r";\s*|,\s*(?:and\s+)?|\.\s+")


def split_questions(sentence: str) -> list[str]:
    """'How many users, and how many orders per minute?' asks two things."""
    return [part.strip() for part in _SPLIT.split(sentence) if part.strip()]


def is_clarifying(sentence: str) -> bool:
    s = sentence.strip()
    return s.endswith("?") or bool(_QUESTION_START.match(s) and len(s.split()) <= 25 and not s.endswith("."))


_WORD = re.compile(r"[a-z][a-z0-9-]{3,}")
# Words that say how something is asked, not what about.
_ASKING = frozenset(
    "about also does have need needs should support supported would will want wanted what which when where there their this that "
    "with from into many much some kind sort able allowed required expect expected going plan planning".split()
)


def _stems(text: str) -> set[str]:
    return {w.removesuffix("s") for w in _WORD.findall(text.lower()) if w not in _ASKING}


def _topic_hits(question: str) -> set[BriefTopic]:
    q = f" {question.lower()} "
    return {topic for topic, words in _TOPIC_WORDS.items() if any(w in q for w in words)}


def answer_from_brief(question: str, brief: tuple[BriefFact, ...], embedder: Embedder, max_facts: int = 2) -> list[BriefFact]:
    """The brief facts that answer `question`, best first; empty if the brief is silent."""
    if not brief:
        return []
    vectors = embedder.encode([question] + [f"{f.topic.value}: {f.fact}" for f in brief])
    similarity = vectors[1:] @ vectors[0]
    # A fact that lists several things ("Custom aliases are optional; basic click counts are
    # wanted") answers a question about any one of them: each clause is matched on its own too.
    clauses = [(n, c) for n, f in enumerate(brief) for c in _CLAUSES.split(f.fact) if len(c.split()) >= 2]
    if clauses:
        by_clause = embedder.encode([c for _, c in clauses]) @ vectors[0]
        for (n, _), score in zip(clauses, by_clause, strict=True):
            similarity[n] = max(similarity[n], score)
    hits = _topic_hits(question)
    # Asked whether something is in scope, a fact that names it ("Do we need group chats?",
    # "groups up to 200 members") answers better than one that is merely about scope.
    named = _stems(question) if BriefTopic.scope in hits else set()
    scores = np.array(
        [s + (0.25 if f.topic in hits else 0.0) + (0.3 if named & _stems(f.fact) else 0.0) for s, f in zip(similarity, brief, strict=True)]
    )
    order = [int(i) for i in np.argsort(-scores)]
    best = scores[order[0]]
    # Only what was asked: a second fact must answer the question about as well as the first.
    return [brief[i] for i in order if scores[i] >= 0.5 and scores[i] >= best - 0.08][:max_facts]
