"""`python -m bench.seed_pledges`: give the demo campaign 100,000 pledges (accounts without
tokens), with its counters moved to match, so its public page is measured at scale."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from tortoise.expressions import F

from app.db import close_db, init_db
from app.orgs.models import Organisation
from app.settings import load_settings
from campaigns.campaign.models import Campaign
from campaigns.pledges.models import SHARDS, Pledge, ReachShard, SocialAccount
from devtools.demo.campaigns import SLUG

PLEDGES = 100_000
BATCH = 5_000


async def seed() -> None:
    await init_db(load_settings().database_url)
    try:
        org = await Organisation.get(slug="mlima-growers-fund")
        campaign = await Campaign.get(organisation_id=org.id, slug=SLUG)
        for start in range(0, PLEDGES, BATCH):
            await SocialAccount.bulk_create([SocialAccount(
                organisation=org, network="x", account_id=f"bench-{n}", handle=f"fan{n}",
                followers=100 + n % 5000, following=150,
                account_created_at=datetime(2018, 1, 1, tzinfo=UTC))
                for n in range(start, start + BATCH)])
            accounts = await SocialAccount.filter(  # unscoped: the demo organisation's
                organisation_id=org.id, account_id__startswith="bench-").offset(start).limit(
                BATCH).order_by("id").values_list("id", "followers")
            await Pledge.bulk_create([Pledge(
                organisation=org, campaign=campaign, account_id=account_id,
                counted_reach=followers, counted_quality=followers)
                for account_id, followers in accounts])
            added = sum(followers for _id, followers in accounts)
            await ReachShard.filter(campaign_id=campaign.id,  # unscoped: the demo campaign
                                    shard=(start // BATCH) % SHARDS).update(
                pledges=F("pledges") + len(accounts), reach=F("reach") + added,
                quality_reach=F("quality_reach") + added)
    finally:
        await close_db()


if __name__ == "__main__":
    asyncio.run(seed())
