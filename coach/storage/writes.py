"""How the store writes under concurrency: calls that survive their caller's cancellation,
and group commit for the many small inserts of live interviews."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import Connection, Table

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


class GroupCommit:
    """Inserts from many sessions share one transaction: while one batch commits, the next
    gathers. Each caller returns once its own row is committed, so "stored before sent" holds,
    but a burst of one session's frames no longer queues every other session behind it.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self._pending: list[tuple[Table, dict[str, Any], asyncio.Future[None]]] = []
        self._task: asyncio.Task[None] | None = None

    def queue(self, table: Table, row: dict[str, Any]) -> asyncio.Future[None]:
        """Add a row to the next batch; the future settles once the row is committed.
        Cancelling the future cancels only the wait: the row is in the batch and gets written.
        (No shield: it would cost every caller one more turn of the event loop.)"""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((table, row, done))
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run())
        return done

    async def insert(self, table: Table, row: dict[str, Any]) -> None:
        await self.queue(table, row)

    async def _run(self) -> None:
        while self._pending:
            batch, self._pending = self._pending, []
            try:
                await self.db.write(_inserts(_by_table(batch)))
            except Exception:
                # One bad row must not fail the others: retry each on its own.
                for table, row, done in batch:
                    try:
                        await self.db.write(_inserts({table: [row]}), one_statement=True)
                        _settle(done, None)
                    except Exception as exc:
                        _settle(done, exc)
            else:
                for *_, done in batch:
                    _settle(done, None)

    async def close(self) -> None:
        if self._task is not None:
            await asyncio.wait([self._task], timeout=30)


def _by_table(batch: list[tuple[Table, dict[str, Any], asyncio.Future[None]]]) -> dict[Table, list[dict[str, Any]]]:
    out: dict[Table, list[dict[str, Any]]] = {}
    for table, row, _ in batch:
        out.setdefault(table, []).append(row)
    return out


def _inserts(rows_by_table: dict[Table, list[dict[str, Any]]]) -> Callable[[Connection], None]:
    def run(conn: Connection) -> None:
        for table, rows in rows_by_table.items():
            conn.execute(table.insert(), rows)

    return run


def _settle(done: asyncio.Future[None], error: Exception | None) -> None:
    if done.done():
        return
    if error is None:
        done.set_result(None)
    else:
        done.set_exception(error)
