"""The campaigns' routes: the staff's campaign pages here, then each package's pages and API
endpoints, and the public pages served from a short cache (app/registry.py names this
module)."""

from __future__ import annotations

import re

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from campaigns.auction import routes as auction
from campaigns.broadcast import routes as broadcast
from campaigns.campaign import api
from campaigns.campaign import views as staff_views
from campaigns.campaign.api import CAMPAIGNS
from campaigns.campaign.schemas import ActionIn, CampaignIn, CampaignOut
from campaigns.pledges import routes as pledges

# The campaign page is what a supporter shares: served from memory, at most 2 s old.
CACHEABLE = (re.compile(r"/o/[a-z0-9-]+/campaigns/[a-z0-9-]+"),)

OWN_PAGES: list[BaseRoute] = [
    Route("/o/{org:slug}/manage/campaigns", staff_views.campaign_list, methods=["GET", "POST"],
          name="campaigns:manage"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/auction", staff_views.auction_setup,
          methods=["GET", "POST"], name="campaigns:auction_setup"),
    Route("/o/{org:slug}/manage/campaigns/new", staff_views.new_campaign,
          methods=["GET", "POST"], name="campaigns:new"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/transition", staff_views.move_campaign,
          methods=["POST"], name="campaigns:move"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/image", staff_views.upload_image,
          methods=["POST"], name="campaigns:upload_image"),
]

OWN_API: list[BaseRoute] = [
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
]


PACKAGES = (pledges, auction, broadcast)
PAGES: list[BaseRoute] = [*(route for package in PACKAGES for route in package.PAGES), *OWN_PAGES]
API: list[BaseRoute] = [*OWN_API, *(route for package in PACKAGES for route in package.API)]
