"""The impact package's routes: its pages and its JSON API endpoints."""

from __future__ import annotations

from starlette.routing import BaseRoute, Route

from app import route_table  # noqa: F401  (registers {name:id} and {name:slug})
from app.api import ApiSpec, api_route
from grants.impact import api as directory_api
from grants.impact.schemas import PublicProjectOut
from grants.impact.views import dashboard as impact
from grants.impact.views import directory as projects_public
from grants.impact.views import practices
from grants.shared.web import MANAGE, ORG

PAGES: list[BaseRoute] = [
    Route(ORG + "/projects", projects_public.project_list, name="grants:projects"),
    Route(ORG + "/projects.csv", projects_public.export, name="grants:projects_csv"),
    Route(ORG + "/projects/{project_id:id}", projects_public.project_page,
          name="grants:public_project"),
    Route(MANAGE + "/impact", impact.dashboard, name="grants:impact"),
    Route(MANAGE + "/impact.csv", impact.export, name="grants:impact_csv"),
    Route(ORG + "/practices", practices.practice_library, name="grants:practices"),
]

API: list[BaseRoute] = [
    api_route("/orgs/{org:slug}/projects", directory_api.list_projects, method="GET",
              name="api:public_projects",
              spec=ApiSpec("The public directory of funded projects: what each co-op agreed to "
                           "publish; filters country, commodity, category, kind, status, "
                           "year, q", response=PublicProjectOut, many=True, public=True)),
    api_route("/orgs/{org:slug}/projects/{project_id:id}", directory_api.get_project,
              method="GET", name="api:public_project",
              spec=ApiSpec("One funded project of the public directory",
                           response=PublicProjectOut, public=True)),
]
