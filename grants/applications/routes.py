"""The applications package's routes: its pages and its JSON API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from grants.applications import api as application_api
from grants.applications.schemas import ApplicationIn, ApplicationOut, ApplicationPatch
from grants.applications.views import applicant as applications
from grants.applications.views import screening
from grants.shared.web import APPLICATION, APPLICATIONS, GET_POST, MANAGE, ORG, POST

PAGES: list[BaseRoute] = [
    Route(ORG + "/calls/{call_id:id}/apply", applications.start, methods=POST,
          name="grants:apply"),
    Route(ORG + "/applications", applications.my_applications, name="grants:my_applications"),
    Route(APPLICATION, applications.editor, methods=GET_POST, name="grants:application"),
    Route(APPLICATION + "/autosave", applications.autosave, methods=POST,
          name="grants:autosave"),
    Route(APPLICATION + "/withdraw", applications.withdraw, methods=POST,
          name="grants:withdraw"),
    Route(APPLICATION + "/reopen", applications.reopen, methods=POST, name="grants:reopen"),
    Route(ORG + "/files/{attachment_id:id}", applications.download, name="grants:file"),
    Route(MANAGE + "/calls/{call_id:id}/applications", screening.queue,
          name="grants:screening"),
    Route(MANAGE + "/calls/{call_id:id}/applications.csv", screening.export,
          name="grants:export"),
    Route(MANAGE + "/applications/{application_id:id}", screening.application,
          methods=GET_POST, name="grants:screen"),
    Route(MANAGE + "/files/{attachment_id:id}", screening.download, name="grants:staff_file"),
]

API: list[BaseRoute] = [
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
]
