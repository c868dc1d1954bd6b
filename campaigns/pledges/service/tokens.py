"""Data minimisation: tokens are kept only while a pledge — or a broadcast the account
publishes — may still need them. Withdrawing and
cancelling delete them at once (campaigns.service.reach); this catches the rest: accounts
whose pledges are all in campaigns that are completed, cancelled, or broadcast more than
`AFTER_BROADCAST` ago. Runs hourly; each deletion is audited."""

from __future__ import annotations

from datetime import timedelta

from app import timefmt
from app.audit import AuditEvent
from app.orgs.models import Organisation
from app.tenancy import scoped
from campaigns.broadcast.models import Broadcast
from campaigns.broadcast.statuses import BroadcastStatus
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.models import Pledge, SocialAccount
from campaigns.pledges.service import pledges as pledging
from campaigns.pledges.statuses import PledgeStatus

AFTER_BROADCAST = timedelta(hours=20)  # within the 24 hours promised, with room for a retry
DONE = (CampaignStatus.COMPLETED, CampaignStatus.CANCELLED)
OPEN_BROADCASTS = (BroadcastStatus.SCHEDULED, BroadcastStatus.PUBLISHING,
                   BroadcastStatus.RUNNING, BroadcastStatus.PAUSED)
CHUNK = 1000


async def delete_expired_tokens() -> int:
    holding = SocialAccount.filter(tokens_deleted_at=None)  # unscoped: a job across tenants
    deleted = 0
    for account in await holding.only("id", "organisation_id"):
        if await _still_needed(account):
            continue
        org = await Organisation.get(id=account.organisation_id)
        await pledging.delete_tokens(org, account.id)
        deleted += 1
    return deleted


async def release(org: Organisation, campaign_id: int) -> int:
    """The campaign ended (cancelled, completed): its accounts' tokens go unless another live
    campaign still needs them — a thousand accounts at a time (a broadcast may have
    100,000), each deletion audited."""
    holding: list[int] = await SocialAccount.filter(  # type: ignore[assignment]  # unscoped: its org's
        organisation_id=org.id, tokens_deleted_at=None, pledges__campaign_id=campaign_id
    ).distinct().values_list("id", flat=True)
    publishers: set[int] = set(await scoped(Broadcast, org).filter(  # type: ignore[arg-type]
        campaign_id=campaign_id, publisher_id__not_isnull=True).values_list(
        "publisher_id", flat=True))
    holding += sorted(publishers - set(holding))
    cutoff, deleted = timefmt.now() - AFTER_BROADCAST, 0
    for start in range(0, len(holding), CHUNK):
        chunk = holding[start:start + CHUNK]
        needed: list[int] = await Pledge.filter(  # type: ignore[assignment]  # unscoped: as above
            organisation_id=org.id, account_id__in=chunk, status=PledgeStatus.ACTIVE,
            campaign__status__not_in=list(DONE), campaign__broadcast_at__gt=cutoff,
        ).values_list("account_id", flat=True)
        needed += await scoped(Broadcast, org).filter(  # type: ignore[arg-type]
            publisher_id__in=chunk, status__in=list(OPEN_BROADCASTS)).values_list(
            "publisher_id", flat=True)
        going = sorted(set(chunk) - set(needed))
        await SocialAccount.filter(  # unscoped: the ids above, of this organisation
            organisation_id=org.id, id__in=going, tokens_deleted_at=None).update(
            access_token_enc=None, refresh_token_enc=None, tokens_deleted_at=timefmt.now())
        await AuditEvent.bulk_create([AuditEvent(
            organisation_id=org.id, actor_id=None, verb="social_account.tokens_deleted",
            object_type="SocialAccount", object_id=str(account_id),
            changed_fields=["access_token_enc", "refresh_token_enc"])
            for account_id in going])
        deleted += len(going)
    return deleted


async def _still_needed(account: SocialAccount) -> bool:
    cutoff = timefmt.now() - AFTER_BROADCAST
    live = Campaign.filter(  # unscoped: the account's own organisation, by its pledges
        organisation_id=account.organisation_id, status__not_in=list(DONE),
        broadcast_at__gt=cutoff, pledges__account_id=account.id,
        pledges__status=PledgeStatus.ACTIVE)
    publishing = Broadcast.filter(  # unscoped: as above, the broadcasts it publishes
        organisation_id=account.organisation_id, publisher_id=account.id,
        status__in=list(OPEN_BROADCASTS))
    return bool(await live.exists() or await publishing.exists())
