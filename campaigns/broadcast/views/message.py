"""The sponsor's post: the winner writes it (with a preview of how X counts it), staff approve
it or return it with comments, and move the broadcast when the approval deadline passed."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.errors import Conflict, Invalid
from app.forms import validate
from app.templating import render
from app.tenancy import membership_for, organisation
from app.timefmt import common_timezones
from app.urls import url
from app.web import form_dict, redirect, require_user, viewer_timezone
from campaigns.broadcast import post_text
from campaigns.broadcast.lifecycle import BROADCASTS, MESSAGES
from campaigns.broadcast.schemas import BroadcastMoveIn, MessageIn, MessageReviewIn
from campaigns.broadcast.service import messages


def _typed(values: dict[str, Any]) -> post_text.Measure | None:
    text = str(values.get("text", "")).replace("\r\n", "\n")   # as the form's check reads it
    disclosure = str(values.get("disclosure", ""))
    if not text.strip() or disclosure not in post_text.DISCLOSURES:
        return None
    return post_text.measure(text, disclosure)


Act = Callable[[dict[str, Any]], Awaitable[Response | None]]


async def _posted(request: Request, values: dict[str, Any], act: Act
                  ) -> tuple[Response | None, dict[str, Any], dict[str, str], str | None]:
    """On POST, read the form and run `act`; its refusal is shown with the form again."""
    if request.method != "POST":
        return None, values, {}, None
    async with request.form() as form:
        values = form_dict(form)
    try:
        return await act(values), values, {}, None
    except (Invalid, Conflict) as error:
        return None, values, error.fields, error.message


async def sponsor_message(request: Request) -> Response:
    """GET shows the post (or an empty form); POST "preview" counts it as X would without
    saving; POST "submit" sends it to the foundation."""
    user = require_user(request)
    org = await organisation(request.path_params["org"])
    slug = request.path_params["slug"]
    page = await messages.sponsor_page(user, org, slug)
    found = page.found

    async def act(values: dict[str, Any]) -> Response | None:
        data = validate(MessageIn, values)
        if values.get("action") != "submit":
            return None                                   # a preview
        await messages.submit(user, org, slug, data)
        return redirect(url("campaigns:message", org=org.slug, slug=slug,
                            query={"submitted": 1}))

    done, values, errors, message = await _posted(request, {
        "text": found.message.text, "disclosure": found.message.disclosure}
        if found.message else {}, act)
    if done is not None:
        return done
    return render(request, "campaigns/broadcast/message.html", {
        "org": org, "found": found, "values": values, "errors": errors, "message": message,
        "typed": _typed(values), "tz": viewer_timezone(request, org),
        "disclosures": [(label, label) for label in post_text.DISCLOSURES],
        "max_length": post_text.MAX_LENGTH,
        "status_label": MESSAGES.state_labels[found.message.status] if found.message else None,
        "reports": page.reports,
        "broadcast_labels": BROADCASTS.state_labels,
    }, status_code=422 if errors or message else 200)


async def staff_message(request: Request) -> Response:
    """Staff read the post as it will go out, approve it or return it with comments, and
    move the broadcast (a separate form, below)."""
    membership = await membership_for(require_user(request), request.path_params["org"])
    org = membership.organisation
    slug = request.path_params["slug"]
    found = await messages.for_staff(membership, slug)

    async def act(values: dict[str, Any]) -> Response:
        if values.get("form") == "move":
            await messages.move_broadcast(membership, slug, validate(BroadcastMoveIn, values))
            return redirect(url("campaigns:message_review", org=org.slug, slug=slug,
                                query={"moved": 1}))
        data = validate(MessageReviewIn, values)
        await messages.review(membership, slug, data)
        return redirect(url("campaigns:message_review", org=org.slug, slug=slug,
                            query={data.action: 1}))

    done, values, errors, message = await _posted(request, {}, act)
    if done is not None:
        return done
    return render(request, "campaigns/broadcast/message_review.html", {
        "org": org, "found": found, "values": values, "errors": errors, "message": message,
        "timezones": common_timezones(), "tz": viewer_timezone(request, org),
        "status_label": MESSAGES.state_labels[found.message.status] if found.message else None,
    }, status_code=422 if errors or message else 200)
