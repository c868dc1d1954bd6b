"""Co-op profile pages: create one (then go on to the call that sent you), edit it, add
contacts."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.orgs.models import Organisation
from app.templating import render
from app.urls import url
from app.web import current_user, form_page, redirect, require_user, safe_next, settings_of
from grants.coops import service as coops
from grants.coops.models import Cooperative
from grants.coops.schemas import ContactIn, CooperativeIn
from grants.shared.web import org_of, page_context


def _profile_values(coop: object, network: str) -> dict[str, object]:
    values = {name: getattr(coop, name) for name in CooperativeIn.model_fields
              if name not in ("certifications", "network")}
    values["network"] = network
    values["certifications"] = {c["scheme"]: {"held": "1", "identifier": c["identifier"]}
                                for c in getattr(coop, "certifications", [])}
    return values


async def new_cooperative(request: Request) -> Response:
    user = require_user(request)
    org = await org_of(request)
    target = safe_next(request.query_params.get("next"),
                       url("grants:my_applications", org=org.slug))

    async def act(data: CooperativeIn) -> Response:
        await coops.create_cooperative(user, org, data)
        return redirect(target)

    return await form_page(request, "grants/coops/coop_form.html", CooperativeIn, act, page_context(
        request, org, coop=None, networks=await coops.networks(org)))


async def edit_cooperative(request: Request) -> Response:
    user = require_user(request)
    org = await org_of(request)
    contact = await coops.contact_for(user, org, request.path_params["coop_id"])
    coop = contact.cooperative

    async def act(data: CooperativeIn) -> Response:
        await coops.update_cooperative(user, org, coop.id, data)
        return redirect(url("grants:coop", org=org.slug, coop_id=coop.id, query={"saved": 1}))

    context = page_context(request, org, coop=coop, networks=await coops.networks(org),
                           is_owner=contact.is_owner, **await _people(org, coop))
    if request.method != "POST":
        context["initial"] = _profile_values(coop, await coops.network_name(coop))
    return await form_page(request, "grants/coops/coop_form.html", CooperativeIn, act, context)


async def _people(org: Organisation, coop: Cooperative) -> dict[str, object]:
    return {"contacts": await coops.contacts(org, coop),
            "invitations": await coops.pending_invitations(org, coop)}


async def invite_contact(request: Request) -> Response:
    user = require_user(request)
    org = await org_of(request)
    coop_id = request.path_params["coop_id"]

    async def act(data: ContactIn) -> Response:
        await coops.invite_contact(user, org, coop_id, data,
                                   throttle=request.app.state.throttle)
        return redirect(url("grants:coop", org=org.slug, coop_id=coop_id, query={"invited": 1}))

    contact = await coops.contact_for(user, org, coop_id)
    coop = contact.cooperative
    return await form_page(request, "grants/coops/coop_form.html", ContactIn, act, page_context(
        request, org, coop=coop, networks=await coops.networks(org), is_owner=contact.is_owner,
        initial=_profile_values(coop, await coops.network_name(coop)), contact_form=True,
        **await _people(org, coop)))


async def invitation(request: Request) -> Response:
    """The link in the invitation mail: accept when signed in with the invited address."""
    settings = settings_of(request)
    token = request.path_params["token"]
    if request.method == "POST":
        accepted = await coops.accept_invitation(settings, token, require_user(request))
        return redirect(url("grants:coop", org=accepted.organisation.slug,
                                coop_id=accepted.cooperative_id))
    found = await coops.invitation_for_token(settings, token)
    return render(request, "grants/coops/coop_invitation.html", {
        "invitation": found, "coop": found.cooperative, "org": found.organisation,
        "user": current_user(request), "next": request.url.path})
