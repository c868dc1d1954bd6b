"""Password hashing with argon2id, off the event loop; cheap parameters only in tests."""

from __future__ import annotations

import asyncio
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10


@cache
def hasher(cheap: bool) -> PasswordHasher:
    if cheap:
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


def hash_password_now(password: str, *, cheap: bool) -> str:
    """Blocking: for scripts and test factories, never on a request's path."""
    return hasher(cheap).hash(password)


def _verify(password_hash: str, password: str, cheap: bool) -> bool:
    try:
        return hasher(cheap).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# A hash costs ~200 ms of CPU: in a thread, so the process keeps serving meanwhile.
async def hash_password(password: str, *, cheap: bool) -> str:
    return await asyncio.to_thread(hash_password_now, password, cheap=cheap)


async def verify_password(password_hash: str, password: str, *, cheap: bool) -> bool:
    return await asyncio.to_thread(_verify, password_hash, password, cheap)


async def dummy_verify(password: str, *, cheap: bool) -> None:
    """Spent on unknown emails, so a login's timing does not reveal whether one exists."""
    await verify_password(_dummy_hash(cheap), password, cheap=cheap)


@cache
def _dummy_hash(cheap: bool) -> str:
    return hash_password_now("harambee-dummy-password", cheap=cheap)
