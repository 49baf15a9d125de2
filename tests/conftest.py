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
    # The start-up provider check would be one more request to every mocked model.
    monkeypatch.setenv("COACH_CHECK_PROVIDER", "false")
    monkeypatch.chdir(tmp_path)  # keeps a developer's .env out of the tests
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# --- databases ------------------------------------------------------------------------------

PG_ADMIN = os.environ.get("COACH_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def _pg_reachable() -> str | None:
    import asyncio

    import asyncpg

    async def probe() -> None:
        conn = await asyncpg.connect(PG_ADMIN, timeout=3)
        await conn.close()

    try:
        asyncio.run(probe())
        return None
    except Exception as exc:  # any failure means: no PostgreSQL here
        return f"{type(exc).__name__}: {exc}"


def _admin(sql: str) -> None:
    import asyncio

    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(PG_ADMIN)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(run())


def _new_postgres_database() -> Iterator[str]:
    import secrets

    problem = _pg_reachable()
    if problem:
        pytest.skip(f"PostgreSQL tests SKIPPED: no server reachable at {PG_ADMIN} ({problem})")
    name = f"coach_test_{secrets.token_hex(4)}"
    _admin(f'CREATE DATABASE "{name}"')
    base = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    yield f"{base}/{name}"
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_postgres_url() -> Iterator[str]:
    """An empty PostgreSQL database of this test's own."""
    yield from _new_postgres_database()


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test run, dropped afterwards."""
    yield from _new_postgres_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database of each kind for this one test (migration tests need a blank one)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank.db'}"
    else:
        yield from _new_postgres_database()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'coach.db'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture(autouse=True)
def _forget_structured_modes():
    """Which JSON mode worked is remembered per model name; tests share fake model names."""
    from coach.llm import structured

    structured._WORKED.clear()


@pytest.fixture
async def store(database_url: str):
    """A migrated store on each kind of database."""
    from coach.storage import Store

    store = Store(database_url)
    await store.start()
    yield store
    await store.close()


REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


@pytest.fixture
def redis_url() -> str:
    """The test Redis (database 15); the test skips, and says so, where none runs."""
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("Redis tests SKIPPED: no server at 127.0.0.1:6379")
    return REDIS_TEST_URL

