"""An application with its revisions, attached files and messages.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields

from app.orgs.models import TenantModel
from grants.applications.statuses import ApplicationStatus, MessageKind

if TYPE_CHECKING:
    from grants.calls.models import Call
    from grants.coops.models import Cooperative


# One co-op's application to one call. `form` is the definition it was written against.
class Application(TenantModel):

    id = fields.IntField(primary_key=True)
    call: fields.ForeignKeyRelation[Call] = fields.ForeignKeyField(
        "models.Call", related_name="applications", on_delete=fields.RESTRICT
    )
    call_id: int
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "models.Cooperative", related_name="applications", on_delete=fields.RESTRICT
    )
    cooperative_id: int
    status = fields.CharEnumField(ApplicationStatus, max_length=24,
                                  default=ApplicationStatus.DRAFT)
    title = fields.CharField(max_length=200, default="")
    category = fields.CharField(max_length=64, default="")
    language = fields.CharField(max_length=8)
    currency = fields.CharField(max_length=3)
    requested_minor = fields.BigIntField(null=True)
    answers: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    form: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    version = fields.IntField(default=1)
    deadline_override = fields.DatetimeField(null=True)
    screening: fields.Field[list[dict[str, Any]]] = fields.JSONField(default=list)
    created_by_id = fields.IntField()
    submitted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "applications"
        unique_together = (("call", "cooperative"),)


# An immutable snapshot taken at each submission.
class Revision(TenantModel):

    id = fields.IntField(primary_key=True)
    application: fields.ForeignKeyRelation[Application] = fields.ForeignKeyField(
        "models.Application", related_name="revisions", on_delete=fields.CASCADE
    )
    application_id: int
    number = fields.IntField()
    version = fields.IntField()
    snapshot: fields.Field[dict[str, Any]] = fields.JSONField()
    submitted_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "application_revisions"
        unique_together = (("application", "number"),)


class Attachment(TenantModel):
    id = fields.IntField(primary_key=True)
    application: fields.ForeignKeyRelation[Application] = fields.ForeignKeyField(
        "models.Application", related_name="attachments", on_delete=fields.CASCADE
    )
    application_id: int
    field_key = fields.CharField(max_length=64)
    filename = fields.CharField(max_length=200)
    content_type = fields.CharField(max_length=100)
    size = fields.IntField()
    sha256 = fields.CharField(max_length=64)
    storage_key = fields.CharField(max_length=200, unique=True)
    uploaded_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "application_attachments"


# What the applicant is told: receipts, requests for changes, screening outcomes.
class ApplicationMessage(TenantModel):

    id = fields.IntField(primary_key=True)
    application: fields.ForeignKeyRelation[Application] = fields.ForeignKeyField(
        "models.Application", related_name="messages", on_delete=fields.CASCADE
    )
    application_id: int
    kind = fields.CharEnumField(MessageKind, max_length=24)
    body = fields.TextField(default="")
    # a decision letter: the reviewers' comments for the applicant, without their names
    comments: fields.Field[list[str] | None] = fields.JSONField(null=True)
    author_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "application_messages"
        ordering = ["created_at", "id"]
