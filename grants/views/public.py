"""The pages anyone may read: an organisation's open calls and each call's page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.pagination import page_number
from app.templating import render
from app.web import current_user
from grants.service import calls, coops, practices
from grants.views.common import org_of, page_context


async def directory(request: Request) -> Response:
    return render(request, "grants/directory.html", {"listed": await calls.directory()})


async def open_calls(request: Request) -> Response:
    org = await org_of(request)
    page = await calls.open_calls(org, page_number(request.query_params.get("page")))
    return render(request, "grants/calls.html", page_context(request, org, calls=page))


async def call_page(request: Request) -> Response:
    org = await org_of(request)
    call = await calls.public_call(org, request.path_params["call_id"])
    user = current_user(request)
    mine = await coops.cooperatives_of(user, org) if user else []
    crops = [crop for coop in mine for crop in coop.commodities]
    fitting = await practices.library(org, commodities=crops, categories=call.categories)
    return render(request, "grants/call.html", page_context(
        request, org, call=call, cooperatives=mine,
        accepting=calls.is_taking_applications(call), practices=fitting[:5]))


async def practice_library(request: Request) -> Response:
    """What worked for other co-ops, by crop and challenge."""
    org = await org_of(request)
    crop = request.query_params.get("commodity", "")
    challenge = request.query_params.get("category", "")
    found = await practices.library(org, commodities=[crop] if crop else None,
                                    categories=[challenge] if challenge else None)
    return render(request, "grants/practices.html", page_context(
        request, org, practices=found, commodity=crop, category=challenge))
