"""The sponsor's message, the broadcast and each account's delivery.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tortoise import fields

from app.orgs.models import TenantModel
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState, MessageStatus

if TYPE_CHECKING:
    from campaigns.campaign.models import Campaign
    from campaigns.pledges.models import Pledge


# The text the winning sponsor wants carried by the broadcast, with the paid-partnership
# disclosure they chose; staff approve it or return it with comments. One per campaign:
# each submission, return and approval is in the audit log with the text of the moment.
class SponsorMessage(TenantModel):
    id = fields.IntField(primary_key=True)
    campaign: fields.OneToOneRelation[Campaign] = fields.OneToOneField(
        "models.Campaign", related_name="sponsor_message", on_delete=fields.CASCADE)
    campaign_id: int
    sponsor_id = fields.IntField()
    text = fields.TextField()
    disclosure = fields.CharField(max_length=32)
    status = fields.CharEnumField(MessageStatus, max_length=16,
                                  default=MessageStatus.SUBMITTED)
    staff_comment = fields.TextField(default="")
    revision = fields.IntField(default=1)
    submitted_at = fields.DatetimeField()
    reviewed_by_id = fields.IntField(null=True)
    reviewed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "sponsor_messages"


# A campaign's broadcast on one network: the post the campaign's account published, the
# moment, how it went. Its deliveries are one per pledge.
class Broadcast(TenantModel):
    id = fields.IntField(primary_key=True)
    campaign: fields.ForeignKeyRelation[Campaign] = fields.ForeignKeyField(
        "models.Campaign", related_name="broadcasts", on_delete=fields.CASCADE)
    campaign_id: int
    network = fields.CharField(max_length=16)
    assisted = fields.BooleanField(default=False)   # no approval of automated posting
    status = fields.CharEnumField(BroadcastStatus, max_length=16,
                                  default=BroadcastStatus.SCHEDULED)
    post_text = fields.TextField()
    paid_partnership = fields.BooleanField(default=True)
    post_ref = fields.CharField(max_length=64, null=True)
    publisher_id = fields.IntField(null=True)      # the campaign's own account (staff's)
    publish_marker = fields.CharField(max_length=64, null=True)  # its newest post before
    scheduled_at = fields.DatetimeField()
    started_at = fields.DatetimeField(null=True)
    finished_at = fields.DatetimeField(null=True)
    stop_reason = fields.CharField(max_length=64, default="")
    tokens_deleted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "broadcasts"
        unique_together = (("campaign", "network"),)


# One pledge's repost in one broadcast: claimed by a worker (a lease), then delivered,
# failed or skipped with its reason. `followers` is what the pledge counted when made.
class Delivery(TenantModel):
    id = fields.BigIntField(primary_key=True)
    broadcast: fields.ForeignKeyRelation[Broadcast] = fields.ForeignKeyField(
        "models.Broadcast", related_name="deliveries", on_delete=fields.CASCADE)
    broadcast_id: int
    pledge: fields.ForeignKeyRelation[Pledge] = fields.ForeignKeyField(
        "models.Pledge", related_name="deliveries", on_delete=fields.CASCADE)
    pledge_id: int
    account_id = fields.IntField()
    followers = fields.BigIntField(default=0)
    state = fields.CharEnumField(DeliveryState, max_length=16, default=DeliveryState.PENDING)
    reason = fields.CharField(max_length=64, default="")
    attempts = fields.SmallIntField(default=0)
    not_before = fields.DatetimeField(null=True)     # a backoff, or a paused account
    lease_until = fields.DatetimeField(null=True)
    worker = fields.CharField(max_length=64, default="")
    delivered_at = fields.DatetimeField(null=True)
    link_opened_at = fields.DatetimeField(null=True)  # assisted mode: the one-tap link used
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "broadcast_deliveries"
        unique_together = (("broadcast", "pledge"),)
        indexes = (("broadcast_id", "state"),)   # and, partial, the open ones by id (0011)
