"""Rate limits for the broadcast's calls: a schedule of slots, shared by every worker.

The rule (pure, below) is the generic cell rate algorithm with no burst: a limit of R calls a
second hands out slots 1/R apart. Each call reserves the next free slot — the later of now
and the slot after the last one handed out — and waits for it, so calls never exceed R in
any window of length w (at most R·w + 1 of them) and workers never poll: many of them ask at
once, each gets its own slot, and their calls overlap the network's latency. A 429 pushes
the key's next slot to the reset the network named (every worker then waits for it).

Two homes for the schedule, one rule: in memory (one process: SQLite, tests) or in Redis
(several workers: the reservation is one Lua script, atomic, on Redis's own clock). Keys
name what is limited: the app on a network ("x:app"), or one account ("x:user:<id>").

Retries of a failed call wait an exponential backoff with full jitter, bounded.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass, field
from typing import Protocol

from redis.asyncio import Redis


@dataclass(frozen=True)
class Slot:
    at: float          # when the call may go (the limiter's clock, in seconds)
    next_free: float   # the key's next free slot after this one


def reserve(next_free: float, now: float, interval: float) -> Slot:
    """The next slot for a key whose next free slot is `next_free`, calls `interval` apart."""
    at = max(next_free, now)
    return Slot(at, at + interval)


def paused(next_free: float, until: float) -> float:
    """A 429 until `until`: no slot before it."""
    return max(next_free, until)


def backoff(attempt: int, *, base: float = 0.5, cap: float = 30.0,
            rng: random.Random | None = None) -> float:
    """Seconds before retry number `attempt` (1, 2, ...): uniform in [0, min(cap,
    base·2^(attempt-1))] (full jitter: retries of many calls spread out)."""
    ceiling = min(cap, base * 2 ** max(0, attempt - 1))
    return (rng or random).uniform(0, ceiling)


class Limiter(Protocol):
    async def acquire(self, key: str, per_second: float) -> None:
        """Wait for this call's slot under `per_second` for `key`."""
        ...

    async def pause(self, key: str, until_epoch: float) -> None:
        """No call for `key` before `until_epoch` (a 429's reset, in Unix seconds)."""
        ...


@dataclass
class MemoryLimiter:
    """One process's schedule (the embedded setup and the tests)."""

    next_free: dict[str, float] = field(default_factory=dict)

    async def acquire(self, key: str, per_second: float) -> None:
        now = time.time()
        slot = reserve(self.next_free.get(key, 0.0), now, 1.0 / per_second)
        self.next_free[key] = slot.next_free
        if slot.at > now:
            await asyncio.sleep(slot.at - now)

    async def pause(self, key: str, until_epoch: float) -> None:
        self.next_free[key] = paused(self.next_free.get(key, 0.0), until_epoch)


# KEYS[1]: the key's next free slot; ARGV: interval, then a pause until (0: none). Returns
# how long to wait, in microseconds. Redis's clock, so workers on several machines agree.
RESERVE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local interval, pause_until = tonumber(ARGV[1]), tonumber(ARGV[2])
local next_free = tonumber(redis.call('GET', KEYS[1]) or '0')
if pause_until > 0 then
  next_free = math.max(next_free, pause_until)
  redis.call('SET', KEYS[1], string.format('%.6f', next_free), 'EX', 3600)
  return 0
end
local at = math.max(next_free, now)
redis.call('SET', KEYS[1], string.format('%.6f', at + interval), 'EX', 3600)
return math.floor((at - now) * 1000000)
"""


class RedisLimiter:
    """The schedule in Redis, shared by every worker (the same rule as `reserve`)."""

    def __init__(self, redis: Redis, prefix: str = "harambee") -> None:
        self.redis, self.prefix = redis, prefix
        self.script = redis.register_script(RESERVE)

    def _key(self, key: str) -> str:
        return f"{self.prefix}:limit:{key}"

    async def acquire(self, key: str, per_second: float) -> None:
        wait = int(await self.script(keys=[self._key(key)], args=[1.0 / per_second, 0]))
        if wait > 0:
            await asyncio.sleep(wait / 1_000_000)

    async def pause(self, key: str, until_epoch: float) -> None:
        await self.script(keys=[self._key(key)], args=[0, until_epoch])
