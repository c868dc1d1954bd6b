"""Data minimisation: tokens are kept only while a pledge may still need them. Withdrawing and
cancelling delete them at once (campaigns.service.reach); this catches the rest: accounts
whose pledges are all in campaigns that are completed, cancelled, or broadcast more than
`AFTER_BROADCAST` ago. Runs hourly; each deletion is audited."""

from __future__ import annotations

from datetime import timedelta

from app import timefmt
from app.orgs.models import Organisation
from campaigns.models import Campaign, CampaignStatus, PledgeStatus, SocialAccount
from campaigns.service import reach

AFTER_BROADCAST = timedelta(hours=20)  # within the 24 hours promised, with room for a retry
DONE = (CampaignStatus.COMPLETED, CampaignStatus.CANCELLED)


async def delete_expired_tokens() -> int:
    holding = SocialAccount.filter(tokens_deleted_at=None)  # unscoped: a job across tenants
    deleted = 0
    for account in await holding.only("id", "organisation_id"):
        if await _still_needed(account):
            continue
        org = await Organisation.get(id=account.organisation_id)
        await reach.delete_tokens(org, account.id)
        deleted += 1
    return deleted


async def release(org: Organisation, campaign_id: int) -> int:
    """The campaign ended (cancelled, completed): its accounts' tokens go unless another live
    campaign still needs them."""
    deleted = 0
    for account in await SocialAccount.filter(  # unscoped: the campaign's organisation
            organisation_id=org.id, tokens_deleted_at=None, pledges__campaign_id=campaign_id
    ).distinct():
        if not await _still_needed(account):
            await reach.delete_tokens(org, account.id)
            deleted += 1
    return deleted


async def _still_needed(account: SocialAccount) -> bool:
    cutoff = timefmt.now() - AFTER_BROADCAST
    live = Campaign.filter(  # unscoped: the account's own organisation, by its pledges
        organisation_id=account.organisation_id, status__not_in=list(DONE),
        broadcast_at__gt=cutoff, pledges__account_id=account.id,
        pledges__status=PledgeStatus.ACTIVE)
    return bool(await live.exists())
