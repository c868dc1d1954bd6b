"""The calls package's routes: its pages and its JSON API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from grants.calls import api as call_api
from grants.calls import views as calls
from grants.calls.schemas import CallIn, CallOut
from grants.shared.web import CALLS, GET_POST, MANAGE, ORG, POST

PAGES: list[BaseRoute] = [
    Route("/calls", calls.directory, name="grants:directory"),
    Route(ORG + "/calls", calls.open_calls, name="grants:calls"),
    Route(ORG + "/calls/{call_id:id}", calls.call_page, name="grants:call"),
    Route(MANAGE + "/calls", calls.call_list, name="grants:manage_calls"),
    Route(MANAGE + "/calls/new", calls.new_call, methods=GET_POST, name="grants:new_call"),
    Route(MANAGE + "/calls/{call_id:id}", calls.edit_call, methods=GET_POST,
          name="grants:edit_call"),
    Route(MANAGE + "/calls/{call_id:id}/transition", calls.move_call, methods=POST,
          name="grants:move_call"),
]

API: list[BaseRoute] = [
    api_route(CALLS, call_api.list_calls, method="GET", name="api:list_calls",
              spec=ApiSpec("Calls: all of them for staff, the open ones for anyone else",
                           response=CallOut, many=True)),
    api_route(CALLS, call_api.create_call, method="POST", name="api:create_call",
              spec=ApiSpec("Create a call in a fund (staff)", body=CallIn, response=CallOut,
                           status_code=201)),
    api_route(CALLS + "/{call_id:id}", call_api.get_call, method="GET", name="api:get_call",
              spec=ApiSpec("One call", response=CallOut)),
]
