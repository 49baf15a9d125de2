"""Helpers for driving the interview websocket in tests."""

from __future__ import annotations

import json
from typing import Any


def send(ws: Any, frame: dict[str, Any] | str) -> None:
    ws.send_text(frame if isinstance(frame, str) else json.dumps(frame))


def until(ws: Any, kind: str, limit: int = 500) -> list[dict[str, Any]]:
    """Receive frames up to and including the first of type `kind`."""
    out = []
    for _ in range(limit):
        frame = ws.receive_json()
        out.append(frame)
        if frame["type"] == kind:
            return out
    raise AssertionError(f"no {kind} frame in {limit} frames: {[f['type'] for f in out]}")


def say(ws: Any, text: str) -> list[dict[str, Any]]:
    """One candidate turn and everything the server sends for it, up to the suggestions."""
    send(ws, {"type": "say", "text": text})
    return until(ws, "suggestions")


def of(frames: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [f for f in frames if f["type"] == kind]
