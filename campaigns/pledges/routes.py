"""The pledges package's routes: its pages and its JSON API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from campaigns.pledges import views

PAGES: list[BaseRoute] = [
    Route("/campaigns", views.directory, name="campaigns:directory"),
    Route("/o/{org:slug}/campaigns/{slug:slug}", views.campaign_page, name="campaigns:page"),
    Route("/o/{org:slug}/campaigns/{slug:slug}/connect/{network}", views.connect_account,
          name="campaigns:connect"),
    Route("/campaigns/callback/{network}", views.callback, name="campaigns:callback"),
    Route("/pledges/{token}/repost", views.repost_link, methods=["GET", "POST"],
          name="campaigns:repost"),
    Route("/pledges/{token}", views.pledge_page, methods=["GET", "POST"],
          name="campaigns:pledge"),
    Route("/o/{org:slug}/campaigns/{slug:slug}/image", views.image, name="campaigns:image"),
]

API: list[BaseRoute] = []
