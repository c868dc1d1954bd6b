"""Reviewers' profiles, conflicts of interest, reviews and decisions.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields

from app.orgs.models import TenantModel
from grants.review.statuses import (
    Confidence,
    ConflictKind,
    DecisionKind,
    Recommendation,
    ReviewStatus,
)

if TYPE_CHECKING:
    from grants.applications.models import Application
    from grants.calls.models import Call
    from grants.coops.models import Cooperative


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
