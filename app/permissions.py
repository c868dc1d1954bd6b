"""The Permission answer every can_<verb>_<noun> helper returns: truthy, or false with a reason."""

from __future__ import annotations

from dataclasses import dataclass

from app.errors import Forbidden


@dataclass(frozen=True)
class Permission:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Permission(True)


def deny(reason: str) -> Permission:
    return Permission(False, reason)


def require(answer: Permission) -> None:
    """Go on when allowed; otherwise a 403 that says why."""
    if not answer:
        raise Forbidden(answer.reason)
