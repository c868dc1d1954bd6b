"""Campaign rows for tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from app.crypto import SecretBox
from app.orgs.models import Organisation
from app.settings import Settings
from app.timefmt import now
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.models import SocialAccount
from campaigns.pledges.service.pledges import ConsentGiven, create_shards

CONSENT = ConsentGiven(text="I agree to one repost of the campaign's post.",
                       terms_version="2026-11", locale="en",
                       scopes=("tweet.read", "tweet.write", "users.read", "offline.access"))


async def make_campaign(org: Organisation, **overrides: Any) -> Campaign:
    values: dict[str, Any] = {
        "organisation": org, "slug": "one-big-post", "status": CampaignStatus.PLEDGING,
        "title": {"en": "One big post for co-op grants"}, "story": {"en": "Lend your reach."},
        "fund_id": 1, "reach_goal": 1_000_000, "pledge_opens_at": now() - timedelta(days=1),
        "pledge_closes_at": now() + timedelta(days=20),
        "broadcast_at": now() + timedelta(days=25), "networks": ["x"]}
    campaign = await Campaign.create(**{**values, **overrides})
    await create_shards(campaign)
    return campaign


async def make_account(org: Organisation, settings: Settings | None = None, *,
                       handle: str = "kahawa_fan", followers: int = 1000, following: int = 100,
                       protected: bool = False, created: datetime | None = None,
                       access_token: str | None = None) -> SocialAccount:
    box = SecretBox(settings) if settings is not None else None
    return await SocialAccount.create(
        organisation=org, network="x", account_id=f"x-{handle}", handle=handle,
        followers=followers, following=following, protected=protected,
        account_created_at=created or datetime(2015, 1, 1, tzinfo=UTC),
        access_token_enc=box.encrypt(access_token) if box and access_token else None,
        refresh_token_enc=box.encrypt(access_token + "-refresh") if box and access_token
        else None)
