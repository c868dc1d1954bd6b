"""Calls in the JSON API: list (all for staff, the open ones for anyone), read, create."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.api import json_body, respond, respond_page
from app.errors import NotFound
from app.pagination import page_number
from grants.calls import service as calls
from grants.calls.models import Call
from grants.calls.schemas import CallIn, CallOut
from grants.shared.web import api_caller, api_staff


def call_out(call: Call) -> CallOut:
    return CallOut.model_validate(call, from_attributes=True)


async def list_calls(request: Request) -> Response:
    org, staff = await api_staff(request)
    page = page_number(request.query_params.get("page"))
    found = await (calls.staff_calls(staff, page, summary=False) if staff
                   else calls.open_calls(org, page, summary=False))
    return respond_page(request, [call_out(c) for c in found.items], found)


async def get_call(request: Request) -> Response:
    org, staff = await api_staff(request)
    call_id = request.path_params["call_id"]
    call = await (calls.staff_call(staff, call_id) if staff else calls.public_call(org, call_id))
    return respond(call_out(call))


async def create_call(request: Request) -> Response:
    _org_found, membership = await api_caller(request)
    if membership is None:
        raise NotFound()
    data = await json_body(request, CallIn)
    return respond(call_out(await calls.create_call(membership, data)), status_code=201)
