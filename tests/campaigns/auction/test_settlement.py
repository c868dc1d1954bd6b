"""Closing an auction and charging its winner: the job re-schedules itself when soft close
moved the end, closes won or unsold, charges once however often it runs — even when it
crashed between the gateway's answer and our commit — credits the fund and sells the
campaign; a declined card leaves the winner a deadline to pay."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta

import httpx
import pytest

from app.accounts.models import User
from app.db import atomic
from app.orgs.models import Membership, Organisation, Role
from app.settings import Settings
from app.timefmt import now
from campaigns.auction.models import Auction, PaymentAttempt, Sponsor
from campaigns.auction.payments import Charge, ChargeStatus, SandboxGateway, StripeGateway
from campaigns.auction.service import settlement
from campaigns.auction.statuses import AttemptStatus, AuctionStatus
from campaigns.campaign import service as campaigns
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from grants import funds
from grants.funds.models import LedgerEntry
from tests.campaigns.auction.test_bidding import make_sponsor, open_auction
from tests.campaigns.conftest import Queued
from tests.campaigns.factories import make_campaign
from tests.grants.factories import make_fund
from tests.helpers import (
    add_member,
    login,
    mail_text,
    make_org,
    make_user,
    post_form,
    wait_for_mail,
)

pytestmark = pytest.mark.usefixtures("app")  # bids enqueue their outbid mail

@dataclass
class Counting:
    """A gateway at the HTTP boundary that honours idempotency keys (localstripe ignores
    them) and can crash once after charging, before we record the answer."""

    inner: SandboxGateway = field(default_factory=SandboxGateway)
    calls: list[str] = field(default_factory=list)
    crash_once: bool = False

    async def charge(self, **kwargs: object) -> Charge:
        self.calls.append(str(kwargs["idempotency_key"]))
        result = await self.inner.charge(**kwargs)  # type: ignore[arg-type]
        if self.crash_once:
            self.crash_once = False
            raise ConnectionError("the worker died before recording the answer")
        return result

    async def find_charge(self, attempt_key: str) -> Charge | None:
        self.calls.append(f"find {attempt_key}")
        return await self.inner.find_charge(attempt_key)

    def charged(self) -> int:
        return len(self.inner.charges)       # distinct keys = real charges


class Unreachable:
    """A gateway the job never reached: it died after committing the attempt."""

    async def charge(self, **_kwargs: object) -> Charge:
        raise ConnectionError("the worker died before calling the gateway")


async def won_auction(*, card: str = "4242424242424242", reserve: int | None = None
                      ) -> tuple[Organisation, Campaign, Auction, SandboxGateway]:
    org = await make_org()
    fund = await make_fund(org)
    campaign = await make_campaign(org, status=CampaignStatus.AUCTION, fund_id=fund.id)
    row = await open_auction(org, campaign, reserve_minor=reserve)
    gateway = SandboxGateway()
    winner, runner_up = await make_sponsor(org, "Winner"), await make_sponsor(org, "Second")
    for user in (winner, runner_up):
        sponsor = await Sponsor.get(user_id=user.id)
        setup = await gateway.start_card_setup("cus")
        saved = gateway.complete_setup(setup.ref, card if user is winner else
                                       "4242424242424242")
        sponsor.customer_ref, sponsor.payment_method_ref = "cus", saved.ref
        await sponsor.save()
    await _bid(org, campaign, runner_up, 30_000)
    await _bid(org, campaign, winner, 50_000)
    past = now() - timedelta(seconds=1)
    await Auction.filter(id=row.id).update(ends_at=past)
    return org, campaign, await Auction.get(id=row.id), gateway


async def card_at_stripe(gateway: StripeGateway, row: Auction) -> None:
    """The leader's customer and card at Stripe (localstripe), as the card page makes them."""
    customer = await gateway.create_customer(email="pay@winner.example", name="Winner",
                                             idempotency_key=f"winner-{row.id}")
    method = await gateway.client.v1.payment_methods.create_async({
        "type": "card", "card": {"number": "4242424242424242", "exp_month": 12,
                                 "exp_year": 2030, "cvc": "123"}})
    await gateway.client.v1.payment_methods.attach_async(method.id, {"customer": customer})
    await Sponsor.filter(id=row.leader_id).update(customer_ref=customer,
                                                  payment_method_ref=method.id)


