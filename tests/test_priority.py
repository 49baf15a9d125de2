import asyncio

from coach.interview.priority import RepliesFirst


async def test_background_work_waits_for_starting_replies():
    gate = RepliesFirst(max_wait_s=5)
    order: list[str] = []

    async def suggestions() -> None:
        await gate.background()
        order.append("suggestions")

    gate.begin()
    gate.begin()
    task = asyncio.create_task(suggestions())
    await asyncio.sleep(0.01)
    gate.end()
    await asyncio.sleep(0.01)
    assert order == [], "one reply is still starting"
    order.append("first token")
    gate.end()
    await task
    assert order == ["first token", "suggestions"] and gate.starting == 0


async def test_background_work_never_waits_longer_than_the_bound():
    gate = RepliesFirst(max_wait_s=0.05)
    gate.begin()
    await asyncio.wait_for(gate.background(), 2)  # returns after 0.05 s although a reply is starting
    assert gate.starting == 1
    gate.end()
    await gate.background()  # nothing starting: no wait at all
