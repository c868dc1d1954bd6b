"""Staff's hold on a broadcast: start it now (instead of at its moment), pause, resume or
abort it; and the command line's foreground run (`harambee broadcast run`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from contextlib import AsyncExitStack

from app import queue, timefmt
from app.crypto import SecretBox
from app.errors import Conflict, Invalid, NotFound
from app.i18n import lazy_gettext as _l
from app.mail import build_mailer
from app.orgs.models import Membership, Organisation
from app.settings import Settings
from app.tenancy import get_scoped, scoped
from campaigns.broadcast.limits import Limiter
from campaigns.broadcast.models import Broadcast
from campaigns.broadcast.service import broadcasts, publishing
from campaigns.broadcast.service import jobs as broadcast_jobs
from campaigns.broadcast.service import report as broadcast_report
from campaigns.broadcast.service.fanout import move
from campaigns.broadcast.statuses import BroadcastStatus
from campaigns.campaign.lifecycle import Actor
from campaigns.campaign.models import Campaign
from campaigns.campaign.service import require_staff
from campaigns.networks.protocol import SocialProvider
from campaigns.networks.registry import provider_for
from campaigns.networks.x import XProvider

ACTIONS = ("start", "pause", "resume", "abort")


async def broadcast_of(org: Organisation, slug: str) -> Broadcast:
    """The campaign's broadcast (on its first network); 404 before the post's approval."""
    campaign = await get_scoped(Campaign, org, slug=slug)
    found = await scoped(Broadcast, org).filter(campaign_id=campaign.id).order_by("id").first()
    if found is None:
        raise NotFound()
    return found


async def staff_report(membership: Membership, slug: str) -> broadcast_report.Report:
    require_staff(membership)
    org = membership.organisation
    return await broadcast_report.report(org, (await broadcast_of(org, slug)).id)


async def control(membership: Membership, slug: str, action: str,
                  settings: Settings) -> Broadcast:
    require_staff(membership)
    org = membership.organisation
    row = await broadcast_of(org, slug)
    if action not in ACTIONS:
        raise Invalid(fields={"action": _l("Choose one of the options.")})
    if action == "start":
        if row.status is not BroadcastStatus.SCHEDULED:
            raise Conflict(_l("This broadcast has already started."), code="started")
        row.scheduled_at = timefmt.now()
        await row.save(update_fields=["scheduled_at", "updated_at"])
        await broadcasts.schedule_start(row)
        return row
    moved = await move(org, row.id, action, Actor.STAFF, membership.user_id,
                       reason="aborted_by_staff" if action == "abort" else "")
    if moved is None:
        raise Conflict(_l("This broadcast cannot do that now."), code="transition_refused")
    if action == "resume":
        for lane in range(settings.fanout_lanes):
            await queue.enqueue("fan_out", moved.id, lane, int(timefmt.now().timestamp()))
    return moved


async def run_here(settings: Settings, org_slug: str, campaign_slug: str, limiter: Limiter,
                   progress: Callable[[broadcast_report.Report], None]) -> BroadcastStatus:
    """Publish if needed, then the whole fan-out in this process (operators, benchmarks),
    telling `progress` every second or so."""
    org = await Organisation.get_or_none(slug=org_slug)
    if org is None:
        raise NotFound()
    row = await broadcast_of(org, campaign_slug)
    provider, box = provider_for(settings, row.network), SecretBox(settings)
    status = await publishing.publish(org, row.id, provider, box)
    if status is not BroadcastStatus.RUNNING:
        return status
    async with AsyncExitStack() as stack:
        if isinstance(provider, XProvider):   # one session: its connections are kept
            await stack.enter_async_context(provider.pooled())
        return await _fan_out(org, row, provider, box, limiter, settings, progress)


async def _fan_out(org: Organisation, row: Broadcast, provider: SocialProvider,
                   box: SecretBox, limiter: Limiter, settings: Settings,
                   progress: Callable[[broadcast_report.Report], None]) -> BroadcastStatus:
    ctx = {"settings": settings, "mailer": build_mailer(settings)}
    engine = broadcast_jobs.engine_for(ctx, org, row, provider, limiter, "cli")
    task = asyncio.create_task(engine.run())
    while not task.done():
        await asyncio.wait([task], timeout=1.0)
        progress(await broadcast_report.report(org, row.id))
    status = task.result()
    if status is BroadcastStatus.COMPLETED:
        await publishing.finish(org, row.campaign_id)
    return status