async def _bid(org: Organisation, campaign: Campaign, user: object, amount: int) -> None:
    from campaigns.auction.service import bidding
    await bidding.place_bid(user, org, campaign.slug, amount)  # type: ignore[arg-type]


async def test_the_job_waits_for_an_end_moved_by_soft_close(
        settings: Settings, queued: list[Queued]) -> None:
    org = await make_org()
    campaign = await make_campaign(org, status=CampaignStatus.AUCTION)
    row = await open_auction(org, campaign)
    later = now() + timedelta(minutes=3)            # a bid in the window moved the end
    await Auction.filter(id=row.id).update(ends_at=later)
    assert await settlement.close(row.id, settings) is AuctionStatus.OPEN
    moved = await Auction.get(id=row.id)
    assert queued == [Queued("close_auction", (row.id,), {
        "defer_until": moved.ends_at, "job_id": settlement.close_job_id(moved)})]
    assert not await PaymentAttempt.filter(auction_id=row.id).exists()


async def test_a_won_auction_is_charged_once_however_often_the_job_runs(
        settings: Settings) -> None:
    org, campaign, row, sandbox = await won_auction()
    gateway = Counting(sandbox)
    assert await settlement.close(row.id, settings, gateway) is AuctionStatus.PAID
    assert await settlement.close(row.id, settings, gateway) is AuctionStatus.PAID
    assert gateway.charged() == 1 and len(gateway.calls) == 1
    [attempt] = await PaymentAttempt.filter(auction_id=row.id)
    assert (attempt.status, attempt.amount_minor) == (AttemptStatus.SUCCEEDED, 30_100)
    [summary] = await funds.list_funds(org)
    assert summary.balance_minor == 30_100                  # the fund rose by the price
    entry = await LedgerEntry.get(fund_id=summary.id)
    assert entry.reference == f"payment:{attempt.intent_ref}" and entry.source == "campaign"
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.SOLD


async def test_a_crash_after_the_charge_never_charges_twice(settings: Settings) -> None:
    org, _campaign, row, sandbox = await won_auction()
    gateway = Counting(sandbox, crash_once=True)
    with pytest.raises(ConnectionError):
        await settlement.close(row.id, settings, gateway)
    [attempt] = await PaymentAttempt.filter(auction_id=row.id)
    assert attempt.status is AttemptStatus.STARTED        # committed before the call
    assert (await Auction.get(id=row.id)).status is AuctionStatus.WON
    assert await settlement.close(row.id, settings, gateway) is AuctionStatus.PAID
    assert gateway.calls == [attempt.idempotency_key] * 2   # the same key, asked again
    assert gateway.charged() == 1                           # charged once
    assert await LedgerEntry.filter(organisation_id=org.id).count() == 1


@pytest.mark.parametrize("charged_before", [True, False])
async def test_an_attempt_a_day_old_is_looked_for_before_charging(
        settings: Settings, charged_before: bool) -> None:
    """Stripe forgets an idempotency key after a day: an attempt older than that is looked
    for by the key in the intent's metadata, and charged only if no intent has it."""
    org, _campaign, row, sandbox = await won_auction()
    gateway = Counting(sandbox, crash_once=charged_before)
    with pytest.raises(ConnectionError):  # after the charge, or before it (nothing reached)
        await settlement.close(row.id, settings, gateway if charged_before else Unreachable())
    [attempt] = await PaymentAttempt.filter(auction_id=row.id)
    assert attempt.status is AttemptStatus.STARTED
    await PaymentAttempt.filter(id=attempt.id).update(created_at=now() - timedelta(days=2))
    gateway.calls.clear()
    assert await settlement.close(row.id, settings, gateway) is AuctionStatus.PAID
    key = attempt.idempotency_key
    assert gateway.calls == ([f"find {key}"] if charged_before else [f"find {key}", key])
    assert gateway.charged() == 1
    assert await LedgerEntry.filter(organisation_id=org.id).count() == 1


