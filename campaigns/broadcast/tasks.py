"""Jobs of the broadcast: notices to supporters and the sponsor, starting at the moment, the
fan-out's lanes, and the report."""

from __future__ import annotations

import logging
from typing import Any

from app.i18n import localised
from app.mail import send_mail
from app.queue import JobFunc, Periodic, TransientError
from app.urls import url
from campaigns.auction.tasks import _sponsor_user
from campaigns.broadcast.lifecycle import BROADCASTS
from campaigns.broadcast.models import Broadcast, SponsorMessage
from campaigns.broadcast.service import jobs as broadcast_jobs
from campaigns.broadcast.service import messages
from campaigns.broadcast.service import report as broadcast_report
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.links import manage_path

logger = logging.getLogger(__name__)


async def tell_message_returned(ctx: dict[str, Any], message_id: int) -> None:
    """Staff returned the post: the sponsor reads their comments and the deadline."""
    message = await SponsorMessage.get_or_none(id=message_id).select_related(  # unscoped: job
        "campaign", "organisation")
    user = await _sponsor_user(message.sponsor_id, message.organisation_id) if message else None
    if message is None or user is None:
        return
    org, campaign = message.organisation, message.campaign
    await send_mail(ctx, to=user.email, template="campaigns/broadcast/mail/message_returned",
                    locale=user.locale,
                    context={"message": message, "organisation": org, "user": user,
                             "title": localised(campaign.title, org.locales),
                             "deadline": messages.approval_deadline(campaign),
                             "link": url("campaigns:message", org=org.slug,
                                         slug=campaign.slug)})


async def tell_sponsor_moved(ctx: dict[str, Any], campaign_id: int) -> None:
    """The broadcast moved: the winning sponsor hears the new moment and, if their post is
    not approved yet, the new deadline."""
    campaign = await Campaign.get_or_none(id=campaign_id).select_related(  # unscoped: job
        "organisation")
    sponsor = await messages.winner(campaign.organisation, campaign) if campaign else None
    user = await _sponsor_user(sponsor.id, sponsor.organisation_id) if sponsor else None
    if campaign is None or user is None:
        return
    org = campaign.organisation
    await send_mail(ctx, to=user.email, template="campaigns/broadcast/mail/broadcast_moved",
                    locale=user.locale,
                    context={"organisation": org, "user": user, "campaign": campaign,
                             "title": localised(campaign.title, org.locales),
                             "approved": campaign.status is CampaignStatus.SCHEDULED,
                             "deadline": messages.approval_deadline(campaign),
                             "link": url("campaigns:message", org=org.slug,
                                         slug=campaign.slug)})


async def notify_supporters(ctx: dict[str, Any], campaign_id: int, moved: int = 0,
                            pledge_id: int = 0) -> None:
    """Every supporter with an email gets the notice due (the post and its moment, or, when
    `moved`, the new moment), once each, page by page; or only `pledge_id`, whose email
    just came. A mail that cannot go is tried again with the job (the others are sent)."""
    campaign = await Campaign.get_or_none(id=campaign_id).select_related(  # unscoped: job
        "organisation")
    notice = await messages.notice_for(campaign, bool(moved)) if campaign else None
    if campaign is None or notice is None:
        return
    org, after, failed = campaign.organisation, 0, 0
    while pledges := await messages.due_notices(campaign, notice, pledge_id or None, after):
        for pledge in pledges:
            if not await messages.claim(pledge, notice):
                continue                               # another job told them
            try:
                await send_mail(ctx, to=pledge.email or "",
                                template="campaigns/broadcast/mail/broadcast_notice",
                                locale=pledge.locale, context={
                                    "organisation": org, "notice": notice,
                                    "moved": messages.told_before(pledge, notice) or (
                                        moved and notice.post is None),
                                    "handle": pledge.account.handle, "tz": org.timezone,
                                    "title": localised(campaign.title, [pledge.locale]),
                                    "link": manage_path(ctx["settings"], pledge)})
            except Exception:  # one address's trouble must not stop the others' notices
                logger.exception("the notice to pledge %s was not sent", pledge.id)
                await messages.unclaim(pledge, notice)
                failed += 1
        after = pledges[-1].id
        current = await Campaign.get(id=campaign.id)  # unscoped: the same campaign, again
        if await messages.notice_for(current, bool(moved)) != notice:
            return                                     # a newer notice's job tells everyone
    if failed:
        raise TransientError(f"{failed} notices were not sent: trying again")


async def start_broadcast(ctx: dict[str, Any], broadcast_id: int) -> None:
    """At the broadcast's moment: publish the post, start the fan-out's lanes."""
    await broadcast_jobs.start(ctx, broadcast_id)


async def fan_out(ctx: dict[str, Any], broadcast_id: int, lane: int, slice_number: int
                  ) -> None:
    """One lane of a broadcast's fan-out, for a slice of time."""
    await broadcast_jobs.lane(ctx, broadcast_id, lane, slice_number)


async def broadcasts_due(ctx: dict[str, Any]) -> None:
    """Every minute: broadcasts whose jobs were lost start (again)."""
    await broadcast_jobs.catch_up(ctx)


async def tell_sponsor_report(ctx: dict[str, Any], broadcast_id: int) -> None:
    """A broadcast ended (completed, stopped or aborted): its sponsor gets the report."""
    row = await Broadcast.get_or_none(id=broadcast_id).select_related(  # unscoped: job
        "organisation", "campaign")
    sponsor = await messages.winner(row.organisation, row.campaign) if row else None
    user = await _sponsor_user(sponsor.id, sponsor.organisation_id) if sponsor else None
    if row is None or user is None:
        return
    org, campaign = row.organisation, row.campaign
    await send_mail(ctx, to=user.email, template="campaigns/broadcast/mail/broadcast_report",
                    locale=user.locale,
                    context={"user": user, "title": localised(campaign.title, org.locales),
                             "report": await broadcast_report.report(org, row.id),
                             "status": BROADCASTS.state_labels[row.status],
                             "link": url("campaigns:message", org=org.slug,
                                         slug=campaign.slug)})


JOBS: tuple[JobFunc, ...] = (tell_message_returned, notify_supporters, tell_sponsor_moved,
                             start_broadcast, fan_out, broadcasts_due, tell_sponsor_report)
PERIODIC: tuple[Periodic, ...] = (
    Periodic("broadcasts_due", every_seconds=60),
)
