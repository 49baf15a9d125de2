"""The candidate's sentences as the grader reads them: who said them, in reply to what, and how.

Grading starts here. A transcript is split into turns (only the candidate's count), each
turn into sentences with offsets into the original text, and each sentence is read the way
a careful interviewer would: is it a claim or a question asking for the answer, does it only
agree with what the interviewer just said, is it addressed to the grader. Windows of one to
three consecutive sentences of one turn are what the judge reads, since a mechanism often
follows in the next sentence ("We shard. Each user's rows live on one node.").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.grading import checks
from coach.grading.speakers import Role, Turn, turns
from coach.grading.text import Span, sentences_in

MAX_WINDOW = 3


@dataclass(frozen=True)
class Passage:
    """One sentence of the candidate's, with what the checks say about it."""

    index: int
    span: Span  # where it is in the text that was graded
    turn: int  # which of the transcript's turns it belongs to
    prompt: str  # the interviewer's words just before this turn, "" if none
    question: str | None  # None (a statement), "claim" or "open"; see checks.question_kind
    echo: bool  # only agrees with the interviewer
    to_grader: bool  # addressed to the grader or an AI

    @property
    def text(self) -> str:
        """The sentence as said, a hard-wrapped line joined with a space (quotes are checked
        with whitespace normalised, so this is still the candidate's verbatim words)."""
        return " ".join(self.span.text.split())

    @property
    def claim(self) -> str:
        """What the sentence claims: a tag question's tag removed."""
        return checks.strip_tag(self.text) if self.question == "claim" else self.text


@dataclass(frozen=True)
class Transcript:
    """Graded text, its turns, and the candidate's passages."""

    text: str
    turns: tuple[Turn, ...]
    passages: tuple[Passage, ...]

    @property
    def candidate_text(self) -> str:
        """The candidate's words only, turns joined by blank lines: what quotes are checked against."""
        return "\n\n".join(self.text[t.start : t.end].strip() for t in self.turns if t.role == "candidate")

    def claim(self, window: Sequence[int]) -> str:
        """What a window of passages claims, as the judge reads it."""
        return " ".join(self.passages[i].claim for i in window)

    def _next_candidate_turn(self, turn: int) -> int | None:
        return next((n for n in range(turn + 1, len(self.turns)) if self.turns[n].role == "candidate"), None)

    def quotes(self, window: Sequence[int]) -> list[str]:
        """A window's words as verbatim quotes: one per run of adjacent sentences, cut from
        the text itself so that what lies between them (a semicolon) stays in the quote."""
        runs: list[list[int]] = []
        for i in window:
            if runs and runs[-1][-1] == i - 1 and self.passages[i - 1].turn == self.passages[i].turn:
                runs[-1].append(i)
            else:
                runs.append([i])
        return [" ".join(self.text[self.passages[run[0]].span.start : self.passages[run[-1]].span.end].split()) for run in runs]

    def windows(self, usable: Sequence[int], longest: int = MAX_WINDOW, across_turns: bool = False) -> list[tuple[int, ...]]:
        """Runs of 1 to `longest` consecutive usable passages within one turn (`across_turns`:
        or running on into the candidate's next turn, for a story told a sentence a turn).
        Text addressed to the grader counts as not there: the passages around it are
        neighbours, so adding such a line can change nothing about how the rest is read."""
        allowed = set(usable)
        following = {}
        kept = [p for p in self.passages if not p.to_grader]
        for a, b in zip(kept, kept[1:], strict=False):
            # One turn's sentences, or the last of one answer and the first of the next: a
            # story told a sentence a turn goes on across the interviewer's prompts.
            if a.turn == b.turn or (across_turns and b.turn == self._next_candidate_turn(a.turn)):
                following[a.index] = b.index
        out: list[tuple[int, ...]] = []
        for i in usable:
            run = [i]
            out.append((i,))
            j = following.get(i)
            while len(run) < longest and j in allowed:
                run.append(j)
                out.append(tuple(run))
                j = following.get(j)
        return out


def read(text: str) -> Transcript:
    """Read an answer or a transcript with speaker labels (see coach.grading.speakers)."""
    return _read(text, turns(text))


def read_turns(said: Sequence[tuple[Role, str]]) -> Transcript:
    """Read turns whose speakers are already known (a live interview): no labels are parsed,
    so nothing the candidate or the interviewer types can change who said what."""
    parts: list[str] = []
    found: list[Turn] = []
    pos = 0
    for role, words in said:
        if parts:
            parts.append("\n\n")
            pos += 2
        parts.append(words)
        found.append(Turn(role, pos, pos + len(words)))
        pos += len(words)
    return _read("".join(parts), found)


def _read(text: str, found: Sequence[Turn]) -> Transcript:
    passages: list[Passage] = []
    prompt = ""
    for number, turn in enumerate(found):
        if turn.role != "candidate":
            prompt = text[turn.start : turn.end].strip()
            continue
        for k, span in enumerate(sentences_in(text, turn.start, turn.end)):
            said = " ".join(span.text.split())
            kind = checks.question_kind(said)
            passages.append(
                Passage(
                    index=len(passages),
                    span=span,
                    turn=number,
                    prompt=prompt,
                    question=kind,
                    # Only the opening of a reply can merely agree with what was just said.
                    echo=k < 2 and checks.echoes(said, prompt),
                    to_grader=checks.addresses_grader(said),
                )
            )
        prompt = ""
    return Transcript(text=text, turns=tuple(found), passages=tuple(passages))
