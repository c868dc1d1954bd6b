"""Staff set up a campaign's auction (the lot's rules, changeable until it opens); a job opens
it at its start — the campaign goes to auction — and schedules the closing job."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app import audit, queue, timefmt
from app.db import atomic
from app.errors import Conflict, Invalid, NotFound
from app.i18n import Msg
from app.i18n import lazy_gettext as _l
from app.money import to_major_text
from app.orgs.models import Membership, Organisation
from app.tenancy import get_locked, get_scoped, scoped
from campaigns.auction.models import Auction
from campaigns.auction.schemas import AuctionIn
from campaigns.auction.service.moves import move_auction
from campaigns.auction.service.settlement import PAY_WITHIN, schedule_close
from campaigns.auction.statuses import AuctionStatus
from campaigns.broadcast.service.messages import WRITING_HOURS, approval_deadline
from campaigns.campaign.lifecycle import Actor
from campaigns.campaign.models import Campaign
from campaigns.campaign.service import apply as apply_to_campaign
from campaigns.campaign.service import require_staff
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.service import pledges as pledging
from grants import funds

STARTED = _l("The auction has opened: its rules can no longer change.")


def suggested_reserve(quality_reach: int, per_thousand_minor: int) -> int:
    """A reserve from the reach a sponsor buys: quality followers times a price per 1,000."""
    return quality_reach * per_thousand_minor // 1000


async def currency_of(org: Organisation, campaign: Campaign) -> str:
    """The auction is in the currency of the fund its proceeds go to."""
    fund = next((f for f in await funds.list_funds(org) if f.id == campaign.fund_id), None)
    if fund is None:
        raise NotFound()
    return fund.currency


def latest_end(campaign: Campaign) -> datetime:
    """The latest an auction may end: then the winner's time to pay, a day to write the
    post, and the approval deadline (the notice period before the broadcast)."""
    return approval_deadline(campaign) - PAY_WITHIN - timedelta(hours=WRITING_HOURS)


async def set_up(membership: Membership, slug: str, data: AuctionIn) -> Auction:
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        campaign = await get_locked(Campaign, org, slug=slug)
        row = await scoped(Auction, org).select_for_update().get_or_none(
            campaign_id=campaign.id)
        if row is not None and row.status is not AuctionStatus.SCHEDULED:
            raise Conflict(STARTED, code="auction_started")
        latest = latest_end(campaign)
        if data.ends_at > latest:
            raise Invalid(fields={"ends_at": Msg(_l(
                "End the auction by %(when)s: the winner has two days to pay and one to write "
                "the post, which supporters receive before the broadcast."),
                when=timefmt.format_datetime(latest, org.timezone))})
        reserve = data.reserve_minor
        if reserve is None and data.price_per_thousand_minor:
            figures = await pledging.figures(org, campaign.id)
            reserve = suggested_reserve(figures.quality_reach, data.price_per_thousand_minor)
        values: dict[str, Any] = {
            "currency": await currency_of(org, campaign), "starting_minor": data.starting_minor,
            "reserve_minor": reserve or None, "buy_now_minor": data.buy_now_minor,
            "increments": [list(band) for band in data.increments],
            "starts_at": data.starts_at, "scheduled_end": data.ends_at,
            "ends_at": data.ends_at, "soft_close_seconds": data.soft_close_minutes * 60}
        if row is None:
            row = await Auction.create(organisation_id=org.id, campaign_id=campaign.id,
                                       **values)
        else:
            row.update_from_dict(values)
            await row.save()
        await audit.record(verb="auction.set_up", obj=row, actor_id=membership.user_id,
                           organisation_id=org.id, changed=list(values))
        await queue.enqueue("open_auction", row.id, defer_until=row.starts_at,
                            job_id=f"open-auction:{row.id}:{int(row.starts_at.timestamp())}")
    return row


async def open_due(auction_id: int) -> AuctionStatus | None:
    """The opening job: at the start, open the lot and put the campaign to auction. Locks
    the campaign, then the auction — the order every use case takes them in."""
    found = await Auction.get_or_none(id=auction_id)  # unscoped: a job, by id
    if found is None:
        return None
    org = await Organisation.get(id=found.organisation_id)
    async with atomic():
        campaign = await scoped(Campaign, org).select_for_update().get(id=found.campaign_id)
        row = await scoped(Auction, org).select_for_update().get(id=auction_id)
        if row.status is not AuctionStatus.SCHEDULED or timefmt.now() < row.starts_at:
            return row.status              # opened already, or moved later since queued
        if campaign.status not in (CampaignStatus.PLEDGING, CampaignStatus.AUCTION):
            return row.status              # a draft, or cancelled: nothing to sell
        await move_auction(row, "open")
        if campaign.status is CampaignStatus.PLEDGING:
            await apply_to_campaign(org, campaign, "start_auction", Actor.SYSTEM, None)
        await schedule_close(row)
    return row.status


@dataclass(frozen=True)
class Setup:
    campaign: Campaign
    auction: Auction | None
    currency: str
    quality_reach: int


async def setup_view(membership: Membership, slug: str) -> Setup:
    require_staff(membership)
    org = membership.organisation
    campaign = await get_scoped(Campaign, org, slug=slug)
    return Setup(campaign, await scoped(Auction, org).get_or_none(campaign_id=campaign.id),
                 await currency_of(org, campaign),
                 (await pledging.figures(org, campaign.id)).quality_reach)


def form_values(found: Setup, timezone: str, default_bands: str) -> dict[str, Any]:
    """The staff form's values: the saved lot, or a start for a new one."""
    row, currency = found.auction, found.currency
    zone = ZoneInfo(timezone)

    def local(moment: datetime) -> str:
        return moment.astimezone(zone).strftime("%Y-%m-%dT%H:%M")

    if row is None:
        return {"timezone": timezone, "soft_close_minutes": "5", "increments": default_bands}
    return {
        "timezone": timezone, "starting_minor": to_major_text(row.starting_minor, currency),
        "reserve_minor": to_major_text(row.reserve_minor, currency) if row.reserve_minor
        else "", "buy_now_minor": to_major_text(row.buy_now_minor, currency)
        if row.buy_now_minor else "",
        "increments": "\n".join(f"{to_major_text(start, currency)} "
                                f"{to_major_text(step, currency)}"
                                for start, step in row.increments),
        "starts_at": local(row.starts_at), "ends_at": local(row.scheduled_end),
        "soft_close_minutes": str(row.soft_close_seconds // 60)}


async def open_due_auctions() -> list[int]:
    """Belt and braces for the opening job (lost, or a demo loaded without a worker): open
    every auction whose start has come. Idempotent. Returns the ids it looked at."""
    ids: list[int] = await Auction.filter(  # type: ignore[assignment]  # unscoped: periodic
        status=AuctionStatus.SCHEDULED, starts_at__lte=timefmt.now()).values_list(
        "id", flat=True)
    for auction_id in ids:
        await open_due(auction_id)
    return ids


async def due_to_close() -> list[int]:
    """Auctions past their end that are not settled: the closing job's work is idempotent."""
    ids: list[int] = await Auction.filter(  # type: ignore[assignment]  # unscoped: periodic
        status__in=[AuctionStatus.OPEN, AuctionStatus.CLOSING, AuctionStatus.WON],
        ends_at__lte=timefmt.now()).values_list("id", flat=True)
    return ids
