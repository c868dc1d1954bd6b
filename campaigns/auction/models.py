"""Sponsors, auctions and their bids, payment attempts and Stripe's events.

Models are described by comments, not docstrings: tortoise turns a docstring into a table
comment without escaping it, and an apostrophe or a semicolon breaks the migration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from app.orgs.models import TenantModel
from campaigns.auction.statuses import AttemptStatus, AuctionStatus

if TYPE_CHECKING:
    from campaigns.campaign.models import Campaign


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
