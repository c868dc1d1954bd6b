"""A call for proposals: its fund, budget, dates, form, rubric and eligibility rules.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields

from app.orgs.models import TenantModel
from grants.calls.statuses import CallStatus

if TYPE_CHECKING:
    from grants.funds.models import Fund


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
    # the indicators its projects report; None before that existed
    indicators: fields.Field[list[str] | None] = fields.JSONField(null=True)
    practice_id = fields.IntField(null=True)        # the practice it replicates
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "calls"
