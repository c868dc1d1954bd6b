"""Closing an auction and charging its winner.

The closing job is keyed by the auction and idempotent: woken before an end that soft close
has moved, it re-schedules itself for the new end and does nothing else; at the end it
closes the auction (won when someone leads with the reserve met, unsold otherwise) and
charges the winner.

Charging never happens twice. Before the gateway is called, the attempt — with the
idempotency key the charge is made with — is committed in its own transaction; a job that
crashed between the gateway's answer and our commit finds that attempt still "started" and
calls again with the same key, which the gateway answers with the first charge. Stripe
keeps a key for a day: an attempt older than that is first looked for by the key in the
intent's metadata, and charged only if no intent has it. The outcome
is recorded once (a row lock on the attempt): success pays the auction, credits the
campaign's fund through grants.funds (the charge is the idempotency reference) and marks the
campaign sold; a decline or a bank asking for the cardholder leaves the winner a deadline
to pay by link, after which the lot is offered to the next bidder (second chance).
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import replace
from datetime import timedelta
from typing import Any

from tortoise.exceptions import IntegrityError

from app import queue, timefmt
from app.db import atomic
from app.orgs.models import Organisation
from app.settings import Settings
from app.tenancy import scoped
from campaigns.auction import rules
from campaigns.auction.models import Auction, BidRecord, PaymentAttempt, PaymentEvent, Sponsor
from campaigns.auction.payments import (
    Charge,
    ChargeStatus,
    PaymentGateway,
    SandboxGateway,
    StripeGateway,
)
from campaigns.auction.service.bidding import lot_of, standing_of
from campaigns.auction.service.moves import move_auction
from campaigns.auction.statuses import AttemptStatus, AuctionStatus
from campaigns.campaign.lifecycle import Actor
from campaigns.campaign.models import Campaign
from campaigns.campaign.service import apply as apply_to_campaign
from campaigns.campaign.statuses import CampaignStatus
from grants.funds import credit_fund, reverse_credit

PAY_WITHIN = timedelta(hours=48)
KEY_LIFETIME = timedelta(hours=23)   # Stripe keeps an idempotency key for 24 hours
SANDBOX = SandboxGateway()


def gateway_for(settings: Settings) -> PaymentGateway:
    """Stripe when keys are configured; the sandbox otherwise, never in production."""
    if settings.stripe_secret_key is not None:
        return StripeGateway(str(settings.stripe_secret_key), settings.stripe_api_base)
    if settings.production:
        raise RuntimeError("STRIPE_SECRET_KEY is required in production")
    return SANDBOX


def close_job_id(row: Auction) -> str:
    return f"close-auction:{row.id}:{int(row.ends_at.timestamp())}"


async def schedule_close(row: Auction) -> None:
    """(Re)schedule the closing job for the auction's current end (after commit)."""
    await queue.enqueue("close_auction", row.id, defer_until=row.ends_at,
                        job_id=close_job_id(row))


async def _locked_lot(auction_id: int, org_id: int | None = None
                      ) -> tuple[Campaign, Auction] | None:
    """The auction and its campaign, locked campaign first: the order staff set-up, opening
    and cancelling take them, so no two of these ever wait on each other (a bid's round
    locks the auction alone)."""
    query = Auction.filter(id=auction_id)  # unscoped: a job's auction, by id
    found = await (query.filter(organisation_id=org_id) if org_id is not None else query
                   ).values_list("campaign_id", "organisation_id")
    if not found:
        return None
    campaign_id, organisation_id = found[0]
    campaign = await Campaign.filter(  # unscoped: the auction's own
        id=campaign_id, organisation_id=organisation_id).select_for_update().get()
    row = await Auction.filter(  # unscoped: by id, in its organisation
        id=auction_id, organisation_id=organisation_id).select_for_update().get()
    return campaign, row


