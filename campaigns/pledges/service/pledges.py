"""Pledges and the reach counters: every change to a pledge moves one shard of the
campaign's counters in the same transaction, so the public figures are a sum of a few rows
that always equals the sum over active pledges."""

from __future__ import annotations

import random
from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.functions import Sum

from app import audit, queue, timefmt
from app.db import atomic
from app.errors import NotFound
from app.orgs.models import Organisation
from app.tenancy import get_scoped, scoped
from campaigns.broadcast.models import Broadcast
from campaigns.broadcast.service import assisted, broadcasts
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges import quality
from campaigns.pledges.models import SHARDS, Consent, Pledge, ReachShard, SocialAccount
from campaigns.pledges.statuses import PledgeStatus


@dataclass(frozen=True)
class Figures:
    pledges: int
    reach: int
    quality_reach: int


@dataclass(frozen=True)
class PledgeView:
    """What the supporter's pledge page shows beside the pledge."""

    campaign: Campaign
    account: SocialAccount
    figures: Figures
    repost: Broadcast | None  # the assisted broadcast whose link they may use now


@dataclass(frozen=True)
class ConsentGiven:
    """The consent as shown to the supporter, recorded word for word with the pledge."""

    text: str
    terms_version: str
    locale: str
    scopes: tuple[str, ...]


async def create_shards(campaign: Campaign) -> None:
    await ReachShard.bulk_create([ReachShard(organisation_id=campaign.organisation_id,
                                             campaign=campaign, shard=number)
                                  for number in range(SHARDS)])


async def figures(org: Organisation, campaign_id: int) -> Figures:
    rows = await scoped(ReachShard, org).filter(campaign_id=campaign_id).annotate(
        p=Sum("pledges"), r=Sum("reach"), q=Sum("quality_reach")).group_by(
        "campaign_id").values("p", "r", "q")
    row = rows[0] if rows else {}
    return Figures(int(row.get("p") or 0), int(row.get("r") or 0), int(row.get("q") or 0))


async def _move(campaign_id: int, pledges: int, reach: int, quality_reach: int) -> None:
    """Add to one shard, picked at random so that concurrent pledges rarely wait."""
    if pledges or reach or quality_reach:
        await ReachShard.filter(campaign_id=campaign_id,  # unscoped: the campaign's own
                                shard=random.randrange(SHARDS)).update(
            pledges=F("pledges") + pledges, reach=F("reach") + reach,
            quality_reach=F("quality_reach") + quality_reach)


def _quality(account: SocialAccount) -> int:
    return quality.quality_reach(quality.Account(
        followers=account.followers, following=account.following,
        protected=account.protected, created_at=account.account_created_at), timefmt.now())


async def pledge(org: Organisation, campaign: Campaign, account: SocialAccount,
                 consent: ConsentGiven, *, email: str | None = None) -> Pledge:
    """One pledge per account and campaign: pledging again renews it, never duplicates."""
    async with atomic():
        current = await scoped(Pledge, org).select_for_update().get_or_none(
            campaign_id=campaign.id, account_id=account.id)
        if current is None:
            try:
                async with atomic():  # a savepoint: the same account pledging twice at once
                    current = await Pledge.create(
                        organisation=org, campaign=campaign, account=account,
                        status=PledgeStatus.WITHDRAWN, locale=consent.locale)
            except IntegrityError:
                current = await scoped(Pledge, org).select_for_update().get(
                    campaign_id=campaign.id, account_id=account.id)
        was_active = current.status is PledgeStatus.ACTIVE
        reach, quality_reach = account.followers, _quality(account)
        await _move(campaign.id, 0 if was_active else 1, reach - current.counted_reach,
                    quality_reach - current.counted_quality)
        current.status = PledgeStatus.ACTIVE
        current.counted_reach, current.counted_quality = reach, quality_reach
        current.email = email or current.email
        current.locale = consent.locale
        current.withdrawn_at = None
        await current.save()
        await Consent.create(organisation=org, pledge=current, network=account.network,
                             terms_version=consent.terms_version, locale=consent.locale,
                             text=consent.text, scopes=list(consent.scopes))
        await audit.record(verb="pledge.renewed" if was_active else "pledge.made", obj=current,
                           actor_id=None, organisation_id=org.id,
                           changed=["status", "counted_reach"])
        if campaign.status is CampaignStatus.SCHEDULED:
            # the post is approved: the broadcast reposts this pledge too, and a supporter
            # back with a known email hears of it
            await broadcasts.add_pledge(org, campaign.id, current)
            if current.email:
                await queue.enqueue("notify_supporters", campaign.id, 0, current.id)
    return current


