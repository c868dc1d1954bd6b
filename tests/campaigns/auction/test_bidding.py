"""Placing bids through the service: each bid recorded with its outcome, refusals reported
with their codes after being recorded, and on PostgreSQL concurrent bids serialised by the
auction's row lock — none lost, none doubled, and the history replays to the standing."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import httpx
import pytest

from app.accounts.models import User
from app.accounts.service import create_api_token
from app.errors import AppError, Conflict, Invalid
from app.i18n import gettext
from app.orgs.models import Organisation
from app.settings import Settings
from app.timefmt import now
from campaigns.auction import rules
from campaigns.auction.models import Auction, BidRecord, Sponsor
from campaigns.auction.service import bidding
from campaigns.auction.statuses import AuctionStatus
from campaigns.campaign.models import Campaign
from tests.campaigns.factories import make_campaign
from tests.helpers import make_org, make_user

pytestmark = pytest.mark.usefixtures("app")  # bids enqueue their outbid mail

STEPS = [[0, 100], [50_000, 500], [200_000, 1_000]]   # dollars in cents: +$1, +$5, +$10


async def open_auction(org: Organisation, campaign: Campaign, **changes: object) -> Auction:
    end = now() + timedelta(hours=1)
    values: dict[str, object] = {
        "organisation": org, "campaign": campaign, "status": AuctionStatus.OPEN,
        "currency": "USD", "starting_minor": 10_000, "increments": STEPS,
        "starts_at": now() - timedelta(hours=1), "scheduled_end": end, "ends_at": end,
        "soft_close_seconds": 300}
    return await Auction.create(**{**values, **changes})


async def make_sponsor(org: Organisation, name: str, *, card: bool = True) -> User:
    user = await make_user(email=f"{name.lower()}@sponsor.example", name=name)
    await Sponsor.create(organisation=org, user_id=user.id, company_name=f"{name} Ltd",
                         contact_name=name, billing_email=user.email, country="KE",
                         payment_method_ref="pm_card_visa" if card else None)
    return user


async def replayed(org: Organisation, row: Auction) -> rules.State:
    records = await bidding.history(org, row.id)
    bids = [rules.Bid(r.sponsor_id, r.max_minor, r.placed_at) for r in records]
    return rules.final(bidding.lot_of(row), bids)


async def test_bids_are_recorded_with_their_outcomes_and_refusals_say_why(
        settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    row = await open_auction(org, campaign)
    amina, baraka = await make_sponsor(org, "Amina"), await make_sponsor(org, "Baraka")
    first = await bidding.place_bid(amina, org, campaign.slug, 15_000)
    assert (first.step.outcome, first.step.state.price_minor) == (rules.Outcome.LEADING, 10_000)
    second = await bidding.place_bid(baraka, org, campaign.slug, 20_000)
    assert (second.step.outcome, second.step.state.price_minor) == (rules.Outcome.LEADING,
                                                                 15_100)
    assert second.outbid == (await Sponsor.get(user_id=amina.id)).id   # Amina is told
    with pytest.raises(Invalid) as low:
        await bidding.place_bid(amina, org, campaign.slug, 15_000)
    assert low.value.code == "too_low"
    assert "$152.00" in gettext(low.value.fields["max_amount_minor"])   # 151.00 + 1.00
    with pytest.raises(Invalid) as lower:
        await bidding.place_bid(baraka, org, campaign.slug, 19_000)
    assert lower.value.code == "cannot_lower"
    outcomes = await BidRecord.filter(auction_id=row.id).order_by("number").values_list(
        "number", "outcome")
    assert outcomes == [(1, "leading"), (2, "leading"), (3, "too_low"), (4, "cannot_lower")]
    fresh = await Auction.get(id=row.id)
    assert (fresh.bids, fresh.leader_id, fresh.price_minor) == (4, second.record.sponsor_id,
                                                                15_100)
    assert await replayed(org, fresh) == bidding.standing_of(fresh)


async def test_no_card_no_sponsor_closed_and_not_open_are_refused(settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    row = await open_auction(org, campaign, status=AuctionStatus.SCHEDULED)
    cardless = await make_sponsor(org, "Cardless", card=False)
    stranger = await make_user(email="nobody@example.org")
    with pytest.raises(Invalid) as no_card:
        await bidding.place_bid(cardless, org, campaign.slug, 50_000)
    assert no_card.value.code == "no_card"
    with pytest.raises(Invalid) as no_sponsor:
        await bidding.place_bid(stranger, org, campaign.slug, 50_000)
    assert no_sponsor.value.code == "no_sponsor"
    ready = await make_sponsor(org, "Ready")
    with pytest.raises(Conflict) as not_open:
        await bidding.place_bid(ready, org, campaign.slug, 50_000)
    assert not_open.value.code == "not_open"
    past = now() - timedelta(seconds=1)
    await Auction.filter(id=row.id).update(status=AuctionStatus.OPEN, ends_at=past,
                                           scheduled_end=past)
    with pytest.raises(Conflict) as closed:
        await bidding.place_bid(ready, org, campaign.slug, 50_000)
    assert closed.value.code == "closed"
    outcomes = await BidRecord.filter(auction_id=row.id).order_by("number").values_list(
        "outcome", flat=True)
    assert outcomes == ["no_card", "not_open", "closed"]     # refusals are recorded too
    unverified = await make_user(email="new@sponsor.example", verified=False)
    with pytest.raises(Invalid) as not_yet:
        await bidding.place_bid(unverified, org, campaign.slug, 50_000)
    assert not_yet.value.code == "unverified"
    assert (await Auction.get(id=row.id)).leader_id is None


@pytest.mark.postgres_only
async def test_concurrent_bids_are_serialised_none_lost_and_the_history_replays(
        settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    row = await open_auction(org, campaign)
    sponsors = [await make_sponsor(org, f"Sponsor{n}") for n in range(20)]
    rng = random.Random(7)
    wanted = [(user, rng.randrange(10_000, 90_000, 100)) for user in sponsors for _ in
              range(3)]
    rng.shuffle(wanted)

    async def one(user: User, amount: int) -> str:
        try:
            return (await bidding.place_bid(user, org, campaign.slug, amount)).step.outcome
        except AppError as refused:
            return refused.code

    outcomes = await asyncio.gather(*[one(user, amount) for user, amount in wanted])
    numbers = await BidRecord.filter(auction_id=row.id).values_list("number", flat=True)
    assert sorted(numbers) == list(range(1, len(wanted) + 1))          # none lost or doubled
    fresh = await Auction.get(id=row.id)
    assert fresh.bids == len(wanted)
    assert await replayed(org, fresh) == bidding.standing_of(fresh)    # the history replays
    assert sorted(outcomes) == sorted(await BidRecord.filter(
        auction_id=row.id).values_list("outcome", flat=True))
    leaders = [o for o in outcomes if o == "leading"]
    assert leaders and fresh.leader_id is not None
    top = max(amount for _, amount in wanted)
    assert fresh.leader_max_minor == top                                # the highest wins


async def test_the_api_shows_the_standing_and_takes_bids(client: httpx.AsyncClient) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    row = await open_auction(org, campaign, reserve_minor=30_000)
    amina, baraka = await make_sponsor(org, "Amina"), await make_sponsor(org, "Baraka")
    base = f"/api/v1/orgs/{org.slug}/campaigns/{campaign.slug}"

    async def bid(user: User, amount: object) -> httpx.Response:
        _, secret = await create_api_token(user, "bids")
        return await client.post(base + "/bids", json={"max_amount_minor": amount},
                                 headers={"Authorization": f"Bearer {secret}"})

    shown = (await client.get(base + "/auction")).json()
    assert (shown["status"], shown["price_minor"], shown["leading_bidder"]) == (
        "open", None, None)
    assert shown["minimum_next_minor"] == 10_000 and not shown["reserve_met"]
    first = await bid(amina, 20_000)
    assert first.status_code == 201, first.text
    assert first.json()["outcome"] == "leading" and first.json()["price_minor"] == 10_000
    second = await bid(baraka, 40_000)
    assert second.json() == {"outcome": "leading", "price_minor": 30_000, "currency": "USD",
                             "ends_at": second.json()["ends_at"]}   # lifted to the reserve
    low = await bid(amina, 30_050)
    assert low.status_code == 422 and low.json()["error"]["code"] == "too_low"
    bad = await bid(amina, "lots")
    assert bad.status_code == 422 and "max_amount_minor" in bad.json()["error"]["fields"]
    after = (await client.get(base + "/auction")).json()
    assert (after["leading_bidder"], after["price_minor"], after["reserve_met"]) == (
        "Bidder 2", 30_000, True)
    assert "Amina" not in str(after) and "Baraka" not in str(after)
    await Auction.filter(id=row.id).update(status=AuctionStatus.CLOSING)
    closed = await bid(baraka, 90_000)
    assert closed.status_code == 409 and closed.json()["error"]["code"] == "closed"
    spec = (await client.get("/api/v1/openapi.json")).json()["paths"]
    assert "post" in spec[
        "/api/v1/orgs/{org}/campaigns/{slug}/bids"] and "get" in spec[
        "/api/v1/orgs/{org}/campaigns/{slug}/auction"]


@pytest.mark.postgres_only
async def test_rounds_from_several_processes_wait_for_the_row_lock(settings: Settings) -> None:
    """Each web process groups its own waiting bids into rounds; rounds from different
    processes meet at the auction's row lock. Here ten rounds of three bids run at once, as
    ten processes' would (each is one transaction on its own connection)."""
    org = await make_org()
    campaign = await make_campaign(org)
    row = await open_auction(org, campaign)
    sponsors = [await Sponsor.get(user_id=(await make_sponsor(org, f"P{n}")).id)
                for n in range(10)]
    loop = asyncio.get_running_loop()
    rounds = [[bidding._Waiting(org, sponsor.user_id, 10_000 + 500 * n + 100 * k, now(),
                                loop.create_future()) for k in range(3)]
              for n, sponsor in enumerate(sponsors)]
    await asyncio.gather(*[bidding._round(campaign.slug, batch) for batch in rounds])
    numbers = await BidRecord.filter(auction_id=row.id).values_list("number", flat=True)
    assert sorted(numbers) == list(range(1, 31))
    fresh = await Auction.get(id=row.id)
    assert fresh.bids == 30 and await replayed(org, fresh) == bidding.standing_of(fresh)


async def test_a_bidder_who_goes_away_holds_nobody_up(settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    row = await open_auction(org, campaign)
    users = [await make_sponsor(org, f"Quick{n}") for n in range(6)]
    tasks = [asyncio.create_task(bidding.place_bid(user, org, campaign.slug,
                                                   10_000 + 1_000 * n))
             for n, user in enumerate(users)]
    await asyncio.sleep(0.01)                  # some are waiting for their round by now
    tasks[0].cancel()                          # a client that disconnects
    results = await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), 10)
    # everyone else got an answer (placed, or refused as too low: the order is the race's)
    assert all(isinstance(r, (bidding.Placed, AppError)) for r in results[1:]), results
    records = await BidRecord.filter(auction_id=row.id).count()
    assert records in (5, 6)      # the one that went away was placed, or never was
    fresh = await Auction.get(id=row.id)
    assert fresh.bids == records and await replayed(org, fresh) == bidding.standing_of(fresh)