async def test_a_declined_card_leaves_the_winner_a_deadline(settings: Settings) -> None:
    _org, campaign, row, sandbox = await won_auction(card="4000000000000341")
    assert await settlement.close(row.id, settings, sandbox) is AuctionStatus.PAYMENT_FAILED
    [attempt] = await PaymentAttempt.filter(auction_id=row.id)
    assert attempt.status is AttemptStatus.FAILED and attempt.failure_code == "card_declined"
    assert attempt.pay_by is not None and attempt.pay_by > now() + timedelta(hours=47)
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.AUCTION
    second = await settlement.standing_without(_org, row, {attempt.sponsor_id})
    assert second.leader is not None and second.leader != attempt.sponsor_id
    assert second.price_minor == 10_000              # alone, the runner-up pays the start


@pytest.mark.parametrize("reserve", [None, 60_000])
async def test_no_bid_or_a_reserve_not_met_ends_unsold(settings: Settings,
                                                       reserve: int | None) -> None:
    org = await make_org()
    campaign = await make_campaign(org, status=CampaignStatus.AUCTION)
    row = await open_auction(org, campaign, reserve_minor=reserve)
    if reserve:
        await _bid(org, campaign, await make_sponsor(org, "Low"), 20_000)
    past = now() - timedelta(seconds=1)
    await Auction.filter(id=row.id).update(ends_at=past)
    assert await settlement.close(row.id, settings, SandboxGateway()) is AuctionStatus.UNSOLD
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.UNSOLD
    assert not await PaymentAttempt.filter(auction_id=row.id).exists()


async def test_the_real_stripe_client_pays_a_won_auction(settings: Settings,
                                                         stripe_server: str) -> None:
    org, _campaign, row, _sandbox = await won_auction()
    gateway = StripeGateway("sk_test_harambee", stripe_server)
    try:
        await card_at_stripe(gateway, row)
        assert await settlement.close(row.id, settings, gateway) is AuctionStatus.PAID
        attempt = await PaymentAttempt.get(auction_id=row.id)
        assert attempt.intent_ref and attempt.intent_ref.startswith("pi_")
        intent = await gateway.client.v1.payment_intents.retrieve_async(attempt.intent_ref)
        assert (intent.amount, intent.metadata["auction"]) == (30_100, str(row.id))
    finally:
        await gateway.aclose()
    assert (await funds.list_funds(org))[0].balance_minor == 30_100


@pytest.mark.parametrize("card", ["4000000000000341", "4000002500003155"],
                         ids=["declined", "authentication_required"])
async def test_past_the_deadline_the_lot_goes_to_the_next_bidder(settings: Settings,
                                                                 card: str) -> None:
    org, campaign, row, sandbox = await won_auction(card=card)
    assert await settlement.close(row.id, settings, sandbox) is AuctionStatus.PAYMENT_FAILED
    failed = await PaymentAttempt.get(auction_id=row.id)
    assert await settlement.second_chance(row.id, failed.id, sandbox) is AuctionStatus.PAID
    second = await PaymentAttempt.filter(auction_id=row.id).exclude(id=failed.id).get()
    runner_up = await Sponsor.get(company_name="Second Ltd")
    # without the winner, the runner-up bid alone: they pay the starting price, 100.00
    assert (second.sponsor_id, second.amount_minor, second.status) == (
        runner_up.id, 10_000, AttemptStatus.SUCCEEDED)
    assert second.idempotency_key != failed.idempotency_key
    assert (await funds.list_funds(org))[0].balance_minor == 10_000
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.SOLD
    again = await settlement.second_chance(row.id, failed.id, sandbox)
    assert again is AuctionStatus.PAID and await PaymentAttempt.filter(
        auction_id=row.id).count() == 2                       # the job ran twice: no change


