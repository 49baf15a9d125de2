"""Who said what: split a transcript into the candidate's and the interviewer's turns.

Only the candidate's words can earn credit, so a transcript's speaker labels decide what is
graded. People paste transcripts in many shapes: `Interviewer:` / `Candidate:`, `Q:` / `A:`,
`**Me:**`, `Interviewer (Dana):`, `Dana (interviewer):`, `[Interviewer]`, or two names and
nothing else. Text with no labels at all is the candidate's answer.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Literal

Role = Literal["candidate", "interviewer"]

_INTERVIEWER = {
    "interviewer", "int", "q", "question", "coach", "ai", "assistant", "bot", "panel", "panelist",
    "hiring manager", "manager", "examiner", "host", "the interviewer", "interviewer 1", "interviewer 2",
}  # fmt: skip
_CANDIDATE = {"candidate", "cand", "a", "answer", "me", "you", "user", "interviewee", "the candidate", "myself"}

# A label at a line start: optional quote marker, bold or brackets, a name of up to four words,
# an optional "(role)" or "[00:01:02]", then a colon (bold may close after it).
_LABEL = re.compile(
    r"^[ \t]*(?:>[ \t]*)?[*_]{0,2}[\[(]?(?P<name>[A-Za-z][A-Za-z0-9.'-]*(?:[ ][A-Za-z0-9.'-]+){0,3}?)[\])]?[*_]{0,2}"
    r"(?:[ \t]*\((?P<paren>[^)\n]{1,40})\))?(?:[ \t]*\[[^\]\n]{0,20}\])?[ \t]*[*_]{0,2}[ \t]*[:：][*_]{0,2}[ \t]*",
    re.MULTILINE,
)
# "[Interviewer] text" with no colon.
_BRACKETED = re.compile(r"^[ \t]*\[(?P<name>[A-Za-z][A-Za-z ]{0,20})\][ \t]*(?P<paren>)", re.MULTILINE)


@dataclass(frozen=True)
class Turn:
    role: Role
    start: int  # offsets of the turn's words in the original text, label excluded
    end: int


def _role(word: str | None) -> Role | None:
    if not word:
        return None
    w = " ".join(word.lower().replace("_", " ").split())
    if w in _INTERVIEWER or w.startswith("interviewer"):
        return "interviewer"
    if w in _CANDIDATE or w.startswith("candidate"):
        return "candidate"
    return None


@dataclass(frozen=True)
class _Label:
    start: int
    end: int
    name: str
    role: Role | None


def _labels(text: str) -> list[_Label]:
    found: list[_Label] = []
    for pattern in (_LABEL, _BRACKETED):
        for m in pattern.finditer(text):
            name = m["name"].strip()
            role = _role(name) or _role(m["paren"])
            found.append(_Label(m.start(), m.end(), name.lower(), role))
    found.sort(key=lambda label: label.start)
    # One label per position: the colon form wins over a bracket at the same line start.
    unique: list[_Label] = []
    for label in found:
        if unique and label.start < unique[-1].end:
            continue
        unique.append(label)
    return unique


def _resolve(labels: list[_Label], text: str) -> list[_Label]:
    """Keep the labels that are speakers, each with a role.

    Role words decide directly, and a name once shown with its role ("Dana (interviewer):")
    keeps it. Two bare names that take turns are speakers too: the one who asks more
    questions, or else speaks first, is the interviewer. Anything else ("Storage: ...",
    "Note: ...") is part of the text.
    """
    named = {label.name: label.role for label in labels if label.role}
    known = [_Label(x.start, x.end, x.name, x.role or named.get(x.name)) for x in labels]
    if any(x.role for x in known):
        # "Dana (interviewer):" then bare "Raj:" lines: the one other name is the other side.
        roles = {x.role for x in known if x.role}
        others = {x.name for x in known if not x.role}
        if len(roles) == 1 and len(others) == 1:
            other: Role = "candidate" if roles == {"interviewer"} else "interviewer"
            known = [_Label(x.start, x.end, x.name, x.role or other) for x in known]
        return [x for x in known if x.role]
    counts = Counter(x.name for x in known)
    names = [n for n, c in counts.items() if c >= 2]
    if len(names) != 2 or sum(counts[n] for n in names) < 4:
        return []
    turns = [x for x in known if x.name in names]
    switches = sum(a.name != b.name for a, b in zip(turns, turns[1:], strict=False))
    if switches < 0.6 * (len(turns) - 1):
        return []

    def asks(name: str) -> float:
        own = [i for i, x in enumerate(turns) if x.name == name]
        ends = [turns[i + 1].start if i + 1 < len(turns) else len(text) for i in own]
        return sum("?" in text[turns[i].end : e] for i, e in zip(own, ends, strict=True)) / len(own)

    first, second = names if turns[0].name == names[0] else names[::-1]
    interviewer = second if asks(second) > asks(first) else first
    return [_Label(x.start, x.end, x.name, "interviewer" if x.name == interviewer else "candidate") for x in turns]


def turns(text: str) -> list[Turn]:
    """The text's turns in order. Without speaker labels, all of it is the candidate's."""
    labels = _resolve(_labels(text), text)
    if not labels:
        return [Turn("candidate", 0, len(text))] if text.strip() else []
    out: list[Turn] = []
    if text[: labels[0].start].strip():
        out.append(Turn("candidate", 0, labels[0].start))
    for i, label in enumerate(labels):
        end = labels[i + 1].start if i + 1 < len(labels) else len(text)
        out.append(Turn(label.role or "candidate", label.end, end))
    return out
