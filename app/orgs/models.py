"""Tenants: organisations, who belongs to them with which role, and pending invitations."""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING

from tortoise import fields
from tortoise.models import Model

if TYPE_CHECKING:
    from app.accounts.models import User


class Role(StrEnum):
    OWNER = "owner"
    STAFF = "staff"
    REVIEWER = "reviewer"


class Organisation(Model):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=48, unique=True)
    name = fields.CharField(max_length=160)
    default_currency = fields.CharField(max_length=3, default="USD")
    locales: fields.Field[list[str]] = fields.JSONField(default=list)
    timezone = fields.CharField(max_length=64, default="UTC")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "organisations"

    def __str__(self) -> str:
        return self.name


class TenantModel(Model):
    """Base of every tenant-owned row: it always holds its organisation."""

    organisation: fields.ForeignKeyRelation[Organisation] = fields.ForeignKeyField(
        "models.Organisation", on_delete=fields.CASCADE
    )
    organisation_id: int

    class Meta:
        abstract = True


class Membership(TenantModel):
    id = fields.IntField(primary_key=True)
    user: fields.ForeignKeyRelation[User] = fields.ForeignKeyField(
        "models.User", related_name="memberships", on_delete=fields.CASCADE
    )
    user_id: int
    role = fields.CharEnumField(Role, max_length=16)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "memberships"
        unique_together = (("organisation", "user"),)


class Invitation(TenantModel):
    id = fields.IntField(primary_key=True)
    email = fields.CharField(max_length=254)
    role = fields.CharEnumField(Role, max_length=16)
    invited_by_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    accepted_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "invitations"