async def close(auction_id: int, settings: Settings, gateway: PaymentGateway | None = None
                ) -> AuctionStatus | None:
    """The closing job's work; returns the auction's status after it (None: no auction)."""
    async with atomic():
        lot = await _locked_lot(auction_id)
        if lot is None:
            return None
        campaign, row = lot
        org = await Organisation.get(id=row.organisation_id)
        if row.status is AuctionStatus.OPEN:
            if timefmt.now() < row.ends_at:       # soft close moved the end: wait for it
                await schedule_close(row)
                return row.status
            await move_auction(row, "close")
        if row.status is AuctionStatus.CLOSING:
            if standing_of(row).reserve_met(lot_of(row)):
                await move_auction(row, "sell")
            else:
                await move_auction(row, "close_unsold")
                if campaign.status is CampaignStatus.AUCTION:
                    await apply_to_campaign(org, campaign, "close_unsold", Actor.SYSTEM, None)
    if row.status is AuctionStatus.WON:
        await charge(org, row.id, gateway or gateway_for(settings))
    return (await scoped(Auction, org).get(id=row.id)).status


async def charge(org: Organisation, auction_id: int, gateway: PaymentGateway
                 ) -> PaymentAttempt | None:
    """Charge the current winner once: record the attempt, call the gateway with its key,
    record the outcome. Safe to run again at any point."""
    attempt = await _attempt(org, auction_id)
    if attempt is None or attempt.status is not AttemptStatus.STARTED:
        return attempt
    if timefmt.now() - attempt.created_at > KEY_LIFETIME:
        # the gateway forgets idempotency keys after a day: find the intent by the key in its
        # metadata instead; none means none was created, and charging now is the first time
        found = await gateway.find_charge(attempt.idempotency_key)
        if found is not None:
            return await record_outcome(org, attempt.id, found)
    sponsor = await Sponsor.get(id=attempt.sponsor_id, organisation_id=org.id)  # unscoped: own
    result = await gateway.charge(
        customer_ref=sponsor.customer_ref or "", payment_method_ref=sponsor.payment_method_ref
        or "", amount_minor=attempt.amount_minor, currency=attempt.currency,
        idempotency_key=attempt.idempotency_key,
        metadata={"auction": str(auction_id), "attempt": attempt.idempotency_key})
    return await record_outcome(org, attempt.id, result)


async def _attempt(org: Organisation, auction_id: int) -> PaymentAttempt | None:
    """The winner's attempt: the one still started (a crashed run's), or a new one,
    committed before anything is charged."""
    async with atomic():
        row = await Auction.filter(  # unscoped: the job's auction, in its organisation
            id=auction_id, organisation_id=org.id).select_for_update().get()
        if row.status is not AuctionStatus.WON or row.leader_id is None:
            return None
        mine = PaymentAttempt.filter(  # unscoped: the auction's own
            auction_id=row.id, organisation_id=org.id, sponsor_id=row.leader_id)
        current = await mine.order_by("-id").first()
        if current is not None:
            return current
        number = await PaymentAttempt.filter(auction_id=row.id).count() + 1  # unscoped: own
        return await PaymentAttempt.create(
            organisation_id=org.id, auction_id=row.id, sponsor_id=row.leader_id,
            idempotency_key=f"harambee-auction-{row.id}-attempt-{number}",
            amount_minor=row.price_minor, currency=row.currency)


