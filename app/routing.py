"""The route table: the only place app/ names the domains' route lists."""

from __future__ import annotations

import re

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from app import pages
from app.accounts import routes as accounts
from app.openapi import openapi_json
from app.orgs import routes as orgs
from app.settings import ROOT, Settings
from campaigns import routes as campaigns
from grants import routes as grants


def cacheable_paths() -> list[re.Pattern[str]]:
    """Public pages served from a short-lived cache to anonymous visitors."""
    return [*campaigns.CACHEABLE, *grants.CACHEABLE]


def routes(settings: Settings | None = None) -> list[BaseRoute]:
    return [
        Route("/", pages.landing, name="landing"),
        Route("/home", pages.home, name="home"),
        Route("/healthz", pages.healthz, name="healthz"),
        Route("/readyz", pages.readyz, name="readyz"),
        *accounts.PAGES,
        *orgs.PAGES,
        *grants.PAGES,
        *campaigns.PAGES,
        Mount("/api/v1", routes=[
            Route("/openapi.json", openapi_json, name="openapi"),
            *accounts.API,
            *orgs.API,
            *grants.API,
            *campaigns.API,
        ], name="api"),
        Mount("/static", StaticFiles(directory=ROOT / "static"), name="static"),
        *(campaigns.development_routes(settings) if settings and settings.x_simulator else []),
    ]
