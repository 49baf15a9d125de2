"""The offline interviewer: no LLM, grounded entirely in the question bank.

It answers clarifying questions from the brief (only what was asked), pushes back on a wrong
figure or a known pitfall in the last turn (coach.interview.challenges), or else probes the
weakest uncovered key point with a curated follow-up, or a neutral question about its
dimension once the curated ones are used up. It never states what a strong answer contains.
"""

from __future__ import annotations

from collections.abc import Iterable

from coach.bank.models import BriefFact, Dimension, FollowUp, KeyPoint, Kind, Question
from coach.interview.phases import PhasePlan, plan_for

D = Dimension
PROBES: dict[Dimension, str] = {
    D.requirements: "Before you design anything, what would you want to pin down?",
    D.estimation: "Can you put some numbers on this? Roughly how much load and data are we talking about?",
    D.high_level_design: "Walk me through the main components and how a request flows through them.",
    D.data: "How would you store and partition the data?",
    D.scalability: "What breaks first as traffic grows, and what would you do about it?",
    D.reliability: "What happens when one of these components fails?",
    D.trade_offs: "What are you giving up with that choice, and what was the alternative?",
    D.communication: "If you had to summarise the design and its main risks for the team, what would you say?",
    D.situation: "Can you set the scene: what was the system, and what was at stake?",
    D.task: "What exactly were you responsible for?",
    D.action: "What did you personally do, step by step?",
    D.result: "What was the outcome?",
    D.metrics: "How did you measure that, in numbers?",
    D.reflection: "What did you learn, and what would you do differently now?",
}
# An answer that moved the rubric is acknowledged as such; one that did not gets a neutral
# word, so the interviewer never sounds pleased with an answer that dodged the question.
_ACKS_PROGRESS = ("Good.", "That makes sense.", "Okay, good.", "Right, thanks.")
_ACKS_NEUTRAL = ("Okay.", "I see.", "Noted.", "Hm, okay.")


def opening(question: Question) -> str:
    if question.kind is Kind.system_design:
        return f"{question.prompt.strip()} Take a moment, and ask me anything you need to clarify before you start."
    return f"{question.prompt.strip()} Take your time and walk me through it in your own words."


def next_probe(question: Question, covered: set[str], asked: set[str], phase_index: int) -> tuple[KeyPoint, str] | None:
    """The weakest uncovered key point and the question to probe it with.

    Points of the current phase come first, then those of earlier phases the candidate
    skipped, then later ones; heavier points first within each group.
    """
    plan = plan_for(question.kind)

    def phase_of(kp: KeyPoint) -> int:
        return next((i for i, p in enumerate(plan) if kp.dimension in p.dimensions), len(plan))

    def rank(kp: KeyPoint) -> tuple[int, float]:
        where = phase_of(kp)
        group = 0 if where == phase_index else 1 if where < phase_index else 2
        return (group, -kp.weight)

    for kp in sorted((kp for kp in question.key_points if kp.id not in covered), key=rank):
        follow_ups: Iterable[FollowUp] = (f for f in question.follow_ups if f.key_point == kp.id and f.ask not in asked)
        ask = next((f.ask for f in follow_ups), None) or (PROBES[kp.dimension] if PROBES[kp.dimension] not in asked else None)
        if ask:
            return kp, ask
    return None


def reply(
    question: Question,
    *,
    turn_count: int,
    answers: list[BriefFact],
    unanswered_questions: int,
    only_questions: bool,
    covered: set[str],
    progressed: bool,
    asked: set[str],
    phase_index: int,
    phase_changed_to: PhasePlan | None,
    challenge: str | None = None,
) -> str:
    """The interviewer's next turn. `progressed`: the candidate's turn covered a key point;
    `challenge`: what to push back with (coach.interview.challenges), which takes the place of
    the acknowledgement and the next probe: a mistake is not met with "Good."."""
    parts: list[str] = []
    if answers:
        parts.extend(f.fact for f in answers)
    if challenge is not None:
        return " ".join([*parts, challenge])
    if unanswered_questions and not answers:
        parts.append("I don't have a figure for that. Make a reasonable assumption, say it out loud, and carry on.")
    elif unanswered_questions:
        parts.append("For anything else, make a reasonable assumption and state it.")
    if only_questions:
        parts.append("What else would you like to know before you go on?" if phase_index == 0 else "Go on.")
        return " ".join(parts)
    if not parts:
        acks = _ACKS_PROGRESS if progressed else _ACKS_NEUTRAL
        parts.append(acks[turn_count % len(acks)])
    if phase_changed_to is not None:
        parts.append(f"Let's move on to {phase_changed_to.name.replace('_', ' ')}.")
    probe = next_probe(question, covered, asked, phase_index)
    if probe is None:
        parts.append(
            "You've covered what I wanted to discuss. Is there anything you would change or add? "
            "When you're ready, end the interview to get your report."
        )
    else:
        parts.append(probe[1])
    return " ".join(parts)
