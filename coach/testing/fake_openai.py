"""A local OpenAI-compatible chat server with a fixed time to first token.

    python -m coach.testing.fake_openai --port 9100 --ttft-ms 50 --chunks 20

Streams `--chunks` pieces after waiting `--ttft-ms`. Requests for structured output get
JSON of the shape our prompts ask for (suggestions), or an empty object otherwise, which the
graders reject, exercising their fallback. For tests and benchmarks only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import time
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

WORDS = "That is a reasonable start. How would that part behave when traffic doubles during the peak hour?".split()


def reply_text(chunks: int) -> list[str]:
    return [(" " if i else "") + WORDS[i % len(WORDS)] for i in range(chunks)]


def structured(body: dict[str, Any]) -> str:
    name = body["response_format"].get("json_schema", {}).get("name")
    if name == "suggestions":
        return json.dumps({"items": [{"category": "nudge", "title": "From the fake model", "detail": "What happens at ten times the load?"}]})
    return "{}"


def build_app(ttft_s: float, chunks: int, chunk_delay_s: float) -> Starlette:
    counter = {"requests": 0}

    async def completions(request: Request) -> Response:
        body = await request.json()
        counter["requests"] += 1
        pieces = [structured(body)] if "response_format" in body else reply_text(chunks)
        created = int(time.time())

        def chunk(text: str | None, finish: str | None = None) -> str:
            delta = {"content": text} if text is not None else {}
            payload = {"id": "fake", "object": "chat.completion.chunk", "created": created, "model": body.get("model", "fake"), "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            return f"data: {json.dumps(payload)}\n\n"

        if not body.get("stream"):
            await asyncio.sleep(ttft_s)
            text = "".join(pieces)
            return JSONResponse(
                {
                    "id": "fake",
                    "object": "chat.completion",
                    "created": created,
                    "model": body.get("model", "fake"),
                    "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                    "usage": {"prompt_tokens": 10, "completion_tokens": len(pieces), "total_tokens": 10 + len(pieces)},
                }
            )

        async def events() -> AsyncIterator[str]:
            await asyncio.sleep(ttft_s)
            for i, piece in enumerate(pieces):
                if i and chunk_delay_s:
                    await asyncio.sleep(chunk_delay_s)
                yield chunk(piece)
            yield chunk(None, "stop")
            yield "data: [DONE]\n\n"

        return StreamingResponse(events(), media_type="text/event-stream")

    async def models(_request: Request) -> Response:
        return JSONResponse({"object": "list", "data": [{"id": "fake-model", "object": "model"}]})

    async def stats(_request: Request) -> Response:
        return JSONResponse(counter)

    return Starlette(routes=[Route("/v1/chat/completions", completions, methods=["POST"]), Route("/v1/models", models), Route("/stats", stats)])


def main() -> None:
    import uvicorn

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--ttft-ms", type=float, default=50.0)
    parser.add_argument("--chunks", type=int, default=20)
    parser.add_argument("--chunk-delay-ms", type=float, default=0.0)
    args = parser.parse_args()
    app = build_app(args.ttft_ms / 1000, args.chunks, args.chunk_delay_ms / 1000)
    uvicorn.run(app, host=args.host, port=args.port, loop="uvloop", log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
