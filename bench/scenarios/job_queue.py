"""Scenario: the embedded job queue running no-op jobs, against plain tortoise writes."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from app import queue
from app.db import close_db, init_db, migrate
from app.queue_embedded import EmbeddedBackend
from app.queue_models import JobStatus, QueuedJob
from app.timefmt import now
from bench.scenarios.row import Row

JOBS = 2000
INSERT = "ceiling: INSERT one row (tortoise)"
INSERT_UPDATE = "ceiling: INSERT + UPDATE one row (tortoise)"


async def embedded_queue() -> list[Row]:
    """Both ceilings and the queue on one fresh SQLite database, in this process."""
    with tempfile.TemporaryDirectory(prefix="harambee-bench-queue-") as directory:
        url = f"sqlite://{Path(directory) / 'queue.sqlite3'}"
        await migrate(url)
        await init_db(url)
        try:
            return await _measure()
        finally:
            await close_db()


async def _measure() -> list[Row]:
    insert_seconds, update_seconds = await _plain_writes()
    await QueuedJob.all().delete()
    insert, pair = JOBS / insert_seconds, JOBS / (insert_seconds + update_seconds)
    enqueue_seconds, tick_seconds = await _queue_runs()
    return [
        Row(INSERT, insert, INSERT, insert),
        Row(INSERT_UPDATE, pair, INSERT_UPDATE, pair),
        Row(f"queue.enqueue, {JOBS} no-op jobs", JOBS / enqueue_seconds, INSERT, insert),
        Row(f"backend.tick running {JOBS} no-op jobs", JOBS / tick_seconds, INSERT_UPDATE, pair),
    ]


async def _plain_writes() -> tuple[float, float]:
    """INSERT each row, then UPDATE each row by id: the writes a job's life needs at least."""
    ids: list[int] = []

    async def insert_all() -> None:
        for i in range(JOBS):
            ids.append((await QueuedJob.create(name="noop", args=[i], run_at=now())).id)

    async def update_all() -> None:
        for job_id in ids:
            await QueuedJob.filter(id=job_id).update(status=JobStatus.DONE, finished_at=now())

    return await _timed(insert_all), await _timed(update_all)


async def _queue_runs() -> tuple[float, float]:
    backend = EmbeddedBackend(queue.collect(["bench.scenarios.jobs_tasks"]), {})
    queue.install(backend)
    try:
        enqueue_seconds = await _timed(_enqueue_all)
        ran: list[int] = []
        tick_seconds = await _timed(lambda: _tick(backend, ran))
    finally:
        queue.install(None)
    done = await QueuedJob.filter(status=JobStatus.DONE).count()
    if ran != [JOBS] or done != JOBS:
        raise RuntimeError(f"tick ran {ran} jobs and {done} are done; expected {JOBS}")
    return enqueue_seconds, tick_seconds


async def _enqueue_all() -> None:
    for i in range(JOBS):
        await queue.enqueue("noop", i)


async def _tick(backend: EmbeddedBackend, ran: list[int]) -> None:
    ran.append(await backend.tick())


async def _timed(work: Callable[[], Awaitable[None]]) -> float:
    start = time.perf_counter()
    await work()
    return time.perf_counter() - start
