"""A campaign, and a tenant's written approval to automate posting on a network.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration."""

from __future__ import annotations

from tortoise import fields

from app.orgs.models import TenantModel
from campaigns.campaign.statuses import CampaignStatus


# A campaign: texts per locale, the fund its proceeds go to (an id from grants.funds), the
# reach goal, the pledge window, the planned broadcast and the networks it accepts.
class Campaign(TenantModel):
    id = fields.IntField(primary_key=True)
    slug = fields.CharField(max_length=64)
    status = fields.CharEnumField(CampaignStatus, max_length=16, default=CampaignStatus.DRAFT)
    title: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    story: fields.Field[dict[str, str]] = fields.JSONField(default=dict)
    image_key = fields.CharField(max_length=200, null=True)
    fund_id = fields.IntField()
    reach_goal = fields.BigIntField()
    pledge_opens_at = fields.DatetimeField()
    pledge_closes_at = fields.DatetimeField()
    broadcast_at = fields.DatetimeField()
    notice_hours = fields.SmallIntField(default=48)  # supporters see the post this early
    networks: fields.Field[list[str]] = fields.JSONField(default=list)
    reach_at_auction_close = fields.BigIntField(null=True)
    quality_reach_at_auction_close = fields.BigIntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "campaigns"
        unique_together = (("organisation", "slug"),)


# Whether a network approved automated posting for this organisation (with its reference).
class NetworkApproval(TenantModel):
    id = fields.IntField(primary_key=True)
    network = fields.CharField(max_length=16)
    approved = fields.BooleanField(default=False)
    reference = fields.CharField(max_length=200, default="")
    recorded_by_id = fields.IntField(null=True)
    recorded_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "network_approvals"
        unique_together = (("organisation", "network"),)
