"""The broadcast's rate limits: slots 1/R apart, shared by every worker, never more than R
calls in any window (at most R·w + 1), a 429's reset honoured; backoff with full jitter."""

from __future__ import annotations

import asyncio
import random
import time
import uuid

import pytest
from redis.asyncio import Redis

from campaigns.broadcast.limits import MemoryLimiter, RedisLimiter, backoff, paused, reserve
from tests.conftest import TEST_REDIS


def most_in_a_window(times: list[float], width: float) -> int:
    ordered = sorted(times)
    return max(sum(1 for t in ordered[i:] if t < start + width)
               for i, start in enumerate(ordered))


def test_slots_go_one_interval_apart_from_now_or_the_last() -> None:
    first = reserve(0.0, now=10.0, interval=0.1)          # idle key: at once
    assert (first.at, first.next_free) == (10.0, 10.1)
    second = reserve(first.next_free, now=10.0, interval=0.1)   # same moment: next slot
    assert second.at == pytest.approx(10.1)
    later = reserve(second.next_free, now=50.0, interval=0.1)   # idle since: no debt
    assert later.at == 50.0
    assert reserve(paused(later.next_free, 60.0), now=50.0, interval=0.1).at == 60.0


def test_no_window_ever_holds_more_than_the_ceiling() -> None:
    rng = random.Random(7)
    for _ in range(200):
        interval = rng.choice([0.002, 0.01, 0.1])
        now, next_free, slots = 0.0, 0.0, []
        for _call in range(rng.randint(1, 300)):
            now += rng.expovariate(1 / (interval * rng.choice([0.2, 1, 5])))
            slot = reserve(next_free, now, interval)
            assert slot.at >= now                                # never before it asked
            next_free = slot.next_free
            slots.append(slot.at)
        for width in (interval, 10 * interval, 100 * interval):
            assert most_in_a_window(slots, width) <= round(width / interval) + 1


def test_backoff_is_bounded_and_grows() -> None:
    rng = random.Random(3)
    for attempt in range(1, 12):
        waits = [backoff(attempt, base=0.5, cap=30.0, rng=rng) for _ in range(200)]
        ceiling = min(30.0, 0.5 * 2 ** (attempt - 1))
        assert all(0 <= wait <= ceiling for wait in waits)
        assert max(waits) > ceiling / 2                          # spread over the range


async def _hammer(limiters: list[MemoryLimiter] | list[RedisLimiter], key: str,
                  per_second: float, calls: int) -> list[float]:
    went: list[float] = []

    async def call(number: int) -> None:
        await limiters[number % len(limiters)].acquire(key, per_second)
        went.append(time.time())

    await asyncio.gather(*(call(n) for n in range(calls)))
    return went


async def test_concurrent_callers_in_one_process_keep_to_the_ceiling() -> None:
    went = await _hammer([MemoryLimiter()], "x:app", 200.0, 60)
    assert len(went) == 60
    assert most_in_a_window(went, 0.1) <= 20 + 2       # 200/s: 20 in 0.1 s, +1 and a tick


@pytest.mark.postgres_only
async def test_workers_sharing_redis_keep_to_the_ceiling_and_a_pause() -> None:
    redis = Redis.from_url(TEST_REDIS)
    prefix = f"test-{uuid.uuid4().hex[:8]}"
    try:
        workers = [RedisLimiter(redis, prefix), RedisLimiter(redis, prefix)]
        went = await _hammer(workers, "x:app", 300.0, 90)
        assert len(went) == 90 and most_in_a_window(went, 0.1) <= 30 + 2
        until = time.time() + 1.0
        await workers[0].pause("x:user:7", until)                 # a 429 for one account
        before = time.time()
        await workers[1].acquire("x:other", 1000.0)                # other keys: unaffected
        assert time.time() - before < 0.5
        await workers[1].acquire("x:user:7", 1000.0)               # waits for the reset
        assert time.time() >= until - 0.005
    finally:
        keys = [key async for key in redis.scan_iter(f"{prefix}:*")]
        if keys:
            await redis.delete(*keys)
        await redis.aclose()
