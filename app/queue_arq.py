"""The arq side of the job contract: the producer backend and the worker's functions."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

from arq import cron
from arq.connections import ArqRedis, RedisSettings, create_pool
from arq.cron import CronJob
from arq.worker import Function, Retry, func

from app.queue import MAX_TRIES, JobArg, Periodic, Registry, TransientError


def redis_settings(redis_url: str) -> RedisSettings:
    """arq's connection settings, with a connect timeout that a busy machine can meet."""
    settings = RedisSettings.from_dsn(redis_url)
    settings.conn_timeout = 5
    return settings


class ArqBackend:
    def __init__(self, registry: Registry, pool: ArqRedis, queue_name: str) -> None:
        self.registry = registry
        self.pool = pool
        self.queue_name = queue_name

    @classmethod
    async def connect(cls, registry: Registry, redis_url: str, queue_name: str) -> ArqBackend:
        pool = await create_pool(redis_settings(redis_url), default_queue_name=queue_name)
        return cls(registry, pool, queue_name)

    async def push(
        self, name: str, args: tuple[JobArg, ...], *, defer_until: datetime | None,
        job_id: str | None,
    ) -> None:
        # arq's job keys are global to the Redis server: namespace them by queue, and give
        # every job an id, so deployments (and test runs) sharing a server never collide.
        await self.pool.enqueue_job(
            name, *args, _job_id=f"{self.queue_name}:{job_id or uuid.uuid4().hex}",
            _defer_until=defer_until, _queue_name=self.queue_name,
        )

    async def close(self) -> None:
        await self.pool.aclose()


def _with_retry(registry: Registry, name: str) -> Callable[..., Coroutine[Any, Any, Any]]:
    function = registry.function(name)

    async def run(ctx: dict[str, Any], *args: JobArg) -> Any:
        try:
            return await function(ctx, *args)
        except TransientError as exc:
            raise Retry(defer=registry.backoff(ctx["job_try"], exc.retry_after)) from exc

    run.__name__ = name
    return run


def worker_functions(registry: Registry) -> list[Function]:
    return [func(_with_retry(registry, name), name=name, max_tries=MAX_TRIES)
            for name in registry.jobs]


def _cron_fields(periodic: Periodic) -> dict[str, Any]:
    every = periodic.every_seconds
    if every < 60:
        return {"second": set(range(0, 60, every))}
    if every < 3600:
        return {"minute": set(range(0, 60, every // 60)), "second": 0}
    return {"hour": set(range(0, 24, every // 3600)), "minute": 0, "second": 0}


def cron_jobs(registry: Registry, queue_name: str) -> list[CronJob]:
    # arq names a cron job's id after the job: put the queue in the name, so deployments
    # (and test runs) sharing a Redis server neither collide nor leave keys behind.
    return [
        cron(_with_retry(registry, p.name), name=f"{queue_name}:cron:{p.name}", unique=True,
             run_at_startup=False, max_tries=MAX_TRIES, **_cron_fields(p))
        for p in registry.periodic
    ]
