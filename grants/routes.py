"""Routes of the grants pages and API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from grants import api
from grants.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationPatch,
    CallIn,
    CallOut,
    CooperativeIn,
    CooperativeOut,
)
from grants.views import applications, coops, public, screening, staff

GET_POST = ["GET", "POST"]
POST = ["POST"]
ORG = "/o/{org:slug}"
APPLICATION = ORG + "/applications/{application_id:id}"
MANAGE = ORG + "/manage"

PAGES: list[BaseRoute] = [
    Route("/calls", public.directory, name="grants:directory"),
    Route(ORG + "/calls", public.open_calls, name="grants:calls"),
    Route(ORG + "/calls/{call_id:id}", public.call_page, name="grants:call"),
    Route(ORG + "/calls/{call_id:id}/apply", applications.start, methods=POST,
          name="grants:apply"),
    Route(ORG + "/coops/new", coops.new_cooperative, methods=GET_POST, name="grants:new_coop"),
    Route(ORG + "/coops/{coop_id:id}", coops.edit_cooperative, methods=GET_POST,
          name="grants:coop"),
    Route(ORG + "/coops/{coop_id:id}/contacts", coops.invite_contact, methods=POST,
          name="grants:invite_contact"),
    Route("/coop-invitations/{token}", coops.invitation, methods=GET_POST,
          name="grants:coop_invitation"),
    Route(ORG + "/applications", applications.my_applications, name="grants:my_applications"),
    Route(APPLICATION, applications.editor, methods=GET_POST, name="grants:application"),
    Route(APPLICATION + "/autosave", applications.autosave, methods=POST,
          name="grants:autosave"),
    Route(APPLICATION + "/withdraw", applications.withdraw, methods=POST,
          name="grants:withdraw"),
    Route(APPLICATION + "/reopen", applications.reopen, methods=POST, name="grants:reopen"),
    Route(ORG + "/files/{attachment_id:id}", applications.download, name="grants:file"),
    Route(ORG + "/funds", staff.fund_list, methods=GET_POST, name="grants:funds"),
    Route(ORG + "/funds/{fund_id:id}", staff.fund_page, methods=GET_POST, name="grants:fund"),
    Route(MANAGE + "/calls", staff.call_list, name="grants:manage_calls"),
    Route(MANAGE + "/calls/new", staff.new_call, methods=GET_POST, name="grants:new_call"),
    Route(MANAGE + "/calls/{call_id:id}", staff.edit_call, methods=GET_POST,
          name="grants:edit_call"),
    Route(MANAGE + "/calls/{call_id:id}/transition", staff.move_call, methods=POST,
          name="grants:move_call"),
    Route(MANAGE + "/calls/{call_id:id}/applications", screening.queue,
          name="grants:screening"),
    Route(MANAGE + "/calls/{call_id:id}/applications.csv", screening.export,
          name="grants:export"),
    Route(MANAGE + "/applications/{application_id:id}", screening.application,
          methods=GET_POST, name="grants:screen"),
    Route(MANAGE + "/files/{attachment_id:id}", screening.download, name="grants:staff_file"),
]

CALLS = "/orgs/{org:slug}/calls"
APPLICATIONS = "/orgs/{org:slug}/applications"

API: list[BaseRoute] = [
    api_route(CALLS, api.list_calls, method="GET", name="api:list_calls",
              spec=ApiSpec("Calls: all of them for staff, the open ones for anyone else",
                           response=CallOut, many=True)),
    api_route(CALLS, api.create_call, method="POST", name="api:create_call",
              spec=ApiSpec("Create a call in a fund (staff)", body=CallIn, response=CallOut,
                           status_code=201)),
    api_route(CALLS + "/{call_id:id}", api.get_call, method="GET", name="api:get_call",
              spec=ApiSpec("One call", response=CallOut)),
    api_route("/orgs/{org:slug}/cooperatives", api.create_cooperative, method="POST",
              name="api:create_cooperative",
              spec=ApiSpec("Create a co-op profile; the caller becomes its owner",
                           body=CooperativeIn, response=CooperativeOut, status_code=201)),
    api_route(APPLICATIONS, api.create_application, method="POST",
              name="api:create_application",
              spec=ApiSpec("Start a co-op's application to a call (or get the one it has)",
                           body=ApplicationIn, response=ApplicationOut, status_code=201)),
    api_route(APPLICATIONS + "/{application_id:id}", api.get_application, method="GET",
              name="api:get_application",
              spec=ApiSpec("One of your co-op's applications, with its messages",
                           response=ApplicationOut)),
    api_route(APPLICATIONS + "/{application_id:id}", api.update_application, method="PATCH",
              name="api:update_application",
              spec=ApiSpec("Save changes to a draft: every valid change is kept; a 422 names "
                           "the others", body=ApplicationPatch, response=ApplicationOut)),
    api_route(APPLICATIONS + "/{application_id:id}/submit", api.submit_application,
              method="POST", name="api:submit_application",
              spec=ApiSpec("Submit; repeating the request submits once", response=ApplicationOut)),
    api_route(APPLICATIONS + "/{application_id:id}/withdraw", api.withdraw_application,
              method="POST", name="api:withdraw_application",
              spec=ApiSpec("Withdraw before the deadline", response=ApplicationOut)),
]
