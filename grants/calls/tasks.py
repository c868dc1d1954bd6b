"""Jobs of calls: closing the calls whose deadline has passed, every minute."""

from __future__ import annotations

from typing import Any

from app.queue import JobFunc, Periodic
from grants.calls.service import close_due_calls as close_calls


async def close_due_calls(ctx: dict[str, Any]) -> None:
    await close_calls()


JOBS: tuple[JobFunc, ...] = (close_due_calls,)
PERIODIC: tuple[Periodic, ...] = (
    Periodic("close_due_calls", every_seconds=60),
)
