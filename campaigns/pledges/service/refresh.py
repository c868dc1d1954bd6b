"""Re-reading pledged accounts before the moments that count: the hours before pledges close
(the reach the sponsor buys) and before the broadcast (the reach delivered). Each account's
followers and token are checked once in a while (`STALE_AFTER`), a few at a time; a revoked
app or a suspended account leaves the reach; a rate limit ends the run (the next one goes
on from there)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from app import timefmt
from app.crypto import SecretBox
from app.orgs.models import Organisation
from campaigns.campaign.models import Campaign
from campaigns.campaign.service import PLEDGEABLE
from campaigns.networks.protocol import (
    AccountSuspended,
    ProviderError,
    RateLimited,
    SocialProvider,
    TokenRevoked,
)
from campaigns.pledges.models import Pledge, SocialAccount
from campaigns.pledges.service import connect
from campaigns.pledges.statuses import PledgeStatus

WINDOW = timedelta(hours=3)
STALE_AFTER = timedelta(hours=6)
AT_ONCE = 5


@dataclass
class Outcome:
    checked: int = 0
    left: int = 0                   # revoked or suspended: out of the reach
    failed: int = 0                 # the network failed: tried again next run
    rate_limited: bool = False
    reasons: list[str] = field(default_factory=list)


async def due_accounts() -> list[tuple[int, int, str]]:
    """(organisation, account, network) of active pledges in campaigns near a moment."""
    moment = timefmt.now()
    near = [campaign.id for campaign in await Campaign.filter(  # unscoped: a job, all tenants
        status__in=list(PLEDGEABLE)) if any(
        timedelta(0) <= at - moment <= WINDOW
        for at in (campaign.pledge_closes_at, campaign.broadcast_at))]
    pledges = await Pledge.filter(  # unscoped: as above
        campaign_id__in=near, status=PledgeStatus.ACTIVE).select_related("account")
    stale = moment - STALE_AFTER
    found = {(p.organisation_id, p.account_id, p.account.network) for p in pledges
             if p.account.profile_checked_at is None or p.account.profile_checked_at < stale}
    return sorted(found)


async def refresh_due(providers: Callable[[str], SocialProvider], box: SecretBox) -> Outcome:
    outcome = Outcome()
    gate = asyncio.Semaphore(AT_ONCE)

    async def one(org_id: int, account_id: int, network: str) -> None:
        if outcome.rate_limited:
            return
        async with gate:
            org = await Organisation.get(id=org_id)
            try:
                await connect.check_profile(org, account_id, providers(network), box)
                outcome.checked += 1
            except TokenRevoked:  # check_profile has withdrawn its pledges already
                outcome.left += 1
            except AccountSuspended:
                account = await SocialAccount.get(id=account_id, organisation_id=org_id)
                await connect.revoked(org, account)
                outcome.left += 1
            except RateLimited:
                outcome.rate_limited = True
            except ProviderError as exc:
                outcome.failed += 1
                outcome.reasons.append(type(exc).__name__)

    await asyncio.gather(*(one(*due) for due in await due_accounts()))
    return outcome
