"""The broadcast package's routes: its pages and its JSON API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from campaigns.broadcast import api as broadcast_api
from campaigns.broadcast.schemas import BroadcastActionIn, BroadcastOut
from campaigns.broadcast.views import message as message_views
from campaigns.broadcast.views import progress as broadcast_views
from campaigns.campaign.api import CAMPAIGNS

PAGES: list[BaseRoute] = [
    Route("/o/{org:slug}/campaigns/{slug:slug}/message", message_views.sponsor_message,
          methods=["GET", "POST"], name="campaigns:message"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/message", message_views.staff_message,
          methods=["GET", "POST"], name="campaigns:message_review"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/broadcast/connect",
          broadcast_views.connect_publisher, methods=["POST"],
          name="campaigns:connect_publisher"),
    Route("/o/{org:slug}/manage/campaigns/{slug:slug}/broadcast",
          broadcast_views.staff_broadcast, methods=["GET", "POST"],
          name="campaigns:broadcast"),
]

API: list[BaseRoute] = [
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
