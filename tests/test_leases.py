"""Ownership of sessions across instances (coach.storage: claim, Lease, fenced writes), on
SQLite and PostgreSQL: a takeover raises the epoch, and from then on the old owner's frames,
turns and report are refused while the new owner's go through."""

import asyncio
import secrets
from datetime import UTC, datetime, timedelta

import pytest

from coach.errors import SessionEnded, Superseded
from coach.storage import Lease, Store


async def new_session(store: Store, owner: str = "a") -> str:
    sid = secrets.token_hex(16)
    row = await store.create_session(sid, "token", "sd-url-shortener", "offline", owner=owner)
    assert (row.epoch, row.owner) == (1, owner)
    return sid


async def test_a_takeover_fences_the_old_owner_out(store):
    sid = await new_session(store)
    old = Lease(sid, 1)
    await store.add_frame(sid, 1, '{"seq":1}', old)
    await store.add_turn(sid, 1, "interviewer", "Design it.", old)

    assert await store.claim(sid, "b") == 2
    new = Lease(sid, 2)
    with pytest.raises(Superseded):
        await store.add_frame(sid, 2, '{"seq":2,"from":"old"}', old)
    with pytest.raises(Superseded):
        await store.add_turn(sid, 2, "candidate", "from the old owner", old)
    # The seq and turn the old owner was refused are free for the new one.
    await store.add_frame(sid, 2, '{"seq":2,"from":"new"}', new)
    await store.add_turn(sid, 2, "candidate", "from the new owner", new)
    assert await store.frames_after(sid, 0) == ['{"seq":1}', '{"seq":2,"from":"new"}']
    assert [t.text for t in await store.turns(sid)] == ["Design it.", "from the new owner"]
    row = await store.get_session(sid)
    assert row is not None and (row.epoch, row.owner) == (2, "b")


async def test_a_refused_row_does_not_fail_the_rest_of_its_batch(store):
    kept, lost = await new_session(store), await new_session(store)
    await store.claim(lost, "b")
    results = await asyncio.gather(
        *(store.add_frame(kept, n, f'{{"seq":{n}}}', Lease(kept, 1)) for n in range(1, 6)),
        store.add_frame(lost, 1, '{"seq":1}', Lease(lost, 1)),
        return_exceptions=True,
    )
    assert results[:5] == [None] * 5 and isinstance(results[5], Superseded)
    assert len(await store.frames_after(kept, 0)) == 5 and await store.frames_after(lost, 0) == []


async def test_the_report_is_saved_once_and_only_by_the_owner(store):
    sid = await new_session(store)
    await store.claim(sid, "b")
    with pytest.raises(Superseded):
        await store.save_report(sid, {"score": 10}, 10, Lease(sid, 1))
    assert await store.get_report(sid) is None
    await store.save_report(sid, {"score": 70}, 70, Lease(sid, 2))
    with pytest.raises(SessionEnded):
        await store.save_report(sid, {"score": 90}, 90, Lease(sid, 2))
    assert await store.get_report(sid) == {"score": 70}
    row = await store.get_session(sid)
    assert row is not None and (row.state, row.score) == ("ended", 70)


async def test_claiming_a_session_that_does_not_exist_fails(store):
    from coach.storage import StorageError

    with pytest.raises(StorageError):
        await store.claim("0" * 32, "a")


async def test_dropped_frames_and_retention(store):
    done, live = await new_session(store), await new_session(store)
    for sid in (done, live):
        for n in range(1, 5):
            await store.add_frame(sid, n, f'{{"seq":{n}}}')
    await store.drop_frames(done, [2, 3])
    assert await store.frames_after(done, 0) == ['{"seq":1}', '{"seq":4}']
    await store.save_report(done, {"score": 1}, 1)
    # Nothing ended before yesterday: nothing goes.
    assert await store.purge_frames(datetime.now(UTC) - timedelta(days=1)) == 0
    assert await store.purge_frames(datetime.now(UTC) + timedelta(seconds=1)) >= 2
    assert await store.frames_after(done, 0) == [] and len(await store.frames_after(live, 0)) == 4
    assert await store.get_report(done) == {"score": 1} and await store.turns(done) == []


async def test_retention_prunes_finished_interviews_in_the_background(store):
    from coach.storage.retention import prune_forever

    sid = await new_session(store)
    await store.add_frame(sid, 1, '{"seq":1}')
    await store.save_report(sid, {"score": 1}, 1)
    # Zero days: anything that has ended goes on the first round.
    pruning = asyncio.create_task(prune_forever(store, 0, every_s=0.05))
    try:
        for _ in range(100):
            if not await store.frames_after(sid, 0):
                break
            await asyncio.sleep(0.02)
        assert await store.frames_after(sid, 0) == []
        assert await store.get_report(sid) == {"score": 1}
    finally:
        pruning.cancel()
