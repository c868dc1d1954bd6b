"""The funds package's routes: its pages and its JSON API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from grants.funds import views as funds
from grants.shared.web import GET_POST, ORG

PAGES: list[BaseRoute] = [
    Route(ORG + "/funds", funds.fund_list, methods=GET_POST, name="grants:funds"),
    Route(ORG + "/funds/{fund_id:id}", funds.fund_page, methods=GET_POST, name="grants:fund"),
]

API: list[BaseRoute] = []
