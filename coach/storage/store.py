"""Durable state of interviews: sessions, turns, every frame sent, reports.

One async SQLAlchemy engine; SQLite by default, PostgreSQL with a postgresql+asyncpg:// URL.
Every write commits before the call returns: a turn or frame handed to the store survives a
crash of the process.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, AsyncContextManager

from sqlalchemy import event, func, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from coach.errors import CoachError
from coach.storage import tables
from coach.storage.writes import GroupCommit, uncancellable
from coach.storage.migrations import migrate


class StorageError(CoachError):
    code = "storage_unavailable"


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite+aiosqlite:///{(data_dir / 'coach.db').resolve()}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class SessionRow:
    id: str
    token_hash: str
    question_id: str
    state: str
    provider: str
    created_at: datetime
    ended_at: datetime | None
    prompt_tokens: int
    completion_tokens: int
    cost_usd: float
    score: int | None

    def token_matches(self, token: str) -> bool:
        return secrets.compare_digest(self.token_hash, hash_token(token))


@dataclass(frozen=True)
class Turn:
    turn: int
    role: str
    text: str


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything we store is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Store:
    def __init__(self, url: str) -> None:
        self._in_flight: set[asyncio.Future[Any]] = set()
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        if self.is_sqlite:
            # One connection: SQLite has one writer anyway, and this avoids "database is locked".
            self.engine: AsyncEngine = create_async_engine(url, pool_size=1, max_overflow=0)
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        else:
            self.engine = create_async_engine(url, pool_size=10, max_overflow=20, pool_pre_ping=True)
        # A single INSERT or UPDATE is atomic by itself. On PostgreSQL autocommit makes it one
        # round trip instead of three (BEGIN, statement, COMMIT); on SQLite the per-checkout
        # isolation switch costs more than it saves (measured), so it keeps a transaction.
        self._autocommit = None if self.is_sqlite else self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self._inserts = GroupCommit(self.engine)

    async def start(self) -> list[str]:
        """Create or migrate the schema; return the migrations applied."""
        if self.is_sqlite:
            path = self.url.split("///", 1)[1]
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            async with self.engine.begin() as conn:
                return await conn.run_sync(migrate)
        except OSError as exc:
            raise StorageError(f"cannot reach the database at {self.safe_url}: {exc}") from exc

    def _single_write(self) -> AsyncContextManager[AsyncConnection]:
        """A connection for one statement that commits when the block ends."""
        return self._autocommit.connect() if self._autocommit is not None else self.engine.begin()

    @property
    def safe_url(self) -> str:
        """The URL without its password, for logs."""
        from sqlalchemy.engine import make_url

        return make_url(self.url).render_as_string(hide_password=True)

    async def close(self) -> None:
        await self._inserts.close()
        if self._in_flight:
            await asyncio.wait(list(self._in_flight), timeout=30)
        await self.engine.dispose()

    # -- sessions ---------------------------------------------------------------------------

    @uncancellable
    async def create_session(self, session_id: str, token: str, question_id: str, provider: str) -> SessionRow:
        now = datetime.now(UTC)
        values: dict[str, Any] = {
            "id": session_id,
            "token_hash": hash_token(token),
            "question_id": question_id,
            "state": "active",
            "provider": provider,
            "created_at": now,
            "prompt_tokens": 0,
            "completion_tokens": 0,
            "cost_usd": 0.0,
        }
        async with self._single_write() as conn:
            await conn.execute(tables.sessions.insert().values(**values))
        return SessionRow(ended_at=None, score=None, **values)

    @uncancellable
    async def get_session(self, session_id: str) -> SessionRow | None:
        async with self.engine.connect() as conn:
            row = (await conn.execute(select(tables.sessions).where(tables.sessions.c.id == session_id))).mappings().first()
        if row is None:
            return None
        data = dict(row)
        data["created_at"] = _aware(data["created_at"])
        data["ended_at"] = _aware(data["ended_at"]) if data["ended_at"] else None
        return SessionRow(**data)

    @uncancellable
    async def add_usage(self, session_id: str, prompt_tokens: int, completion_tokens: int, cost_usd: float) -> None:
        s = tables.sessions.c
        async with self._single_write() as conn:
            await conn.execute(
                update(tables.sessions)
                .where(s.id == session_id)
                .values(
                    prompt_tokens=s.prompt_tokens + prompt_tokens,
                    completion_tokens=s.completion_tokens + completion_tokens,
                    cost_usd=s.cost_usd + cost_usd,
                )
            )

    # -- turns ------------------------------------------------------------------------------

    async def add_turn(self, session_id: str, turn: int, role: str, text: str) -> None:
        row = {"session_id": session_id, "turn": turn, "role": role, "text": text, "created_at": datetime.now(UTC)}
        await self._inserts.insert(tables.turns, row)

    @uncancellable
    async def turns(self, session_id: str) -> list[Turn]:
        t = tables.turns.c
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(t.turn, t.role, t.text).where(t.session_id == session_id).order_by(t.turn))
            return [Turn(turn=r.turn, role=r.role, text=r.text) for r in rows]

    # -- frames -----------------------------------------------------------------------------

    async def add_frame(self, session_id: str, seq: int, body: str) -> None:
        await self._inserts.insert(tables.frames, {"session_id": session_id, "seq": seq, "body": body})

    @uncancellable
    async def frames_after(self, session_id: str, last_seq: int) -> list[str]:
        f = tables.frames.c
        async with self.engine.connect() as conn:
            rows = await conn.execute(select(f.body).where(f.session_id == session_id, f.seq > last_seq).order_by(f.seq))
            return list(rows.scalars())

    @uncancellable
    async def last_seq(self, session_id: str) -> int:
        f = tables.frames.c
        async with self.engine.connect() as conn:
            return int((await conn.execute(select(func.coalesce(func.max(f.seq), 0)).where(f.session_id == session_id))).scalar_one())

    # -- reports ----------------------------------------------------------------------------

    @uncancellable
    async def save_report(self, session_id: str, report: dict[str, Any], score: int) -> None:
        now = datetime.now(UTC)
        async with self.engine.begin() as conn:
            await conn.execute(tables.reports.insert().values(session_id=session_id, report=report, created_at=now))
            await conn.execute(
                update(tables.sessions).where(tables.sessions.c.id == session_id).values(state="ended", ended_at=now, score=score)
            )

    @uncancellable
    async def get_report(self, session_id: str) -> dict[str, Any] | None:
        r = tables.reports.c
        async with self.engine.connect() as conn:
            return (await conn.execute(select(r.report).where(r.session_id == session_id))).scalar_one_or_none()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL in WAL mode survives a process crash (kill -9); only an OS crash may lose the
    # last transactions, and it costs no fsync per commit.
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
