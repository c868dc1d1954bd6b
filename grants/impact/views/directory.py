"""The public directory of funded projects: the list with its filters, a page per project,
and the CSV of what the list shows."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.pagination import page_number
from app.templating import render
from app.web import CSV, attachment_response, csv_body
from grants.impact import publication
from grants.impact.service import directory
from grants.shared.web import org_of, page_context


async def project_list(request: Request) -> Response:
    org = await org_of(request)
    filters = directory.Filters.from_query(request.query_params)
    page = await directory.directory(org, filters, page_number(request.query_params.get("page")))
    return render(request, "grants/impact/projects.html", page_context(
        request, org, page=page, filters=filters, facets=await directory.facets(org),
        statuses=publication.STATUS_LABELS))


async def project_page(request: Request) -> Response:
    org = await org_of(request)
    found = await directory.project(org, request.path_params["project_id"])
    return render(request, "grants/impact/project_public.html",
                  page_context(request, org, project=found))


async def export(request: Request) -> Response:
    org = await org_of(request)
    body = await directory.export_csv(org, directory.Filters.from_query(request.query_params))
    return attachment_response(csv_body(body), filename=f"{org.slug}-projects.csv",
                               media_type=CSV, private=False)  # public: caches may keep it
