"""The offline interviewer: no LLM, grounded entirely in the question bank.

It answers clarifying questions from the brief (only what was asked), pushes back on a wrong
figure or a known pitfall in the last turn (coach.interview.challenges), or else probes the
weakest uncovered key point with a curated follow-up, or a neutral question about its
dimension once the curated ones are used up. It never states what a strong answer contains.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from coach.bank.models import BriefFact, Dimension, FollowUp, KeyPoint, Kind, Question

D = Dimension
from coach.grading.text import sentences
from coach.interview.acts import Act
from coach.interview.asks import DEEPER, PROBES, REPHRASED, SMALLER, START, all_asks
from coach.interview.phases import PhasePlan, plan_for
from coach.storage import Turn, said_by

# An answer that moved the rubric is acknowledged as such; one that did not gets a neutral
# word, so the interviewer never sounds pleased with an answer that dodged the question.
_ACKS_PROGRESS = ("Good.", "That makes sense.", "Okay, good.", "Right, thanks.")
_ACKS_NEUTRAL = ("Okay.", "I see.", "Noted.", "Hm, okay.")


ANY_MORE_QUESTIONS = "What else would you like to know before you go on?"


def opening(question: Question) -> str:
    if question.kind is Kind.system_design:
        return f"{question.prompt.strip()} Take a moment, and ask me anything you need to clarify before you start."
    return f"{question.prompt.strip()} Take your time and walk me through it in your own words."


def next_probe(
    question: Question, covered: set[str], asked: set[str], phase_index: int, just_said: frozenset[str] = frozenset()
) -> tuple[KeyPoint, str] | None:
    """The weakest uncovered key point and the question to probe it with.

    Points of the current phase come first, then those of earlier phases the candidate
    skipped, then later ones; heavier points first within each group. A point the last turn
    spoke to (`just_said`) waits: asking it again at once sounds as if nobody listened.
    """
    plan = plan_for(question.kind)

    def phase_of(kp: KeyPoint) -> int:
        return next((i for i, p in enumerate(plan) if kp.dimension in p.dimensions), len(plan))

    def rank(kp: KeyPoint) -> tuple[int, float]:
        where = phase_of(kp)
        group = 0 if where == phase_index else 1 if where < phase_index else 2
        return (group, -kp.weight)

    for kp in sorted((kp for kp in question.key_points if kp.id not in covered), key=lambda kp: (kp.id in just_said, *rank(kp))):
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
    time_left_s: float = 0.0,
    just_said: frozenset[str] = frozenset(),
    remarks: Sequence[str] = (),
) -> str:
    """The interviewer's next turn. `progressed`: the candidate's turn covered a key point;
    `just_said`: points the turn spoke to without making them (asked about later, not now);
    `remarks`: what to say first (the time left, when asked);
    `challenge`: what to push back with (coach.interview.challenges), which takes the place of
    the acknowledgement and the next probe: a mistake is not met with "Good.". The interview
    is only offered to wrap up when every point is made (or asked about every way it can be)
    and `time_left_s` is under five minutes."""
    parts: list[str] = [*remarks]  # answers to questions about the interview itself (time left)
    if answers:
        parts.extend(f.fact for f in answers)
    if challenge is not None:
        return " ".join([*parts, challenge])
    if unanswered_questions and not answers:
        parts.append("I don't have a figure for that. Make a reasonable assumption, say it out loud, and carry on.")
    elif unanswered_questions:
        parts.append("For anything else, make a reasonable assumption and state it.")
    if only_questions:
        parts.append(ANY_MORE_QUESTIONS if phase_index == 0 else "Go on.")
        return " ".join(parts)
    if not parts:
        acks = _ACKS_PROGRESS if progressed else _ACKS_NEUTRAL
        parts.append(acks[turn_count % len(acks)])
    probe = next_probe(question, covered, asked, phase_index, just_said)
    ask = probe[1] if probe else again(question, covered, asked) or deeper(question, covered, asked, time_left_s)
    if ask is None:
        ask = WRAP_UP if all(kp.id in covered for kp in question.key_points) else OUT_OF_TIME
    if phase_changed_to is not None:
        # Announced only when the question is about the new phase; "let's move on to
        # reflection" followed by a question about actions sounds as if nobody was listening.
        about = dimension_of(question, ask)
        if about is None or about in phase_changed_to.dimensions:
            parts.append(f"Let's move on to {phase_changed_to.name.replace('_', ' ')}.")
        else:
            parts.append("Before we move on, back to something we haven't covered yet:")
            ask = _without_lead(ask)
    parts.append(ask)
    return " ".join(parts)


WRAP_UP = (
    "You've covered what I wanted to discuss. Is there anything you would change or add? "
    "When you're ready, end the interview to get your report."
)
OUT_OF_TIME = (
    "We're nearly out of time. Is there anything you would change or add? "
    "When you're ready, end the interview to get your report."
)
# Wrapping up is only offered with this little of the interview left.
WRAP_UP_WITHIN_S = 5 * 60


def again(question: Question, covered: set[str], asked: set[str]) -> str | None:
    """Another way in to a point still uncovered once its own probes are used up: the same
    ask in other words, then a smaller first step."""
    for kp in sorted((kp for kp in question.key_points if kp.id not in covered), key=lambda kp: -kp.weight):
        for ask in (REPHRASED[kp.dimension], SMALLER[kp.dimension]):
            if ask not in asked:
                return ask
    return None


def deeper(question: Question, covered: set[str], asked: set[str], time_left_s: float) -> str | None:
    """A deeper question, while time remains: the bank's own for the points made (heaviest
    first), then general ones about the whole design or story."""
    if time_left_s <= WRAP_UP_WITHIN_S:
        return None
    made = sorted((kp for kp in question.key_points if kp.id in covered), key=lambda kp: -kp.weight)
    own = (ask for kp in made for ask in kp.deeper)
    kind = question.kind if question.kind in DEEPER else Kind.system_design
    return next((ask for ask in (*own, *DEEPER[kind]) if ask not in asked), None)


def asked(question: Question, turns: Sequence[Turn]) -> set[str]:
    """Probing questions already asked, read back from the interviewer's own turns (a
    rephrased ask may have been said without its "Put differently:")."""
    said = said_by(turns, "interviewer")
    probes = [f.ask for f in question.follow_ups] + [a for kp in question.key_points for a in kp.deeper] + all_asks()
    return {p for p in probes if p in said or _without_lead(p) in said}


_LEADS = ("Put differently: ", "In other words: ")


def _without_lead(ask: str) -> str:
    """A rephrased ask without its lead, to follow a colon: "Put differently: what ...?" -> "what ...?"."""
    return next((ask[len(lead) :] for lead in _LEADS if ask.startswith(lead)), ask)


# --- Turns that are not design content (coach.interview.acts) ---------------------------------


def reply_to_act(
    question: Question,
    act: Act,
    *,
    last_probe: str | None,
    dimension: Dimension | None,
    phase: PhasePlan,
    facts: list[BriefFact],
    again_said: str | None = None,
) -> str:
    """The reply to a turn that asks to hear the question again, asks permission or a
    direction, is stuck or needs a moment. `last_probe`: the interviewer's last question;
    `dimension`: what it (or the next probe) is about; `facts`: brief facts the turn asks about;
    `again_said`: what to say again for a repeat (see to_repeat)."""
    if act is Act.repeat:
        return f"Sure. {again_said or last_probe or question.prompt.strip()}"
    if act is Act.rephrase:
        if last_probe is not None and dimension_of(question, last_probe) is None:
            # A question of its own (a challenge, say): said again, plainly.
            return f"What I'm asking is: {last_probe}"
        if last_probe is None or dimension is None:
            first = D.requirements if question.kind is Kind.system_design else D.situation
            return f"Sure. In short: {question.title[0].lower()}{question.title[1:]}. {REPHRASED[first]}"
        return REPHRASED[dimension] if last_probe != REPHRASED[dimension] else PROBES[dimension]
    if act is Act.permission:
        if facts:
            return " ".join([*(f.fact for f in facts), "Go with that."])
        return "Yes, that's reasonable. Say it as an assumption and carry on."
    if act is Act.direction:
        return START[phase.name]
    if act is Act.stuck:
        if last_probe is not None and dimension_of(question, last_probe) is None and not any(last_probe in said for said in (ANY_MORE_QUESTIONS, WRAP_UP, OUT_OF_TIME)):
            # Stuck on a question of its own (a challenge): the same question, smaller, not a new topic.
            return "Take it one step at a time: at that moment, what does your design do first, and what happens next?"
        return SMALLER[dimension or D.requirements]
    if act is Act.wrap_up:
        return "Sure. Before we stop: is there anything you would change or add? When you're ready, end the interview to get your report."
    if act is Act.pause:
        return "Take your time."
    raise ValueError(f"not a turn reply_to_act answers: {act}")


def to_repeat(question: Question, interviewer_turn: str | None, *, opening: bool, wants_the_question: bool) -> str | None:
    """What "can you repeat that?" asks for: the question itself, after the opening or when
    the candidate says "the question" (the last question asked, whole); otherwise the
    interviewer's last turn, without its acknowledgement ("Hm, okay.")."""
    if interviewer_turn is None or opening:
        return question.prompt.strip()
    if wants_the_question:
        asked = last_question(interviewer_turn)
        return asked if asked and asked != ANY_MORE_QUESTIONS else question.prompt.strip()
    said = interviewer_turn.strip()
    for ack in sorted((*_ACKS_PROGRESS, *_ACKS_NEUTRAL), key=len, reverse=True):
        if said.startswith(ack + " "):
            return said[len(ack) + 1 :]
    return said


def last_question(interviewer_turn: str | None) -> str | None:
    """The last question in the interviewer's turn ("Right, thanks. How would you shard it?")."""
    if not interviewer_turn:
        return None
    asked = [s.text.strip() for s in sentences(interviewer_turn) if s.text.strip().endswith("?")]
    return asked[-1] if asked else None


def dimension_of(question: Question, probe: str | None) -> Dimension | None:
    """What a probe was about: its follow-up's key point, or the generic probe's dimension."""
    if probe is None:
        return None
    dims = {kp.id: kp.dimension for kp in question.key_points}
    for f in question.follow_ups:
        if f.ask in probe:
            return dims[f.key_point]
    return next((d for table in (PROBES, REPHRASED, SMALLER) for d, ask in table.items() if ask.endswith(probe) or probe in ask), None)
