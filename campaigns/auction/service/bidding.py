"""Placing bids: one at a time per auction. Each bid locks the auction's row (PostgreSQL; one
connection serialises SQLite), runs the pure rules (campaigns/auction.py) against the
standing stored on the row, records the bid with its outcome and the standing after it, and
stores the new standing, in one transaction. A refused bid is recorded too, then reported.
So no two concurrent bids can both win, none is lost, and replaying the records in their
numbers' order gives the standing on the row. Bids arriving together share a transaction
(see _drain): the lock is the bottleneck, so it is taken once for as many bids as wait."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from app import queue, timefmt
from app.accounts.models import User
from app.db import atomic
from app.errors import Conflict, Invalid, NotFound
from app.i18n import Msg
from app.i18n import lazy_gettext as _l
from app.money import format_money
from app.orgs.models import Organisation
from app.tenancy import get_scoped, scoped
from campaigns.auction import rules
from campaigns.auction.models import Auction, BidRecord, Sponsor
from campaigns.auction.service.sponsors import account as sponsor_account
from campaigns.auction.statuses import AuctionStatus
from campaigns.campaign.models import Campaign

NO_CARD = _l("Save a card before bidding: the winner is charged when the auction closes.")
NO_SPONSOR = _l("Create your sponsor account before bidding.")
UNVERIFIED = _l("Verify your email address before bidding: the link is in the mail we sent.")


def lot_of(row: Auction) -> rules.Lot:
    return rules.Lot(
        starting_minor=row.starting_minor,
        increments=tuple((int(start), int(step)) for start, step in row.increments),
        starts_at=row.starts_at, ends_at=row.scheduled_end,
        soft_close=timedelta(seconds=row.soft_close_seconds),
        reserve_minor=row.reserve_minor, buy_now_minor=row.buy_now_minor)


def standing_of(row: Auction) -> rules.State:
    return rules.State(ends_at=row.ends_at, leader=row.leader_id,
                       leader_max=row.leader_max_minor, price_minor=row.price_minor,
                       bought_now=row.bought_now)


@dataclass(frozen=True)
class Placed:
    step: rules.Step            # the outcome, and the standing just after this bid
    record: BidRecord
    auction: Auction            # the row (its currency and rules; its standing may be later)
    outbid: int | None          # the sponsor who lost the lead to this bid, to tell them


@dataclass(frozen=True)
class _Waiting:
    org: Organisation | str     # or its slug: the round looks it up once for all its bids
    user_id: int                # their sponsor account is read with the round's others
    max_minor: int
    at: datetime
    done: asyncio.Future[Placed]


# Bids waiting for their auction's next transaction, in this process, by event loop and
# auction. One drainer task per auction (not any request's: a request that goes away cancels
# only its own wait) takes every waiting bid each round: one row lock, every bid applied in
# arrival order, their records written in one statement and the standing once, one commit
# (group commit). Other processes' rounds wait for the same row lock, so the rules still see
# one bid at a time.
_waiting: dict[tuple[int, str, str], list[_Waiting]] = {}
_drainers: dict[tuple[int, str, str], asyncio.Task[None]] = {}
async def place_bid(user: User, org: Organisation | str, campaign_slug: str, max_minor: int,
                    at: datetime | None = None) -> Placed:
    """Record the bid and its outcome; Invalid (422, code below_start, too_low,
    cannot_lower, no_card) or Conflict (409, code closed or not_open) when refused —
    after the refusal is recorded. A user without a sponsor account (no_sponsor) or
    without a verified email (unverified) is refused before: there is no bid to record."""
    if not user.is_verified:
        raise Invalid(UNVERIFIED, code="unverified")
    loop = asyncio.get_running_loop()
    # the round finds the organisation (given by slug) and the auction, as it locks it
    key = (id(loop), org if isinstance(org, str) else org.slug, campaign_slug)
    waiting = _Waiting(org, user.id, max_minor, at or timefmt.now(), loop.create_future())
    _waiting.setdefault(key, []).append(waiting)
    drainer = _drainers.get(key)
    if drainer is None or drainer.done():
        _drainers[key] = loop.create_task(_drain(key))
    placed = await waiting.done
    _refusal(placed)
    return placed


async def _drain(key: tuple[int, str, str]) -> None:
    try:
        while batch := _waiting.pop(key, []):
            live = [w for w in batch if not w.done.done()]   # a cancelled wait: not placed
            if not live:
                continue
            try:
                results = await _round(key[2], live)
            except Exception as error:
                for waiting in live:
                    if not waiting.done.done():
                        waiting.done.set_exception(error)
            else:
                for waiting, placed in zip(live, results, strict=True):
                    if waiting.done.done():      # its request may have gone away
                        continue
                    if isinstance(placed, Exception):
                        waiting.done.set_exception(placed)
                    else:
                        waiting.done.set_result(placed)
    finally:
        if _drainers.get(key) is asyncio.current_task():
            del _drainers[key]


async def _round(campaign_slug: str, batch: list[_Waiting]) -> list[Placed | Invalid]:
    """One transaction for the batch, in arrival order; a bidder without a sponsor account
    gets the refusal (nothing to record: a bid is a sponsor's). The auction is found and
    locked in one statement (its row only, not the campaign's)."""
    org = batch[0].org
    if isinstance(org, str):
        found = await Organisation.get_or_none(slug=org)
        if found is None:
            raise NotFound()
        org = found
    sponsors = {sponsor.user_id: sponsor for sponsor in await scoped(Sponsor, org).filter(
        user_id__in=list({w.user_id for w in batch}))}
    async with atomic():
        row = await scoped(Auction, org).filter(campaign__slug=campaign_slug).select_for_update(
            of=(Auction._meta.db_table,)).get_or_none()
        if row is None:
            raise NotFound()
        results: list[Placed | Invalid] = [
            _apply(row, sponsors[w.user_id], w.max_minor, w.at) if w.user_id in sponsors
            else Invalid(NO_SPONSOR, code="no_sponsor") for w in batch]
        placed_now = [placed for placed in results if isinstance(placed, Placed)]
        await BidRecord.bulk_create([placed.record for placed in placed_now])
        await row.save(update_fields=["bids", "leader_id", "leader_max_minor", "price_minor",
                                      "ends_at", "bought_now", "updated_at"])
        for lost in dict.fromkeys(p.outbid for p in placed_now if p.outbid is not None):
            if lost != row.leader_id:  # told at once, after the commit, unless back in front
                await queue.enqueue("tell_outbid", row.id, lost)
    return results


def _apply(row: Auction, sponsor: Sponsor, max_minor: int, at: datetime) -> Placed:
    """One bid against the row's standing, in memory: the row and a record to write."""
    before = standing_of(row)
    if sponsor.payment_method_ref is None:   # recorded like any refusal, then reported
        step = rules.Step(rules.Bid(sponsor.id, max_minor, at), rules.Outcome.NO_CARD, before)
    elif row.status is not AuctionStatus.OPEN:
        step = rules.Step(rules.Bid(sponsor.id, max_minor, at),
                          rules.Outcome.NOT_OPEN if row.status is AuctionStatus.SCHEDULED
                          else rules.Outcome.CLOSED, before)
    else:
        step = rules.place(lot_of(row), before, rules.Bid(sponsor.id, max_minor, at))
    after = step.state
    row.bids += 1
    record = BidRecord(
        organisation_id=row.organisation_id, auction_id=row.id, number=row.bids,
        sponsor_id=sponsor.id, max_minor=max_minor, outcome=step.outcome.value,
        leader_id=after.leader, price_minor=after.price_minor, ends_at=after.ends_at,
        placed_at=at)
    row.leader_id, row.leader_max_minor, row.price_minor = (
        after.leader, after.leader_max, after.price_minor)
    row.ends_at, row.bought_now = after.ends_at, after.bought_now
    lost = before.leader if (before.leader not in (None, after.leader)) else None
    return Placed(step, record, row, lost)


def _refusal(placed: Placed) -> None:
    outcome, row = placed.step.outcome, placed.auction
    if outcome in rules.ACCEPTED:
        return
    if outcome is rules.Outcome.CLOSED:
        raise Conflict(_l("The auction is closed."), code="closed")
    if outcome is rules.Outcome.NOT_OPEN:
        raise Conflict(_l("The auction has not opened yet."), code="not_open")
    if outcome is rules.Outcome.NO_CARD:
        raise Invalid(NO_CARD, code="no_card")
    least = placed.step.state.minimum_next(lot_of(row))
    messages = {
        rules.Outcome.BELOW_START: _l("The first bid must be at least the starting price, "
                                      "%(amount)s."),
        rules.Outcome.TOO_LOW: _l("Bid at least %(amount)s: the price plus one increment."),
        rules.Outcome.CANNOT_LOWER: _l("You lead with a higher maximum: it can only go up, "
                                       "above %(amount)s."),
    }
    amount = (placed.step.state.leader_max if outcome is rules.Outcome.CANNOT_LOWER
              else least)
    text = Msg(messages[outcome], amount=format_money(amount, row.currency))
    raise Invalid(text, code=outcome.value, fields={"max_amount_minor": text})


async def history(org: Organisation, auction_id: int) -> list[BidRecord]:
    return await scoped(BidRecord, org).filter(auction_id=auction_id).order_by("number")


@dataclass(frozen=True)
class Standing:
    """An auction as bidders see it: never a sponsor's name, a number by first bid."""

    auction: Auction
    leader_number: int | None
    you_lead: bool
    reserve_met: bool
    minimum_next_minor: int


async def standing(org: Organisation, campaign_slug: str, user: User | None) -> Standing:
    campaign = await get_scoped(Campaign, org, slug=campaign_slug)
    row = await scoped(Auction, org).get_or_none(campaign_id=campaign.id)
    if row is None:
        raise NotFound()
    accepted = await scoped(BidRecord, org).filter(
        auction_id=row.id, outcome__in=[o.value for o in rules.ACCEPTED]
    ).order_by("number").values_list("sponsor_id", flat=True)
    numbers = rules.labels(accepted)  # type: ignore[arg-type]
    sponsor = await scoped(Sponsor, org).get_or_none(user_id=user.id) if user else None
    state = standing_of(row)
    return Standing(row, numbers.get(row.leader_id) if row.leader_id else None,
                    sponsor is not None and sponsor.id == row.leader_id,
                    state.reserve_met(lot_of(row)), state.minimum_next(lot_of(row)))


@dataclass(frozen=True)
class PublicBid:
    number: int                 # the bidder's public number, never their name
    price_minor: int
    at: datetime
    outcome: str


async def public_history(org: Organisation, auction_id: int) -> list[PublicBid]:
    """Accepted bids, newest first, as anyone may see them."""
    records = await scoped(BidRecord, org).filter(
        auction_id=auction_id, outcome__in=[o.value for o in rules.ACCEPTED]).order_by("number")
    numbers = rules.labels(r.sponsor_id for r in records)
    return [PublicBid(numbers[r.sponsor_id], r.price_minor, r.placed_at, r.outcome)
            for r in reversed(records)]


@dataclass(frozen=True)
class AuctionPage:
    """What the auction's page shows: the standing (the viewer's own bid among it), the
    bids so far by number, and the viewer's sponsor account if they have one."""

    standing: Standing
    history: list[PublicBid]
    sponsor: Sponsor | None


async def auction_page(org: Organisation, campaign_slug: str, user: User | None
                       ) -> AuctionPage:
    found = await standing(org, campaign_slug, user)
    sponsor = await sponsor_account(user, org) if user is not None else None
    return AuctionPage(found, await public_history(org, found.auction.id), sponsor)