async def record_outcome(org: Organisation, attempt_id: int, result: Charge
                         ) -> PaymentAttempt:
    """Record what the gateway said, once (the charge's answer and its webhook may both
    come: the first to lock the attempt records it). A success after a failure — the
    cardholder paid through the link — still pays, while the lot is still theirs."""
    async with atomic():
        attempt = await PaymentAttempt.filter(  # unscoped: by id, in its organisation
            id=attempt_id, organisation_id=org.id).select_for_update().get()
        late_success = (result.status is ChargeStatus.SUCCEEDED
                        and attempt.status in (AttemptStatus.REQUIRES_ACTION,
                                               AttemptStatus.FAILED))
        if attempt.status is not AttemptStatus.STARTED and not late_success:
            return attempt
        lot = await _locked_lot(attempt.auction_id, org.id)
        if lot is None:  # an attempt's auction cannot be deleted (RESTRICT)
            raise LookupError(f"payment attempt {attempt.id} has no auction")
        campaign, row = lot
        if late_success and not await _still_theirs(org, row, attempt):
            # the lot moved on (second chance, unsold, cancelled): their money goes back
            attempt.intent_ref = result.intent_ref or attempt.intent_ref
            attempt.failure_code = "superseded"
            await attempt.save(update_fields=["intent_ref", "failure_code", "updated_at"])
            await queue.enqueue("refund_attempt", attempt.id)
            return attempt
        attempt.intent_ref = result.intent_ref or attempt.intent_ref
        if result.status is ChargeStatus.SUCCEEDED:
            attempt.status = AttemptStatus.SUCCEEDED
            await _paid(org, campaign, row, attempt)
        elif result.status is ChargeStatus.PROCESSING:
            return attempt                        # the webhook will say how it ended
        else:
            attempt.status = (AttemptStatus.REQUIRES_ACTION
                              if result.status is ChargeStatus.REQUIRES_ACTION
                              else AttemptStatus.FAILED)
            attempt.failure_code = result.failure_code or ""
            attempt.pay_by = timefmt.now() + PAY_WITHIN
            await move_auction(row, "fail_payment")
            await queue.enqueue("tell_payment_due", attempt.id)
            await queue.enqueue("offer_second_chance", row.id, attempt.id,
                                defer_until=attempt.pay_by,
                                job_id=f"second-chance:{attempt.id}")
        await attempt.save()
    return attempt


async def second_chance(auction_id: int, attempt_id: int, gateway: PaymentGateway
                        ) -> AuctionStatus | None:
    """At a failed payment's deadline: if it is still unpaid, the lot goes to the next
    bidder at the price the bids would have made without every sponsor who failed to pay,
    and they are charged; with nobody left (or the reserve not met) it ends unsold."""
    async with atomic():
        lot = await _locked_lot(auction_id)
        if lot is None:
            return None
        campaign, row = lot
        org = await Organisation.get(id=row.organisation_id)
        attempt = await scoped(PaymentAttempt, org).get_or_none(id=attempt_id)
        if (row.status is not AuctionStatus.PAYMENT_FAILED or attempt is None
                or attempt.sponsor_id != row.leader_id):
            return row.status                      # paid late, or already moved on
        failed_ids: list[int] = await scoped(PaymentAttempt, org).filter(  # type: ignore[assignment]
            auction_id=row.id).exclude(status=AttemptStatus.SUCCEEDED).values_list(
            "sponsor_id", flat=True)
        failed = set(failed_ids)
        standing = await standing_without(org, row, failed)
        if standing.leader is None or not standing.reserve_met(lot_of(row)):
            await move_auction(row, "close_unsold")
            if campaign.status is CampaignStatus.AUCTION:
                await apply_to_campaign(org, campaign, "close_unsold", Actor.SYSTEM, None)
            return row.status
        row.leader_id, row.leader_max_minor, row.price_minor = (
            standing.leader, standing.leader_max, standing.price_minor)
        await row.save(update_fields=["leader_id", "leader_max_minor", "price_minor",
                                      "updated_at"])
        await move_auction(row, "second_chance")
    await charge(org, row.id, gateway)
    return (await scoped(Auction, org).get(id=row.id)).status


async def _still_theirs(org: Organisation, row: Auction, attempt: PaymentAttempt) -> bool:
    """A late payment counts only while the lot still waits for this very attempt."""
    latest = await scoped(PaymentAttempt, org).filter(auction_id=row.id).order_by(
        "-id").first()
    return (row.status is AuctionStatus.PAYMENT_FAILED and row.leader_id == attempt.sponsor_id
            and latest is not None and latest.id == attempt.id)


async def refund_attempt(org: Organisation, attempt_id: int, gateway: PaymentGateway
                         ) -> PaymentAttempt:
    """Money taken for a lot that had moved on goes back (our key: once)."""
    attempt = await scoped(PaymentAttempt, org).get(id=attempt_id)
    if attempt.refund_ref is None and attempt.intent_ref is not None:
        attempt.refund_ref = await gateway.refund(
            intent_ref=attempt.intent_ref, idempotency_key=f"harambee-refund-attempt-{attempt.id}")
        await attempt.save(update_fields=["refund_ref", "updated_at"])
    return attempt


