"""The small-grants pipeline's rows: funds and their ledger, calls, co-op profiles,
applications with their revisions, attachments and messages.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields

from app.orgs.models import TenantModel


class LedgerKind(StrEnum):
    CONTRIBUTION = "contribution"
    REVERSAL = "reversal"
    TRANCHE = "tranche"
    REFUND = "refund"


class CallStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"
    ARCHIVED = "archived"


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    WITHDRAWN = "withdrawn"


# A pool of money of one currency. Its balance is the sum of its ledger, never typed in.
class Fund(TenantModel):

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=160)
    currency = fields.CharField(max_length=3)
    description = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "funds"
        unique_together = (("organisation", "name"),)


# Money that moved: positive in, negative out. Rows are never edited: a reversal is a row.
class LedgerEntry(TenantModel):

    id = fields.BigIntField(primary_key=True)
    fund: fields.ForeignKeyRelation[Fund] = fields.ForeignKeyField(
        "models.Fund", related_name="entries", on_delete=fields.RESTRICT
    )
    fund_id: int
    kind = fields.CharEnumField(LedgerKind, max_length=16)
    amount_minor = fields.BigIntField()
    currency = fields.CharField(max_length=3)
    source = fields.CharField(max_length=64)
    reference = fields.CharField(max_length=160)
    reverses_id = fields.BigIntField(null=True)
    reason = fields.TextField(default="")
    created_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "fund_ledger"
        unique_together = (("organisation", "reference"),)


# A call for proposals (a round) in a fund. Texts are per locale: {"en": "...", "es": "..."}.
class Call(TenantModel):

    id = fields.IntField(primary_key=True)
    fund: fields.ForeignKeyRelation[Fund] = fields.ForeignKeyField(
        "models.Fund", related_name="calls", on_delete=fields.RESTRICT
    )
    fund_id: int
    status = fields.CharEnumField(CallStatus, max_length=16, default=CallStatus.DRAFT)
    title: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    description: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    opens_at = fields.DatetimeField()
    closes_at = fields.DatetimeField()
    currency = fields.CharField(max_length=3)
    budget_minor = fields.BigIntField()
    min_request_minor = fields.BigIntField()
    max_request_minor = fields.BigIntField()
    categories: fields.Field[list[str]] = fields.JSONField(default=list)
    eligibility: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    form: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    rubric: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    identifying_fields: fields.Field[list[str]] = fields.JSONField(default=list)
    reviews_per_application = fields.SmallIntField(default=3)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "calls"


# A union, network or second-level co-op that co-ops belong to (used for conflicts).
class Network(TenantModel):

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=160)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "coop_networks"
        unique_together = (("organisation", "name"),)


# An applicant organisation's profile, reused across the foundation's calls.
class Cooperative(TenantModel):

    id = fields.IntField(primary_key=True)
    legal_name = fields.CharField(max_length=200)
    country = fields.CharField(max_length=2)
    region = fields.CharField(max_length=120, default="")
    legal_form = fields.CharField(max_length=32)
    commodities: fields.Field[list[str]] = fields.JSONField(default=list)
    members_total = fields.IntField()
    members_women = fields.IntField(default=0)
    members_youth = fields.IntField(default=0)
    certifications: fields.Field[list[dict[str, str]]] = fields.JSONField(default=list)
    year_founded = fields.SmallIntField(null=True)
    network: fields.ForeignKeyNullableRelation[Network] = fields.ForeignKeyField(
        "models.Network", related_name="cooperatives", null=True, on_delete=fields.SET_NULL
    )
    network_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "cooperatives"


# A user who may act for a co-op; the owner may invite others.
class CoopContact(TenantModel):

    id = fields.IntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "models.Cooperative", related_name="contacts", on_delete=fields.CASCADE
    )
    cooperative_id: int
    user_id = fields.IntField(db_index=True)
    is_owner = fields.BooleanField(default=False)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "coop_contacts"
        unique_together = (("cooperative", "user_id"),)


# Someone the co-op's owner asked to act for it: they accept by signing in with this address.
class CoopInvitation(TenantModel):
    id = fields.IntField(primary_key=True)
    cooperative: fields.ForeignKeyRelation[Cooperative] = fields.ForeignKeyField(
        "models.Cooperative", related_name="invitations", on_delete=fields.CASCADE
    )
    cooperative_id: int
    email = fields.CharField(max_length=254)
    invited_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "coop_invitations"


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


class MessageKind(StrEnum):
    RECEIPT = "receipt"
    CHANGES_REQUESTED = "changes_requested"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    WITHDRAWN = "withdrawn"


# What the applicant is told: receipts, requests for changes, screening outcomes.
class ApplicationMessage(TenantModel):

    id = fields.IntField(primary_key=True)
    application: fields.ForeignKeyRelation[Application] = fields.ForeignKeyField(
        "models.Application", related_name="messages", on_delete=fields.CASCADE
    )
    application_id: int
    kind = fields.CharEnumField(MessageKind, max_length=24)
    body = fields.TextField(default="")
    author_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "application_messages"
        ordering = ["created_at", "id"]
