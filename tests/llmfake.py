"""OpenAI-compatible responses for respx mocks: streamed or not, as the request asks."""

from __future__ import annotations

import json
from collections.abc import Iterable

import httpx


def chunk(text: str) -> bytes:
    body = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "fake", "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
    return f"data: {json.dumps(body)}\n\n".encode()


def sse(*pieces: str) -> httpx.Response:
    return httpx.Response(200, content=b"".join(chunk(p) for p in pieces) + b"data: [DONE]\n\n", headers={"content-type": "text/event-stream"})


def completion(text: str) -> httpx.Response:
    return httpx.Response(
        200,
        json={
            "id": "c",
            "object": "chat.completion",
            "created": 1,
            "model": "fake",
            "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 5, "completion_tokens": 5, "total_tokens": 10},
        },
    )


def answer(request: httpx.Request, pieces: Iterable[str]) -> httpx.Response:
    """`pieces` streamed if the request asked for a stream, else as one completion."""
    pieces = list(pieces)
    return sse(*pieces) if json.loads(request.content).get("stream") else completion("".join(pieces))
