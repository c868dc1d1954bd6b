"""Routes of the campaign pages and API endpoints."""

from __future__ import annotations

import re

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from campaigns import api
from campaigns import views as staff_views
from campaigns.auction import api as auction_api
from campaigns.auction.schemas import AuctionOut, BidIn, BidOut
from campaigns.auction.views import sponsors as sponsor_views
from campaigns.auction.views import webhooks as payment_views
from campaigns.broadcast import api as broadcast_api
from campaigns.broadcast.schemas import BroadcastActionIn, BroadcastOut
from campaigns.broadcast.views import message as message_views
from campaigns.broadcast.views import progress as broadcast_views
from campaigns.pledges import views
from campaigns.schemas import ActionIn, CampaignIn, CampaignOut

# The campaign page is what a supporter shares: served from memory, at most 2 s old.
CACHEABLE = (re.compile(r"/o/[a-z0-9-]+/campaigns/[a-z0-9-]+"),)

PAGES: list[BaseRoute] = [
    Route("/campaigns", views.directory, name="campaigns:directory"),
    Route("/o/{org:slug}/campaigns/{slug:slug}", views.campaign_page, name="campaigns:page"),
    Route("/o/{org:slug}/campaigns/{slug:slug}/connect/{network}", views.connect_account,
          name="campaigns:connect"),
    Route("/campaigns/callback/{network}", views.callback, name="campaigns:callback"),
    Route("/o/{org:slug}/campaigns/{slug:slug}/auction", sponsor_views.auction_page,
          methods=["GET", "POST"], name="campaigns:auction"),
    Route("/o/{org:slug}/campaigns/{slug:slug}/message", message_views.sponsor_message,
          methods=["GET", "POST"], name="campaigns:message"),
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
    Route("/pledges/{token}/repost", views.repost_link, methods=["GET", "POST"],
          name="campaigns:repost"),
    Route("/pledges/{token}", views.pledge_page, methods=["GET", "POST"],
          name="campaigns:pledge"),
    Route("/o/{org:slug}/manage/campaigns", staff_views.campaign_list, methods=["GET", "POST"],
          name="campaigns:manage"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/auction", staff_views.auction_setup,
          methods=["GET", "POST"], name="campaigns:auction_setup"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/message", message_views.staff_message,
          methods=["GET", "POST"], name="campaigns:message_review"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/broadcast/connect",
          broadcast_views.connect_publisher, methods=["POST"],
          name="campaigns:connect_publisher"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/broadcast",
          broadcast_views.staff_broadcast, methods=["GET", "POST"],
          name="campaigns:broadcast"),
    Route("/o/{org:slug}/manage/campaigns/new", staff_views.new_campaign,
          methods=["GET", "POST"], name="campaigns:new"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/transition", staff_views.move_campaign,
          methods=["POST"], name="campaigns:move"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/image", staff_views.upload_image,
          methods=["POST"], name="campaigns:upload_image"),
    Route("/o/{org:slug}/campaigns/{slug:slug}/image", views.image, name="campaigns:image"),
]


CAMPAIGNS = "/orgs/{org:slug}/campaigns"

API: list[BaseRoute] = [
    api_route(CAMPAIGNS + "/{slug:slug}", api.get_campaign, method="GET",
              name="api:get_campaign",
              spec=ApiSpec("A campaign's public figures: pledges, reach, quality reach, goal",
                           response=CampaignOut, public=True)),
    api_route(CAMPAIGNS, api.create_campaign, method="POST", name="api:create_campaign",
              spec=ApiSpec("Create a campaign (staff)", body=CampaignIn, response=CampaignOut,
                           status_code=201)),
    api_route(CAMPAIGNS + "/{slug:slug}/transition", api.move_campaign, method="POST",
              name="api:move_campaign",
              spec=ApiSpec("Move a campaign through its lifecycle (staff)", body=ActionIn,
                           response=CampaignOut)),
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
    api_route(CAMPAIGNS + "/{slug:slug}/broadcast", broadcast_api.get_broadcast, method="GET",
              name="api:get_broadcast",
              spec=ApiSpec("The broadcast's live counts and report (staff)",
                           response=BroadcastOut)),
    api_route(CAMPAIGNS + "/{slug:slug}/broadcast", broadcast_api.control_broadcast, method="POST",
              name="api:control_broadcast",
              spec=ApiSpec("Start the broadcast now, or pause, resume or abort it (staff); "
                           "409 when it cannot", body=BroadcastActionIn,
                           response=BroadcastOut, status_code=202)),
]

