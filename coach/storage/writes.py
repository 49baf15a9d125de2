"""How the store writes under concurrency: calls that survive their caller's cancellation,
and group commit for the many small inserts of live interviews."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Connection, Table, select

from coach.errors import Superseded
from coach.storage import tables
from coach.storage.database import Database

R = TypeVar("R")


def uncancellable(method: Callable[..., Awaitable[R]]) -> Callable[..., Awaitable[R]]:
    """Run a database call to completion even if its caller is cancelled.

    Cancelling a query of the network driver (asyncpg) mid-flight makes SQLAlchemy invalidate
    the connection, which can leave it waiting on a driver that never answers (seen with the
    aiosqlite driver we used before). The call runs in its own task, which the store holds
    until it ends; the caller may still be cancelled while it waits. (SQLite's thread runs a
    call to completion anyway; the wrapper costs it one task per call, off the reply's path.)
    """

    @functools.wraps(method)
    async def wrapper(self: Any, *args: Any, **kwargs: Any) -> R:
        task = asyncio.ensure_future(method(self, *args, **kwargs))
        self._in_flight.add(task)
        task.add_done_callback(self._in_flight.discard)
        task.add_done_callback(lambda t: t.cancelled() or t.exception())  # retrieved: no warning
        return await asyncio.shield(task)

    return wrapper


@dataclass
class Lease:
    """This instance's hold on a session. Writes made under it commit only while `epoch` is
    the session's: a takeover by another instance (coach.storage.Store.claim) raises the
    epoch, and from then on this instance's frames and turns are refused (fencing)."""

    session_id: str
    epoch: int


_Row = tuple[Table, dict[str, Any], Lease | None, asyncio.Future[None]]


class GroupCommit:
    """Inserts from many sessions share one transaction: while one batch commits, the next
    gathers. Each caller returns once its own row is committed, so "stored before sent" holds,
    but a burst of one session's frames no longer queues every other session behind it.

    A row queued under a lease is written only if the lease still holds when its batch
    commits; otherwise its caller gets `Superseded`. The batch reads the epochs of its
    sessions FOR SHARE (PostgreSQL), so a takeover waits for the batch and then sees every
    frame the old owner managed to store: sequence numbers are never handed out twice.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._pending: list[_Row] = []
        self._task: asyncio.Task[None] | None = None

    def queue(self, table: Table, row: dict[str, Any], lease: Lease | None = None) -> asyncio.Future[None]:
        """Add a row to the next batch; the future settles once the row is committed.
        Cancelling the future cancels only the wait: the row is in the batch and gets written.
        (No shield: it would cost every caller one more turn of the event loop.)"""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((table, row, lease, done))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        return done

    async def insert(self, table: Table, row: dict[str, Any], lease: Lease | None = None) -> None:
        await self.queue(table, row, lease)

    async def _run(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                fenced = await self.db.write(_write(batch))
            except Exception:
                # One bad row must not fail the others: retry each on its own.
                for row in batch:
                    try:
                        alone = await self.db.write(_write([row]), one_statement=row[2] is None)
                        _settle(row[3], Superseded() if alone else None)
                    except Exception as exc:
                        _settle(row[3], exc)
            else:
                for n, (*_, done) in enumerate(batch):
                    _settle(done, Superseded() if n in fenced else None)

    async def close(self) -> None:
        if self._task is not None:
            await asyncio.wait([self._task], timeout=30)


def _write(batch: list[_Row]) -> Callable[[Connection], set[int]]:
    """Insert the batch's rows whose lease holds; the positions of those refused."""

    def run(conn: Connection) -> set[int]:
        ids = sorted({lease.session_id for _, _, lease, _ in batch if lease is not None})
        held: dict[str, int] = {}
        if ids:
            s = tables.sessions.c
            held = {r.id: r.epoch for r in conn.execute(select(s.id, s.epoch).where(s.id.in_(ids)).with_for_update(read=True))}
        fenced = {n for n, (_, _, lease, _) in enumerate(batch) if lease is not None and held.get(lease.session_id) != lease.epoch}
        by_table: dict[Table, list[dict[str, Any]]] = {}
        for n, (table, row, _, _) in enumerate(batch):
            if n not in fenced:
                by_table.setdefault(table, []).append(row)
        for table, rows in by_table.items():
            conn.execute(table.insert(), rows)
        return fenced

    return run


def _settle(done: asyncio.Future[None], error: Exception | None) -> None:
    if done.done():
        return
    if error is None:
        done.set_result(None)
    else:
        done.set_exception(error)
