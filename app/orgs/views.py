"""Organisation pages: creation, the dashboard shell, members and invitations."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.forms import validate
from app.i18n import language_choices
from app.orgs import service
from app.orgs.models import Membership, Role
from app.orgs.permissions import can_manage_members, can_manage_programmes
from app.orgs.schemas import InvitationIn, OrganisationIn, RoleIn
from app.pagination import page_number
from app.templating import render
from app.tenancy import membership_for
from app.timefmt import common_timezones
from app.urls import url
from app.web import current_user, form_dict, form_page, redirect, require_user, settings_of


async def _membership(request: Request) -> Membership:
    return await membership_for(require_user(request), request.path_params["org"])


async def create_organisation(request: Request) -> Response:
    user = require_user(request)

    async def act(data: OrganisationIn) -> Response:
        org = await service.create_organisation(user, data)
        return redirect(url("orgs:dashboard", org=org.slug))

    return await form_page(request, "orgs/new.html", OrganisationIn, act, {
        "timezones": common_timezones(),
        "languages": language_choices(),
    })


async def dashboard(request: Request) -> Response:
    """Every member's start page in the organisation; staff see more than reviewers."""
    membership = await _membership(request)
    return render(request, "orgs/dashboard.html", {
        "membership": membership, "org": membership.organisation,
        "can_manage": bool(can_manage_members(membership)),
        "is_staff": bool(can_manage_programmes(membership)),
    })


async def members(request: Request) -> Response:
    membership = await _membership(request)
    org = membership.organisation

    async def act(data: InvitationIn) -> Response:
        await service.invite(membership, data, throttle=request.app.state.throttle)
        return redirect(url("orgs:members", org=org.slug, query={"invited": 1}))

    return await form_page(request, "orgs/members.html", InvitationIn, act, {
        "membership": membership, "org": org, "roles": list(Role),
        "members": await service.list_members(org, page_number(request.query_params.get("page"))),
        "invitations": await service.pending_invitations(org),
        "can_manage": bool(can_manage_members(membership)),
        "is_staff": bool(can_manage_programmes(membership)),
    })


async def change_role(request: Request) -> Response:
    membership = await _membership(request)
    async with request.form() as form:
        data = validate(RoleIn, form_dict(form))
    await service.change_role(membership, request.path_params["member_id"], data.role)
    return redirect(url("orgs:members", org=membership.organisation.slug,
                        query={"changed": 1}))


async def revoke_invitation(request: Request) -> Response:
    membership = await _membership(request)
    await service.revoke_invitation(membership, request.path_params["invitation_id"])
    return redirect(url("orgs:members", org=membership.organisation.slug,
                        query={"revoked": 1}))


async def invitation(request: Request) -> Response:
    settings = settings_of(request)
    token = request.path_params["token"]
    if request.method == "POST":
        org = await service.accept_invitation(settings, token, require_user(request))
        return redirect(url("orgs:dashboard", org=org.slug))
    found = await service.invitation_for_token(settings, token)
    return render(request, "orgs/invitation.html", {
        "invitation": found, "org": found.organisation, "user": current_user(request),
        "next": request.url.path,
    })
