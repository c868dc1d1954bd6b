"""Call pages: the directory of open calls, an organisation's calls and each call's page for
anyone; the staff's list, the call form (new and edit) and its moves."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from starlette.requests import Request
from starlette.responses import Response

from app.money import to_major_text
from app.pagination import page_number
from app.templating import render
from app.timefmt import common_timezones
from app.urls import url
from app.web import current_user, form_page, redirect
from grants import funds
from grants.calls import service as calls
from grants.calls.default_form import DEFAULT_FORM
from grants.calls.models import Call
from grants.calls.schemas import CallIn
from grants.coops import service as coops
from grants.impact.service import practices
from grants.projects.outcomes import UNITS
from grants.projects.service import indicators
from grants.review.rubric import DEFAULT_RUBRIC
from grants.shared.web import org_of, page_context, staff_of
from grants.shared.workflow import CALLS, Actor


async def directory(request: Request) -> Response:
    return render(request, "grants/calls/directory.html", {"listed": await calls.directory()})


async def open_calls(request: Request) -> Response:
    org = await org_of(request)
    page = await calls.open_calls(org, page_number(request.query_params.get("page")))
    return render(request, "grants/calls/calls.html", page_context(request, org, calls=page))


async def call_page(request: Request) -> Response:
    org = await org_of(request)
    call = await calls.public_call(org, request.path_params["call_id"])
    user = current_user(request)
    mine = await coops.cooperatives_of(user, org) if user else []
    crops = [crop for coop in mine for crop in coop.commodities]
    fitting = await practices.library(org, commodities=crops, categories=call.categories)
    return render(request, "grants/calls/call.html", page_context(
        request, org, call=call, cooperatives=mine,
        accepting=calls.is_taking_applications(call), practices=fitting[:5]))


async def call_list(request: Request) -> Response:
    membership = await staff_of(request)
    page = await calls.staff_calls(membership, page_number(request.query_params.get("page")))
    return render(request, "grants/calls/manage_calls.html", page_context(
        request, membership.organisation, is_staff=True, calls=page))


def _call_values(call: Call, timezone: str) -> dict[str, Any]:
    """A saved call as the form shows it: amounts as typed, times in the call's timezone."""
    zone = ZoneInfo(timezone)
    return {
        "fund_id": str(call.fund_id), "title": call.title, "description": call.description,
        "timezone": timezone,
        "opens_at": call.opens_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "closes_at": call.closes_at.astimezone(zone).strftime("%Y-%m-%dT%H:%M"),
        "budget_minor": to_major_text(call.budget_minor, call.currency),
        "min_request_minor": to_major_text(call.min_request_minor, call.currency),
        "max_request_minor": to_major_text(call.max_request_minor, call.currency),
        "categories": call.categories, "eligibility": {
            **call.eligibility, "countries": " ".join(call.eligibility.get("countries", []))},
        "form": json.dumps(call.form, ensure_ascii=False, indent=1),
        "identifying_fields": call.identifying_fields, "indicators": call.indicators or [],
        "reviews_per_application": str(call.reviews_per_application),
        "blind": call.blind,
        "rubric": json.dumps(call.rubric or DEFAULT_RUBRIC, ensure_ascii=False, indent=1),
    }


async def _call_form(request: Request, call: Call | None) -> Response:
    membership = await staff_of(request)
    org = membership.organisation
    all_funds = await funds.list_funds(org)
    currencies = {str(f.id): f.currency for f in all_funds}

    async def act(data: CallIn) -> Response:
        if call is None:
            saved = await calls.create_call(membership, data)
        else:
            saved = await calls.update_call(membership, call.id, data)
        return redirect(url("grants:edit_call", org=org.slug, call_id=saved.id,
                            query={"saved": 1}))

    initial = _call_values(call, org.timezone) if call else {
        "timezone": org.timezone, "reviews_per_application": "3",
        "form": json.dumps(DEFAULT_FORM, ensure_ascii=False, indent=1),
        "rubric": json.dumps(DEFAULT_RUBRIC, ensure_ascii=False, indent=1)}
    return await form_page(request, "grants/calls/call_form.html", CallIn, act, page_context(
        request, org, call=call, funds=all_funds, initial=initial,
        timezones=common_timezones(), identifying=IDENTIFYING,
        indicator_rows=await indicators.catalogue(org), units=UNITS,
        actions=CALLS.available(call.status, Actor.STAFF) if call else [],
        action_labels=CALLS.action_labels),
        validation_context=lambda values: {
            "currency": currencies.get(str(values.get("fund_id")), org.default_currency)})


IDENTIFYING = ("legal_name", "region", "contacts", "certifications")


async def new_call(request: Request) -> Response:
    return await _call_form(request, None)


async def edit_call(request: Request) -> Response:
    membership = await staff_of(request)
    call = await calls.staff_call(membership, request.path_params["call_id"])
    return await _call_form(request, call)


async def move_call(request: Request) -> Response:
    membership = await staff_of(request)
    async with request.form() as form:
        action = str(form.get("action") or "")
    call = await calls.transition_call(membership, request.path_params["call_id"], action)
    return redirect(url("grants:edit_call", org=membership.organisation.slug, call_id=call.id,
                        query={"moved": 1}))
