"""Where the store's SQL runs: one synchronous SQLAlchemy function per call, on SQLite or
PostgreSQL.

Every query is written once, as a function of a synchronous `Connection`. PostgreSQL runs it
through the async engine (asyncpg) with `run_sync`. SQLite runs it on one thread that owns
the database: a call there is one hop between threads instead of one per statement, which is
what the aiosqlite driver costs (measured: 0.2 ms against 0.7 ms for a one-row commit), and
SQLite has one writer anyway.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

R = TypeVar("R")
Query = Callable[[Connection], R]


class Database:
    """Runs queries; `write` commits before it returns."""

    url: str

    async def read(self, query: Query[R]) -> R:
        raise NotImplementedError

    async def write(self, query: Query[R], *, one_statement: bool = False) -> R:
        """Run `query` in a transaction. `one_statement` says it is a single INSERT or UPDATE,
        atomic by itself, so a backend may skip BEGIN and COMMIT."""
        raise NotImplementedError

    async def close(self) -> None:
        raise NotImplementedError

    @property
    def safe_url(self) -> str:
        """The URL without its password, for logs."""
        return safe_database_url(self.url)


def safe_database_url(url: str) -> str:
    """A database URL with its password shown as ***."""
    return make_url(url).render_as_string(hide_password=True)


def open_database(url: str) -> Database:
    return SQLiteDatabase(url) if url.startswith("sqlite") else AsyncDatabase(url)


class SQLiteDatabase(Database):
    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        self.path = parsed.database
        # sqlite+aiosqlite:// URLs from older configurations mean the same file.
        self._engine: Engine = create_engine(parsed.set(drivername="sqlite+pysqlite"), pool_size=1, max_overflow=0)
        event.listen(self._engine, "connect", _sqlite_pragmas)
        self._thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="coach-sqlite")

    async def _run(self, fn: Callable[[], R]) -> R:
        return await asyncio.get_running_loop().run_in_executor(self._thread, fn)

    async def read(self, query: Query[R]) -> R:
        def run() -> R:
            with self._engine.connect() as conn:
                return query(conn)

        return await self._run(run)

    async def write(self, query: Query[R], *, one_statement: bool = False) -> R:
        def run() -> R:
            with self._engine.begin() as conn:
                return query(conn)

        return await self._run(run)

    async def close(self) -> None:
        await self._run(self._engine.dispose)
        self._thread.shutdown(wait=True)


class AsyncDatabase(Database):
    def __init__(self, url: str) -> None:
        self.url = url
        self._engine: AsyncEngine = create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        # Autocommit makes a single statement one round trip instead of three.
        self._autocommit = self._engine.execution_options(isolation_level="AUTOCOMMIT")

    async def read(self, query: Query[R]) -> R:
        async with self._engine.connect() as conn:
            return await conn.run_sync(query)

    async def write(self, query: Query[R], *, one_statement: bool = False) -> R:
        if one_statement:
            async with self._autocommit.connect() as conn:
                return await conn.run_sync(query)
        async with self._engine.begin() as conn:
            return await conn.run_sync(query)

    async def close(self) -> None:
        await self._engine.dispose()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode survives a process crash (kill -9); only an OS crash may lose the
    # last transactions, and it costs no fsync per commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
