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
