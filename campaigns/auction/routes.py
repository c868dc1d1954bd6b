"""The auction package's routes: its pages and its JSON API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from campaigns.auction import api as auction_api
from campaigns.auction.schemas import AuctionOut, BidIn, BidOut
from campaigns.auction.views import sponsors as sponsor_views
from campaigns.auction.views import webhooks as payment_views
from campaigns.campaign.api import CAMPAIGNS

PAGES: list[BaseRoute] = [
    Route("/o/{org:slug}/campaigns/{slug:slug}/auction", sponsor_views.auction_page,
          methods=["GET", "POST"], name="campaigns:auction"),
    Route("/o/{org:slug}/sponsor", sponsor_views.sponsor_account, methods=["GET", "POST"],
          name="campaigns:sponsor"),
    Route("/o/{org:slug}/sponsor/card", sponsor_views.card_page, methods=["GET", "POST"],
          name="campaigns:card"),
    Route("/o/{org:slug}/sponsor/card/done", sponsor_views.card_done,
          name="campaigns:card_done"),
    Route("/o/{org:slug}/sponsor/payments/{attempt_id:id}", sponsor_views.payment_page,
          methods=["GET", "POST"], name="campaigns:payment"),
    Route("/webhooks/stripe", payment_views.stripe_webhook, methods=["POST"],
          name="campaigns:stripe_webhook"),
]

API: list[BaseRoute] = [
    api_route(CAMPAIGNS + "/{slug:slug}/auction", auction_api.get_auction, method="GET",
              name="api:get_auction",
              spec=ApiSpec("The auction's standing: price, leading bidder (by number), reserve "
                           "met, end (moved by soft close), status", response=AuctionOut,
                           public=True)),
    api_route(CAMPAIGNS + "/{slug:slug}/bids", auction_api.place_bid, method="POST",
              name="api:place_bid",
              spec=ApiSpec("Bid a maximum (a sponsor with a card on file); 422 below_start, "
                           "too_low, cannot_lower, no_card; 409 closed, not_open",
                           body=BidIn, response=BidOut, status_code=201)),
]
