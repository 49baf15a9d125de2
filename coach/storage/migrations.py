"""Named schema migrations, applied in order at start and recorded in `schema_migrations`.

Each step is a function of a synchronous SQLAlchemy connection, so the same code runs on
SQLite and PostgreSQL. Add new steps at the end; never edit one that has shipped.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, inspect, select, text

from coach.storage import tables


def m001_initial(conn: Connection) -> None:
    for table in (tables.sessions, tables.turns, tables.frames, tables.reports):
        table.create(conn, checkfirst=True)


def m002_session_prompts(conn: Connection) -> None:
    # m001 creates tables from the current schema, so a new database has the column already.
    if "prompts" not in {c["name"] for c in inspect(conn).get_columns("sessions")}:
        conn.execute(text("ALTER TABLE sessions ADD COLUMN prompts VARCHAR(200)"))


MIGRATIONS: list[tuple[str, Callable[[Connection], None]]] = [
    ("m001_initial", m001_initial),
    ("m002_session_prompts", m002_session_prompts),
]


def migrate(conn: Connection) -> list[str]:
    """Apply the migrations this database has not seen; return their names."""
    tables.schema_migrations.create(conn, checkfirst=True)
    done = set(conn.scalars(select(tables.schema_migrations.c.name)))
    applied = []
    for name, step in MIGRATIONS:
        if name in done:
            continue
        step(conn)
        conn.execute(tables.schema_migrations.insert().values(name=name, applied_at=datetime.now(UTC)))
        applied.append(name)
    return applied


def table_names(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())
