"""Schema migrations with Alembic, applied at start (coach/storage/alembic/versions).

Each migration spells out its own DDL, so a new database and an old one reach the same
schema by the same steps. They run in the store's transaction; on PostgreSQL that
transaction first takes an advisory lock, so instances starting together migrate one at a
time and the others find the work done. A database migrated by the hand-rolled steps Coach
used before Alembic (table `schema_migrations`) is stamped at the matching revision first.

Add a migration: write coach/storage/alembic/versions/NNNN_name.py (revision = its file name,
down_revision = the previous one), change tables.py to match, and add a test.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect, select, text

from coach.storage import tables

SCRIPTS = Path(__file__).parent / "alembic"
# Any fixed number: the key of the PostgreSQL advisory lock that migrations hold.
_LOCK_KEY = 0x0C0AC4
# What the hand-rolled migrations were called, and the revision that includes each.
_BEFORE_ALEMBIC = {"m001_initial": "0001_initial", "m002_session_prompts": "0002_session_prompts"}


def _config(conn: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(SCRIPTS))
    config.attributes["connection"] = conn
    return config


def revisions() -> list[str]:
    """Every revision, oldest first."""
    script = ScriptDirectory(str(SCRIPTS))
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def current(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def migrate(conn: Connection, target: str = "heads") -> list[str]:
    """Bring the database to `target`; return the revisions applied."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _LOCK_KEY})
    config = _config(conn)
    _adopt_hand_rolled(conn, config)
    before = current(conn)
    command.upgrade(config, target)
    after = current(conn)
    order = revisions()
    start = order.index(before) + 1 if before else 0
    return order[start : order.index(after) + 1] if after else []


def _adopt_hand_rolled(conn: Connection, config: Config) -> None:
    if current(conn) is not None or "schema_migrations" not in inspect(conn).get_table_names():
        return
    done = set(conn.scalars(select(tables.schema_migrations.c.name)))
    known = [rev for name, rev in _BEFORE_ALEMBIC.items() if name in done]
    if known:
        command.stamp(config, known[-1])


def table_names(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names())
