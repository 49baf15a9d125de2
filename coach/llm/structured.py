"""Validate a model's structured (JSON) reply against a pydantic model."""

from __future__ import annotations

import re
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from coach.errors import ProviderError

M = TypeVar("M", bound=BaseModel)
# Models often wrap JSON in a Markdown code fence despite being asked not to.
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")


def parse_reply(model: type[M], raw: str, what: str) -> M:
    """`raw` as `model`; ProviderError naming `what` when it is not that shape."""
    try:
        return model.model_validate_json(_FENCE.sub("", raw.strip()))
    except ValidationError as exc:
        raise ProviderError(f"the model's {what} was not valid JSON of the expected shape ({exc.error_count()} errors)") from exc
