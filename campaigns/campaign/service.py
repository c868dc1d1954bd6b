"""Campaigns, from the staff's side (create, move) and the public's (read the figures)."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError

from app import audit, moves, queue, timefmt
from app.db import atomic
from app.errors import Invalid
from app.i18n import lazy_gettext as _l
from app.orgs.models import Membership, Organisation
from app.orgs.permissions import can_manage_programmes
from app.permissions import require
from app.storage import JPEG, PNG, Storage, check_upload
from app.tenancy import get_locked, get_scoped, scoped
from app.transitions import Transition
from campaigns.auction.models import Auction
from campaigns.auction.service import moves as auction_moves
from campaigns.broadcast.models import Broadcast
from campaigns.broadcast.service import fanout
from campaigns.campaign.lifecycle import CAMPAIGNS, Actor, Effect
from campaigns.campaign.models import Campaign, NetworkApproval
from campaigns.campaign.schemas import CampaignIn
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges import quality
from campaigns.pledges.models import Pledge
from campaigns.pledges.service import pledges as pledging
from campaigns.pledges.service import tokens
from campaigns.pledges.statuses import PledgeStatus
from grants import funds

PUBLIC = (CampaignStatus.PLEDGING, CampaignStatus.AUCTION, CampaignStatus.SOLD,
          CampaignStatus.UNSOLD, CampaignStatus.SCHEDULED, CampaignStatus.BROADCASTING,
          CampaignStatus.COMPLETED)
# Pledging stays open through the auction, until the notice period before the broadcast.
PLEDGEABLE = (CampaignStatus.PLEDGING, CampaignStatus.AUCTION, CampaignStatus.SOLD,
              CampaignStatus.UNSOLD, CampaignStatus.SCHEDULED)


def require_staff(membership: Membership) -> None:
    require(can_manage_programmes(membership))


async def create_campaign(membership: Membership, data: CampaignIn) -> Campaign:
    require_staff(membership)
    org = membership.organisation
    if data.fund_id not in {fund.id for fund in await funds.list_funds(org)}:
        raise Invalid(fields={"fund_id": _l("Choose one of the organisation's funds.")})
    try:
        async with atomic():
            campaign = await Campaign.create(organisation=org, **data.model_dump())
            await pledging.create_shards(campaign)
            await audit.record(verb="campaign.created", obj=campaign,
                               actor_id=membership.user_id, organisation_id=org.id)
    except IntegrityError as exc:
        raise Invalid(fields={"slug": _l("This address is already taken. Choose another.")}
                      ) from exc
    return campaign


async def apply(org: Organisation, campaign: Campaign, action: str, actor: Actor,
                actor_id: int | None) -> Transition:
    """Move a locked campaign by its table, with the effects that belong in the transaction
    and an audit event; Conflict with the reason when the table refuses."""
    answer = moves.decide(CAMPAIGNS, campaign, action, actor)
    if Effect.REFUND in answer.effects:  # a job: the gateway is called after the commit
        await queue.enqueue("refund_auction", campaign.id)
    if action == "cancel":  # its broadcast never goes out; an auction not paid ends too
        open_ids: list[int] = await scoped(Broadcast, org).filter(  # type: ignore[assignment]
            campaign_id=campaign.id, status__in=list(tokens.OPEN_BROADCASTS)
        ).values_list("id", flat=True)
        for row_id in open_ids:
            await fanout.move(org, row_id, "abort", actor, actor_id,
                              reason="campaign_cancelled", tell_sponsor=False)
        auction = await scoped(Auction, org).select_for_update().get_or_none(
            campaign_id=campaign.id)
        if auction is not None and auction_moves.allowed(auction, "cancel", actor):
            await auction_moves.move_auction(auction, "cancel", actor, actor_id)
    changes = {}
    if Effect.RECORD_REACH in answer.effects:
        figures = await pledging.figures(org, campaign.id)
        changes = {"reach_at_auction_close": figures.reach,
                   "quality_reach_at_auction_close": figures.quality_reach}
    await moves.apply(CAMPAIGNS, campaign, answer, actor_id, changes=changes)
    return answer


async def move(membership: Membership, slug: str, action: str) -> Campaign:
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        campaign = await get_locked(Campaign, org, slug=slug)
        answer = await apply(org, campaign, action, Actor.STAFF, membership.user_id)
        if Effect.DELETE_TOKENS in answer.effects:  # a job, once this commits: the pledges
            await queue.enqueue("release_tokens", campaign.id)  # stay, their tokens go
    return campaign


@dataclass(frozen=True)
class Overview:
    campaign: Campaign
    figures: pledging.Figures
    actions: list[str]
    flags: dict[str, int]


async def staff_campaigns(membership: Membership) -> list[Overview]:
    require_staff(membership)
    org = membership.organisation
    found = await scoped(Campaign, org).order_by("-broadcast_at", "-id")
    return [Overview(c, await pledging.figures(org, c.id), CAMPAIGNS.available(c.status,
                                                                            Actor.STAFF),
                     await flag_counts(org, c.id))
            for c in found]


async def flag_counts(org: Organisation, campaign_id: int) -> dict[str, int]:
    """How many active pledges are protected or show a sign of inflation, by sign."""
    counts = {"protected": 0, "young": 0, "ratio": 0}
    moment = timefmt.now()
    for pledge in await scoped(Pledge, org).filter(
            campaign_id=campaign_id, status=PledgeStatus.ACTIVE).select_related("account"):
        account = pledge.account
        counts["protected"] += account.protected
        for flag in quality.flags(quality.Account(
                followers=account.followers, following=account.following,
                protected=account.protected, created_at=account.account_created_at), moment):
            counts[flag] = counts.get(flag, 0) + 1
    return counts


async def approvals(org: Organisation) -> dict[str, NetworkApproval]:
    return {a.network: a for a in await scoped(NetworkApproval, org)}


async def set_approval(membership: Membership, network: str, approved: bool,
                       reference: str) -> NetworkApproval:
    """Staff record whether the network approved automated posting, and its reference."""
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        approval, _ = await NetworkApproval.get_or_create(organisation=org, network=network)
        approval.approved, approval.reference = approved, reference
        approval.recorded_by_id = membership.user_id
        await approval.save()
        await audit.record(verb="network_approval.recorded", obj=approval,
                           actor_id=membership.user_id, organisation_id=org.id,
                           changed=["approved", "reference"])
    return approval


IMAGE_MAX_BYTES = 40 * 1024  # a supporter's page, image included, stays under 60 KB
IMAGE_KINDS = (JPEG, PNG)


async def set_image(membership: Membership, slug: str, filename: str, data: bytes,
                    storage: Storage) -> Campaign:
    """The campaign's picture: JPEG or PNG, small enough for a phone on a slow line."""
    require_staff(membership)
    checked = check_upload(filename, data, IMAGE_MAX_BYTES)
    if checked.kind not in IMAGE_KINDS:
        raise Invalid(fields={"image": _l("Upload a photo (JPEG or PNG).")})
    key = await storage.put(data, checked.kind.extensions[0])
    async with atomic():
        campaign = await get_locked(Campaign, membership.organisation, slug=slug)
        old, campaign.image_key = campaign.image_key, key
        await campaign.save(update_fields=["image_key", "updated_at"])
        await audit.record(verb="campaign.image_set", obj=campaign,
                           actor_id=membership.user_id,
                           organisation_id=membership.organisation.id, changed=["image_key"])
    if old:
        await storage.delete(old)
    return campaign


async def directory() -> list[Campaign]:
    """Campaigns taking pledges now, for anyone, across organisations."""
    return await Campaign.filter(  # unscoped: the public directory, across organisations
        status__in=list(PLEDGEABLE)).select_related("organisation").order_by(
        "pledge_closes_at").limit(50)


async def public_campaign(org: Organisation, slug: str) -> Campaign:
    return await get_scoped(Campaign, org, slug=slug, status__in=list(PUBLIC))


def taking_pledges(campaign: Campaign) -> bool:
    """In a pledging state, and within the pledge window (its close is the start of the
    notice period before the broadcast)."""
    return (campaign.status in PLEDGEABLE
            and campaign.pledge_opens_at <= timefmt.now() < campaign.pledge_closes_at)


async def has_auction(org: Organisation, campaign: Campaign) -> bool:
    """Whether the campaign's broadcast is (or was) at auction: its page links there."""
    return await scoped(Auction, org).filter(campaign_id=campaign.id).exists()