async def _paid(org: Organisation, campaign: Campaign, row: Auction, attempt: PaymentAttempt
                ) -> None:
    await move_auction(row, "pay")
    await credit_fund(org, campaign.fund_id, attempt.amount_minor, attempt.currency,
                      "campaign", f"payment:{attempt.intent_ref or attempt.idempotency_key}")
    if campaign.status is CampaignStatus.AUCTION:
        await apply_to_campaign(org, campaign, "sell", Actor.SYSTEM, None)
    await queue.enqueue("tell_winner", attempt.id)


async def standing_without(org: Organisation, row: Auction, excluded: set[int]
                           ) -> rules.State:
    """The standing the bids would have made without these sponsors (second chance)."""
    records = await BidRecord.filter(  # unscoped: the auction's own
        auction_id=row.id, organisation_id=org.id).exclude(
        sponsor_id__in=list(excluded)).order_by("number")
    # the bids as they were accepted: against the end they actually had, no extensions
    lot = replace(lot_of(row), ends_at=max(row.ends_at, row.scheduled_end),
                  soft_close=timedelta(0))
    return rules.final(lot, [rules.Bid(r.sponsor_id, r.max_minor, r.placed_at)
                             for r in records])


async def handle_event(event_id: str, kind: str, intent: dict[str, Any]) -> bool:
    """A verified Stripe event: stored under its id, handled once whatever the order and
    however often it comes (a late success still pays; a failure after a success changes
    nothing). Returns whether this delivery did the handling."""
    with suppress(IntegrityError):  # delivered before: handled below only if unfinished
        await PaymentEvent.create(event_id=event_id, kind=kind, payload=intent)
    async with atomic():
        event = await PaymentEvent.filter(event_id=event_id).select_for_update().get()
        if event.handled_at is not None:
            return False
        attempt = await _attempt_of(intent)
        if attempt is not None:
            org = await Organisation.get(id=attempt.organisation_id)
            if kind == "payment_intent.succeeded":
                await record_outcome(org, attempt.id, Charge(intent.get("id"),
                                                             ChargeStatus.SUCCEEDED))
            elif kind == "payment_intent.payment_failed":
                error = intent.get("last_payment_error") or {}
                await record_outcome(org, attempt.id, Charge(
                    intent.get("id"), ChargeStatus.FAILED,
                    error.get("decline_code") or error.get("code") or "card_declined"))
        event.handled_at = timefmt.now()
        await event.save(update_fields=["handled_at"])
    return True


async def _attempt_of(intent: dict[str, Any]) -> PaymentAttempt | None:
    """Ours by the key in the intent's metadata (set at creation), or by the intent's id."""
    key = (intent.get("metadata") or {}).get("attempt")
    if key:
        return await PaymentAttempt.get_or_none(idempotency_key=key)  # unscoped: unique key
    if intent.get("id"):
        return await PaymentAttempt.get_or_none(  # unscoped: Stripe's id is unique
            intent_ref=intent["id"])
    return None


REFUND_REASON = "the broadcast was cancelled: the sponsor is refunded"


async def refund(campaign_id: int, gateway: PaymentGateway) -> PaymentAttempt | None:
    """A cancelled broadcast that was paid: the charge goes back through the gateway (our key,
    stable: a retried job refunds once) and the fund's credit is reversed."""
    campaign = await Campaign.get_or_none(id=campaign_id)  # unscoped: a job, by id
    if campaign is None:
        return None
    org = await Organisation.get(id=campaign.organisation_id)
    row = await scoped(Auction, org).get_or_none(campaign_id=campaign.id)
    paid = await scoped(PaymentAttempt, org).filter(
        auction_id=row.id, status=AttemptStatus.SUCCEEDED).first() if row else None
    if paid is None or paid.intent_ref is None:
        return paid
    if paid.refund_ref is None:
        paid.refund_ref = await gateway.refund(intent_ref=paid.intent_ref,
                                               idempotency_key=f"harambee-refund-{paid.id}")
        await paid.save(update_fields=["refund_ref", "updated_at"])
    await reverse_credit(org, f"payment:{paid.intent_ref}", REFUND_REASON)
    return paid
