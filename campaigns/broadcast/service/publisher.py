"""The campaign's own account — the one that publishes the sponsor's post — connected by
staff through the same OAuth flow supporters use, from the broadcast's page, any time
before the broadcast starts. Its tokens are kept while a broadcast it publishes is open and
deleted with the campaign's others when the campaign ends (campaigns.service.tokens)."""

from __future__ import annotations

from app import audit, timefmt
from app.crypto import SecretBox
from app.db import atomic
from app.errors import Conflict
from app.i18n import current_locale
from app.i18n import lazy_gettext as _l
from app.orgs.models import Membership, Organisation
from app.tenancy import get_locked, get_scoped, scoped
from campaigns.broadcast.models import Broadcast
from campaigns.broadcast.service.control import broadcast_of
from campaigns.broadcast.statuses import BroadcastStatus
from campaigns.campaign.models import Campaign
from campaigns.campaign.service import require_staff
from campaigns.networks.protocol import SocialProvider
from campaigns.pledges.models import OAuthAttempt, SocialAccount
from campaigns.pledges.service import connect

STARTED = _l("This broadcast has already started: its account cannot change now.")
NOT_YOURS = _l("Connect the campaign's account again from the broadcast's page.")


def _changeable(row: Broadcast) -> None:
    """Only before the moment: the publish job reads the publisher when it wakes."""
    if row.status is not BroadcastStatus.SCHEDULED or row.scheduled_at <= timefmt.now():
        raise Conflict(STARTED, code="started")


async def start(membership: Membership, slug: str, provider: SocialProvider, box: SecretBox,
                *, browser: str, redirect_uri: str) -> str:
    """Where staff authorise the campaign's account (before the broadcast starts)."""
    require_staff(membership)
    org = membership.organisation
    row = await broadcast_of(org, slug)
    _changeable(row)
    campaign = await get_scoped(Campaign, org, id=row.campaign_id)
    return await connect.start(org, campaign, provider, box, browser=browser,
                               redirect_uri=redirect_uri, email=None,
                               locale=current_locale(), purpose=connect.PUBLISHER,
                               user_id=membership.user_id)


async def finish(membership: Membership, attempt: OAuthAttempt, provider: SocialProvider,
                 box: SecretBox, *, state: str, code: str, redirect_uri: str
                 ) -> tuple[Campaign, SocialAccount]:
    """The account authorised: stored (tokens encrypted) and made the publisher of the
    campaign's broadcast on that network, if it has not started meanwhile — only for the
    staff member who began, still staff."""
    require_staff(membership)
    org = membership.organisation
    if attempt.organisation_id != org.id or attempt.details.get("user_id") != membership.user_id:
        raise Conflict(NOT_YOURS, code="not_yours")
    tokens, profile = await connect.authorised(attempt, provider, box, state=state,
                                               code=code, redirect_uri=redirect_uri)
    async with atomic():
        campaign = await get_locked(Campaign, org, id=attempt.campaign_id)
        row = await get_locked(Broadcast, org, campaign_id=campaign.id,
                               network=provider.network)
        _changeable(row)
        account = await connect.store(org, provider.network, profile, tokens, box)
        row.publisher_id = account.id
        await row.save(update_fields=["publisher_id", "updated_at"])
        await audit.record(verb="broadcast.publisher_connected", obj=row,
                           actor_id=attempt.details.get("user_id"), organisation_id=org.id,
                           changed=["publisher_id"], details={"handle": account.handle})
    return campaign, account


async def publisher_of(org: Organisation, row: Broadcast) -> SocialAccount | None:
    if row.publisher_id is None:
        return None
    return await scoped(SocialAccount, org).get_or_none(id=row.publisher_id)
