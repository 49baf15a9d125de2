"""Durable state of interviews: sessions, turns, every frame sent, reports.

SQLite by default, PostgreSQL with a postgresql+asyncpg:// URL (see `database`). Every write
commits before the call returns: a turn or frame handed to the store survives a crash of the
process.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, select, update

from coach.errors import CoachError, SessionEnded, Superseded
from coach.storage import tables
from coach.storage.database import SQLiteDatabase, open_database
from coach.storage.migrations import migrate
from coach.storage.writes import GroupCommit, Lease, uncancellable


class StorageError(CoachError):
    code = "storage_unavailable"


def sqlite_url(data_dir: Path) -> str:
    return f"sqlite:///{(data_dir / 'coach.db').resolve()}"


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
    prompts: str | None = None
    epoch: int = 0  # the fencing epoch of the session's current owner (see writes.Lease)
    owner: str | None = None  # the instance serving it, as it named itself

    def token_matches(self, token: str) -> bool:
        return secrets.compare_digest(self.token_hash, hash_token(token))


@dataclass(frozen=True)
class Turn:
    turn: int
    role: str
    text: str
    created_at: datetime | None = None  # when it was stored (read back for the report's timeline)


def said_by(turns: Iterable[Turn], role: str, sep: str = " ") -> str:
    """Everything one speaker has said, in order."""
    return sep.join(t.text for t in turns if t.role == role)


def last_said(turns: Sequence[Turn], role: str) -> str:
    """The latest turn of one speaker, or ""."""
    return next((t.text for t in reversed(turns) if t.role == role), "")


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything we store is UTC.
    return value if value.tzinfo else value.replace(tzinfo=UTC)


class Store:
    def __init__(self, url: str) -> None:
        self._in_flight: set[asyncio.Future[Any]] = set()
        self.db = open_database(url)
        self.is_sqlite = isinstance(self.db, SQLiteDatabase)
        self._inserts = GroupCommit(self.db)

    @property
    def safe_url(self) -> str:
        return self.db.safe_url

    async def start(self) -> list[str]:
        """Create or migrate the schema; return the migrations applied."""
        if isinstance(self.db, SQLiteDatabase) and self.db.path:
            Path(self.db.path).parent.mkdir(parents=True, exist_ok=True)
        try:
            return await self.db.write(migrate)
        except OSError as exc:
            raise StorageError(f"cannot reach the database at {self.safe_url}: {exc}") from exc

    async def close(self) -> None:
        await self._inserts.close()
        if self._in_flight:
            await asyncio.wait(list(self._in_flight), timeout=30)
        await self.db.close()

    # -- sessions ---------------------------------------------------------------------------

    @uncancellable
    async def create_session(
        self, session_id: str, token: str, question_id: str, provider: str, prompts: str | None = None, owner: str | None = None
    ) -> SessionRow:
        values: dict[str, Any] = {
            "id": session_id,
            "token_hash": hash_token(token),
            "question_id": question_id,
            "state": "active",
            "provider": provider,
            "created_at": datetime.now(UTC),
            "prompt_tokens": 0,
            "completion_tokens": 0,
            "cost_usd": 0.0,
            "prompts": prompts,
            "epoch": 1,
            "owner": owner,
        }
        await self.db.write(lambda conn: conn.execute(tables.sessions.insert().values(**values)), one_statement=True)
        return SessionRow(ended_at=None, score=None, **values)

    @uncancellable
    async def get_session(self, session_id: str) -> SessionRow | None:
        def query(conn: Connection) -> dict[str, Any] | None:
            row = conn.execute(select(tables.sessions).where(tables.sessions.c.id == session_id)).mappings().first()
            return dict(row) if row is not None else None

        data = await self.db.read(query)
        if data is None:
            return None
        data["created_at"] = _aware(data["created_at"])
        data["ended_at"] = _aware(data["ended_at"]) if data["ended_at"] else None
        return SessionRow(**data)

    @uncancellable
    async def claim(self, session_id: str, owner: str) -> int:
        """Take the session over for `owner`; the new epoch. Every write under an older epoch
        is refused from now on (on PostgreSQL, this waits for a batch of the old owner's
        writes that is committing, so the new owner sees all of it)."""
        s = tables.sessions.c
        statement = update(tables.sessions).where(s.id == session_id).values(epoch=s.epoch + 1, owner=owner).returning(s.epoch)

        def query(conn: Connection) -> int:
            epoch = conn.execute(statement).scalar_one_or_none()
            if epoch is None:
                raise StorageError(f"no session {session_id} to claim")
            return int(epoch)

        return await self.db.write(query)

    @uncancellable
    async def add_usage(self, session_id: str, prompt_tokens: int, completion_tokens: int, cost_usd: float) -> None:
        s = tables.sessions.c
        statement = (
            update(tables.sessions)
            .where(s.id == session_id)
            .values(
                prompt_tokens=s.prompt_tokens + prompt_tokens,
                completion_tokens=s.completion_tokens + completion_tokens,
                cost_usd=s.cost_usd + cost_usd,
            )
        )
        await self.db.write(lambda conn: conn.execute(statement), one_statement=True)

    # -- turns ------------------------------------------------------------------------------

    async def add_turn(self, session_id: str, turn: int, role: str, text: str, lease: Lease | None = None) -> None:
        row = {"session_id": session_id, "turn": turn, "role": role, "text": text, "created_at": datetime.now(UTC)}
        await self._inserts.insert(tables.turns, row, lease)

    @uncancellable
    async def turns(self, session_id: str) -> list[Turn]:
        t = tables.turns.c
        statement = select(t.turn, t.role, t.text, t.created_at).where(t.session_id == session_id).order_by(t.turn)
        return await self.db.read(
            lambda conn: [Turn(turn=r.turn, role=r.role, text=r.text, created_at=_aware(r.created_at)) for r in conn.execute(statement)]
        )

    # -- frames -----------------------------------------------------------------------------

    def queue_frame(self, session_id: str, seq: int, body: str, lease: Lease | None = None) -> asyncio.Future[None]:
        """Start storing a frame; the future settles once it is committed."""
        return self._inserts.queue(tables.frames, {"session_id": session_id, "seq": seq, "body": body}, lease)

    async def add_frame(self, session_id: str, seq: int, body: str, lease: Lease | None = None) -> None:
        await self.queue_frame(session_id, seq, body, lease)

    @uncancellable
    async def drop_frames(self, session_id: str, seqs: Sequence[int]) -> None:
        """Delete frames a later frame makes redundant (a reply's deltas once its
        interviewer.done, which carries the whole text, is stored): rows per turn stay few."""
        f = tables.frames.c
        statement = delete(tables.frames).where(f.session_id == session_id, f.seq.in_(list(seqs)))
        await self.db.write(lambda conn: conn.execute(statement), one_statement=True)

    @uncancellable
    async def purge_frames(self, ended_before: datetime) -> int:
        """Retention: delete the frames of sessions that ended before `ended_before`; their
        turns and reports stay. The number of frames deleted."""
        s, f = tables.sessions.c, tables.frames.c
        finished = select(s.id).where(s.state == "ended", s.ended_at < ended_before)
        statement = delete(tables.frames).where(f.session_id.in_(finished))
        return await self.db.write(lambda conn: int(conn.execute(statement).rowcount or 0))

    @uncancellable
    async def frames_after(self, session_id: str, last_seq: int) -> list[str]:
        f = tables.frames.c
        statement = select(f.body).where(f.session_id == session_id, f.seq > last_seq).order_by(f.seq)
        return await self.db.read(lambda conn: list(conn.execute(statement).scalars()))

    @uncancellable
    async def last_seq(self, session_id: str) -> int:
        f = tables.frames.c
        statement = select(func.coalesce(func.max(f.seq), 0)).where(f.session_id == session_id)
        return await self.db.read(lambda conn: int(conn.execute(statement).scalar_one()))

    # -- reports ----------------------------------------------------------------------------

    @uncancellable
    async def save_report(self, session_id: str, report: dict[str, Any], score: int, lease: Lease | None = None) -> None:
        """End the session with its report, once: only an active session, and under a lease
        only while it holds (else `Superseded`, and nothing is written)."""
        now = datetime.now(UTC)
        s = tables.sessions.c
        ending = update(tables.sessions).where(s.id == session_id, s.state == "active")
        if lease is not None:
            ending = ending.where(s.epoch == lease.epoch)

        def query(conn: Connection) -> None:
            if conn.execute(ending.values(state="ended", ended_at=now, score=score)).rowcount != 1:
                row = conn.execute(select(s.state, s.epoch).where(s.id == session_id)).first()
                if row is not None and lease is not None and row.epoch != lease.epoch:
                    raise Superseded()
                raise SessionEnded()  # its report stands: there is one per session
            conn.execute(tables.reports.insert().values(session_id=session_id, report=report, created_at=now))

        await self.db.write(query)

    @uncancellable
    async def get_report(self, session_id: str) -> dict[str, Any] | None:
        r = tables.reports.c
        statement = select(r.report).where(r.session_id == session_id)
        return await self.db.read(lambda conn: conn.execute(statement).scalar_one_or_none())
