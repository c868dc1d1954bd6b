"""Tables of the embedded job runner: queued jobs and the next run of each periodic job."""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class QueuedJob(Model):
    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=100)
    args: fields.Field[list[int | str]] = fields.JSONField(default=list)
    job_key = fields.CharField(max_length=200, unique=True, null=True)
    status = fields.CharEnumField(JobStatus, max_length=16, default=JobStatus.QUEUED)
    run_at = fields.DatetimeField(db_index=True)
    tries = fields.IntField(default=0)
    last_error = fields.CharField(max_length=500, default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    finished_at = fields.DatetimeField(null=True)

    class Meta:
        table = "queued_jobs"


class PeriodicRun(Model):
    name = fields.CharField(max_length=100, primary_key=True)
    next_run_at = fields.DatetimeField()

    class Meta:
        table = "periodic_runs"