async def test_a_winner_who_pays_through_the_link_keeps_the_lot(
        client: httpx.AsyncClient, settings: Settings) -> None:
    org, campaign, row, sandbox = await won_auction(card="4000002500003155")
    assert await settlement.close(row.id, settings, sandbox) is AuctionStatus.PAYMENT_FAILED
    attempt = await PaymentAttempt.get(auction_id=row.id)
    winner = await User.get(email="winner@sponsor.example")
    told = mail_text(await wait_for_mail(settings, winner.email))
    assert f"/o/{org.slug}/sponsor/payments/{attempt.id}" in told and "$301.00" in told
    await login(client, winner.email)
    page = f"/o/{org.slug}/sponsor/payments/{attempt.id}"
    shown = await client.get(page)
    assert shown.status_code == 200 and "Pay now" in shown.text
    assert "js.stripe.com" in shown.headers["content-security-policy"]
    paid = await post_form(client, page, {}, token_from=page)
    assert paid.status_code == 303
    assert (await Auction.get(id=row.id)).status is AuctionStatus.PAID
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.SOLD
    assert await settlement.second_chance(row.id, attempt.id, sandbox) is AuctionStatus.PAID
    other = await make_user(email="nosy@sponsor.example")
    await login(client, other.email)
    assert (await client.get(page)).status_code == 404          # not theirs


async def test_with_nobody_left_the_lot_ends_unsold(settings: Settings) -> None:
    org = await make_org()
    fund = await make_fund(org)
    campaign = await make_campaign(org, status=CampaignStatus.AUCTION, fund_id=fund.id)
    row = await open_auction(org, campaign)
    sandbox = SandboxGateway()
    alone = await make_sponsor(org, "Alone")
    sponsor = await Sponsor.get(user_id=alone.id)
    setup = await sandbox.start_card_setup("cus")
    sponsor.customer_ref = "cus"
    sponsor.payment_method_ref = sandbox.complete_setup(setup.ref, "4000000000000341").ref
    await sponsor.save()
    await _bid(org, campaign, alone, 20_000)
    await Auction.filter(id=row.id).update(ends_at=now() - timedelta(seconds=1))
    assert await settlement.close(row.id, settings, sandbox) is AuctionStatus.PAYMENT_FAILED
    attempt = await PaymentAttempt.get(auction_id=row.id)
    assert await settlement.second_chance(row.id, attempt.id, sandbox) is AuctionStatus.UNSOLD
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.UNSOLD


async def test_a_cancelled_sold_broadcast_is_refunded_once(
        settings: Settings, queued: list[Queued]) -> None:
    org, campaign, row, sandbox = await won_auction()
    assert await settlement.close(row.id, settings, sandbox) is AuctionStatus.PAID
    owner = await make_user(email="owner@fund.example")
    await add_member(org, owner, Role.OWNER)
    staff = await Membership.get(user_id=owner.id).select_related("organisation")
    await campaigns.move(staff, campaign.slug, "cancel")
    assert ("refund_auction", (campaign.id,)) in [(q.name, q.args) for q in queued]  # a job
    first = await settlement.refund(campaign.id, sandbox)
    again = await settlement.refund(campaign.id, sandbox)   # a retried job
    assert first is not None and again is not None and first.refund_ref == again.refund_ref
    assert len(sandbox.refunds) == 1
    [summary] = await funds.list_funds(org)
    assert summary.balance_minor == 0                       # credited, then reversed once
    assert await LedgerEntry.filter(organisation_id=org.id).count() == 2


