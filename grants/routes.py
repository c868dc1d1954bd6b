"""Routes of the grants pages and API endpoints."""

from __future__ import annotations

import re

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from grants.applications import api as application_api
from grants.applications.schemas import ApplicationIn, ApplicationOut, ApplicationPatch
from grants.applications.views import applicant as applications
from grants.applications.views import screening
from grants.calls import api as call_api
from grants.calls import views as calls
from grants.calls.schemas import CallIn, CallOut
from grants.coops import api as coop_api
from grants.coops import views as coops
from grants.coops.schemas import CooperativeIn, CooperativeOut
from grants.funds import views as funds
from grants.impact import api as directory_api
from grants.impact.schemas import PublicProjectOut
from grants.impact.views import dashboard as impact
from grants.impact.views import directory as projects_public
from grants.impact.views import practices
from grants.projects.views import coop as my_projects
from grants.projects.views import indicators
from grants.projects.views import staff as projects
from grants.review import api as review_api
from grants.review.schemas import (
    AssignmentOut,
    DecisionIn,
    DecisionOut,
    RankedOut,
    ReviewIn,
    ReviewOut,
)
from grants.review.views import reviewer as reviewing
from grants.review.views import staff as review_staff

# The public directory of projects (its pages and its whole CSV): served to anonymous
# visitors from a 2-second cache.
CACHEABLE = (re.compile(r"/o/[a-z0-9-]+/projects(\.csv|/[0-9]+)?"),)
GET_POST = ["GET", "POST"]
POST = ["POST"]
ORG = "/o/{org:slug}"
APPLICATION = ORG + "/applications/{application_id:id}"
MANAGE = ORG + "/manage"
MANAGE_CALL = MANAGE + "/calls/{call_id:id}"
REVIEW = ORG + "/reviews/{review_id:id}"

PAGES: list[BaseRoute] = [
    Route("/calls", calls.directory, name="grants:directory"),
    Route(ORG + "/calls", calls.open_calls, name="grants:calls"),
    Route(ORG + "/calls/{call_id:id}", calls.call_page, name="grants:call"),
    Route(ORG + "/projects", projects_public.project_list, name="grants:projects"),
    Route(ORG + "/projects.csv", projects_public.export, name="grants:projects_csv"),
    Route(ORG + "/projects/{project_id:id}", projects_public.project_page,
          name="grants:public_project"),
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
    Route(ORG + "/funds", funds.fund_list, methods=GET_POST, name="grants:funds"),
    Route(ORG + "/funds/{fund_id:id}", funds.fund_page, methods=GET_POST, name="grants:fund"),
    Route(MANAGE + "/calls", calls.call_list, name="grants:manage_calls"),
    Route(MANAGE + "/calls/new", calls.new_call, methods=GET_POST, name="grants:new_call"),
    Route(MANAGE + "/calls/{call_id:id}", calls.edit_call, methods=GET_POST,
          name="grants:edit_call"),
    Route(MANAGE + "/calls/{call_id:id}/transition", calls.move_call, methods=POST,
          name="grants:move_call"),
    Route(MANAGE + "/calls/{call_id:id}/applications", screening.queue,
          name="grants:screening"),
    Route(MANAGE + "/calls/{call_id:id}/applications.csv", screening.export,
          name="grants:export"),
    Route(MANAGE + "/applications/{application_id:id}", screening.application,
          methods=GET_POST, name="grants:screen"),
    Route(MANAGE + "/files/{attachment_id:id}", screening.download, name="grants:staff_file"),
    Route(ORG + "/reviews", reviewing.queue, name="grants:reviews"),
    Route(REVIEW, reviewing.review, methods=GET_POST, name="grants:review"),
    Route(REVIEW + "/autosave", reviewing.autosave, methods=POST, name="grants:review_autosave"),
    Route(REVIEW + "/conflict", reviewing.declare_conflict, methods=POST,
          name="grants:declare_conflict"),
    Route(REVIEW + "/files/{attachment_id:id}", reviewing.review_file,
          name="grants:review_file"),
    Route(ORG + "/reviewer", reviewing.profile, methods=GET_POST, name="grants:reviewer"),
    Route(ORG + "/reviewer/ties", reviewing.declare_tie, methods=POST, name="grants:tie"),
    Route(MANAGE + "/reviewers", review_staff.pool, methods=GET_POST,
          name="grants:reviewer_pool"),
    Route(MANAGE + "/reviewers/{user_id:id}", review_staff.reviewer_profile, methods=GET_POST,
          name="grants:reviewer_profile"),
    Route(MANAGE + "/conflicts/{conflict_id:id}/lift", review_staff.lift, methods=POST,
          name="grants:lift_conflict"),
    Route(MANAGE_CALL + "/assignments", review_staff.board, methods=GET_POST,
          name="grants:assignments"),
    Route(MANAGE_CALL + "/assignments/change", review_staff.change, methods=POST,
          name="grants:change_assignment"),
    Route(MANAGE + "/reviews/{review_id:id}/reopen", review_staff.reopen_review, methods=POST,
          name="grants:reopen_review"),
    Route(MANAGE_CALL + "/ranking", review_staff.ranking_page, name="grants:ranking"),
    Route(MANAGE_CALL + "/ranking.{fmt:str}", review_staff.export, name="grants:ranking_export"),
    Route(MANAGE_CALL + "/suggestion", review_staff.suggest, methods=GET_POST,
          name="grants:suggestion"),
    Route(MANAGE_CALL + "/publish", review_staff.publish, methods=POST, name="grants:publish"),
    Route(MANAGE + "/applications/{application_id:id}/decision", review_staff.decide,
          methods=POST, name="grants:decide"),
    Route(MANAGE + "/impact", impact.dashboard, name="grants:impact"),
    Route(MANAGE + "/impact.csv", impact.export, name="grants:impact_csv"),
    Route(MANAGE + "/applications/{application_id:id}/project", projects.start,
          methods=GET_POST, name="grants:start_project"),
    Route(MANAGE + "/projects", projects.project_list, name="grants:manage_projects"),
    Route(MANAGE + "/indicators", indicators.catalogue_page, methods=GET_POST,
          name="grants:indicators"),
    Route(MANAGE + "/projects/{project_id:id}", projects.project_page, methods=GET_POST,
          name="grants:manage_project"),
    Route(MANAGE + "/reports/{report_id:id}", projects.report_page, methods=GET_POST,
          name="grants:manage_report"),
    Route(MANAGE + "/practices/{practice_id:id}/replicate", projects.replicate, methods=POST,
          name="grants:replicate"),
    Route(ORG + "/practices", practices.practice_library, name="grants:practices"),
    Route(ORG + "/my-projects", my_projects.my_projects, name="grants:my_projects"),
    Route(ORG + "/my-projects/{project_id:id}", my_projects.my_project, methods=GET_POST,
          name="grants:my_project"),
    Route(ORG + "/my-projects/{project_id:id}/reports/{report_id:id}", my_projects.my_report,
          methods=GET_POST, name="grants:my_report"),
]

