"""A funded project's rows: the project made from an awarded application, its tranches, its
outcome reports with their reminders, and the organisation's indicators.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields

from app.orgs.models import TenantModel
from grants.projects.statuses import (
    Direction,
    ProjectStatus,
    ReportKind,
    ReportStatus,
    TrancheStatus,
)

if TYPE_CHECKING:
    from grants.applications.models import Application
    from grants.calls.models import Call


# An awarded application become a funded project, with its agreement: the amount (the
# award's), the dates, milestones and the indicators the co-op commits to; accepted online.
class Project(TenantModel):

    id = fields.IntField(primary_key=True)
    application: fields.OneToOneRelation[Application] = fields.OneToOneField(
        "models.Application", related_name="project", on_delete=fields.RESTRICT)
    application_id: int
    call: fields.ForeignKeyRelation[Call] = fields.ForeignKeyField(
        "models.Call", related_name="projects", on_delete=fields.RESTRICT)
    call_id: int
    fund_id = fields.IntField()
    status = fields.CharEnumField(ProjectStatus, max_length=16, default=ProjectStatus.AGREEMENT)
    amount_minor = fields.BigIntField()
    currency = fields.CharField(max_length=3)
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    milestones: fields.Field[list[dict[str, str]]] = fields.JSONField(default=list)
    indicators: fields.Field[list[str]] = fields.JSONField(default=list)
    kind = fields.CharField(max_length=32, default="", db_default="")  # vocab.PROJECT_TYPES
    # what the co-op agreed, on accepting, to show in the public directory
    publish_name = fields.BooleanField(default=False, db_default=False)
    publish_outcomes = fields.BooleanField(default=False, db_default=False)
    public_summary: fields.Field[dict[str, str] | None] = fields.JSONField(null=True)
    accepted_by_id = fields.IntField(null=True)
    accepted_at = fields.DatetimeField(null=True)
    created_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "projects"


# One tranche of a project's money (grants/disbursement.py has its rules): approved by one
# staff member, paid by another, with the payment's reference, date and amount.
class Tranche(TenantModel):

    id = fields.IntField(primary_key=True)
    project: fields.ForeignKeyRelation[Project] = fields.ForeignKeyField(
        "models.Project", related_name="tranches", on_delete=fields.RESTRICT)
    project_id: int
    amount_minor = fields.BigIntField()
    due_on = fields.DateField()
    condition = fields.CharField(max_length=16, null=True)   # a report kind accepted first
    status = fields.CharEnumField(TrancheStatus, max_length=16,
                                  default=TrancheStatus.SCHEDULED)
    approved_by_id = fields.IntField(null=True)
    approved_at = fields.DatetimeField(null=True)
    paid_by_id = fields.IntField(null=True)
    paid_at = fields.DatetimeField(null=True)
    paid_on = fields.DateField(null=True)
    payment_reference = fields.CharField(max_length=120, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "project_tranches"


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
