"""Prompt templates live in versioned files in `prompts/`, not in code."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

# prompts/ at the top of the repository; coach/prompt_templates links to it, so that a wheel
# carries it.
PROMPTS_DIR = Path(__file__).resolve().parent / "prompt_templates"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(PROMPTS_DIR),
        undefined=StrictUndefined,
        autoescape=False,  # plain text for a model, not HTML
        keep_trailing_newline=True,
    )


def render(name: str, **context: Any) -> str:
    """Render prompts/NAME.md.j2, e.g. render("grade.v1.system", kind_label=...)."""
    return _environment().get_template(f"{name}.md.j2").render(**context).strip()
