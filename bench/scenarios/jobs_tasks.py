"""A bench-only task module: one job that does nothing, so only the queue's own cost shows."""

from __future__ import annotations

from typing import Any

from app.queue import Periodic


async def noop(ctx: dict[str, Any], *ids: int) -> None:
    """Do nothing."""


JOBS = (noop,)
PERIODIC: tuple[Periodic, ...] = ()
