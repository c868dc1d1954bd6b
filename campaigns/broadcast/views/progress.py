"""The staff's live page of a broadcast: its counts, rate and time left (the page refreshes
itself while it runs, no script needed), the failures by reason, the report once it is over,
and the buttons to start it now, pause, resume or abort it."""

from __future__ import annotations

import secrets

from starlette.requests import Request
from starlette.responses import Response

from app import timefmt
from app.crypto import SecretBox
from app.errors import Conflict, Invalid
from app.forms import validate
from app.i18n import lazy_gettext as _l
from app.templating import render
from app.tenancy import membership_for
from app.urls import url
from app.web import form_dict, redirect, require_user, settings_of, viewer_timezone
from campaigns.broadcast.lifecycle import BROADCASTS, DELIVERIES
from campaigns.broadcast.schemas import BroadcastActionIn
from campaigns.broadcast.service import broadcasts, publisher
from campaigns.broadcast.service import control as broadcast_control
from campaigns.broadcast.statuses import BroadcastStatus
from campaigns.campaign.lifecycle import Actor
from campaigns.networks.registry import provider_for
from campaigns.pledges.links import callback_url
from campaigns.pledges.service import connect

START_NOW = _l("start it now")   # before its moment: publish and fan out at once


async def staff_broadcast(request: Request) -> Response:
    membership = await membership_for(require_user(request), request.path_params["org"])
    org, slug = membership.organisation, request.path_params["slug"]
    message = None
    if request.method == "POST":
        async with request.form() as form:
            values = form_dict(form)
        try:
            data = validate(BroadcastActionIn, values)
            await broadcast_control.control(membership, slug, data.action,
                                            settings_of(request))
        except (Invalid, Conflict) as error:
            message = error.message
        else:
            return redirect(url("campaigns:broadcast", org=org.slug, slug=slug,
                                query={data.action: 1}))
    found = await broadcast_control.staff_report(membership, slug)
    status = found.broadcast.status
    actions = BROADCASTS.available(status, Actor.STAFF)
    if status is BroadcastStatus.SCHEDULED:
        actions = ["start", *actions]
    row = found.broadcast
    due = status is BroadcastStatus.SCHEDULED and row.scheduled_at <= timefmt.now()
    return render(request, "campaigns/broadcast/broadcast.html", {
        "org": org, "slug": slug, "report": found, "message": message,
        # refreshed while it goes (or its start, pressed, waits for the worker)
        "live": due or status in (BroadcastStatus.PUBLISHING, BroadcastStatus.RUNNING),
        "changeable": status is BroadcastStatus.SCHEDULED and not due,
        # before the moment the mode is what the network's approval says now
        "assisted": (not await broadcasts.automated(org, row.network)
                     if status is BroadcastStatus.SCHEDULED else row.assisted),
        "publisher": await publisher.publisher_of(org, found.broadcast),
        "tz": viewer_timezone(request, org), "status_label": BROADCASTS.state_labels[status],
        "state_labels": DELIVERIES.state_labels, "actions": actions,
        "action_labels": {**BROADCASTS.action_labels, "start": START_NOW}},
        status_code=409 if message else 200)


async def connect_publisher(request: Request) -> Response:
    """A form's POST (another site cannot start it): staff go on to the network's authorise
    page, signed in there as the campaign's account."""
    settings = settings_of(request)
    membership = await membership_for(require_user(request), request.path_params["org"])
    row = await broadcast_control.broadcast_of(membership.organisation,
                                               request.path_params["slug"])
    browser = request.session.setdefault("browser", secrets.token_urlsafe(16))
    authorise = await publisher.start(membership, request.path_params["slug"],
                                      provider_for(settings, row.network), SecretBox(settings),
                                      browser=browser,
                                      redirect_uri=callback_url(request, row.network))
    return redirect(authorise)


async def publisher_connected(request: Request, claimed: connect.Claimed) -> Response:
    """The OAuth callback of a staff attempt: the account becomes the publisher (for the
    staff member who began it, signed in here still)."""
    settings = settings_of(request)
    org, attempt = claimed.org, claimed.attempt
    provider = provider_for(settings, attempt.network)
    membership = await membership_for(require_user(request), org.slug)
    if request.query_params.get("error") or not request.query_params.get("code"):
        campaign = claimed.campaign
        return redirect(url("campaigns:broadcast", org=org.slug, slug=campaign.slug))
    campaign, _ = await publisher.finish(
        membership, attempt, provider, SecretBox(settings), state=request.query_params["state"],
        code=request.query_params["code"], redirect_uri=callback_url(request, attempt.network))
    return redirect(url("campaigns:broadcast", org=org.slug, slug=campaign.slug,
                        query={"connected": 1}))
