"""The Permission answer every can_<verb>_<noun> helper returns: truthy, or false with a reason."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Permission:
    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


ALLOW = Permission(True)


def deny(reason: str) -> Permission:
    return Permission(False, reason)
