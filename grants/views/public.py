"""The pages anyone may read: an organisation's open calls and each call's page."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.pagination import page_number
from app.templating import render
from app.web import current_user
from grants.service import calls, coops
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
    return render(request, "grants/call.html", page_context(
        request, org, call=call, cooperatives=mine,
        accepting=calls.is_taking_applications(call)))
