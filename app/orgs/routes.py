"""Routes of the organisation pages and API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from app.orgs import api, views
from app.orgs.schemas import InvitationIn, InvitationOut, MemberOut, OrganisationIn, OrganisationOut

GET_POST = ["GET", "POST"]

PAGES: list[BaseRoute] = [
    Route("/orgs/new", views.create_organisation, methods=GET_POST, name="orgs:create"),
    Route("/o/{org:slug}/", views.dashboard, name="orgs:dashboard"),
    Route("/o/{org:slug}/members", views.members, methods=GET_POST, name="orgs:members"),
    Route("/o/{org:slug}/members/{member_id:id}/role", views.change_role, methods=["POST"],
          name="orgs:change_role"),
    Route("/o/{org:slug}/invitations/{invitation_id:id}/revoke", views.revoke_invitation,
          methods=["POST"], name="orgs:revoke_invitation"),
    Route("/invitations/{token}", views.invitation, methods=GET_POST, name="orgs:invitation"),
]

API: list[BaseRoute] = [
    api_route("/orgs", api.list_organisations, method="GET", name="api:list_orgs",
              spec=ApiSpec("Organisations the user belongs to", response=OrganisationOut,
                           many=True)),
    api_route("/orgs", api.create_organisation, method="POST", name="api:create_org",
              spec=ApiSpec("Create an organisation; the user becomes its owner",
                           body=OrganisationIn, response=OrganisationOut, status_code=201)),
    api_route("/orgs/{org:slug}", api.get_organisation, method="GET", name="api:get_org",
              spec=ApiSpec("One organisation of the user's", response=OrganisationOut)),
    api_route("/orgs/{org:slug}/members", api.list_members, method="GET", name="api:list_members",
              spec=ApiSpec("Members and their roles", response=MemberOut, many=True)),
    api_route("/orgs/{org:slug}/invitations", api.invite, method="POST", name="api:invite",
              spec=ApiSpec("Invite someone by email (owners only)", body=InvitationIn,
                           response=InvitationOut, status_code=201)),
]
