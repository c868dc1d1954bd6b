"""A worker killed with SIGKILL in the middle of a fan-out, on PostgreSQL with Redis, the
kill landing after X (the simulator) recorded a repost and before our commit; then started
again: every pledge ends delivered, and no account was asked to repost twice."""

from __future__ import annotations

import asyncio
import os
import signal
from datetime import timedelta

import pytest

from app.crypto import SecretBox
from app.settings import Settings
from app.timefmt import now
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.service import broadcasts
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState
from campaigns.campaign.models import NetworkApproval
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.models import Pledge, SocialAccount
from devtools.x_simulator.state import SCOPES
from tests.campaigns.conftest import CLIENT_ID, CLIENT_SECRET, XWorld
from tests.campaigns.factories import make_campaign
from tests.helpers import eventually, make_org
from tests.servers import HARAMBEE

pytestmark = pytest.mark.postgres_only

FANS = 30
HANG_AT = 12


def worker_env(settings: Settings, x: XWorld) -> dict[str, str]:
    assert settings.redis_url
    return {**os.environ, "HARAMBEE_ENV": "test", "HARAMBEE_VAR": str(settings.var_dir),
            "DATABASE_URL": settings.database_url, "REDIS_URL": settings.redis_url,
            "REDIS_PREFIX": settings.redis_prefix, "X_CLIENT_ID": CLIENT_ID,
            "X_CLIENT_SECRET": CLIENT_SECRET, "X_API_BASE_URL": x.base_url,
            "FANOUT_LEASE_SECONDS": "2", "FANOUT_CONCURRENCY": "4",
            "X_REPOSTS_PER_SECOND": "200"}


async def test_a_worker_killed_after_x_answered_and_restarted_reposts_nobody_twice(
        settings: Settings, x: XWorld) -> None:
    box, org = SecretBox(settings), await make_org()
    await NetworkApproval.create(organisation=org, network="x", approved=True)  # automated
    campaign = await make_campaign(org, status=CampaignStatus.SCHEDULED)
    users = [x.sim.add_user(f"fan{n}", 500 + n) for n in range(FANS)]
    author = x.sim.add_user("harambee_fund", 9000)
    accounts = {}
    for user in [author, *users]:
        grant = x.sim.issue(user.id, CLIENT_ID, SCOPES)
        accounts[user.id] = await SocialAccount.create(
            organisation=org, network="x", account_id=user.id, handle=user.username,
            followers=user.followers, access_token_enc=box.encrypt(grant["access_token"]),
            refresh_token_enc=box.encrypt(grant["refresh_token"]),
            token_expires_at=now() + timedelta(hours=2))
    for user in users:
        await Pledge.create(organisation=org, campaign=campaign, account=accounts[user.id],
                            counted_reach=user.followers)
    [broadcast] = await broadcasts.schedule(org, campaign, "Fund co-ops\n\n#ad")
    await Broadcast.filter(id=broadcast.id).update(publisher_id=accounts[author.id].id)
    x.sim.faults.hang_after_reposts = HANG_AT
    env = worker_env(settings, x)
    command = [str(HARAMBEE), "broadcast", "run", org.slug, campaign.slug]
    first = await asyncio.create_subprocess_exec(*command, env=env,
                                                 stdout=asyncio.subprocess.PIPE,
                                                 stderr=asyncio.subprocess.STDOUT)
    try:
        await eventually(lambda: x.sim.hung or first.returncode is not None, timeout=60)
    finally:
        if not x.sim.hung:
            if first.returncode is None:
                first.kill()
            said, _ = await first.communicate()
            raise AssertionError(f"the worker never reached the hang:\n{said.decode()[-3000:]}")
    first.send_signal(signal.SIGKILL)                        # ... and the worker dies
    await first.wait()
    x.sim.hung = False                                       # X answers a dead socket
    hung = x.sim.users[x.sim.hung_on]
    assert (await Broadcast.get(id=broadcast.id)).post_ref in hung.retweets   # X has it
    assert await Delivery.filter(account_id=accounts[hung.id].id,             # we do not
                                 state=DeliveryState.IN_FLIGHT).exists()
    x.sim.faults.hang_after_reposts = 0
    second = await asyncio.create_subprocess_exec(*command, env=env,
                                                  stdout=asyncio.subprocess.PIPE,
                                                  stderr=asyncio.subprocess.STDOUT)
    output, _ = await asyncio.wait_for(second.communicate(), timeout=120)
    assert second.returncode == 0, output.decode()[-2000:]
    row = await Broadcast.get(id=broadcast.id)
    assert row.status is BroadcastStatus.COMPLETED
    deliveries = await Delivery.filter(broadcast_id=row.id)
    assert len(deliveries) == FANS
    assert {d.state for d in deliveries} == {DeliveryState.DELIVERED}   # all final
    recovered = next(d for d in deliveries if d.account_id == accounts[hung.id].id)
    assert recovered.reason == "found_after_lost_lease"
    assert all(row.post_ref in user.retweets for user in users)
    calls = [x.sim.repost_calls.get((user.id, row.post_ref or ""), 0) for user in users]
    assert calls == [1] * FANS                                          # nobody twice
    originals = [t for t in x.sim.tweets.values()
                 if t["author_id"] == author.id and "retweet_of" not in t]
    assert len(originals) == 1                                          # one post
