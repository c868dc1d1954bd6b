"""Screening pages: the queue of a call's applications with filters and CSV export, and one
application with its automatic checks and the three decisions."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.errors import BadRequest, Invalid
from app.forms import validate
from app.orgs.models import Membership
from app.pagination import page_number
from app.templating import render
from app.urls import url
from app.web import CSV, attachment_response, csv_body, form_dict, redirect
from grants.applications.schemas import ChangesIn, ReasonIn
from grants.applications.service import screening
from grants.applications.service.screening import SCREENABLE, Filters
from grants.applications.views.applicant import send_file
from grants.calls.eligibility import Finding
from grants.calls.formdef import FormDef
from grants.review.service.reviewing import rubric_of
from grants.shared import vocab
from grants.shared.web import page_context, staff_of
from grants.shared.workflow import APPLICATIONS, Actor

SCREENING_ACTIONS = ("mark_eligible", "request_changes", "mark_ineligible")


async def queue(request: Request) -> Response:
    membership = await staff_of(request)
    filters = Filters.from_query(dict(request.query_params))
    call, page = await screening.screening_queue(
        membership, request.path_params["call_id"], filters,
        page_number(request.query_params.get("page")))
    return render(request, "grants/applications/screening.html", page_context(
        request, membership.organisation, call=call, page=page, filters=filters,
        statuses=SCREENABLE, countries=vocab.country_choices(),
        query=request.url.query))


async def export(request: Request) -> Response:
    membership = await staff_of(request)
    filters = Filters.from_query(dict(request.query_params))
    call_id = request.path_params["call_id"]
    body = await screening.export_csv(membership, call_id, filters)
    return attachment_response(csv_body(body), filename=f"call-{call_id}-applications.csv",
                               media_type=CSV)


async def application(request: Request) -> Response:
    membership = await staff_of(request)
    org = membership.organisation
    application_id = request.path_params["application_id"]
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    if request.method == "POST":
        async with request.form() as form:
            values = form_dict(form)
        try:
            await _decide(membership, application_id, values)
        except Invalid as error:
            errors = error.fields
        else:
            return redirect(url("grants:screen", org=org.slug, application_id=application_id,
                                query={"decided": 1}))
    return await show_application(request, membership, application_id, errors=errors,
                                  values=values)


async def show_application(request: Request, membership: Membership, application_id: int, *,
                           errors: dict[str, str] | None = None,
                           values: dict[str, Any] | None = None,
                           decision_errors: dict[str, str] | None = None,
                           decision_values: dict[str, Any] | None = None,
                           decision_message: str | None = None, status_code: int = 422
                           ) -> Response:
    """The staff page of one application: what was sent back with errors stays typed in."""
    page = await screening.application_page(membership, application_id)
    found, review_standing = page.found, page.standing
    failed = bool(errors or decision_errors or decision_message)
    return render(request, "grants/applications/staff_application.html", page_context(
        request, membership.organisation, found=found, application=found.application,
        call=found.call, coop=found.cooperative,
        form=FormDef.model_validate(found.application.form),
        findings=[Finding.from_json(f) for f in found.application.screening],
        files={a.id: a for a in found.attachments}, messages=found.messages,
        actions=[a for a in APPLICATIONS.available(found.application.status, Actor.STAFF)
                 if a in SCREENING_ACTIONS],
        errors=errors or {}, values=values or {}, standing=review_standing,
        decision_errors=decision_errors or {}, decision_values=decision_values or {},
        decision_message=decision_message, rubric=rubric_of(found.call),
        names=page.names),
        status_code=status_code if failed else 200)


async def _decide(membership: Membership, application_id: int, values: dict[str, str]
                  ) -> None:
    decision = values.get("decision")
    if decision == "eligible":
        await screening.mark_eligible(membership, application_id)
    elif decision == "ineligible":
        await screening.mark_ineligible(membership, application_id, validate(ReasonIn, values))
    elif decision == "changes":
        await screening.request_changes(membership, application_id,
                                        validate(ChangesIn, values))
    else:
        raise BadRequest()


async def download(request: Request) -> Response:
    membership = await staff_of(request)
    attachment = await screening.staff_attachment(membership,
                                                  request.path_params["attachment_id"])
    return await send_file(request, attachment)
