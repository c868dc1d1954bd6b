"""Counting attempts in a window: Redis when configured (shared by every process), else memory."""

from __future__ import annotations

import time
from typing import Protocol

from redis.asyncio import Redis


class Throttle(Protocol):
    async def hit(self, key: str, window_seconds: int) -> int: ...

    async def reset(self, key: str) -> None: ...

    async def undo(self, key: str) -> None: ...


class MemoryThrottle:
    """One process only: the embedded default."""

    MAX_KEYS = 10_000

    def __init__(self) -> None:
        self._counts: dict[str, tuple[int, float]] = {}

    def _live(self, key: str) -> tuple[int, float]:
        count, expires = self._counts.get(key, (0, 0.0))
        return (count, expires) if expires > time.monotonic() else (0, 0.0)

    async def hit(self, key: str, window_seconds: int) -> int:
        if len(self._counts) > self.MAX_KEYS:  # many IPs over time: drop the expired ones
            moment = time.monotonic()
            self._counts = {k: v for k, v in self._counts.items() if v[1] > moment}
        count, expires = self._live(key)
        expires = expires or time.monotonic() + window_seconds
        self._counts[key] = (count + 1, expires)
        return count + 1

    async def reset(self, key: str) -> None:
        self._counts.pop(key, None)

    async def undo(self, key: str) -> None:
        count, expires = self._live(key)
        if count:
            self._counts[key] = (count - 1, expires)


class RedisThrottle:
    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.prefix = prefix

    async def hit(self, key: str, window_seconds: int) -> int:
        name = f"{self.prefix}:throttle:{key}"
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.incr(name)
            pipe.expire(name, window_seconds, nx=True)
            count, _ = await pipe.execute()
        return int(count)

    async def reset(self, key: str) -> None:
        await self.redis.delete(f"{self.prefix}:throttle:{key}")

    async def undo(self, key: str) -> None:
        name = f"{self.prefix}:throttle:{key}"
        if int(await self.redis.decr(name)) < 0:  # expired meanwhile: do not go below zero
            await self.redis.delete(name)
