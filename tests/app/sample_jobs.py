"""Jobs used by the queue tests; they record their runs in this process."""

from __future__ import annotations

from typing import Any

from app.queue import JobFunc, Periodic, TransientError

RUNS: list[tuple[str, tuple[Any, ...], int]] = []


async def record_run(ctx: dict[str, Any], *args: Any) -> None:
    RUNS.append(("record_run", args, ctx["job_try"]))


async def flaky(ctx: dict[str, Any], fail_times: int) -> None:
    RUNS.append(("flaky", (fail_times,), ctx["job_try"]))
    if ctx["job_try"] <= fail_times:
        raise TransientError("the partner API is away")


async def heartbeat(ctx: dict[str, Any]) -> None:
    RUNS.append(("heartbeat", (), ctx["job_try"]))


JOBS: tuple[JobFunc, ...] = (record_run, flaky, heartbeat)
PERIODIC: tuple[Periodic, ...] = (Periodic("heartbeat", every_seconds=1),)