async def test_a_late_payment_for_a_lot_that_moved_on_is_refunded(
        settings: Settings, queued: list[Queued]) -> None:
    org, _campaign, row, sandbox = await won_auction(card="4000002500003155")
    assert await settlement.close(row.id, settings, sandbox) is AuctionStatus.PAYMENT_FAILED
    first = await PaymentAttempt.get(auction_id=row.id)
    assert await settlement.second_chance(row.id, first.id, sandbox) is AuctionStatus.PAID
    queued.clear()
    # the first winner completes 3-D Secure after the lot went to the runner-up
    late = await settlement.record_outcome(org, first.id, Charge(
        first.intent_ref, ChargeStatus.SUCCEEDED))
    assert late.status is AttemptStatus.REQUIRES_ACTION and late.failure_code == "superseded"
    assert [(q.name, q.args) for q in queued] == [("refund_attempt", (first.id,))]
    refunded = await settlement.refund_attempt(org, first.id, sandbox)
    assert refunded.refund_ref and len(sandbox.refunds) == 1
    assert (await funds.list_funds(org))[0].balance_minor == 10_000   # the runner-up's only


async def test_cancelling_a_campaign_at_auction_ends_its_auction(settings: Settings) -> None:
    org, campaign, row, sandbox = await won_auction()
    owner = await make_user(email="owner@fund.example")
    await add_member(org, owner, Role.OWNER)
    staff = await Membership.get(user_id=owner.id).select_related("organisation")
    await campaigns.move(staff, campaign.slug, "cancel")
    assert (await Auction.get(id=row.id)).status is AuctionStatus.UNSOLD
    assert await settlement.close(row.id, settings, sandbox) is AuctionStatus.UNSOLD
    assert not await PaymentAttempt.filter(auction_id=row.id).exists()   # nobody charged


async def test_second_chance_counts_bids_made_during_an_extension(settings: Settings) -> None:
    org = await make_org()
    fund = await make_fund(org)
    campaign = await make_campaign(org, status=CampaignStatus.AUCTION, fund_id=fund.id)
    end = now() + timedelta(minutes=1)
    row = await open_auction(org, campaign, scheduled_end=end, ends_at=end)
    a, b = await make_sponsor(org, "Early"), await make_sponsor(org, "During")
    await _bid(org, campaign, a, 20_000)                       # in the window: end + 5 min
    from campaigns.auction.service import bidding
    await bidding.place_bid(b, org, campaign.slug, 30_000, at=end + timedelta(minutes=2))
    await bidding.place_bid(a, org, campaign.slug, 40_000, at=end + timedelta(minutes=3))
    fresh = await Auction.get(id=row.id)
    without_a = await settlement.standing_without(
        org, fresh, {(await Sponsor.get(user_id=a.id)).id})
    assert without_a.leader == (await Sponsor.get(user_id=b.id)).id   # not "no leader"


@pytest.mark.postgres_only
async def test_a_payment_recorded_while_staff_cancel_waits_instead_of_deadlocking(
        settings: Settings) -> None:
    """Staff cancelling lock the campaign, then its auction; recording a payment locks the
    campaign before the auction too, so it waits for the cancel instead of holding the
    auction while the cancel waits for it (PostgreSQL would abort one of them)."""
    org, campaign, row, _sandbox = await won_auction()
    with pytest.raises(ConnectionError):                 # the attempt is committed, unpaid
        await settlement.close(row.id, settings, Unreachable())
    attempt = await PaymentAttempt.get(auction_id=row.id)
    campaign_locked = asyncio.Event()

    async def cancelling() -> None:                      # campaigns.move's order, paused
        async with atomic():
            await Campaign.filter(id=campaign.id).select_for_update().get()
            campaign_locked.set()
            await asyncio.sleep(0.3)                     # the payment comes in meanwhile
            await Auction.filter(id=row.id).select_for_update().get()

    async def paying() -> None:
        await campaign_locked.wait()
        await settlement.record_outcome(org, attempt.id, Charge("pi_x", ChargeStatus.SUCCEEDED))

    await asyncio.gather(cancelling(), paying())         # a deadlock raises here
    assert (await Auction.get(id=row.id)).status is AuctionStatus.PAID
