"""Test-wide guards: no real model provider is ever called, no user config leaks in."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# litellm sends through aiohttp by default, which respx cannot intercept.
os.environ["DISABLE_AIOHTTP_TRANSPORT"] = "True"

from coach.config import get_settings  # noqa: E402
from coach.llm import guard  # noqa: E402

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    monkeypatch.setattr(guard, "ALLOW_MODEL_REQUESTS", False)
    for name in list(os.environ):
        if name.startswith("COACH_") or name in ("OPENAI_API_KEY", "ANTHROPIC_API_KEY"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("COACH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path)  # keeps a developer's .env out of the tests
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()