async def set_email(org: Organisation, pledge_id: int, email: str) -> None:
    """Where to send the notice of the final post (and this pledge's link, now)."""
    async with atomic():
        current = await scoped(Pledge, org).select_for_update().get(id=pledge_id)
        current.email = email
        await current.save(update_fields=["email", "updated_at"])
        await audit.record(verb="pledge.email_given", obj=current, actor_id=None,
                           organisation_id=org.id, changed=["email"])
        await queue.enqueue("send_pledge_link", current.id)
        # the post may be approved (or the moment moved) already: this supporter hears it too
        await queue.enqueue("notify_supporters", current.campaign_id, 0, current.id)


async def recount(org: Organisation, pledge_id: int, account: SocialAccount) -> None:
    """The account's figures changed (a profile check): move the counters by the difference."""
    async with atomic():
        current = await scoped(Pledge, org).select_for_update().get(id=pledge_id)
        if current.status is not PledgeStatus.ACTIVE:
            return
        reach, quality_reach = account.followers, _quality(account)
        await _move(current.campaign_id, 0, reach - current.counted_reach,
                    quality_reach - current.counted_quality)
        current.counted_reach, current.counted_quality = reach, quality_reach
        await current.save(update_fields=["counted_reach", "counted_quality", "updated_at"])


async def withdraw(org: Organisation, pledge_id: int) -> Pledge:
    """Take the pledge out of the reach at once; the account's tokens go with its last one."""
    async with atomic():
        current = await scoped(Pledge, org).select_for_update().get(id=pledge_id)
        if current.status is PledgeStatus.WITHDRAWN:
            return current
        await _move(current.campaign_id, -1, -current.counted_reach, -current.counted_quality)
        current.status = PledgeStatus.WITHDRAWN
        current.counted_reach = current.counted_quality = 0
        current.withdrawn_at = timefmt.now()
        await current.save()
        await audit.record(verb="pledge.withdrawn", obj=current, actor_id=None,
                           organisation_id=org.id, changed=["status"])
        if not await scoped(Pledge, org).filter(account_id=current.account_id,
                                                status=PledgeStatus.ACTIVE).exists():
            await delete_tokens(org, current.account_id)
    return current


async def delete_tokens(org: Organisation, account_id: int) -> None:
    """Data minimisation: the account keeps its profile figures, never unneeded tokens."""
    holding = scoped(SocialAccount, org).filter(id=account_id, tokens_deleted_at=None)
    if not await holding.update(access_token_enc=None, refresh_token_enc=None,
                                tokens_deleted_at=timefmt.now()):
        return  # already deleted
    account = await scoped(SocialAccount, org).get(id=account_id)
    await audit.record(verb="social_account.tokens_deleted", obj=account, actor_id=None,
                       organisation_id=org.id,
                       changed=["access_token_enc", "refresh_token_enc"])


async def by_link(org_id: object, pledge_id: object) -> tuple[Organisation, Pledge]:
    """The pledge a signed link names, with its organisation; NotFound once either is gone."""
    org = await Organisation.get_or_none(id=org_id)
    if org is None:
        raise NotFound()
    return org, await get_scoped(Pledge, org, id=pledge_id)


async def pledge_view(org: Organisation, pledge: Pledge) -> PledgeView:
    return PledgeView(campaign=await get_scoped(Campaign, org, id=pledge.campaign_id),
                      account=await get_scoped(SocialAccount, org, id=pledge.account_id),
                      figures=await figures(org, pledge.campaign_id),
                      repost=await assisted.broadcast_for(org, pledge))
