"""What a funded project reports and what the programme learns from it (Grants III): the
organisation's catalogue of indicators, each project's baseline, midline and final reports,
the reminders sent about them, and the practices worth spreading (grants/outcomes.py has
their rules).

Models are described by comments, not docstrings (see grants/models.py).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields

from app.orgs.models import TenantModel
from grants.project_models import Project


class Direction(StrEnum):
    UP = "up"          # more is better (yield, income)
    DOWN = "down"      # less is better (cost of production)


# A measure the organisation's projects report, with its unit and which way is better.
# `name` and `description` are per locale: {"en": "...", "es": "..."}.
class Indicator(TenantModel):

    id = fields.IntField(primary_key=True)
    key = fields.CharField(max_length=64)
    name: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    description: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    unit = fields.CharField(max_length=32)
    direction = fields.CharEnumField(Direction, max_length=8, default=Direction.UP)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "indicators"
        unique_together = (("organisation", "key"),)


class ReportKind(StrEnum):
    BASELINE = "baseline"
    MIDLINE = "midline"
    FINAL = "final"


class ReportStatus(StrEnum):
    DUE = "due"                # waiting for the co-op (it may save a draft)
    SUBMITTED = "submitted"    # waiting for staff's review
    RETURNED = "returned"      # staff asked for changes, with comments
    ACCEPTED = "accepted"


# One of a project's outcome reports: narrative sections and a value for each indicator the
# co-op committed to. `values` maps indicator keys to numbers. A long project may have more
# than one midline report (`number` 1, 2, ...).
class OutcomeReport(TenantModel):

    id = fields.IntField(primary_key=True)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="reports", on_delete=fields.RESTRICT)
    project_id: int
    kind = fields.CharEnumField(ReportKind, max_length=16)
    number = fields.SmallIntField(default=1)
    due_on = fields.DateField()
    status = fields.CharEnumField(ReportStatus, max_length=16, default=ReportStatus.DUE)
    narrative: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    values: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    submitted_by_id = fields.IntField(null=True)
    submitted_at = fields.DatetimeField(null=True)
    reviewed_by_id = fields.IntField(null=True)
    reviewed_at = fields.DatetimeField(null=True)
    review_comment = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "outcome_reports"
        unique_together = (("project", "kind", "number"),)


# A reminder about a report: one row per report, due date and step, so a reminder goes out
# once per due date however often the scheduled job runs (a new due date, new reminders);
# `sent_at` is set by the job that mails it, so one lost before its mail is queued again.
class ReportReminder(TenantModel):

    id = fields.IntField(primary_key=True)
    report: fields.ForeignKeyRelation[OutcomeReport] = fields.ForeignKeyField(
        "models.OutcomeReport", related_name="reminders", on_delete=fields.CASCADE)
    report_id: int
    due_on = fields.DateField()
    step = fields.CharField(max_length=16)
    sent_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "report_reminders"
        unique_together = (("report", "due_on", "step"),)


# A completed project staff marked as worth spreading, with a summary in several languages;
# co-ops see it when they start an application, and a call can replicate it.
class Practice(TenantModel):

    id = fields.IntField(primary_key=True)
    project: fields.OneToOneRelation[Project] = fields.OneToOneField(
        "models.Project", related_name="practice", on_delete=fields.RESTRICT)
    project_id: int
    title: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    summary: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    commodities: fields.Field[list[str]] = fields.JSONField(default=list)
    categories: fields.Field[list[str]] = fields.JSONField(default=list)
    created_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "practices"
