"""The job contract, the same scenarios on both backends: the embedded runner (SQLite pass)
and arq with a real worker (PostgreSQL pass)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from starlette.applications import Starlette

from app import queue
from app.db import atomic
from app.main import create_app
from app.queue_embedded import EmbeddedBackend, next_slot
from app.queue_models import JobStatus, PeriodicRun, QueuedJob
from app.settings import Settings
from app.timefmt import now
from tests.app import sample_jobs
from tests.conftest import start_services
from tests.helpers import eventually

MODULES = ("app.tasks", "tests.app.sample_jobs")


def runs(name: str) -> list[tuple[str, tuple[object, ...], int]]:
    return [run for run in sample_jobs.RUNS if run[0] == name]


@pytest.fixture
async def jobs_app(settings: Settings) -> AsyncIterator[Starlette]:
    sample_jobs.RUNS.clear()
    registry = queue.collect(MODULES, retry_base_seconds=0.2)
    application = create_app(settings)
    async with await start_services(application, settings, registry):
        yield application


class Rollback(Exception):
    pass


async def test_a_job_runs_after_commit_and_is_dropped_on_rollback(jobs_app: Starlette) -> None:
    with pytest.raises(Rollback):
        async with atomic():
            await queue.enqueue("record_run", 1)
            raise Rollback()
    async with atomic():
        await queue.enqueue("record_run", 2)
        await asyncio.sleep(0.3)
        assert not runs("record_run")  # not before the commit
    await eventually(lambda: runs("record_run"))
    await asyncio.sleep(0.3)
    assert [run[1] for run in runs("record_run")] == [(2,)]


async def test_a_job_id_makes_a_second_enqueue_a_no_op(jobs_app: Starlette) -> None:
    await queue.enqueue("record_run", 1, job_id="once", defer_until=now() + timedelta(seconds=1))
    await queue.enqueue("record_run", 2, job_id="once")
    await eventually(lambda: runs("record_run"))
    await asyncio.sleep(0.5)
    assert [run[1] for run in runs("record_run")] == [(1,)]


async def test_a_delayed_job_waits_for_its_time(jobs_app: Starlette) -> None:
    await queue.enqueue("record_run", 7, defer_until=now() + timedelta(seconds=1.5))
    await asyncio.sleep(0.7)
    assert not runs("record_run")
    await eventually(lambda: runs("record_run"), timeout=5)


async def test_a_transient_error_is_retried_with_backoff(jobs_app: Starlette) -> None:
    await queue.enqueue("flaky", 2)
    await eventually(lambda: len(runs("flaky")) >= 3, timeout=10)
    await asyncio.sleep(0.5)
    assert [run[2] for run in runs("flaky")] == [1, 2, 3]


async def test_periodic_jobs_run_on_their_schedule(jobs_app: Starlette) -> None:
    await eventually(lambda: len(runs("heartbeat")) >= 2, timeout=6)


async def test_unknown_jobs_and_naive_times_are_refused(jobs_app: Starlette) -> None:
    with pytest.raises(KeyError):
        await queue.enqueue("no_such_job", 1)
    with pytest.raises(ValueError, match="timezone"):
        await queue.enqueue("record_run", 1, defer_until=now().replace(tzinfo=None))


# The embedded runner's own promises: jobs and schedules are rows, so they survive a restart.

async def test_embedded_jobs_survive_a_restart(settings: Settings) -> None:
    sample_jobs.RUNS.clear()
    registry = queue.collect(MODULES)
    first = EmbeddedBackend(registry, {"settings": settings})
    await first.push("record_run", (1,), defer_until=None, job_id=None)
    await first.push("record_run", (2,), defer_until=now() + timedelta(hours=1), job_id=None)
    claimed = await first.claim()  # the process stops while this job runs
    assert claimed is not None

    second = EmbeddedBackend(registry, {"settings": settings})
    await second.recover()
    assert await second.tick() == 1
    assert [run[1] for run in runs("record_run")] == [(1,)]
    waiting = await QueuedJob.get(status=JobStatus.QUEUED)
    assert waiting.args == [2]


async def test_embedded_periodic_schedule_is_kept_in_the_database(settings: Settings) -> None:
    sample_jobs.RUNS.clear()
    backend = EmbeddedBackend(queue.collect(MODULES), {"settings": settings})
    await backend.schedule_periodic()
    run = await PeriodicRun.get(name="heartbeat")
    run.next_run_at = now() - timedelta(seconds=5)
    await run.save()
    await backend.tick()
    assert len(runs("heartbeat")) == 1
    assert (await PeriodicRun.get(name="heartbeat")).next_run_at > now()


async def test_a_failing_job_is_marked_failed_and_the_runner_goes_on(settings: Settings) -> None:
    sample_jobs.RUNS.clear()
    backend = EmbeddedBackend(queue.collect(MODULES), {"settings": settings})
    await backend.push("flaky", (99,), defer_until=None, job_id=None)
    await backend.push("record_run", ("x",), defer_until=None, job_id=None)
    for _ in range(queue.MAX_TRIES):
        await QueuedJob.filter(status=JobStatus.QUEUED).update(run_at=now())
        await backend.tick()
    failed = await QueuedJob.get(name="flaky")
    assert failed.status is JobStatus.FAILED and failed.tries == queue.MAX_TRIES
    assert "away" in failed.last_error
    assert (await QueuedJob.get(name="record_run")).status is JobStatus.DONE


def test_next_slot_is_clock_aligned() -> None:
    moment = now().replace(minute=7, second=31, microsecond=5)
    assert next_slot(moment, 60) == moment.replace(minute=8, second=0, microsecond=0)
    assert next_slot(moment, 5) == moment.replace(second=35, microsecond=0)


def test_backoff_grows_and_respects_the_service() -> None:
    registry = queue.Registry(retry_base_seconds=5)
    assert [registry.backoff(n) for n in (1, 2, 3)] == [5, 10, 20]
    assert registry.backoff(1, retry_after=120) == 120


async def test_a_finished_jobs_id_is_free_again_after_an_hour(settings: Settings) -> None:
    backend = EmbeddedBackend(queue.collect(MODULES), {"settings": settings})
    await backend.push("record_run", (1,), defer_until=None, job_id="daily")
    await QueuedJob.filter(job_key="daily").update(status=JobStatus.DONE, finished_at=now())
    await backend.push("record_run", (2,), defer_until=None, job_id="daily")
    assert await QueuedJob.filter(job_key="daily").count() == 1
    await QueuedJob.filter(job_key="daily").update(finished_at=now() - timedelta(hours=2))
    await backend.push("record_run", (3,), defer_until=None, job_id="daily")
    assert [job.args for job in await QueuedJob.filter(job_key="daily")] == [[3]]


async def test_expired_sessions_and_old_jobs_are_pruned(settings: Settings) -> None:
    from app.accounts.models import UserSession
    from app.tasks import prune_expired
    from tests.helpers import make_user

    user = await make_user()
    await UserSession.create(key_hash="a" * 64, user=user, expires_at=now() - timedelta(days=1))
    await UserSession.create(key_hash="b" * 64, user=user, expires_at=now() + timedelta(days=1))
    await QueuedJob.create(name="record_run", run_at=now(), status=JobStatus.DONE,
                           finished_at=now() - timedelta(days=8))
    await prune_expired({"settings": settings})
    assert [s.key_hash for s in await UserSession.all()] == ["b" * 64]
    assert not await QueuedJob.exists()
