"""The job contract: enqueue by name with ids after commit, delays, job ids, retries, periodic jobs.

With REDIS_URL the jobs go to arq and `harambee worker` runs them; without it the embedded
runner keeps them in the database and runs them inside the web process. The same job
functions (`async def verb_noun(ctx, *ids)`) run either way.
"""

from __future__ import annotations

import importlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import partial
from typing import Any, Protocol

from app.db import after_commit
from app.registry import TASK_MODULES

JobFunc = Callable[..., Awaitable[Any]]
JobArg = int | str
MAX_TRIES = 5
KEEP_SECONDS = 3600  # how long a finished job's id still makes a new enqueue a no-op


class TransientError(Exception):
    """Raised by a job when a retry later may succeed (a network fault, a rate limit)."""

    def __init__(self, message: str, *, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Periodic:
    """A job run every `every_seconds`, aligned to the clock (divides 60 or 3600)."""

    name: str
    every_seconds: int


@dataclass(frozen=True)
class Registry:
    jobs: dict[str, JobFunc] = field(default_factory=dict)
    periodic: tuple[Periodic, ...] = ()
    retry_base_seconds: float = 5.0

    def function(self, name: str) -> JobFunc:
        return self.jobs[name]

    def backoff(self, tries: int, retry_after: float | None = None) -> float:
        """Seconds before the next try: exponential, or what the service asked for."""
        if retry_after is not None:
            return max(retry_after, self.retry_base_seconds)
        return float(self.retry_base_seconds * 2 ** max(tries - 1, 0))


def collect(modules: Sequence[str] = TASK_MODULES, *, retry_base_seconds: float = 5.0) -> Registry:
    """Each task module lists its jobs in JOBS and its schedules in PERIODIC."""
    jobs: dict[str, JobFunc] = {}
    periodic: list[Periodic] = []
    for module_name in modules:
        module = importlib.import_module(module_name)
        for function in getattr(module, "JOBS", ()):
            jobs[function.__name__] = function
        periodic.extend(getattr(module, "PERIODIC", ()))
    unknown = [p.name for p in periodic if p.name not in jobs]
    if unknown:
        raise ValueError(f"periodic jobs name unknown jobs: {unknown}")
    return Registry(jobs=jobs, periodic=tuple(periodic), retry_base_seconds=retry_base_seconds)


class Backend(Protocol):
    registry: Registry

    async def push(
        self, name: str, args: tuple[JobArg, ...], *, defer_until: datetime | None,
        job_id: str | None,
    ) -> None: ...


@dataclass
class _State:
    backend: Backend | None = None


_state = _State()


def install(backend: Backend | None) -> None:
    """Set the process's backend (the app's lifespan, the worker's startup, a test fixture)."""
    _state.backend = backend


def current_backend() -> Backend:
    if _state.backend is None:
        raise RuntimeError("no job backend is installed")
    return _state.backend


async def enqueue(
    name: str, *args: JobArg, defer_until: datetime | None = None, job_id: str | None = None
) -> None:
    """Queue `name(ctx, *args)` once the surrounding transaction commits (dropped on rollback).

    A second enqueue with the same `job_id` is a no-op while the first is known.
    """
    backend = current_backend()
    if name not in backend.registry.jobs:
        raise KeyError(f"unknown job {name!r}")
    if defer_until is not None and defer_until.tzinfo is None:
        raise ValueError("defer_until must be timezone-aware")
    await after_commit(partial(backend.push, name, args, defer_until=defer_until, job_id=job_id))
