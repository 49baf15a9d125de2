"""Alembic migrations on SQLite and PostgreSQL: a populated database from the first revision to
the last, a database from before Alembic, and two instances starting at once."""

import asyncio

import pytest
from datetime import UTC, datetime

from sqlalchemy import insert, select, text

from coach.storage import Store, tables
from coach.storage.migrations import current, migrate, revisions


async def test_a_populated_database_migrates_from_the_first_revision_to_the_last(blank_database_url):
    store = Store(blank_database_url)
    try:
        first, *later = revisions()
        assert await store.db.write(lambda conn: migrate(conn, first)) == [first]

        def populate(conn):
            # Rows as the first schema held them (no later columns).
            conn.execute(text(
                "INSERT INTO sessions (id, token_hash, question_id, state, provider, created_at, prompt_tokens, completion_tokens, cost_usd) "
                "VALUES ('s1', 'h', 'sd-url-shortener', 'ended', 'offline', :now, 0, 0, 0)"
            ), {"now": datetime.now(UTC)})
            conn.execute(text("INSERT INTO turns (session_id, turn, role, text, created_at) VALUES ('s1', 1, 'interviewer', 'Design it.', :now)"), {"now": datetime.now(UTC)})

        await store.db.write(populate)
        assert await store.start() == later, "start applies the rest"
        row = await store.get_session("s1")
        assert row is not None and row.prompts is None and row.state == "ended"
        assert [t.text for t in await store.turns("s1")] == ["Design it."]
        assert await store.db.read(current) == revisions()[-1]
        assert await store.start() == []
    finally:
        await store.close()


async def test_a_database_from_before_alembic_is_adopted_without_losing_a_row(blank_database_url):
    store = Store(blank_database_url)
    try:

        def as_the_hand_rolled_migrations_left_it(conn):
            # Their schema was the one revision 0002 builds; they kept no alembic_version.
            migrate(conn, "0002_session_prompts")
            conn.execute(text("DROP TABLE alembic_version"))
            tables.schema_migrations.create(conn)
            now = datetime.now(UTC)
            conn.execute(insert(tables.schema_migrations), [{"name": "m001_initial", "applied_at": now}, {"name": "m002_session_prompts", "applied_at": now}])
            conn.execute(insert(tables.sessions).values(id="old", token_hash="h", question_id="sd-url-shortener", state="active", provider="offline",
                                                        created_at=now, prompt_tokens=5, completion_tokens=1, cost_usd=0.0, prompts="interviewer.v1"))

        await store.db.write(as_the_hand_rolled_migrations_left_it)
        await store.start()
        assert await store.db.read(current) == revisions()[-1]
        old = await store.get_session("old")
        assert old is not None and old.prompts == "interviewer.v1" and old.prompt_tokens == 5
    finally:
        await store.close()


async def test_two_instances_starting_at_once_both_come_up(blank_database_url):
    if blank_database_url.startswith("sqlite"):
        pytest.skip("one process owns a SQLite file; several servers share PostgreSQL")
    a, b = Store(blank_database_url), Store(blank_database_url)
    try:
        applied = await asyncio.gather(a.start(), b.start())
        assert sorted(applied, key=len) == [[], revisions()], "one migrated, the other found it done"
        await a.create_session("s", "t", "sd-url-shortener", "offline")
        assert (await b.get_session("s")) is not None
        assert await a.db.read(lambda conn: conn.scalar(select(text("count(*)")).select_from(text("alembic_version")))) == 1
    finally:
        await a.close()
        await b.close()
