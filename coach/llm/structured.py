"""Structured (JSON) replies: asked for in the way the server supports, validated against a
pydantic model, repaired once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from coach.errors import ProviderError
from coach.llm.base import STRUCTURED, Message, Provider
from coach.llm.metered import NOT_WORTH_RETRYING

M = TypeVar("M", bound=BaseModel)
# Models often wrap JSON in a Markdown code fence despite being asked not to.
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")


def parse_reply(model: type[M], raw: str, what: str) -> M:
    """`raw` as `model`; ProviderError naming `what` when it is not that shape."""
    try:
        return model.model_validate_json(_FENCE.sub("", raw.strip()))
    except ValidationError as exc:
        raise ProviderError(f"the model's {what} was not valid JSON of the expected shape ({exc.error_count()} errors)") from exc


# How to ask a server for JSON, most exact first. Many OpenAI-compatible servers (llama.cpp's,
# some gateways) refuse `json_schema` with an error, and some refuse `response_format` at all.
MODES = ("json_schema", "json_object", "text")
# The mode that last worked, per model: the next call starts there.
_WORKED: dict[str, str] = {}


def _format(mode: str, name: str, schema: dict[str, Any]) -> dict[str, Any] | None:
    if mode == "json_schema":
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
    return {"type": "json_object"} if mode == "json_object" else None


def _with_schema(messages: list[Message], schema: dict[str, Any]) -> list[Message]:
    """The schema spelled out in the system message, for a server that cannot enforce it."""
    note = f"\n\nReply with one JSON object only, no prose and no code fence, valid against this JSON Schema:\n{json.dumps(schema)}"
    first, *rest = messages
    return [{"role": first["role"], "content": first["content"] + note}, *rest]


async def complete_structured(
    provider: Provider,
    messages: list[Message],
    model: type[M],
    what: str,
    check: Callable[[M], None] | None = None,
) -> M:
    """A reply of `model`'s shape from any OpenAI-compatible server.

    Asks with `json_schema`; a server that refuses it is asked with `json_object`, then as
    plain text, the schema in the prompt each time, and the mode that worked is remembered
    for the model. A reply that does not validate (or fails `check`) gets one repair request
    that says what was wrong. Raises ProviderError when nothing works."""
    schema = model.model_json_schema()
    start = MODES.index(_WORKED.get(provider.model, MODES[0]))
    failure: ProviderError | None = None
    for mode in MODES[start:]:
        asked = messages if mode == "json_schema" else _with_schema(messages, schema)
        try:
            raw = await provider.complete(asked, response_format=_format(mode, what, schema), limits=STRUCTURED)
        except NOT_WORTH_RETRYING:
            raise
        except ProviderError as exc:  # refused, or down: the next mode tells which
            failure = failure or exc
            continue
        _WORKED[provider.model] = mode
        try:
            return _validated(model, raw, what, check)
        except ProviderError as invalid:
            repair: list[Message] = [
                *asked,
                {"role": "assistant", "content": raw},
                {"role": "user", "content": f"That reply was not usable: {invalid.message}. Reply again with only the corrected JSON."},
            ]
            try:
                again = await provider.complete(repair, response_format=_format(mode, what, schema), limits=STRUCTURED)
            except ProviderError:
                raise invalid from None  # what was wrong with the reply says more than the failed repair
            return _validated(model, again, what, check)
    # Every mode failed: the first error is the server's own (the later ones follow from it).
    assert failure is not None
    raise failure


def _validated(model: type[M], raw: str, what: str, check: Callable[[M], None] | None) -> M:
    out = parse_reply(model, raw, what)
    if check is not None:
        check(out)
    return out
