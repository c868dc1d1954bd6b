"""The in-process throttle counts within a window and forgets expired keys."""

from __future__ import annotations

from app.throttle import MemoryThrottle


async def test_counts_reset_and_expire() -> None:
    throttle = MemoryThrottle()
    assert [await throttle.hit("a", 60) for _ in range(3)] == [1, 2, 3]
    await throttle.reset("a")
    assert await throttle.hit("a", 60) == 1
    assert await throttle.hit("gone", 0) == 1
    assert await throttle.hit("gone", 0) == 1  # its window had already closed


async def test_expired_keys_are_dropped_when_there_are_many() -> None:
    throttle = MemoryThrottle()
    throttle.MAX_KEYS = 10
    for index in range(20):
        await throttle.hit(f"ip-{index}", 0)
    await throttle.hit("live", 60)
    assert len(throttle._counts) <= throttle.MAX_KEYS + 1 < 21  # not one per IP ever seen
