import asyncio
import secrets

import pytest

from coach.storage import Store
from coach.storage.migrations import revisions, table_names


async def test_migrations_from_a_blank_database(database_url):
    store = Store(database_url)
    try:
        first = await store.start()
        # A database another run already migrated has only the newer steps left to apply.
        names = revisions()
        assert first == names[len(names) - len(first) :]
        assert await store.start() == []
        names = await store.db.read(table_names)
        assert {"sessions", "turns", "frames", "reports", "alembic_version"} <= names
    finally:
        await store.close()


async def test_session_lifecycle(store):
    sid = secrets.token_hex(16)
    await store.create_session(sid, "secret-token", "sd-url-shortener", "offline")
    row = await store.get_session(sid)
    assert row and row.state == "active" and row.created_at.tzinfo is not None
    assert row.token_matches("secret-token") and not row.token_matches("other")
    assert "secret-token" not in repr(row)

    await store.add_turn(sid, 1, "interviewer", "Design a URL shortener.")
    await store.add_turn(sid, 2, "candidate", "Base62 of a counter.")
    assert [(t.turn, t.role) for t in await store.turns(sid)] == [(1, "interviewer"), (2, "candidate")]

    for seq in range(1, 6):
        await store.add_frame(sid, seq, f'{{"seq": {seq}}}')
    assert await store.last_seq(sid) == 5
    assert await store.frames_after(sid, 3) == ['{"seq": 4}', '{"seq": 5}']
    with pytest.raises(Exception):
        await store.add_frame(sid, 5, "{}")  # a seq is never reused

    await store.add_usage(sid, 100, 20, 0.5)
    await store.add_usage(sid, 10, 2, 0.25)
    await store.save_report(sid, {"score": 40}, 40)
    row = await store.get_session(sid)
    assert (row.prompt_tokens, row.completion_tokens, row.cost_usd, row.state, row.score) == (110, 22, 0.75, "ended", 40)
    assert await store.get_report(sid) == {"score": 40}
    assert await store.get_session("nope") is None


async def test_a_cancelled_writer_still_has_its_row_written(store):
    sid = secrets.token_hex(16)
    await store.create_session(sid, "t", "sd-url-shortener", "offline")
    writers = [asyncio.create_task(store.add_frame(sid, seq, f'{{"seq": {seq}}}')) for seq in range(1, 21)]
    await asyncio.sleep(0)  # every row is queued; some batch is in flight
    for writer in writers[::2]:
        writer.cancel()
    results = await asyncio.gather(*writers, return_exceptions=True)
    assert sum(isinstance(r, asyncio.CancelledError) for r in results) == 10
    await store.add_frame(sid, 21, "{}")  # committed after every batch before it
    assert await store.last_seq(sid) == 21 and len(await store.frames_after(sid, 0)) == 21


def test_password_is_hidden_in_logs():
    store = Store("postgresql+asyncpg://coach:hunter2@db.example:5432/coach")
    assert "hunter2" not in store.safe_url


async def test_concurrent_inserts_share_commits_and_a_bad_row_fails_alone(store):
    import asyncio

    sid = secrets.token_hex(16)
    await store.create_session(sid, "t", "sd-url-shortener", "offline")
    await store.add_frame(sid, 1, "{}")
    results = await asyncio.gather(*(store.add_frame(sid, seq, f'{{"n": {seq}}}') for seq in (2, 3, 1, 4)), return_exceptions=True)
    assert [isinstance(r, Exception) for r in results] == [False, False, True, False]
    assert await store.frames_after(sid, 0) == ["{}", '{"n": 2}', '{"n": 3}', '{"n": 4}']


async def test_an_aiosqlite_url_opens_the_same_file(tmp_path):
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'old.db'}")
    await store.start()
    await store.create_session("s1", "t", "sd-url-shortener", "offline")
    await store.close()
    store = Store(f"sqlite:///{tmp_path / 'old.db'}")
    await store.start()
    assert (await store.get_session("s1")) is not None
    await store.close()


async def test_a_session_records_its_prompt_versions(store):
    sid = secrets.token_hex(16)
    await store.create_session(sid, "t", "sd-url-shortener", "openai/x", "interviewer.v2 suggestions.v1 grade.v2")
    assert (await store.get_session(sid)).prompts == "interviewer.v2 suggestions.v1 grade.v2"
    offline = secrets.token_hex(16)
    await store.create_session(offline, "t", "sd-url-shortener", "offline")
    assert (await store.get_session(offline)).prompts is None


