"""Numbers with units and rates, read from a candidate's sentence.

Numbers written in words go through `text2num` first; units and rates are read here, because
general quantity extractors read "100M" as 100 metres and "4k" as 4 kelvin. Each number keeps
the words around it, so that a cue ("writes", "new links") can tie it to a reference figure.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from text_to_num import alpha2digit

from coach.bank.models import Figure, FigureUnit

_I = re.IGNORECASE
_MULTIPLIERS = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mil": 1e6, "million": 1e6, "b": 1e9, "bn": 1e9,
    "billion": 1e9, "t": 1e12, "trillion": 1e12,
}  # fmt: skip
SECONDS = {
    "ms": 1e-3, "millisecond": 1e-3, "msec": 1e-3, "s": 1, "sec": 1, "second": 1, "min": 60, "minute": 60,
    "h": 3600, "hr": 3600, "hour": 3600, "day": 86_400, "week": 604_800, "month": 2_592_000, "mo": 2_592_000,
    "year": 31_536_000, "yr": 31_536_000,
}  # fmt: skip
_ADVERB_PERIODS = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year", "annually": "year"}

_NUMBER = re.compile(
    r"(?<![\w.$])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s?(?P<mult>thousand|million|billion|trillion|mil|bn|mm|[kKmMbBtT])(?![a-zA-Z]))?"
    r"(?:\s?(?P<unit>[kKmMgGtTpPeE]?i?[bB](?:ps|it)?s?|bytes?|(?:kilo|mega|giga|tera|peta|exa)(?:bytes?|bits?)|bits?|gigs?|megs?|"
    r"milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|weeks?|months?|years?|yrs?)(?![a-zA-Z]))?"
    r"(?P<pct>\s?%|\s?percent)?"
)
# A rate after the number and up to four words: "4,000 writes per second", "40 new links a second".
_PER = re.compile(
    r"^(?:[a-zA-Z'-]+(?:\s+|(?=/))){0,4}?(?:(?:(?:per|a|an|each|every)\s+|/\s*)(?P<period>seconds?|secs?|s|minutes?|mins?|hours?|hrs?|h|days?|"
    r"weeks?|months?|mo|years?|yrs?)\b|(?P<qps>[QRT]PS|qps|rps|tps|ops/s)\b|(?P<adverb>hourly|daily|weekly|monthly|yearly|annually)\b)",
)
_PER_ITEM = re.compile(r"^\s*(?:each|apiece|per\s+(?!second|sec|s\b|minute|hour|day|week|month|year)\w+)", _I)
# "a sender ... can push 500 a second", "each broker handles 50 MB/s": the capacity of one of many.
_ONE_OF_MANY = re.compile(
    r"\b(?:a|one|each|every|per|a\s+single|any)\s+(?:\w+\s+){0,2}?(?:sender|worker|server|machine|node|box|host|instance|broker|"
    r"partition|consumer|producer|shard|core|cpu|connection|process|pod|gateway|replica|disk|drive|thread|container|vm|fetcher|bidder)s?\b",
    _I,
)
_ON_AVERAGE = re.compile(r"^\s*(?:on\s+average|average)", _I)  # "500 bytes on average"; not after a rate
_PER_ITEM_BEFORE = re.compile(r"(?:\bat|\baverag\w*|\bavg|\beach|\bsize\s+of|\babout\s+\w+\s+at)\s*(?:about|around|roughly|~)?\s*$", _I)
_PEAK = re.compile(r"\b(?:peaks?|burst\w*|spikes?|max\w*|worst[- ]case|busiest)\b", _I)
_WORD = re.compile(r"[a-z][a-z'-]*")
_CUE_REACH = 8  # a cue further than this many words from the number does not tie it
_PRIOR_DISTANCE = 20


@dataclass(frozen=True)
class Quantity:
    """A number the candidate wrote, in base units, with the words around it."""

    value: float
    unit: FigureUnit
    period: str | None  # the period a rate was given in ("month" for "100M a month")
    surface: str
    left: tuple[str, ...]  # lower-cased words before the number in its sentence, nearest last
    right: tuple[str, ...]  # ... and after it, nearest first
    prior: tuple[str, ...]  # the previous sentence's words
    per_item: bool  # "500 bytes each", "a sender can push 500 a second": one thing's, not a total
    peak: bool
    small: bool  # a bare number under 1,000 ("3 replicas"): a count only with its noun beside it

    def cue_distance(self, figure: Figure) -> float:
        """How many words from the number the nearest of the figure's cues is (inf if none
        in this sentence). The previous sentence counts only for rates, and from further off:
        "100M new links a month. That's about 40 a second." """
        words = [*self.left, "#", *self.right]
        here = len(self.left)
        found = [abs(k - here) for cue in figure.cues for k in _cue_at(words, cue)]
        if found:
            return min(found) if not self.small or min(found) <= 2 else math.inf
        if self.unit in (FigureUnit.per_second, FigureUnit.bytes_per_second) and any(_cue_at(list(self.prior), c) for c in figure.cues):
            return _PRIOR_DISTANCE
        return math.inf


def _cue_at(words: Sequence[str], cue: str) -> list[int]:
    """Where a cue (a word stem, or words in a row) starts in `words`."""
    parts = cue.split()
    return [
        i for i in range(len(words) - len(parts) + 1)
        if all(words[i + j].startswith(w) for j, w in enumerate(parts))
    ]  # fmt: skip


def _words_to_digits(text: str) -> str:
    converted = alpha2digit(text, "en")
    # "one point five million" comes back as "1.5 1000000"; "half a terabyte" not at all.
    converted = re.sub(
        r"(\d+(?:\.\d+)?) (1000|1000000|1000000000|1000000000000)\b", lambda m: _plain(float(m[1]) * int(m[2])), converted
    )
    return re.sub(r"\bhalf an? (?=[a-z])", "0.5 ", converted, flags=_I)


def _plain(x: float) -> str:
    return str(int(x)) if x == int(x) else str(x)


_PREFIX = {"": 1, "k": 1e3, "m": 1e6, "g": 1e9, "t": 1e12, "p": 1e15, "e": 1e18}
_PREFIX_WORDS = {"": 1, "kilo": 1e3, "mega": 1e6, "giga": 1e9, "tera": 1e12, "peta": 1e15, "exa": 1e18}


def _unit(unit: str | None, value: float) -> tuple[float, FigureUnit, bool] | None:
    """The value in base units, its kind, and whether the unit is already a rate (Gbps)."""
    if not unit:
        return value, FigureUnit.count, False
    low = unit.lower()
    if m := re.fullmatch(r"([kmgtpe]?)i?bps", low):  # bits per second
        return value * _PREFIX[m[1]] / 8, FigureUnit.bytes_per_second, True
    if m := re.fullmatch(r"([kmgtpe]?)i?(b|bits?|bit)", low):
        bits = unit[-1] == "b" or low.endswith(("bit", "bits"))  # Gb is gigabits, GB gigabytes
        if m[1] == "" and m[2] == "b":
            return None  # a bare "b" is not a unit anyone writes
        return value * _PREFIX[m[1]] / (8 if bits else 1), FigureUnit.bytes, False
    if m := re.fullmatch(r"(gig|meg)s?", low):  # spoken: "20 to 50 gig"
        return value * (1e9 if m[1] == "gig" else 1e6), FigureUnit.bytes, False
    if m := re.fullmatch(r"(kilo|mega|giga|tera|peta|exa|)(bytes?|bits?)", low):
        return value * _PREFIX_WORDS[m[1]] / (8 if m[2].startswith("bit") else 1), FigureUnit.bytes, False
    key = low if low in SECONDS else low.rstrip("s")
    if key in SECONDS:
        return value * SECONDS[key], FigureUnit.seconds, False
    return None


@lru_cache(maxsize=8192)
def quantities(sentence: str, before: str = "") -> tuple[Quantity, ...]:
    """Every number with a unit, a rate or a multiplier in `sentence`; `before` is the text
    just before it (the previous sentence), whose words count as context."""
    text = _words_to_digits(sentence)
    prior = _words_to_digits(before).lower() if before else ""
    found: list[tuple[re.Match[str], float, FigureUnit, str | None, str]] = []
    for m in _NUMBER.finditer(text):
        if m["pct"]:
            continue
        mult = m["mult"]
        unit_read = _unit(m["unit"], float(m["num"].replace(",", "")) * (_MULTIPLIERS[mult.lower()] if mult else 1))
        if unit_read is None:
            continue
        value, kind, is_rate = unit_read
        tail = text[m.end() :].lstrip()
        per = _PER.match(tail)
        period = ("s" if is_rate else None) if not per or is_rate else _period(per)
        found.append((m, value, kind, period, tail[per.end() :] if per and period else text[m.end() :]))
    # "40 writes and 4k redirects a second": the rate at the end belongs to both numbers.
    for n in range(len(found) - 2, -1, -1):
        m, value, kind, period, rest = found[n]
        following = found[n + 1]
        if period is None and following[3] and _SHARED_RATE.match(text[m.end() : following[0].start()]):
            found[n] = (m, value, kind, following[3], rest)
    out: list[Quantity] = []
    edges = [0, *(m.end() for m, *_ in found)]
    starts = [*(m.start() for m, *_ in found), len(text)]
    for n, (m, value, kind, period, rest) in enumerate(found):
        if period and not m["unit"] or period and kind is FigureUnit.bytes:
            seconds = SECONDS[period]
            kind = FigureUnit.per_second if kind is FigureUnit.count else FigureUnit.bytes_per_second if kind is FigureUnit.bytes else kind
            value = value / seconds if kind in (FigureUnit.per_second, FigureUnit.bytes_per_second) else value
        window = _context(text, m.start(), m.end())
        before_number = text[: m.start()]
        clause = re.split(r"[,;:]", before_number)[-1]
        out.append(
            Quantity(
                value=value,
                unit=kind,
                period=period,
                surface=m.group().strip(),
                # A cue belongs to the nearest number: look back only to the number before
                # this one, and ahead only to the next ("40 a second, so 4k redirects").
                left=tuple(_WORD.findall(text[edges[n] : m.start()].lower())[-_CUE_REACH:]),
                right=tuple(_WORD.findall(text[m.end() : starts[n + 1]].lower())[:_CUE_REACH]),
                prior=tuple(_WORD.findall(prior)),
                per_item=bool(
                    _PER_ITEM.match(rest)
                    or (not period and _ON_AVERAGE.match(rest))
                    or (kind is FigureUnit.bytes and _PER_ITEM_BEFORE.search(before_number))
                    or _ONE_OF_MANY.search(clause)
                ),
                peak=bool(_PEAK.search(window)),
                small=kind is FigureUnit.count and not m["mult"] and float(m["num"].replace(",", "")) < 1000,
            )
        )
    return tuple(out)


def _period(per: re.Match[str]) -> str | None:
    """The period of a rate phrase as a key of SECONDS ("s", "day", "month")."""
    if per["qps"]:
        return "s"
    word = (per["period"] or _ADVERB_PERIODS.get((per["adverb"] or "").lower()) or "").lower()
    if not word:
        return None
    return word if word in SECONDS else word.rstrip("s") if word.rstrip("s") in SECONDS else None


_SHARED_RATE = re.compile(r"^\s*(?:[a-zA-Z'-]+\s+){0,3}?(?:and|or|plus|to|,)\s*(?:about|around|roughly|~|maybe)?\s*$", _I)


def _context(text: str, start: int, end: int, words: int = 8) -> str:
    left = _WORD.findall(text[:start].lower())[-words:]
    right = _WORD.findall(text[end:].lower())[:words]
    return " ".join(left + ["#"] + right)
