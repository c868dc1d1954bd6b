"""The projects package's routes: its pages and its JSON API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from grants.projects.views import coop as my_projects
from grants.projects.views import indicators
from grants.projects.views import staff as projects
from grants.shared.web import GET_POST, MANAGE, ORG, POST

PAGES: list[BaseRoute] = [
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
    Route(ORG + "/my-projects", my_projects.my_projects, name="grants:my_projects"),
    Route(ORG + "/my-projects/{project_id:id}", my_projects.my_project, methods=GET_POST,
          name="grants:my_project"),
    Route(ORG + "/my-projects/{project_id:id}/reports/{report_id:id}", my_projects.my_report,
          methods=GET_POST, name="grants:my_report"),
]

API: list[BaseRoute] = []
