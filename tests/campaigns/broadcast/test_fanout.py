"""The fan-out against the X simulator: every pledged account reposts once; each fault ends
in its state (suspended, protected, withdrawn, revoked: skipped; a refused token refreshed
once; network errors retried then failed; a 429 put back until its reset); a worker that
died after X's answer is recovered without a second repost; the post deleted stops it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import timedelta

import pytest

from app.crypto import SecretBox
from app.orgs.models import Organisation
from app.settings import Settings
from app.timefmt import now
from campaigns.broadcast.limits import MemoryLimiter
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.service import broadcasts, fanout
from campaigns.broadcast.service import report as broadcast_report
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState
from campaigns.campaign.models import Campaign, NetworkApproval
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.models import Pledge, SocialAccount
from campaigns.pledges.statuses import PledgeStatus
from devtools.x_simulator.state import SCOPES, XUser
from tests.campaigns.conftest import CLIENT_ID, XWorld
from tests.campaigns.factories import make_campaign
from tests.helpers import make_org

pytestmark = pytest.mark.usefixtures("queued")  # a broadcast's end queues its report

POST = "Kahawa Bora pays co-ops fairly\n\n#ad"


@dataclass
class Scene:
    org: Organisation
    campaign: Campaign
    broadcast: Broadcast
    users: dict[str, XUser]          # by handle
    box: SecretBox


async def connected(org: Organisation, x: XWorld, box: SecretBox, user: XUser
                    ) -> SocialAccount:
    """The account as the OAuth flow leaves it: tokens from the simulator, encrypted."""
    grant = x.sim.issue(user.id, CLIENT_ID, SCOPES)
    return await SocialAccount.create(
        organisation=org, network="x", account_id=user.id, handle=user.username,
        followers=user.followers, access_token_enc=box.encrypt(grant["access_token"]),
        refresh_token_enc=box.encrypt(grant["refresh_token"]),
        token_expires_at=now() + timedelta(hours=2))


async def scene(settings: Settings, x: XWorld, handles: list[str], *,
                published: bool = True, assisted: bool = False) -> Scene:
    """A scheduled campaign with one pledge per handle and its broadcast, whose publisher
    is the campaign's account; when `published`, its post is out and the broadcast
    running. X approved automated posting unless `assisted`."""
    box = SecretBox(settings)
    org = await make_org()
    await NetworkApproval.create(organisation=org, network="x", approved=not assisted)
    campaign = await make_campaign(org, status=CampaignStatus.SCHEDULED)
    author = x.sim.add_user("harambee_fund", 20_000)
    publisher = await connected(org, x, box, author)
    users = {handle: x.sim.add_user(handle, 1000 + n) for n, handle in enumerate(handles)}
    for user in users.values():
        account = await connected(org, x, box, user)
        await Pledge.create(organisation=org, campaign=campaign, account=account,
                            counted_reach=user.followers)
    [broadcast] = await broadcasts.schedule(org, campaign, POST)
    await Broadcast.filter(id=broadcast.id).update(publisher_id=publisher.id)
    if published:
        token = box.decrypt(publisher.access_token_enc or "")
        post = await x.provider.publish(token, POST, paid_partnership=True)
        await Broadcast.filter(id=broadcast.id).update(post_ref=post,
                                                       status=BroadcastStatus.RUNNING)
    return Scene(org, campaign, await Broadcast.get(id=broadcast.id), users, box)


def engine(s: Scene, x: XWorld, worker: str = "w1", **options: object) -> fanout.Engine:
    values: dict[str, object] = {"per_second": 1000.0, "concurrency": 10,
                                 "idle_wait": 0.02, "backoff_base": 0.01}
    return fanout.Engine(s.org, s.broadcast, x.provider, s.box, MemoryLimiter(),
                         worker=worker, **{**values, **options})  # type: ignore[arg-type]


async def states(s: Scene) -> dict[str, tuple[DeliveryState, str]]:
    rows = await Delivery.filter(broadcast_id=s.broadcast.id).prefetch_related("pledge__account")
    return {row.pledge.account.handle: (row.state, row.reason) for row in rows}


def reposted(s: Scene, handle: str) -> bool:
    return s.broadcast.post_ref in s.users[handle].retweets


def repost_calls(x: XWorld, user: XUser) -> int:
    return sum(n for (who, kind, _window), n in x.sim.calls.items()
               if who == user.id and kind == "retweet")


async def test_every_account_reposts_once_and_the_broadcast_completes(
        settings: Settings, x: XWorld) -> None:
    s = await scene(settings, x, [f"fan{n}" for n in range(12)])
    assert await engine(s, x).run() is BroadcastStatus.COMPLETED
    assert set((await states(s)).values()) == {(DeliveryState.DELIVERED, "")}
    assert all(reposted(s, handle) and repost_calls(x, user) == 1
               for handle, user in s.users.items())
    done = await Broadcast.get(id=s.broadcast.id)
    assert done.finished_at is not None


async def test_each_fault_ends_in_its_state(settings: Settings, x: XWorld) -> None:
    s = await scene(settings, x, ["fine", "suspended", "protected", "withdrawn", "revoked",
                                  "expired", "also_fine"])
    s.users["suspended"].suspended = True
    await SocialAccount.filter(handle="protected").update(protected=True)
    await Pledge.filter(account__handle="withdrawn").update(status=PledgeStatus.WITHDRAWN)
    x.sim.revoked.add((s.users["revoked"].id, CLIENT_ID))
    await SocialAccount.filter(handle="revoked").update(token_expires_at=now())  # refresh
    for grant in x.sim.access.values():      # X refuses the token before our clock says so
        if grant.user_id == s.users["expired"].id:
            grant.expires_at = time.time() - 1
    assert await engine(s, x).run() is BroadcastStatus.COMPLETED
    found = await states(s)
    assert found["fine"] == (DeliveryState.DELIVERED, "")
    assert found["suspended"] == (DeliveryState.SKIPPED, "suspended")
    assert found["protected"] == (DeliveryState.SKIPPED, "protected")
    assert found["withdrawn"] == (DeliveryState.SKIPPED, "withdrawn")
    assert found["revoked"] == (DeliveryState.SKIPPED, "revoked")
    assert found["expired"] == (DeliveryState.DELIVERED, "")        # refreshed once
    assert reposted(s, "expired") and not reposted(s, "protected")
    shown = await broadcast_report.report(s.org, s.broadcast.id)     # what staff read
    assert (shown.total, shown.left, shown.counts["delivered"]) == (7, 0, 3)
    assert shown.reasons == {"skipped": {"suspended": 1, "protected": 1, "withdrawn": 1,
                                         "revoked": 1}}
    assert shown.delivered_followers == sum(                         # the three that did
        s.users[h].followers for h in ("fine", "expired", "also_fine"))
    assert shown.finished_at is not None and shown.seconds_left is None


async def test_network_errors_are_retried_then_fail_with_the_reason(
        settings: Settings, x: XWorld) -> None:
    s = await scene(settings, x, ["unlucky"])
    x.sim.faults.error_rate = 1.0                                   # every call a 503
    assert await engine(s, x).run() is BroadcastStatus.COMPLETED
    row = await Delivery.get(broadcast_id=s.broadcast.id)
    assert (row.state, row.reason, row.attempts) == (
        DeliveryState.FAILED, "network_error", fanout.MAX_ATTEMPTS)


async def test_a_429_puts_the_delivery_back_until_the_reset(settings: Settings,
                                                            x: XWorld) -> None:
    s = await scene(settings, x, ["busy"])
    x.sim.faults.storm_until = time.time() + 60
    work = engine(s, x)
    [claimed] = await fanout.claim(s.org, s.broadcast.id, "w1", 10)
    await work._deliver(claimed)
    row = await Delivery.get(broadcast_id=s.broadcast.id)
    assert (row.state, row.reason, row.attempts) == (DeliveryState.PENDING, "rate_limited", 0)
    assert row.not_before is not None and row.not_before > now()   # X's reset
    assert await fanout.claim(s.org, s.broadcast.id, "w1", 10) == []  # not before it


async def test_a_worker_that_died_after_the_repost_is_recovered_without_a_second_one(
        settings: Settings, x: XWorld) -> None:
    s = await scene(settings, x, ["crashed", "other"])
    [first, _second] = await fanout.claim(s.org, s.broadcast.id, "dead", 2,
                                          lease=timedelta(seconds=-1))   # ended at once
    account = await SocialAccount.get(id=first.delivery.account_id)
    token = s.box.decrypt(account.access_token_enc or "")
    await x.provider.repost(token, account.account_id, s.broadcast.post_ref or "")
    # ... and the worker died here, before recording it
    assert await engine(s, x, "alive").run() is BroadcastStatus.COMPLETED
    found = await states(s)
    assert found[account.handle] == (DeliveryState.DELIVERED, "found_after_lost_lease")
    assert found["other" if account.handle == "crashed" else "crashed"][0] is (
        DeliveryState.DELIVERED)
    assert repost_calls(x, s.users[account.handle]) == 1           # never asked twice
    assert await fanout.record(s.org, first.delivery.id, "dead", DeliveryState.FAILED) is False


async def test_the_post_deleted_stops_the_broadcast_and_cancels_the_rest(
        settings: Settings, x: XWorld) -> None:
    s = await scene(settings, x, [f"fan{n}" for n in range(5)])
    x.sim.tweets[s.broadcast.post_ref or ""]["deleted"] = True
    assert await engine(s, x, concurrency=1).run() is BroadcastStatus.STOPPED
    stopped = await Broadcast.get(id=s.broadcast.id)
    assert stopped.stop_reason == "post_deleted"
    assert {state for state, _reason in (await states(s)).values()} == {
        DeliveryState.CANCELLED}
    assert not any(reposted(s, handle) for handle in s.users)


@pytest.mark.postgres_only
async def test_two_workers_at_once_repost_every_account_once(settings: Settings,
                                                             x: XWorld) -> None:
    import asyncio

    s = await scene(settings, x, [f"fan{n}" for n in range(40)])
    x.sim.faults.latency_ms = 5
    done = await asyncio.gather(engine(s, x, "w1").run(), engine(s, x, "w2").run())
    assert set(done) == {BroadcastStatus.COMPLETED}
    assert set((await states(s)).values()) == {(DeliveryState.DELIVERED, "")}
    assert all(repost_calls(x, user) == 1 for user in s.users.values())
    workers = {row.worker for row in await Delivery.filter(broadcast_id=s.broadcast.id)}
    assert workers == {"w1", "w2"}                                   # both took a share
