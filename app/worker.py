"""The arq worker: every job of app/, grants/ and campaigns/, with the database opened on start."""

from __future__ import annotations

import asyncio
from typing import Any

from arq.worker import Worker

from app import queue
from app.db import close_db, init_db
from app.main import job_context
from app.queue_arq import ArqBackend, cron_jobs, redis_settings, worker_functions
from app.settings import Settings


def build_worker(settings: Settings, registry: queue.Registry | None = None, *,
                 own_db: bool = True, **options: Any) -> Worker:
    """A real arq worker. Tests pass their own registry and poll options, and share their DB."""
    registry = registry or queue.collect()
    assert settings.redis_url is not None

    async def startup(ctx: dict[str, Any]) -> None:
        if own_db:
            await init_db(settings.database_url)
        ctx.update(job_context(settings))
        # Jobs may enqueue jobs: they go to the same queue through the worker's pool.
        queue.install(ArqBackend(registry, ctx["redis"], settings.queue_name))

    async def shutdown(ctx: dict[str, Any]) -> None:
        if own_db:
            queue.install(None)
            await close_db()

    return Worker(
        functions=worker_functions(registry),
        cron_jobs=cron_jobs(registry, settings.queue_name),
        redis_settings=redis_settings(settings.redis_url),
        queue_name=settings.queue_name,
        on_startup=startup,
        on_shutdown=shutdown,
        keep_result=queue.KEEP_SECONDS,
        **options,
    )


def run_worker(settings: Settings) -> None:
    asyncio.set_event_loop(asyncio.new_event_loop())
    build_worker(settings).run()
