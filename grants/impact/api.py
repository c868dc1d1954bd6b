"""The public directory of funded projects in the JSON API: anyone may read it, no token."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.api import respond, respond_page
from app.pagination import page_number
from app.tenancy import organisation
from grants.impact.schemas import PublicProjectOut
from grants.impact.service import directory


async def list_projects(request: Request) -> Response:
    org = await organisation(request.path_params["org"])
    filters = directory.Filters.from_query(request.query_params)
    found = await directory.directory(org, filters, page_number(request.query_params.get("page")))
    return respond_page(request, [PublicProjectOut.of(p) for p in found.items], found)


async def get_project(request: Request) -> Response:
    org = await organisation(request.path_params["org"])
    found = await directory.project(org, request.path_params["project_id"])
    return respond(PublicProjectOut.of(found))
