"""The embedded job runner: jobs kept in the database, run inside the web process."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from app.queue import KEEP_SECONDS, MAX_TRIES, JobArg, Registry, TransientError
from app.queue_models import JobStatus, PeriodicRun, QueuedJob
from app.timefmt import now

logger = logging.getLogger(__name__)


def next_slot(moment: datetime, every_seconds: int) -> datetime:
    """The first clock-aligned instant after `moment` for a job run every `every_seconds`."""
    epoch = int(moment.timestamp())
    return datetime.fromtimestamp(epoch - epoch % every_seconds + every_seconds, tz=moment.tzinfo)


class EmbeddedBackend:
    def __init__(self, registry: Registry, ctx: dict[str, Any]) -> None:
        self.registry = registry
        self.ctx = ctx
        self.wake = asyncio.Event()
        self.stopping = False

    async def push(
        self, name: str, args: tuple[JobArg, ...], *, defer_until: datetime | None,
        job_id: str | None,
    ) -> None:
        if job_id is not None and not await self._forget_stale(job_id):
            return
        try:
            await QueuedJob.create(
                name=name, args=list(args), job_key=job_id, run_at=defer_until or now()
            )
        except IntegrityError:
            return  # the same job id was queued a moment ago by someone else
        self.wake.set()

    async def _forget_stale(self, job_id: str) -> bool:
        """Whether `job_id` is free: like arq, a finished job's id is kept for KEEP_SECONDS."""
        finished_before = now() - timedelta(seconds=KEEP_SECONDS)
        await QueuedJob.filter(job_key=job_id, finished_at__lt=finished_before).delete()
        return not await QueuedJob.exists(job_key=job_id)

    async def recover(self) -> None:
        """Jobs left running by a stopped process run again (jobs may run more than once)."""
        await QueuedJob.filter(status=JobStatus.RUNNING).update(status=JobStatus.QUEUED)

    async def schedule_periodic(self) -> None:
        moment = now()
        for periodic in self.registry.periodic:
            run = await PeriodicRun.get_or_none(name=periodic.name)
            if run is None:
                await PeriodicRun.create(
                    name=periodic.name, next_run_at=next_slot(moment, periodic.every_seconds)
                )
                continue
            if run.next_run_at <= moment:
                slot = run.next_run_at.isoformat()
                await self.push(periodic.name, (), defer_until=None,
                                job_id=f"periodic:{periodic.name}:{slot}")
                run.next_run_at = next_slot(moment, periodic.every_seconds)
                await run.save(update_fields=["next_run_at"])

    async def claim(self) -> QueuedJob | None:
        candidates = await QueuedJob.filter(
            status=JobStatus.QUEUED, run_at__lte=now()
        ).order_by("run_at", "id").limit(5)
        for job in candidates:
            claimed = await QueuedJob.filter(id=job.id, status=JobStatus.QUEUED).update(
                status=JobStatus.RUNNING, tries=job.tries + 1
            )
            if claimed:
                job.tries += 1
                return job
        return None

    async def run_one(self, job: QueuedJob) -> None:
        function = self.registry.function(job.name)
        ctx = {**self.ctx, "job_try": job.tries, "job_id": job.job_key or str(job.id)}
        try:
            await function(ctx, *job.args)
        except TransientError as exc:
            await self._retry_or_fail(job, exc)
        except Exception as exc:  # a job's own failure must not stop the runner
            logger.exception("job %s (%s) failed", job.name, job.id)
            await self._finish(job, JobStatus.FAILED, repr(exc))
        else:
            await self._finish(job, JobStatus.DONE, "")

    async def _retry_or_fail(self, job: QueuedJob, exc: TransientError) -> None:
        if job.tries >= MAX_TRIES:
            logger.warning("job %s (%s) gave up after %s tries", job.name, job.id, job.tries)
            await self._finish(job, JobStatus.FAILED, str(exc))
            return
        delay = self.registry.backoff(job.tries, exc.retry_after)
        await QueuedJob.filter(id=job.id).update(
            status=JobStatus.QUEUED, run_at=now() + timedelta(seconds=delay),
            last_error=str(exc)[:500],
        )

    async def _finish(self, job: QueuedJob, status: JobStatus, error: str) -> None:
        await QueuedJob.filter(id=job.id).update(
            status=status, finished_at=now(), last_error=error[:500]
        )

    async def tick(self) -> int:
        """Schedule due periodic jobs, then run every due job; return how many ran."""
        await self.schedule_periodic()
        ran = 0
        while (job := await self.claim()) is not None:
            await self.run_one(job)
            ran += 1
        return ran

    async def serve(self, poll_seconds: float = 1.0) -> None:
        """Run until `stop()`: the web process's lifespan starts this as a task."""
        await self.recover()
        while not self.stopping:
            self.wake.clear()
            try:
                await self.tick()
            except Exception:  # the database may be away for a moment; try again next poll
                logger.exception("embedded job runner tick failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wake.wait(), timeout=poll_seconds)

    def stop(self) -> None:
        """Finish the job at hand, then return: cancelling mid-query could leave the
        database connection's lock held."""
        self.stopping = True
        self.wake.set()
