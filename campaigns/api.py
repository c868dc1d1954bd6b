"""Campaign endpoints of the JSON API: public figures and the auction's standing for anyone,
staff create and move, sponsors bid."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.accounts.models import User
from app.api import api_user, json_body, respond
from app.tenancy import membership_for, organisation
from app.web import settings_of
from campaigns.models import Campaign
from campaigns.schemas import (
    ActionIn,
    AuctionOut,
    BidIn,
    BidOut,
    BroadcastActionIn,
    BroadcastOut,
    CampaignIn,
    CampaignOut,
)
from campaigns.service import bidding, broadcast_control, campaigns, reach
from campaigns.service.broadcast_report import Report


async def campaign_out(campaign: Campaign) -> CampaignOut:
    org = await campaign.organisation
    figures = await reach.figures(org, campaign.id)
    return CampaignOut(slug=campaign.slug, status=campaign.status, title=campaign.title,
                       pledges=figures.pledges, reach=figures.reach,
                       quality_reach=figures.quality_reach, goal=campaign.reach_goal,
                       ends_at=campaign.pledge_closes_at, broadcast_at=campaign.broadcast_at,
                       networks=campaign.networks)


async def get_campaign(request: Request) -> Response:
    org = await organisation(request.path_params["org"])
    return respond(await campaign_out(await campaigns.public_campaign(
        org, request.path_params["slug"])))


async def create_campaign(request: Request) -> Response:
    membership = await membership_for(api_user(request), request.path_params["org"])
    campaign = await campaigns.create_campaign(membership, await json_body(request, CampaignIn))
    return respond(await campaign_out(campaign), status_code=201)


async def move_campaign(request: Request) -> Response:
    membership = await membership_for(api_user(request), request.path_params["org"])
    data = await json_body(request, ActionIn)
    campaign = await campaigns.move(membership, request.path_params["slug"], data.action)
    return respond(await campaign_out(campaign))


def auction_out(found: bidding.Standing) -> AuctionOut:
    row = found.auction
    return AuctionOut(
        status=row.status, currency=row.currency, starting_minor=row.starting_minor,
        price_minor=row.price_minor if row.leader_id else None,
        minimum_next_minor=found.minimum_next_minor,
        leading_bidder=f"Bidder {found.leader_number}" if found.leader_number else None,
        you_lead=found.you_lead, reserve_met=found.reserve_met, bids=row.bids,
        starts_at=row.starts_at, ends_at=row.ends_at)


async def get_auction(request: Request) -> Response:
    org = await organisation(request.path_params["org"])
    user = request.scope.get("user")
    return respond(auction_out(await bidding.standing(
        org, request.path_params["slug"], user if isinstance(user, User) else None)))


async def place_bid(request: Request) -> Response:
    """The organisation goes by its slug: bids arriving together look it up once."""
    user = api_user(request)
    data = await json_body(request, BidIn)
    placed = await bidding.place_bid(user, request.path_params["org"],
                                     request.path_params["slug"], data.max_amount_minor)
    after = placed.step.state
    return respond(BidOut(outcome=placed.step.outcome.value, price_minor=after.price_minor,
                          currency=placed.auction.currency, ends_at=after.ends_at),
                   status_code=201)


def broadcast_out(found: Report) -> BroadcastOut:
    row = found.broadcast
    return BroadcastOut(
        status=row.status, network=row.network, assisted=row.assisted, post_id=row.post_ref,
        scheduled_at=row.scheduled_at, started_at=found.started_at,
        finished_at=found.finished_at,
        duration_seconds=found.duration.total_seconds() if found.duration else None,
        counts=found.counts, reasons=found.reasons,
        delivered_followers=found.delivered_followers, per_second=found.per_second,
        seconds_left=found.seconds_left, links_opened=found.links_opened,
        stop_reason=row.stop_reason)


async def get_broadcast(request: Request) -> Response:
    membership = await membership_for(api_user(request), request.path_params["org"])
    return respond(broadcast_out(await broadcast_control.staff_report(
        membership, request.path_params["slug"])))


async def control_broadcast(request: Request) -> Response:
    membership = await membership_for(api_user(request), request.path_params["org"])
    data = await json_body(request, BroadcastActionIn)
    slug = request.path_params["slug"]
    await broadcast_control.control(membership, slug, data.action, settings_of(request))
    return respond(broadcast_out(await broadcast_control.staff_report(membership, slug)),
                   status_code=202)
