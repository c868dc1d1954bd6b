"""Connected social accounts (tokens encrypted), pledges and their consent, the reach
counters and OAuth attempts.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields

from app.orgs.models import TenantModel
from campaigns.pledges.statuses import PledgeStatus

if TYPE_CHECKING:
    from campaigns.campaign.models import Campaign

SHARDS = 8  # reach counter rows per campaign: concurrent pledges rarely share one


# A supporter's account on a network, stored once per organisation: its tokens belong to it,
# not to a pledge, and are kept encrypted (never in clear), deleted when no pledge is left.
class SocialAccount(TenantModel):
    id = fields.IntField(primary_key=True)
    network = fields.CharField(max_length=16)
    account_id = fields.CharField(max_length=64)
    handle = fields.CharField(max_length=64)
    followers = fields.BigIntField(default=0)
    following = fields.BigIntField(default=0)
    protected = fields.BooleanField(default=False)
    verified = fields.BooleanField(default=False)
    account_created_at = fields.DatetimeField(null=True)
    access_token_enc = fields.TextField(null=True)
    refresh_token_enc = fields.TextField(null=True)
    token_expires_at = fields.DatetimeField(null=True)
    scopes: fields.Field[list[str]] = fields.JSONField(default=list)
    profile_checked_at = fields.DatetimeField(null=True)
    revoked_at = fields.DatetimeField(null=True)
    tokens_deleted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "social_accounts"
        unique_together = (("organisation", "network", "account_id"),)


# One account's pledge to one campaign. counted_reach and counted_quality are what this
# pledge added to the campaign's counters, so a withdrawal takes away exactly that.
class Pledge(TenantModel):
    id = fields.IntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="pledges", on_delete=fields.CASCADE
    )
    campaign_id: int
    account: fields.ForeignKeyRelation[SocialAccount] = fields.ForeignKeyField(
        "models.SocialAccount", related_name="pledges", on_delete=fields.CASCADE
    )
    account_id: int
    status = fields.CharEnumField(PledgeStatus, max_length=16, default=PledgeStatus.ACTIVE)
    email = fields.CharField(max_length=254, null=True)
    locale = fields.CharField(max_length=8, default="en")
    counted_reach = fields.BigIntField(default=0)
    counted_quality = fields.BigIntField(default=0)
    notice_key = fields.CharField(max_length=64, default="")  # the last notice sent (see
    created_at = fields.DatetimeField(auto_now_add=True)      # service/messages.py)
    updated_at = fields.DatetimeField(auto_now=True)
    withdrawn_at = fields.DatetimeField(null=True)

    class Meta:
        table = "pledges"
        unique_together = (("campaign", "account"),)


# What the supporter agreed to, word for word, each time they pledged: append-only.
class Consent(TenantModel):
    id = fields.IntField(primary_key=True)
    pledge: fields.ForeignKeyRelation[Pledge] = fields.ForeignKeyField(
        "models.Pledge", related_name="consents", on_delete=fields.CASCADE
    )
    pledge_id: int
    network = fields.CharField(max_length=16)
    terms_version = fields.CharField(max_length=16)
    locale = fields.CharField(max_length=8)
    text = fields.TextField()
    scopes: fields.Field[list[str]] = fields.JSONField(default=list)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "pledge_consents"


# A slice of a campaign's counters. The public figures are the sum of a few shard rows,
# never of the pledges table, and each pledge change updates one shard in its transaction.
class ReachShard(TenantModel):
    id = fields.IntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="shards", on_delete=fields.CASCADE
    )
    campaign_id: int
    shard = fields.SmallIntField()
    pledges = fields.BigIntField(default=0)
    reach = fields.BigIntField(default=0)
    quality_reach = fields.BigIntField(default=0)

    class Meta:
        table = "reach_shards"
        unique_together = (("campaign", "shard"),)


# The server-side half of an OAuth attempt: the state (hashed), the PKCE verifier
# (encrypted), the browser it belongs to, used at most once.
class OAuthAttempt(TenantModel):
    id = fields.IntField(primary_key=True)
    state_hash = fields.CharField(max_length=64, unique=True)
    verifier_enc = fields.TextField()
    browser = fields.CharField(max_length=64)
    campaign_id = fields.IntField()
    network = fields.CharField(max_length=16)
    details: fields.Field[dict[str, Any]] = fields.JSONField(default=dict)
    created_at = fields.DatetimeField(auto_now_add=True)
    expires_at = fields.DatetimeField()
    used_at = fields.DatetimeField(null=True)

    class Meta:
        table = "oauth_attempts"
