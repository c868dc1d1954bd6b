"""Grants endpoints of the JSON API: the same use cases as the pages."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.api import api_user, json_body, json_object, respond, respond_page
from app.errors import Invalid, NotFound
from app.forms import validate_partial
from app.orgs.models import Membership, Organisation
from app.pagination import page_number
from app.tenancy import organisation
from grants.models import Application, Call, Cooperative
from grants.permissions import can_manage_grants
from grants.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationPatch,
    CallIn,
    CallOut,
    CertificationIn,
    CooperativeIn,
    CooperativeOut,
    MessageOut,
)
from grants.service import applications, calls, coops


async def _org(request: Request) -> tuple[Organisation, Membership | None]:
    """The organisation, and the caller's membership of it if they have one: applicants
    are usually not members."""
    user = api_user(request)
    org = await organisation(request.path_params["org"])
    membership = await Membership.get_or_none(user_id=user.id, organisation_id=org.id)
    if membership is not None:
        membership.organisation = org
    return org, membership


async def _staff(request: Request) -> tuple[Organisation, Membership | None]:
    org, membership = await _org(request)
    return org, membership if membership and can_manage_grants(membership) else None


def call_out(call: Call) -> CallOut:
    return CallOut.model_validate(call, from_attributes=True)


async def list_calls(request: Request) -> Response:
    org, staff = await _staff(request)
    page = page_number(request.query_params.get("page"))
    found = await (calls.staff_calls(staff, page, summary=False) if staff
                   else calls.open_calls(org, page, summary=False))
    return respond_page(request, [call_out(c) for c in found.items], found)


async def get_call(request: Request) -> Response:
    org, staff = await _staff(request)
    call_id = request.path_params["call_id"]
    call = await (calls.staff_call(staff, call_id) if staff else calls.public_call(org, call_id))
    return respond(call_out(call))


async def create_call(request: Request) -> Response:
    _org_found, membership = await _org(request)
    if membership is None:
        raise NotFound()
    data = await json_body(request, CallIn)
    return respond(call_out(await calls.create_call(membership, data)), status_code=201)


async def coop_out(coop: Cooperative) -> CooperativeOut:
    return CooperativeOut(
        id=coop.id, legal_name=coop.legal_name, country=coop.country, region=coop.region,
        legal_form=coop.legal_form, commodities=coop.commodities,
        members_total=coop.members_total, members_women=coop.members_women,
        members_youth=coop.members_youth,
        certifications=[CertificationIn(**c) for c in coop.certifications],
        year_founded=coop.year_founded, network=await coops.network_name(coop) or None)


async def create_cooperative(request: Request) -> Response:
    org, _staff = await _org(request)
    coop = await coops.create_cooperative(api_user(request), org,
                                          await json_body(request, CooperativeIn))
    return respond(await coop_out(coop), status_code=201)


async def application_out(application: Application) -> ApplicationOut:
    call = await Call.get(id=application.call_id,  # unscoped: the application's own
                          organisation_id=application.organisation_id)
    told = await applications.messages(application)
    return ApplicationOut(
        id=application.id, call_id=application.call_id,
        cooperative_id=application.cooperative_id, status=application.status,
        title=application.title, category=application.category, language=application.language,
        currency=application.currency, requested_minor=application.requested_minor,
        answers=application.answers, version=application.version,
        deadline=applications.deadline_of(call, application),
        submitted_at=application.submitted_at,
        messages=[MessageOut(kind=m.kind, body=m.body, created_at=m.created_at) for m in told])


async def create_application(request: Request) -> Response:
    org, _staff = await _org(request)
    application = await applications.start(api_user(request), org,
                                           await json_body(request, ApplicationIn))
    return respond(await application_out(application), status_code=201)


async def get_application(request: Request) -> Response:
    org, _staff = await _org(request)
    found = await applications.editing(api_user(request), org,
                                       request.path_params["application_id"])
    return respond(await application_out(found.application))


async def update_application(request: Request) -> Response:
    """Saves every valid change; 422 names the rest (which keep their saved values)."""
    org, _staff = await _org(request)
    patch, errors = validate_partial(ApplicationPatch, await json_object(request),
                                     keep_blank=True)
    application, refused = await applications.save(api_user(request), org,
                                                   request.path_params["application_id"], patch)
    errors.update(refused)
    if errors:
        raise Invalid(fields=errors)
    return respond(await application_out(application))


async def submit_application(request: Request) -> Response:
    org, _staff = await _org(request)
    user = api_user(request)
    application_id = request.path_params["application_id"]
    await applications.submit(user, org, application_id)
    found = await applications.editing(user, org, application_id)
    return respond(await application_out(found.application))


async def withdraw_application(request: Request) -> Response:
    org, _staff = await _org(request)
    application = await applications.withdraw(api_user(request), org,
                                              request.path_params["application_id"])
    return respond(await application_out(application))
