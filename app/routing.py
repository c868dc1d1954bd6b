"""The route table: app's own pages, then each domain's routes (app/registry.py), the API
under /api/v1, static files, and in development the routes of the simulators."""

from __future__ import annotations

import importlib
import re
from types import ModuleType

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from app import pages
from app.accounts import routes as accounts
from app.openapi import openapi_json
from app.orgs import routes as orgs
from app.registry import DEVELOPMENT_ROUTE_MODULES, ROUTE_MODULES
from app.settings import ROOT, Settings


def _domains() -> list[ModuleType]:
    return [importlib.import_module(name) for name in ROUTE_MODULES]


def cacheable_paths() -> list[re.Pattern[str]]:
    """Public pages served from a short-lived cache to anonymous visitors."""
    return [pattern for domain in _domains() for pattern in domain.CACHEABLE]


def _development(settings: Settings | None) -> list[BaseRoute]:
    """The X simulator inside the app, so `make run` shows the whole journey offline; never
    in production (settings refuse x_simulator there)."""
    if settings is None or not settings.x_simulator:
        return []
    return [route for name in DEVELOPMENT_ROUTE_MODULES
            for route in importlib.import_module(name).routes(settings)]


def routes(settings: Settings | None = None) -> list[BaseRoute]:
    domains = _domains()
    return [
        Route("/", pages.landing, name="landing"),
        Route("/home", pages.home, name="home"),
        Route("/healthz", pages.healthz, name="healthz"),
        Route("/readyz", pages.readyz, name="readyz"),
        *accounts.PAGES,
        *orgs.PAGES,
        *(route for domain in domains for route in domain.PAGES),
        Mount("/api/v1", routes=[
            Route("/openapi.json", openapi_json, name="openapi"),
            *accounts.API,
            *orgs.API,
            *(route for domain in domains for route in domain.API),
        ], name="api"),
        Mount("/static", StaticFiles(directory=ROOT / "static"), name="static"),
        *_development(settings),
    ]
