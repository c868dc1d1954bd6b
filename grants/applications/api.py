"""Applications in the JSON API: start, read, save changes, submit, withdraw."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.api import api_user, json_body, json_object, respond
from app.errors import Invalid
from app.forms import validate_partial
from grants.applications.models import Application
from grants.applications.schemas import ApplicationIn, ApplicationOut, ApplicationPatch, MessageOut
from grants.applications.service import applicant as applications
from grants.shared.web import api_caller


async def application_out(application: Application) -> ApplicationOut:
    told = await applications.told(application)
    return ApplicationOut(
        id=application.id, call_id=application.call_id,
        cooperative_id=application.cooperative_id, status=application.status,
        title=application.title, category=application.category, language=application.language,
        currency=application.currency, requested_minor=application.requested_minor,
        answers=application.answers, version=application.version,
        deadline=told.deadline,
        submitted_at=application.submitted_at,
        messages=[MessageOut(kind=m.kind, body=m.body, created_at=m.created_at)
                  for m in told.messages])


async def create_application(request: Request) -> Response:
    org, _staff = await api_caller(request)
    application = await applications.start(api_user(request), org,
                                           await json_body(request, ApplicationIn))
    return respond(await application_out(application), status_code=201)


async def get_application(request: Request) -> Response:
    org, _staff = await api_caller(request)
    found = await applications.editing(api_user(request), org,
                                       request.path_params["application_id"])
    return respond(await application_out(found.application))


async def update_application(request: Request) -> Response:
    """Saves every valid change; 422 names the rest (which keep their saved values)."""
    org, _staff = await api_caller(request)
    patch, errors = validate_partial(ApplicationPatch, await json_object(request),
                                     keep_blank=True)
    application, refused = await applications.save(api_user(request), org,
                                                   request.path_params["application_id"], patch)
    errors.update(refused)
    if errors:
        raise Invalid(fields=errors)
    return respond(await application_out(application))


async def submit_application(request: Request) -> Response:
    org, _staff = await api_caller(request)
    user = api_user(request)
    application_id = request.path_params["application_id"]
    await applications.submit(user, org, application_id)
    found = await applications.editing(user, org, application_id)
    return respond(await application_out(found.application))


async def withdraw_application(request: Request) -> Response:
    org, _staff = await api_caller(request)
    application = await applications.withdraw(api_user(request), org,
                                              request.path_params["application_id"])
    return respond(await application_out(application))
