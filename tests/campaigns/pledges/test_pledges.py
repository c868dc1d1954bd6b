"""Pledges move the reach counters in their own transaction; withdrawing moves them back."""

from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest

from app.audit import AuditEvent
from app.settings import Settings
from app.timefmt import now
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.models import Consent, Pledge, SocialAccount
from campaigns.pledges.service import pledges as pledging
from campaigns.pledges.service.tokens import delete_expired_tokens
from campaigns.pledges.statuses import PledgeStatus
from tests.campaigns.factories import CONSENT, make_account, make_campaign
from tests.helpers import make_org


async def test_pledging_twice_renews_and_withdrawing_moves_back(settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    fan = await make_account(org, settings, followers=48_000, access_token="secret-a")
    first = await pledging.pledge(org, campaign, fan, CONSENT, email="fan@example.org")
    assert await pledging.figures(org, campaign.id) == pledging.Figures(1, 48_000, 48_000)
    fan.followers = 50_000
    await fan.save()
    again = await pledging.pledge(org, campaign, fan, CONSENT)
    assert again.id == first.id and again.email == "fan@example.org"
    assert await pledging.figures(org, campaign.id) == pledging.Figures(1, 50_000, 50_000)
    assert await Consent.filter(pledge_id=first.id).count() == 2
    await pledging.withdraw(org, first.id)
    await pledging.withdraw(org, first.id)  # once
    assert await pledging.figures(org, campaign.id) == pledging.Figures(0, 0, 0)
    stored = await SocialAccount.get(id=fan.id)
    assert stored.access_token_enc is None and stored.refresh_token_enc is None
    assert await AuditEvent.filter(verb="social_account.tokens_deleted").count() == 1


async def test_tokens_stay_while_another_pledge_is_active(settings: Settings) -> None:
    org = await make_org()
    one, two = await make_campaign(org), await make_campaign(org, slug="second-post")
    fan = await make_account(org, settings, access_token="secret-b")
    pledge = await pledging.pledge(org, one, fan, CONSENT)
    await pledging.pledge(org, two, fan, CONSENT)
    await pledging.withdraw(org, pledge.id)
    assert (await SocialAccount.get(id=fan.id)).access_token_enc is not None


async def test_quality_reach_leaves_out_protected_and_inflated_accounts(
        settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    accounts = [
        await make_account(org, handle="honest", followers=1000),
        await make_account(org, handle="private", followers=2000, protected=True),
        await make_account(org, handle="newborn", followers=4000,
                           created=now() - timedelta(days=10)),
        await make_account(org, handle="followback", followers=100, following=4000),
    ]
    for account in accounts:
        await pledging.pledge(org, campaign, account, CONSENT)
    assert await pledging.figures(org, campaign.id) == pledging.Figures(4, 7100, 1000)


@pytest.mark.postgres_only
async def test_counters_equal_the_active_pledges_after_a_concurrent_storm(
        settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    accounts = [await make_account(org, handle=f"fan{i}", followers=100 + i * 37)
                for i in range(24)]
    rng = random.Random(7)

    async def supporter(account: SocialAccount) -> None:
        for _ in range(8):
            current = await Pledge.get_or_none(campaign_id=campaign.id, account_id=account.id)
            if current is not None and current.status is PledgeStatus.ACTIVE and rng.random() < .5:
                await pledging.withdraw(org, current.id)
            else:
                await pledging.pledge(org, campaign, account, CONSENT)

    twins = [pledging.pledge(org, campaign, accounts[0], CONSENT) for _ in range(5)]
    await asyncio.gather(*(supporter(account) for account in accounts[1:]), *twins)
    active = await Pledge.filter(campaign_id=campaign.id, status=PledgeStatus.ACTIVE
                                 ).prefetch_related("account")
    expected = pledging.Figures(len(active), sum(p.account.followers for p in active),
                             sum(p.account.followers for p in active))
    assert await pledging.figures(org, campaign.id) == expected
    assert await Pledge.filter(campaign_id=campaign.id).count() == len(accounts)


async def test_tokens_go_once_no_live_campaign_needs_them(settings: Settings) -> None:
    org = await make_org()
    live = await make_campaign(org)
    over = await make_campaign(org, slug="last-year", status=CampaignStatus.COMPLETED)
    keeper = await make_account(org, settings, handle="keeper", access_token="tok-keep")
    leaver = await make_account(org, settings, handle="leaver", access_token="tok-leave")
    await pledging.pledge(org, live, keeper, CONSENT)
    await pledging.pledge(org, over, leaver, CONSENT)
    assert await delete_expired_tokens() == 1
    assert (await SocialAccount.get(id=keeper.id)).access_token_enc is not None
    assert (await SocialAccount.get(id=leaver.id)).access_token_enc is None
    await Campaign.filter(id=live.id).update(broadcast_at=now() - timedelta(days=2))
    assert await delete_expired_tokens() == 1  # a day after the broadcast
    assert await delete_expired_tokens() == 0
