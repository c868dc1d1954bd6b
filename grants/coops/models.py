"""Co-ops and their networks, the people who act for a co-op, and invitations to join it.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration."""

from __future__ import annotations

from tortoise import fields

from app.orgs.models import TenantModel
from grants.calls.eligibility import Profile


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

    def profile(self) -> Profile:
        """What a call's eligibility rules read of the co-op."""
        return Profile(country=self.country, commodities=frozenset(self.commodities),
                       certifications=frozenset(c["scheme"] for c in self.certifications),
                       members_total=self.members_total, legal_form=self.legal_form)

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
