"""The auction in the JSON API: its standing for anyone, bids for sponsors."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.accounts.models import User
from app.api import api_user, json_body, respond
from app.tenancy import organisation
from campaigns.auction.schemas import AuctionOut, BidIn, BidOut
from campaigns.auction.service import bidding


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