CALLS = "/orgs/{org:slug}/calls"
APPLICATIONS = "/orgs/{org:slug}/applications"

API: list[BaseRoute] = [
    api_route(CALLS, call_api.list_calls, method="GET", name="api:list_calls",
              spec=ApiSpec("Calls: all of them for staff, the open ones for anyone else",
                           response=CallOut, many=True)),
    api_route("/orgs/{org:slug}/projects", directory_api.list_projects, method="GET",
              name="api:public_projects",
              spec=ApiSpec("The public directory of funded projects: what each co-op agreed to "
                           "publish; filters country, commodity, category, kind, status, "
                           "year, q", response=PublicProjectOut, many=True, public=True)),
    api_route("/orgs/{org:slug}/projects/{project_id:id}", directory_api.get_project,
              method="GET", name="api:public_project",
              spec=ApiSpec("One funded project of the public directory",
                           response=PublicProjectOut, public=True)),
    api_route(CALLS, call_api.create_call, method="POST", name="api:create_call",
              spec=ApiSpec("Create a call in a fund (staff)", body=CallIn, response=CallOut,
                           status_code=201)),
    api_route(CALLS + "/{call_id:id}", call_api.get_call, method="GET", name="api:get_call",
              spec=ApiSpec("One call", response=CallOut)),
    api_route("/orgs/{org:slug}/cooperatives", coop_api.create_cooperative, method="POST",
              name="api:create_cooperative",
              spec=ApiSpec("Create a co-op profile; the caller becomes its owner",
                           body=CooperativeIn, response=CooperativeOut, status_code=201)),
    api_route(APPLICATIONS, application_api.create_application, method="POST",
              name="api:create_application",
              spec=ApiSpec("Start a co-op's application to a call (or get the one it has)",
                           body=ApplicationIn, response=ApplicationOut, status_code=201)),
    api_route(APPLICATIONS + "/{application_id:id}", application_api.get_application, method="GET",
              name="api:get_application",
              spec=ApiSpec("One of your co-op's applications, with its messages",
                           response=ApplicationOut)),
    api_route(APPLICATIONS + "/{application_id:id}", application_api.update_application,
              method="PATCH",
              name="api:update_application",
              spec=ApiSpec("Save changes to a draft: every valid change is kept; a 422 names "
                           "the others", body=ApplicationPatch, response=ApplicationOut)),
    api_route(APPLICATIONS + "/{application_id:id}/submit", application_api.submit_application,
              method="POST", name="api:submit_application",
              spec=ApiSpec("Submit; repeating the request submits once", response=ApplicationOut)),
    api_route(APPLICATIONS + "/{application_id:id}/withdraw", application_api.withdraw_application,
              method="POST", name="api:withdraw_application",
              spec=ApiSpec("Withdraw before the deadline", response=ApplicationOut)),
    api_route(CALLS + "/{call_id:id}/assignments", review_api.assign, method="POST",
              name="api:assign",
              spec=ApiSpec("Run the automatic reviewer assignment of a closed call (staff); "
                           "409 with the reasons when none exists", response=AssignmentOut)),
    api_route("/orgs/{org:slug}/reviews", review_api.my_reviews, method="GET",
              name="api:my_reviews",
              spec=ApiSpec("The caller's review queue", response=ReviewOut, many=True)),
    api_route("/orgs/{org:slug}/reviews/{review_id:id}", review_api.save_review, method="PUT",
              name="api:save_review",
              spec=ApiSpec("Save a review; \"submit\": true submits and locks it",
                           body=ReviewIn, response=ReviewOut)),
    api_route(CALLS + "/{call_id:id}/ranking", review_api.call_ranking, method="GET",
              name="api:ranking",
              spec=ApiSpec("A call's ranking: mean, spread, calibrated score and interval "
                           "(staff)", response=RankedOut, many=True)),
    api_route(APPLICATIONS + "/{application_id:id}/decision", review_api.decide,
              method="POST", name="api:decide",
              spec=ApiSpec("Record a decision within the call's budget (staff); 409 over "
                           "budget", body=DecisionIn, response=DecisionOut)),
]
