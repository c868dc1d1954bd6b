"""Donate-your-followers campaigns: campaigns, connected social accounts (tokens encrypted),
pledges with their consent records, reach counters spread over shards, network approvals,
and the server-side half of each OAuth attempt.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from tortoise import fields
from tortoise.models import Model

from app.orgs.models import TenantModel

SHARDS = 8  # reach counter rows per campaign: concurrent pledges rarely share one


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    PLEDGING = "pledging"
    AUCTION = "auction"
    SOLD = "sold"
    UNSOLD = "unsold"
    SCHEDULED = "scheduled"
    BROADCASTING = "broadcasting"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class PledgeStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


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


# A company that bids for campaigns' broadcasts. The card stays at Stripe: we keep the ids
# Stripe gives (customer, payment method) and what a person needs to recognise the card.
class Sponsor(TenantModel):
    id = fields.IntField(primary_key=True)
    user_id = fields.IntField(db_index=True)
    company_name = fields.CharField(max_length=160)
    contact_name = fields.CharField(max_length=120)
    billing_email = fields.CharField(max_length=254)
    country = fields.CharField(max_length=2)
    tax_id = fields.CharField(max_length=40, default="")
    customer_ref = fields.CharField(max_length=64, null=True)
    payment_method_ref = fields.CharField(max_length=64, null=True)
    card_brand = fields.CharField(max_length=24, default="")
    card_last4 = fields.CharField(max_length=4, default="")
    card_saved_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "sponsors"
        unique_together = (("organisation", "user_id"),)


class AuctionStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSING = "closing"
    WON = "won"
    UNSOLD = "unsold"
    PAID = "paid"
    PAYMENT_FAILED = "payment_failed"


# One lot per campaign: the rules fixed at listing, and the standing the bids have made
# (leader, their maximum, the price, the end moved by soft close). `bids` counts them all.
class Auction(TenantModel):
    id = fields.IntField(primary_key=True)
    campaign: fields.OneToOneRelation[Campaign] = fields.OneToOneField(
        "models.Campaign", related_name="auction", on_delete=fields.RESTRICT)
    campaign_id: int
    status = fields.CharEnumField(AuctionStatus, max_length=16,
                                  default=AuctionStatus.SCHEDULED)
    currency = fields.CharField(max_length=3)
    starting_minor = fields.BigIntField()
    reserve_minor = fields.BigIntField(null=True)
    buy_now_minor = fields.BigIntField(null=True)
    increments: fields.Field[list[list[int]]] = fields.JSONField()
    starts_at = fields.DatetimeField()
    scheduled_end = fields.DatetimeField()
    ends_at = fields.DatetimeField()
    soft_close_seconds = fields.IntField(default=300)
    leader_id = fields.IntField(null=True)
    leader_max_minor = fields.BigIntField(default=0)
    price_minor = fields.BigIntField(default=0)
    bought_now = fields.BooleanField(default=False)
    bids = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "auctions"


# Every bid, accepted or refused, with its outcome and the standing after it: replaying
# them in `number` order from the lot gives the auction's standing.
class BidRecord(TenantModel):
    id = fields.BigIntField(primary_key=True)
    auction: fields.ForeignKeyRelation[Auction] = fields.ForeignKeyField(
        "models.Auction", related_name="bid_records", on_delete=fields.CASCADE)
    auction_id: int
    number = fields.IntField()
    sponsor_id = fields.IntField()
    max_minor = fields.BigIntField()
    outcome = fields.CharField(max_length=16)
    leader_id = fields.IntField(null=True)
    price_minor = fields.BigIntField()
    ends_at = fields.DatetimeField()
    placed_at = fields.DatetimeField()

    class Meta:
        table = "auction_bids"
        unique_together = (("auction", "number"),)


class AttemptStatus(StrEnum):
    STARTED = "started"              # recorded and committed before the gateway is called
    SUCCEEDED = "succeeded"
    REQUIRES_ACTION = "requires_action"
    FAILED = "failed"


# One try at charging an auction's winner. It is committed before the gateway is called,
# with the idempotency key the charge is made with: a job that crashed after the gateway
# answered finds this row and calls again with the same key, which cannot charge twice.
class PaymentAttempt(TenantModel):
    id = fields.IntField(primary_key=True)
    auction: fields.ForeignKeyRelation[Auction] = fields.ForeignKeyField(
        "models.Auction", related_name="payment_attempts", on_delete=fields.RESTRICT)
    auction_id: int
    sponsor_id = fields.IntField()
    idempotency_key = fields.CharField(max_length=80, unique=True)
    amount_minor = fields.BigIntField()
    currency = fields.CharField(max_length=3)
    status = fields.CharEnumField(AttemptStatus, max_length=16, default=AttemptStatus.STARTED)
    intent_ref = fields.CharField(max_length=64, null=True)
    failure_code = fields.CharField(max_length=64, default="")
    pay_by = fields.DatetimeField(null=True)
    refund_ref = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "auction_payment_attempts"


# A Stripe webhook event, stored under Stripe's id when first received (verified) and
# handled once, however often and in whatever order Stripe delivers it.
class PaymentEvent(Model):
    id = fields.IntField(primary_key=True)
    event_id = fields.CharField(max_length=80, unique=True)
    kind = fields.CharField(max_length=80)
    payload: fields.Field[dict[str, Any]] = fields.JSONField()
    received_at = fields.DatetimeField(auto_now_add=True)
    handled_at = fields.DatetimeField(null=True)

    class Meta:
        table = "payment_events"


class MessageStatus(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


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


class BroadcastStatus(StrEnum):
    SCHEDULED = "scheduled"      # its deliveries made, waiting for the moment
    PUBLISHING = "publishing"    # the campaign's account posts the approved text
    RUNNING = "running"          # every pledged account reposts it
    PAUSED = "paused"
    COMPLETED = "completed"
    ABORTED = "aborted"          # staff stopped it
    STOPPED = "stopped"          # the post could not be published, or was deleted


class DeliveryState(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"      # claimed by a worker until its lease ends
    DELIVERED = "delivered"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    OFFERED = "offered"          # assisted mode: the supporter was given the one-tap link


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
