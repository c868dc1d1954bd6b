"""The coops package's routes: its pages and its JSON API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from grants.coops import api as coop_api
from grants.coops import views as coops
from grants.coops.schemas import CooperativeIn, CooperativeOut
from grants.shared.web import GET_POST, ORG, POST

PAGES: list[BaseRoute] = [
    Route(ORG + "/coops/new", coops.new_cooperative, methods=GET_POST, name="grants:new_coop"),
    Route(ORG + "/coops/{coop_id:id}", coops.edit_cooperative, methods=GET_POST,
          name="grants:coop"),
    Route(ORG + "/coops/{coop_id:id}/contacts", coops.invite_contact, methods=POST,
          name="grants:invite_contact"),
    Route("/coop-invitations/{token}", coops.invitation, methods=GET_POST,
          name="grants:coop_invitation"),
]

API: list[BaseRoute] = [
    api_route("/orgs/{org:slug}/cooperatives", coop_api.create_cooperative, method="POST",
              name="api:create_cooperative",
              spec=ApiSpec("Create a co-op profile; the caller becomes its owner",
                           body=CooperativeIn, response=CooperativeOut, status_code=201)),
]
