"""Substance: does a sentence carry a point, or only name it?

A design point needs a mechanism, a number or a reason ("we shard by user id so that ..."),
not a list of products. A STAR point needs a concrete line of the story: who did what, or a
number. Each check returns a plain verdict on one sentence so it can be tested in isolation.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from coach.bank.models import STAR_DIMENSIONS, Dimension

_I = re.IGNORECASE
# Live coverage re-grades the whole transcript after every turn: the same sentences go through
# the same checks again and again, so each check remembers its answers, like the embedder
# (coach.grading.checks uses it too).
cached = functools.lru_cache(maxsize=16_384)

_STOP = frozenset(
    """a an the and or but if then so of to in on at by for with from as is are was were be been
    being it its this that these those there here we i you they he she our my your their us me them
    would will can could should may might must do does did have has had just also very really quite
    some any all each every what which who whom how why when where than too not no yes ok okay well
    i'd we'd i'll we'll i'm we're let's it's that's there's""".split()
)
_NUMBER = re.compile(
    r"\d|\b(?:hundred|thousand|million|billion|trillion|percent|twice|double|triple|half|quarter|"
    r"dozen|one|two|three|four|five|six|seven|eight|nine|ten|twenty|fifty)\b",
    _I,
)
_REASON = re.compile(
    r"\b(?:because|since|so\s+that|so\s+(?:we|the|it|that|each|a|an|one|no|users?|clients?|every|any|only|all|nothing|they|our|its)|"
    r"in\s+order\s+to|to\s+(?:avoid|keep|prevent|reduce|cut|protect|absorb|handle|guarantee|ensure|make\s+sure|"
    r"spread|stop|limit|bound|catch|survive|isolate|decouple|lower|save|free)|which\s+(?:means|lets|gives|keeps|"
    r"cuts|makes|allows|avoids)|otherwise|that\s+way|this\s+way|as\s+a\s+result|thanks\s+to|the\s+reason|"
    r"trade-?offs?|at\s+the\s+cost\s+of|instead\s+of|rather\s+than|versus|vs\.?|means|meaning|therefore|hence|"
    r"cost(?:s|ing)?|risk)\b",
    _I,
)
_MECHANISM = re.compile(
    r"\b(?:by|per|each|every|when|whenever|if|until|before|after|once|into|across|behind|in\s+front\s+of|"
    r"through|via|using|onto|between|within|keyed|based\s+on|instead|while|only|first|then|from|inside|"
    r"stored|served|kept|held|lives?|sits?|cached|routed|replicated|partitioned|sharded|hashed|written|"
    r"persisted|published|consumed|pushed|pulled|evicts?|expires?|invalidat\w*|retrie[sd]|resen[dt]\w*)\b",
    _I,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'+\-]*")
# Names that say nothing about how a design works when they stand alone.
_BUZZWORDS = frozenset(
    """kafka redis memcached cassandra kubernetes k8s docker microservices microservice cdn cdns sharding
    shard shards caching cache caches nosql sql mongodb mongo dynamodb elasticsearch rabbitmq grpc graphql
    serverless lambda s3 cloud aws gcp azure postgres postgresql mysql replicas replica replication queue
    queues scalable scalability scale highly available availability distributed big data ml ai blockchain
    event-driven cqrs eventual consistency load balancer balancers balancing autoscaling auto-scaling
    containers service mesh istio terraform spark hadoop flink zookeeper etcd consul nginx envoy api gateway
    rest websockets websocket multi-region region regions failover circuit breakers breaker rate limiting
    limiter bulkheads idempotency observability monitoring metrics devops agile okrs kpis best practices
    stack modern robust resilient fault-tolerant tolerant elastic horizontal vertical cutting-edge""".split()
)


def content_words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 1]


_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b[A-Z][A-Za-z0-9]*[A-Za-z0-9.+-]*\b")


def is_list_of_names(text: str) -> bool:
    """A list of technologies rather than a design: 'Kafka, Redis, Cassandra and Kubernetes',
    or a stack of products each with a word or two ('Stripe behind an adapter, Kafka as the
    backbone, Redis for idempotency, Temporal for workflows')."""
    items = [i.strip() for i in re.split(r",|;|\band\b|\bplus\b", text, flags=_I) if i.strip()]
    if len(items) < 4:
        return False
    short = sum(1 for i in items if len(content_words(i)) <= 2)
    if short / len(items) >= 0.75:
        return True
    words = content_words(text)
    named = [w for w in _NAME.findall(text) if w.lower() in words or w.lower() in _BUZZWORDS]
    buzz = sum(1 for w in words if w in _BUZZWORDS)
    return len(items) >= 5 and (len(named) + buzz) / max(1, len(words)) >= 0.35


@cached
def has_substance(text: str) -> bool:
    """True if the text carries a mechanism, a number or a reason rather than only names."""
    words = content_words(text)
    if is_list_of_names(text) and not _REASON.search(text):
        return False
    non_buzz = [w for w in words if w not in _BUZZWORDS]
    mechanisms = {m.lower() for m in _MECHANISM.findall(text)}
    signals = bool(_NUMBER.search(text)) + bool(_REASON.search(text)) + min(2, len(mechanisms))
    if len(words) >= 9 and len(non_buzz) >= 5 and signals >= 1:
        return True
    return len(words) >= 5 and len(non_buzz) >= 3 and signals >= 2


# Someone in the story doing or living through something: "I became the incident commander",
# "we rolled back". A possessive ("our manager didn't push back") tells what others did.
_TELLER = re.compile(r"\b(?:I|I'm|I've|I'd|we|we're|we've|we'd)\b", _I)
# Words that stand in for the specifics: "we added some caching and things were much better".
_VAGUE = re.compile(
    r"\b(?:a\s+lot|lots|some|things?|stuff|much\s+better|a\s+couple|various|kind\s+of|sort\s+of|"
    r"best\s+practices?|etc|whatever|somehow|everything|really\s+well|went\s+well)\b",
    _I,
)


@cached
def tells_a_story(text: str) -> bool:
    """Substance for a STAR key point: a concrete line of the story (a number, or the teller
    doing something in specific words), not names or filler. A story moves a sentence at a
    time ("I was on call, so I became the incident commander."), where a design sentence
    needs a mechanism or a reason in the same breath."""
    if has_substance(text):
        return True
    words = content_words(text)
    if len(words) < 4 or (is_list_of_names(text) and not _REASON.search(text)):
        return False
    if re.search(r"\d", text):
        return True
    return bool(_TELLER.search(text)) and not _VAGUE.search(text)


def substance_for(dimension: Dimension | None) -> Callable[[str], bool]:
    """The substance a key point of this dimension needs: a story's for STAR points."""
    return tells_a_story if dimension in STAR_DIMENSIONS else has_substance


# A result told as a change in numbers: "went from about three a month to one", "p99 came back
# to 180 ms", "dropped about 35%", "down from three weeks to four days", "cut it in half".
_AMOUNT = r"(?:about\s+|around\s+|roughly\s+|under\s+|below\s+|over\s+|nearly\s+|almost\s+|~\s*)?(?:\d[\d.,]*|one|two|three|four|five|six|seven|eight|nine|ten|a\s+(?:few|dozen|third|quarter|half))"
_CHANGE = re.compile(
    rf"\bfrom\s+{_AMOUNT}\b[^.;]{{0,60}}?\bto\s+{_AMOUNT}|"
    rf"\b(?:down|up)\s+from\s+{_AMOUNT}|"
    rf"\b(?:dropped|fell|rose|grew|cut|reduced|halved|doubled|tripled|improved|increased|decreased|shrank|sped\s+up)\b[^.;]{{0,40}}?\d[\d.,]*\s*(?:%|percent|x\b|times\b)|"
    rf"\d[\d.,]*\s*(?:%|percent)\s+(?:fewer|less|more|faster|slower|lower|higher|drop|reduction|increase|improvement)\b|"
    rf"\b(?:came|went|got)\s+(?:back\s+)?(?:down\s+|up\s+)?to\s+{_AMOUNT}|"
    rf"\b(?:cut|reduced|halved|doubled)\b[^.;]{{0,30}}\b(?:in\s+half|by\s+half|by\s+a\s+third)",
    _I,
)


@cached
def measures_a_change(text: str) -> bool:
    """True if the sentence reports a result as a change in numbers (a story's metrics)."""
    return bool(_CHANGE.search(text))


# The teller's own part, said plainly: "I owned that end to end", "I was the engineering manager",
# "fixing it was on me". Not when it is handed to someone else in the same breath ("I was asked
# to run it, but the real owner was the architecture group").
_OWNS = re.compile(
    r"\bI\s+(?:personally\s+)?(?:owned|led|ran|drove|headed|took\s+(?:ownership|charge|the\s+lead|it\s+on))\b|"
    r"\bI\s+(?:was|became)\s+(?:the\s+)?(?:(?:\w+\s+){0,3}(?:lead|manager|owner|commander|architect|point\s+person|dri)|responsible|accountable|in\s+charge)\b|"
    r"\b(?:was|were)\s+(?:on\s+me|mine)\b|\bmy\s+(?:responsibility|job|call|decision)\b",
    _I,
)
_DEFLECTS = re.compile(
    r"\b(?:real(?:ly)?|actual)\s+(?:owner|decision|call)|\bnot\s+(?:mine|me|my\s+(?:call|decision|fault|doing))\b|"
    r"\btheir\s+(?:call|doing|fault|decision)\b|\b(?:wasn't|was\s+not|never)\s+(?:really\s+)?(?:mine|my|me|on\s+me)\b",
    _I,
)


@cached
def states_ownership(text: str) -> bool:
    """True if the sentence says plainly what the teller owned or led (a story's task point)."""
    return bool(_OWNS.search(text)) and not _DEFLECTS.search(text)
