"""A fund's rows: the fund and its ledger of money that moved.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration."""

from __future__ import annotations

from tortoise import fields

from app.orgs.models import TenantModel
from grants.funds.statuses import LedgerKind


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
