"""Pushing back: what the offline interviewer says when the candidate's last turn holds a
mistake the grader found.

A real interviewer does not say "Right, thanks." to a write rate 100x too high or to a known
pitfall. This builds on the grader's judgement (its mistakes), and never gives the answer away:
a wrong figure is asked for again, step by step, without the right number; a pitfall gets the
question's own challenge from the bank. The judge's other "wrong version of the point"
readings are not challenged: they are wrong too often (about one in five on the dev split) to
put to a candidate's face mid-interview; the report lists them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from coach.bank.models import Pitfall
from coach.grading.models import Mistake
from coach.grading.text import normalise

# Asked about a figure the candidate just gave; {quote} is their own sentence.
FIGURE = (
    'Hold on, you said: "{quote}" Walk me through how you got there, step by step. What are you starting from?',
    'Let\'s check that number: "{quote}" Can you redo the arithmetic out loud for me?',
)
# A pitfall without a challenge of its own in the bank (a custom rubric, say).
PITFALL = 'Let me push on that: "{quote}" What could go wrong with it at the scale we are talking about?'


def challenged_a_figure(interviewer_turn: str) -> bool:
    """True if the interviewer's turn asked for a figure again (one of FIGURE)."""
    return any(line.split("{quote}")[0].rstrip(' "') in interviewer_turn for line in FIGURE)


def challenge(mistakes: Iterable[Mistake], last_turn: str, pitfalls: Sequence[Pitfall], already_said: str) -> str | None:
    """The challenge for the first figure or pitfall mistake made in `last_turn`, or None."""
    found = pick(mistakes, last_turn, pitfalls, already_said)
    return found[1] if found else None


def pick(
    mistakes: Iterable[Mistake],
    last_turn: str,
    pitfalls: Sequence[Pitfall],
    already_said: str,
) -> tuple[Mistake, str] | None:
    """The first figure or pitfall mistake made in `last_turn`, and the challenge to put.

    `already_said` is everything the interviewer has said: a challenge is made once, and a
    mistake repeated after it was challenged is left for the report."""
    turn = normalise(last_turn)
    by_text = {p.text: p for p in pitfalls}
    said = normalise(already_said)
    # Figures first: a wrong estimate misleads everything built on it.
    ordered = sorted((m for m in mistakes if m.kind in ("figure", "pitfall")), key=lambda m: m.kind != "figure")
    for mistake in ordered:
        if normalise(mistake.quote) not in turn:
            continue
        if mistake.kind == "figure":
            line = FIGURE[len(mistake.quote) % len(FIGURE)].format(quote=mistake.quote)
        else:
            pitfall = by_text.get(mistake.pitfall or "")
            line = pitfall.challenge if pitfall is not None and pitfall.challenge else PITFALL.format(quote=mistake.quote)
        if normalise(line) not in said:
            return mistake, line
    return None
