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
    AWARDED = "awarded"
    DECLINED = "declined"
    WAITLISTED = "waitlisted"


# Applications that went to review: eligible ones, and those decided since.
REVIEWED = (ApplicationStatus.ELIGIBLE, ApplicationStatus.AWARDED, ApplicationStatus.DECLINED,
            ApplicationStatus.WAITLISTED)


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
    blind = fields.BooleanField(default=False, db_default=False)
    # the indicators its projects report (Grants III); None before that existed
    indicators: fields.Field[list[str] | None] = fields.JSONField(null=True)
    practice_id = fields.IntField(null=True)        # the practice it replicates (Grants III)
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
    AWARDED = "awarded"
    DECLINED = "declined"
    WAITLISTED = "waitlisted"


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


# What a reviewer knows: it decides which applications the assignment gives them.
class ReviewerProfile(TenantModel):

    id = fields.IntField(primary_key=True)
    user_id = fields.IntField()
    languages: fields.Field[list[str]] = fields.JSONField(default=list)
    countries: fields.Field[list[str]] = fields.JSONField(default=list)
    regions: fields.Field[list[str]] = fields.JSONField(default=list)
    commodities: fields.Field[list[str]] = fields.JSONField(default=list)
    categories: fields.Field[list[str]] = fields.JSONField(default=list)
    max_load = fields.SmallIntField(default=10)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "reviewer_profiles"
        unique_together = (("organisation", "user_id"),)


class ConflictKind(StrEnum):
    DECLARED = "declared"  # the reviewer declared it, for one application
    TIE = "tie"            # the reviewer declared a tie to a co-op: all its applications
    STAFF = "staff"        # staff recorded it
    WAIVED = "waived"      # staff lifted a computed conflict for one application


# A conflict of interest recorded by a person, or a computed one that staff lifted. Rows are
# never deleted: lifting one records who, when and why.
class Conflict(TenantModel):

    id = fields.IntField(primary_key=True)
    reviewer_id = fields.IntField(db_index=True)
    kind = fields.CharEnumField(ConflictKind, max_length=16)
    application: fields.ForeignKeyNullableRelation[Application] = fields.ForeignKeyField(
        "models.Application", related_name="conflicts", null=True, on_delete=fields.CASCADE)
    application_id: int | None
    cooperative: fields.ForeignKeyNullableRelation[Cooperative] = fields.ForeignKeyField(
        "models.Cooperative", related_name="conflicts", null=True, on_delete=fields.CASCADE)
    cooperative_id: int | None
    reason = fields.TextField()
    created_by_id = fields.IntField()
    created_at = fields.DatetimeField(auto_now_add=True)
    lifted_by_id = fields.IntField(null=True)
    lifted_reason = fields.TextField(default="")
    lifted_at = fields.DatetimeField(null=True)

    class Meta:
        table = "review_conflicts"


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Recommendation(StrEnum):
    FUND = "fund"
    FUND_WITH_CHANGES = "fund_with_changes"
    DECLINE = "decline"


class Confidence(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


# One reviewer on one application: the assignment and, as it is written, the review.
# `scores` maps criterion keys to a number or "na"; `score` (0 to 100) is set on submission.
class Review(TenantModel):

    id = fields.IntField(primary_key=True)
    call: fields.ForeignKeyRelation[Call] = fields.ForeignKeyField(
        "models.Call", related_name="reviews", on_delete=fields.RESTRICT)
    call_id: int
    application: fields.ForeignKeyRelation[Application] = fields.ForeignKeyField(
        "models.Application", related_name="reviews", on_delete=fields.RESTRICT)
    application_id: int
    reviewer_id = fields.IntField(db_index=True)
    status = fields.CharEnumField(ReviewStatus, max_length=16, default=ReviewStatus.DRAFT)
    pinned = fields.BooleanField(default=False)
    affinity = fields.FloatField(default=0.0)
    scores: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    comment_applicant = fields.TextField(default="")
    comment_staff = fields.TextField(default="")
    recommendation = fields.CharEnumField(Recommendation, max_length=24, null=True)
    confidence = fields.CharEnumField(Confidence, max_length=8, null=True)
    score = fields.FloatField(null=True)
    submitted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "reviews"
        unique_together = (("application", "reviewer_id"),)


class DecisionKind(StrEnum):
    AWARD = "award"
    DECLINE = "decline"
    WAITLIST = "waitlist"


# Staff's decision on one application, kept private until published. An award is a
# commitment against the call's budget, not money moved.
class Decision(TenantModel):

    id = fields.IntField(primary_key=True)
    call: fields.ForeignKeyRelation[Call] = fields.ForeignKeyField(
        "models.Call", related_name="decisions", on_delete=fields.RESTRICT)
    call_id: int
    application: fields.OneToOneRelation[Application] = fields.OneToOneField(
        "models.Application", related_name="decision", on_delete=fields.RESTRICT)
    application_id: int
    kind = fields.CharEnumField(DecisionKind, max_length=16)
    amount_minor = fields.BigIntField(null=True)
    currency = fields.CharField(max_length=3)
    reason = fields.TextField(default="")
    message = fields.TextField(default="")
    decided_by_id = fields.IntField()
    decided_at = fields.DatetimeField(auto_now=True)
    published_at = fields.DatetimeField(null=True)

    class Meta:
        table = "decisions"

