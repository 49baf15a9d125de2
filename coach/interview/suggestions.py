"""The real-time coach's offline suggestions: key services not mentioned yet, patterns from the
library that fit what is still uncovered, the trade-offs they bring, and nudges.

Nudges are the interviewer's own probing questions, never the rubric's answers: they point
at what is missing without saying what to say, and never one the interviewer has just asked.
A STAR story gets advice on telling the story, not design patterns.
"""

from __future__ import annotations

import re

import numpy as np

from coach.bank.loader import QuestionBank
from coach.bank.models import Dimension, Kind, Pattern, Question
from coach.grading.embedder import Embedder
from coach.interview.asks import PROBES, REPHRASED
from coach.protocol import Suggestion

_WORD = re.compile(r"[a-z0-9]+")
_GENERIC = {"service", "services", "store", "layer", "tier", "and", "with", "for", "the", "per", "api", "system", "data"}


def _mentioned(name: str, text: str) -> bool:
    """A component counts as mentioned when one of its distinctive words appears."""
    words = [w for w in _WORD.findall(name.lower()) if w not in _GENERIC and len(w) > 2]
    lowered = text.lower()
    return any(re.search(rf"\b{re.escape(w)}", lowered) for w in words)


def _says(term: str, lowered: str) -> bool:
    """`term` appears in `lowered` as whole words. The substring test first: this runs for
    every keyword of every pattern after every turn, on the worker that shares the GIL with
    the event loop, and most keywords are not there at all."""
    return term in lowered and re.search(rf"\b{re.escape(term)}\b", lowered) is not None


D = Dimension
# How to tell the part of a STAR story that is still missing.
STORY: dict[Dimension, tuple[str, str]] = {
    D.situation: ("Set the scene", "Two or three sentences: the system, the team, and what was at stake."),
    D.task: ("Say what was yours", "The goal you owned, who set it, and what made it hard."),
    D.action: ("Say 'I', not 'we'", "The steps you took yourself, in order, and why you chose each."),
    D.result: ("Finish the story", "What changed because of what you did, with a number if you have one."),
    D.metrics: ("Put numbers on it", "Before and after, and how you measured them."),
    D.reflection: ("Close with a lesson", "What you learned, and what you would do differently now."),
}


def pattern_text(p: Pattern) -> str:
    return f"{p.name}: {p.summary} Use when {'; '.join(p.use_when)}."


def suggest(
    bank: QuestionBank,
    question: Question,
    candidate_text: str,
    covered: set[str],
    embedder: Embedder,
    limit: int = 6,
    interviewer_text: str = "",
) -> list[Suggestion]:
    """`interviewer_text`: everything the interviewer has said, so that no nudge repeats it."""
    uncovered = [kp for kp in question.key_points if kp.id not in covered]
    if question.kind is Kind.behavioral:
        return _story(question, uncovered, interviewer_text)[:limit]
    items: list[Suggestion] = []
    for service in [s for s in question.key_services if not _mentioned(s, candidate_text)][:2]:
        items.append(Suggestion(category="key_service", title=service, detail="Designs like this usually have one, and yours has not mentioned it yet. Where would it sit, and what talks to it?"))

    uncovered = [kp for kp in question.key_points if kp.id not in covered]
    lowered = candidate_text.lower()
    patterns = [p for p in bank.patterns.values() if not any(_says(k.lower(), lowered) for k in (p.name, *p.keywords))]
    if uncovered and patterns:
        vectors = embedder.encode([kp.text for kp in uncovered] + [pattern_text(p) for p in patterns])
        need, offer = vectors[: len(uncovered)], vectors[len(uncovered) :]
        weights = np.array([kp.weight for kp in uncovered])
        fit = ((offer @ need.T) * weights).max(axis=1)
        for i in [int(i) for i in np.argsort(-fit)[:2]]:
            p = patterns[i]
            items.append(Suggestion(category="pattern", title=p.name, detail=f"{p.summary} Use when: {p.use_when[0].lower()}. Cost: {p.costs[0].lower()}."))
            items.append(Suggestion(category="trade_off", title=f"Trade-off of {p.name.lower()}", detail=f"{p.trade_offs[0]}."))

    items += _nudges(question, uncovered, interviewer_text)
    return items[:limit] if len(items) <= limit else _balanced(items, limit)


def _nudges(question: Question, uncovered: list, interviewer_text: str) -> list[Suggestion]:
    """For the two weightiest uncovered points, a question to ask yourself that the
    interviewer has not asked: its curated follow-ups, then the generic probe in two wordings."""
    out = []
    for kp in sorted(uncovered, key=lambda kp: -kp.weight)[:2]:
        asks = [f.ask for f in question.follow_ups if f.key_point == kp.id] + [PROBES[kp.dimension], REPHRASED[kp.dimension]]
        ask = next((a for a in asks if a not in interviewer_text), None)
        if ask:
            out.append(Suggestion(category="nudge", title=f"Not covered yet: {kp.dimension.value.replace('_', ' ')}", detail=f"Ask yourself: {ask}"))
    return out


def _story(question: Question, uncovered: list, interviewer_text: str) -> list[Suggestion]:
    """A STAR story: how to tell the parts still missing, in STAR order, then nudges."""
    dims = [d for d in STORY if any(kp.dimension is d for kp in uncovered)]
    tips = [Suggestion(category="story", title=STORY[d][0], detail=STORY[d][1]) for d in dims[:2]]
    return tips + _nudges(question, uncovered, interviewer_text)


def _balanced(items: list[Suggestion], limit: int) -> list[Suggestion]:
    """Keep at least one item of each category before filling up in order."""
    chosen: list[Suggestion] = []
    for category in ("nudge", "key_service", "pattern", "trade_off"):
        first = next((s for s in items if s.category == category), None)
        if first:
            chosen.append(first)
    for s in items:
        if len(chosen) >= limit:
            break
        if s not in chosen:
            chosen.append(s)
    order = {id(s): i for i, s in enumerate(items)}
    return sorted(chosen, key=lambda s: order[id(s)])
