"""A funded project's rows (Grants III): the project made from an awarded application, its
agreement, and the tranches of its money (grants/disbursement.py has their rules).

Models are described by comments, not docstrings (see grants/models.py).
"""

from __future__ import annotations

from enum import StrEnum

from tortoise import fields

from app.orgs.models import TenantModel
from grants.models import Application, Call


# A grant's tranche of money (Grants III): scheduled in the agreement, approved by one staff
# member, paid by another (grants/disbursement.py), or cancelled.
class TrancheStatus(StrEnum):
    SCHEDULED = "scheduled"
    APPROVED = "approved"
    PAID = "paid"
    CANCELLED = "cancelled"


class ProjectStatus(StrEnum):
    AGREEMENT = "agreement"      # the agreement drafted, waiting for the co-op's acceptance
    ACTIVE = "active"            # accepted: tranches are paid, reports are due
    COMPLETED = "completed"
    CANCELLED = "cancelled"


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
