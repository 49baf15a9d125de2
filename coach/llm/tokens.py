"""Token counts with tiktoken, offline: the encodings come from the copies litellm ships."""

from __future__ import annotations

from functools import lru_cache

from coach.llm.base import Message
from coach.llm.litellm_provider import prepare_offline_environment

# Per-message overhead of chat formatting (role markers), as OpenAI documents it.
_PER_MESSAGE = 4


@lru_cache(maxsize=1)
def _encoding():  # type: ignore[no-untyped-def]
    prepare_offline_environment()
    import tiktoken

    return tiktoken.get_encoding("cl100k_base")


@lru_cache(maxsize=8192)
def count_text(text: str) -> int:
    return len(_encoding().encode(text, disallowed_special=()))


def count_messages(messages: list[Message]) -> int:
    return sum(_PER_MESSAGE + count_text(m["content"]) for m in messages) + 2


def trim_to_fit(system: list[Message], turns: list[Message], limit: int) -> list[Message]:
    """The system messages plus as many of the latest turns as fit in `limit` tokens.

    The system messages (question, brief, coverage) are always kept, and so is the latest
    turn: a transcript that doesn't fit loses its oldest turns first.
    """
    budget = limit - count_messages(system)
    kept: list[Message] = []
    for message in reversed(turns):
        cost = _PER_MESSAGE + count_text(message["content"])
        if kept and cost > budget:
            break
        kept.append(message)
        budget -= cost
    return system + kept[::-1]


def fit(messages: list[Message], limit: int) -> list[Message]:
    """`messages` within `limit` tokens, for any call: the oldest turns after the system
    messages go first (trim_to_fit); a single message still too long (a whole transcript sent
    for grading) loses its middle, marked, so that its start and its latest part are kept."""
    if count_messages(messages) <= limit:
        return messages
    system = [m for m in messages if m["role"] == "system"]
    if system == messages[: len(system)]:
        messages = trim_to_fit(system, messages[len(system) :], limit)
    over = count_messages(messages) - limit
    if over <= 0:
        return messages
    longest = max(range(len(messages)), key=lambda n: len(messages[n]["content"]))
    tokens = _encoding().encode(messages[longest]["content"], disallowed_special=())
    # Room for the marker, and for tokens that merge differently where the text is cut.
    keep = max(0, len(tokens) - over - 32)
    head, tail = tokens[: keep // 3], tokens[len(tokens) - (keep - keep // 3) :] if keep else []
    text = _encoding().decode(head) + f"\n[... {len(tokens) - keep:,} tokens left out to fit the model's context ...]\n" + _encoding().decode(tail)
    return [*messages[:longest], {"role": messages[longest]["role"], "content": text}, *messages[longest + 1 :]]
