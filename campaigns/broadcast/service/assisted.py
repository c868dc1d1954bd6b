"""Assisted mode: a network that has not approved automated posting gets no automatic
reposts. At the moment, each supporter is given a one-tap link instead — mailed to those
who left an email, and shown on their pledge page — that opens the network's repost intent
for the post, signed in as themselves. The link goes through Harambee, which notes the first
time each supporter opens it; whether they then reposted, the network does not tell us, so
the report counts links given and opened, never reposts.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import aiosmtplib

from app import timefmt
from app.i18n import localised
from app.mail import send_mail
from app.orgs.models import Organisation
from app.settings import Settings
from app.tenancy import scoped
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.statuses import BroadcastStatus
from campaigns.campaign.models import Campaign
from campaigns.pledges.links import repost_path
from campaigns.pledges.models import Pledge
from campaigns.pledges.statuses import PledgeStatus

# a supporter can use the link while the broadcast runs and after it ends (not if stopped)
LINKED = (BroadcastStatus.RUNNING, BroadcastStatus.PAUSED, BroadcastStatus.COMPLETED)

MAILS_AT_ONCE = 5       # connections to the mail server from one worker (providers throttle)
Tell = Callable[[Organisation, Broadcast, int], Awaitable[bool]]


class MailNotSent(Exception):
    """The link's mail could not go now (the mail server refused or was unreachable)."""


def teller(ctx: dict[str, Any]) -> Tell:
    """How a fan-out worker tells one supporter: their link by mail, in their language;
    False when they left no email (the pledge page shows it still)."""
    settings: Settings = ctx["settings"]
    at_once = asyncio.Semaphore(MAILS_AT_ONCE)

    async def tell(org: Organisation, broadcast: Broadcast, pledge_id: int) -> bool:
        pledge = await scoped(Pledge, org).select_related("account", "campaign").get(
            id=pledge_id)
        if not pledge.email:
            return False
        campaign: Campaign = pledge.campaign
        try:
            async with at_once:
                await send_mail(ctx, to=pledge.email,
                                template="campaigns/broadcast/mail/broadcast_link",
                                locale=pledge.locale, context={
                                    "organisation": org, "handle": pledge.account.handle,
                                    "title": localised(campaign.title, [pledge.locale]),
                                    "post": broadcast.post_text,
                                    "link": repost_path(settings, pledge)})
        except (OSError, aiosmtplib.SMTPException) as exc:
            raise MailNotSent(type(exc).__name__) from exc
        return True

    return tell


async def broadcast_for(org: Organisation, pledge: Pledge) -> Broadcast | None:
    """The assisted broadcast whose link this supporter may use now, if any."""
    if pledge.status is not PledgeStatus.ACTIVE:
        return None
    delivery = await scoped(Delivery, org).filter(
        pledge_id=pledge.id, broadcast__assisted=True, broadcast__post_ref__not_isnull=True,
        broadcast__status__in=list(LINKED)).first()
    if delivery is None:
        return None
    return await scoped(Broadcast, org).get(id=delivery.broadcast_id)


async def opened(org: Organisation, broadcast: Broadcast, pledge: Pledge) -> None:
    """The supporter followed their link: the first time is what the report counts."""
    await scoped(Delivery, org).filter(broadcast_id=broadcast.id, pledge_id=pledge.id,
                                       link_opened_at__isnull=True).update(
        link_opened_at=timefmt.now())
