"""The broadcast in the JSON API: its live counts and report, and the staff's controls."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.api import api_user, json_body, respond
from app.tenancy import membership_for
from app.web import settings_of
from campaigns.broadcast.schemas import BroadcastActionIn, BroadcastOut
from campaigns.broadcast.service import control as broadcast_control
from campaigns.broadcast.service.report import Report


def broadcast_out(found: Report) -> BroadcastOut:
    row = found.broadcast
    return BroadcastOut(
        status=row.status, network=row.network, assisted=row.assisted, post_id=row.post_ref,
        scheduled_at=row.scheduled_at, started_at=found.started_at,
        finished_at=found.finished_at,
        duration_seconds=found.duration.total_seconds() if found.duration else None,
        counts=found.counts, reasons=found.reasons,
        delivered_followers=found.delivered_followers, per_second=found.per_second,
        seconds_left=found.seconds_left, links_opened=found.links_opened,
        stop_reason=row.stop_reason)


async def get_broadcast(request: Request) -> Response:
    membership = await membership_for(api_user(request), request.path_params["org"])
    return respond(broadcast_out(await broadcast_control.staff_report(
        membership, request.path_params["slug"])))


async def control_broadcast(request: Request) -> Response:
    membership = await membership_for(api_user(request), request.path_params["org"])
    data = await json_body(request, BroadcastActionIn)
    slug = request.path_params["slug"]
    await broadcast_control.control(membership, slug, data.action, settings_of(request))
    return respond(broadcast_out(await broadcast_control.staff_report(membership, slug)),
                   status_code=202)
