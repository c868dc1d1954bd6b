"""The staff's live page of a broadcast: its counts, rate and time left (the page refreshes
itself while it runs, no script needed), the failures by reason, the report once it is over,
and the buttons to start it now, pause, resume or abort it."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.errors import Conflict, Invalid
from app.forms import validate
from app.i18n import lazy_gettext as _l
from app.templating import render
from app.tenancy import membership_for
from app.web import form_dict, redirect, require_user, settings_of, viewer_timezone
from campaigns.lifecycle import BROADCASTS, DELIVERIES, Actor
from campaigns.schemas import BroadcastActionIn
from campaigns.service import broadcast_control

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
            return redirect(f"/o/{org.slug}/manage/campaigns/{slug}/broadcast?{data.action}=1")
    found = await broadcast_control.staff_report(membership, slug)
    status = found.broadcast.status
    actions = BROADCASTS.available(status, Actor.STAFF)
    if status.value == "scheduled":
        actions = ["start", *actions]
    return render(request, "campaigns/broadcast.html", {
        "org": org, "slug": slug, "report": found, "message": message,
        "tz": viewer_timezone(request, org), "status_label": BROADCASTS.state_labels[status],
        "state_labels": DELIVERIES.state_labels, "actions": actions,
        "action_labels": {**BROADCASTS.action_labels, "start": START_NOW}},
        status_code=409 if message else 200)

