"""Candidate text: which words are the candidate's, how they split into sentences, and
whether a quote really occurs in them.

Evidence must be verbatim, so everything here keeps character offsets into the original
text and compares quotes after only cosmetic normalisation (case, whitespace, typographic
quotes and dashes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# "Interviewer: ..." / "Candidate [00:01:02]: ..." style speaker labels at a line start.
_SPEAKER = re.compile(
    r"^\s*(?P<who>interviewer|candidate|you|me|coach|ai|assistant|user)\s*(?:\[[^\]]*\])?\s*:\s*",
    re.IGNORECASE | re.MULTILINE,
)
_CANDIDATE_LABELS = {"candidate", "you", "me", "user"}

# A sentence ends at . ! ? followed by space, or at a line break; bullets start new sentences.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])|\n+")
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
    labels = list(_SPEAKER.finditer(text))
    if not labels:
        return [Span(0, len(text), text)]
    spans = []
    if labels[0].start() > 0 and text[: labels[0].start()].strip():
        spans.append(Span(0, labels[0].start(), text[: labels[0].start()]))
    for i, m in enumerate(labels):
        end = labels[i + 1].start() if i + 1 < len(labels) else len(text)
        if m.group("who").lower() in _CANDIDATE_LABELS:
            spans.append(Span(m.end(), end, text[m.end() : end]))
    return spans


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
    out: list[Span] = []
    for region in candidate_spans(text):
        cuts = [region.start]
        for m in _SENTENCE_END.finditer(text, region.start, region.end):
            cuts.append(m.start())
            cuts.append(m.end())
        cuts.append(region.end)
        for start, end in zip(cuts[::2], cuts[1::2], strict=True):
            span = _trimmed(text, start, end)
            if span is None:
                continue
            out.extend(_split_long(text, span))
    return out


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
