"""Organisation endpoints of the JSON API."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.api import api_user, json_body, respond, respond_page
from app.orgs import service
from app.orgs.models import Membership, Organisation
from app.orgs.schemas import InvitationIn, InvitationOut, MemberOut, OrganisationIn, OrganisationOut
from app.pagination import page_number
from app.tenancy import membership_for


def org_out(org: Organisation, membership: Membership | None = None) -> OrganisationOut:
    return OrganisationOut(slug=org.slug, name=org.name, default_currency=org.default_currency,
                           locales=org.locales, timezone=org.timezone,
                           role=membership.role if membership else None)


async def list_organisations(request: Request) -> Response:
    memberships = await service.memberships_of(api_user(request))
    return respond([org_out(m.organisation, m) for m in memberships])


async def create_organisation(request: Request) -> Response:
    user = api_user(request)
    org = await service.create_organisation(user, await json_body(request, OrganisationIn))
    owner = await membership_for(user, org.slug)
    return respond(org_out(org, owner), status_code=201)


async def get_organisation(request: Request) -> Response:
    membership = await membership_for(api_user(request), request.path_params["org"])
    return respond(org_out(membership.organisation, membership))


async def list_members(request: Request) -> Response:
    membership = await membership_for(api_user(request), request.path_params["org"])
    page = page_number(request.query_params.get("page"))
    members = await service.list_members(membership.organisation, page)
    return respond_page(request, [
        MemberOut(id=m.id, user_id=m.user_id, display_name=m.user.display_name, role=m.role)
        for m in members.items], members)


async def invite(request: Request) -> Response:
    membership = await membership_for(api_user(request), request.path_params["org"])
    invitation = await service.invite(membership, await json_body(request, InvitationIn),
                                      throttle=request.app.state.throttle)
    return respond(InvitationOut(id=invitation.id, email=invitation.email, role=invitation.role),
                   status_code=201)
