"""Candidate text: which words are the candidate's, how they split into sentences, and
whether a quote really occurs in them.

Evidence must be verbatim, so everything here keeps character offsets into the original
text and compares quotes after only cosmetic normalisation (case, whitespace, typographic
quotes and dashes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from coach.grading.speakers import turns

# A sentence ends at . ! ? followed by space and a capital, or at a line break that is not
# just a hard wrap inside a paragraph (see _line_break_ends).
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n[ \t\n]*")
_HEADING = 40  # a line this short with no full stop is a heading or a list item, not a wrapped line
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+")
_LONG_SPLIT = re.compile(r";\s+|\s+[—–]\s+")
_MAX_WORDS = 45

_TRANSLATE = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-", "\u00a0": " "})
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class Span:
    """A piece of the candidate's text with its position in the original string."""

    start: int
    end: int
    text: str

    @property
    def words(self) -> int:
        return len(self.text.split())


def candidate_spans(text: str) -> list[Span]:
    """The parts of `text` spoken by the candidate.

    Plain answers belong to the candidate entirely. In a transcript with speaker labels,
    only the candidate's turns count; the interviewer's words can never be evidence.
    """
    return [Span(t.start, t.end, text[t.start : t.end]) for t in turns(text) if t.role == "candidate"]


def _trimmed(text: str, start: int, end: int) -> Span | None:
    piece = text[start:end]
    lead = len(piece) - len(piece.lstrip())
    bullet = _BULLET.match(piece[lead:])
    if bullet:
        lead += bullet.end()
    body = piece[lead:].rstrip()
    if not body or not re.search(r"\w", body):
        return None
    return Span(start + lead, start + lead + len(body), body)


def sentences(text: str) -> list[Span]:
    """Split the candidate's part of `text` into sentences, with offsets into `text`."""
    return [span for region in candidate_spans(text) for span in sentences_in(text, region.start, region.end)]


def sentences_in(text: str, start: int, end: int) -> list[Span]:
    """The sentences of `text[start:end]`, with offsets into `text`."""
    out: list[Span] = []
    cuts = [start]
    for m in _SENTENCE_END.finditer(text, start, end):
        if m.group().startswith("\n") and not _line_break_ends(text, m, start, end):
            continue
        cuts.append(m.start())
        cuts.append(m.end())
    cuts.append(end)
    for a, b in zip(cuts[::2], cuts[1::2], strict=True):
        span = _trimmed(text, a, b)
        if span is not None:
            out.extend(_split_long(text, span))
    return out


def _line_break_ends(text: str, m: re.Match[str], start: int, end: int) -> bool:
    """Whether a line break ends a sentence. Pasted answers are often hard-wrapped, so a
    single break inside a paragraph is a space; a blank line, a break after a full stop or a
    colon, a break before a bullet, and a break after a short line (a heading) end one."""
    if m.group().count("\n") > 1 or m.end() >= end:
        return True
    line_start = text.rfind("\n", start, m.start()) + 1
    line = text[max(line_start, start) : m.start()].rstrip()
    if not line or line[-1] in ".!?:;" or line.endswith(('."', ".'", '.)', '?"', '!"')):
        return True
    if _BULLET.match(text[m.end() : m.end() + 8]) or _BULLET.match(line):
        return True
    return len(line) < _HEADING


def _split_long(text: str, span: Span) -> list[Span]:
    if span.words <= _MAX_WORDS:
        return [span]
    parts, pos = [], span.start
    for m in _LONG_SPLIT.finditer(text, span.start, span.end):
        piece = _trimmed(text, pos, m.start())
        if piece:
            parts.append(piece)
        pos = m.end()
    tail = _trimmed(text, pos, span.end)
    if tail:
        parts.append(tail)
    return parts or [span]


def normalise(text: str) -> str:
    return _SPACES.sub(" ", text.translate(_TRANSLATE)).strip().lower()


MIN_QUOTE_WORDS = 3


def quote_in(quote: str, source: str) -> bool:
    """True if `quote` occurs verbatim in `source` (ignoring case, spacing and typography)
    and is long enough to be evidence of anything."""
    q = normalise(quote).strip(" .,;:!?\"'")
    if len(q.split()) < MIN_QUOTE_WORDS:
        return False
    return q in normalise(source)


def candidate_text(text: str) -> str:
    """The candidate's words only, turns joined by blank lines."""
    return "\n\n".join(s.text for s in candidate_spans(text))
