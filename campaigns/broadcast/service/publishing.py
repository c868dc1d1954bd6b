"""At the moment: the campaign's own account publishes the approved post, once, and the
fan-out starts; when the fan-out ends the campaign completes and its tokens go.

Publishing is made safe against a crash between the network's answer and our commit: the
move to "publishing" is committed first with a marker — the publisher's newest post then —
and a retry finds the original post made since the marker instead of posting again. Before
the fan-out starts the post is checked to exist; the deliveries are topped up with pledges
made since the approval.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from app import timefmt
from app.crypto import SecretBox
from app.db import atomic
from app.orgs.models import Organisation
from app.tenancy import get_locked, scoped
from campaigns.broadcast.models import Broadcast
from campaigns.broadcast.service import broadcasts
from campaigns.broadcast.service.fanout import move
from campaigns.broadcast.statuses import BroadcastStatus
from campaigns.campaign.lifecycle import Actor
from campaigns.campaign.models import Campaign
from campaigns.campaign.service import apply as apply_to_campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.networks.protocol import SocialProvider, TokenRevoked
from campaigns.pledges.models import SocialAccount
from campaigns.pledges.service import tokens
from campaigns.pledges.service.connect import access_token


async def publish(org: Organisation, broadcast_id: int, provider: SocialProvider,
                  box: SecretBox) -> BroadcastStatus:
    """Publish the post and start the fan-out; safe to run again at any point."""
    row = await scoped(Broadcast, org).get(id=broadcast_id)
    if row.status not in (BroadcastStatus.SCHEDULED, BroadcastStatus.PUBLISHING):
        return row.status
    publisher = (await scoped(SocialAccount, org).get_or_none(id=row.publisher_id)
                 if row.publisher_id is not None else None)
    try:
        token = (await access_token(org, publisher.id, provider, box)
                 if publisher is not None else None)
    except TokenRevoked:
        token = None
    if publisher is None or token is None:
        await move(org, row.id, "stop", Actor.SYSTEM, reason="no_publisher")
        return BroadcastStatus.STOPPED
    if row.status is BroadcastStatus.SCHEDULED:
        newest = await provider.posts_since(token, publisher.account_id, None)
        await scoped(Broadcast, org).filter(id=row.id).update(  # the mode as of now:
            publish_marker=newest[0].id if newest else None,    # an approval may have come
            assisted=not await broadcasts.automated(org, row.network))  # since scheduling
        if await move(org, row.id, "publish", Actor.SYSTEM) is None:
            return await _others(org, row.id)          # another process is publishing
        row = await scoped(Broadcast, org).get(id=row.id)
    elif row.post_ref is None and timefmt.now() - row.updated_at < PUBLISH_LEASE:
        return await _others(org, row.id)              # someone else's, recently begun
    if row.post_ref is None:
        made = [post for post in await provider.posts_since(
            token, publisher.account_id, row.publish_marker) if post.repost_of is None]
        post_ref = made[-1].id if made else await provider.publish(
            token, row.post_text, paid_partnership=row.paid_partnership)
        await scoped(Broadcast, org).filter(id=row.id).update(post_ref=post_ref)
        row.post_ref = post_ref
    if not await provider.post_exists(token, row.post_ref):
        await move(org, row.id, "stop", Actor.SYSTEM, reason="post_deleted")
        return BroadcastStatus.STOPPED
    await broadcasts.add_missing(org, row)
    await broadcasts.fresh_statistics()
    async with atomic():
        campaign = await get_locked(Campaign, org, id=row.campaign_id)
        if campaign.status is CampaignStatus.SCHEDULED:
            await apply_to_campaign(org, campaign, "start_broadcast", Actor.SYSTEM, None)
    started = await move(org, row.id, "start", Actor.SYSTEM)
    return started.status if started else row.status


async def finish(org: Organisation, campaign_id: int) -> None:
    """A broadcast completed: the campaign completes once none of its broadcasts is left
    open, and its accounts' tokens are deleted."""
    async with atomic():
        campaign = await get_locked(Campaign, org, id=campaign_id)
        still_open = scoped(Broadcast, org).filter(
            campaign_id=campaign_id, status__in=list(tokens.OPEN_BROADCASTS))
        if campaign.status is not CampaignStatus.BROADCASTING or await still_open.exists():
            return
        await apply_to_campaign(org, campaign, "complete", Actor.SYSTEM, None)
    await tokens.release(org, campaign_id)


PUBLISH_LEASE = timedelta(seconds=60)   # a publisher silent this long has died


async def _others(org: Organisation, broadcast_id: int) -> BroadcastStatus:
    """Another process publishes: wait for it (running), or for its lease to end (then
    this call, run again, takes over and finds the post made since the marker)."""
    deadline = timefmt.now() + PUBLISH_LEASE
    while timefmt.now() < deadline:
        row = await scoped(Broadcast, org).get(id=broadcast_id)
        if row.status is not BroadcastStatus.PUBLISHING:
            return row.status
        await asyncio.sleep(0.2)
    return BroadcastStatus.PUBLISHING
