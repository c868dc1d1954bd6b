"""Password hashing with argon2id; cheap parameters only in the test environment."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10


@cache
def hasher(cheap: bool) -> PasswordHasher:
    if cheap:
        return PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    return PasswordHasher()


def hash_password(password: str, *, cheap: bool) -> str:
    return hasher(cheap).hash(password)


def verify_password(password_hash: str, password: str, *, cheap: bool) -> bool:
    try:
        return hasher(cheap).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


# Spent on unknown emails so a login's timing does not reveal whether the account exists.
def dummy_verify(password: str, *, cheap: bool) -> None:
    verify_password(_dummy_hash(cheap), password, cheap=cheap)


@cache
def _dummy_hash(cheap: bool) -> str:
    return hash_password("harambee-dummy-password", cheap=cheap)
