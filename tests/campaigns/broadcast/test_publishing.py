"""At the moment: the campaign's account publishes the post once (even when the job died
after X's answer), the pledges made since join, the fan-out runs; at the end the campaign
completes and its accounts' tokens are deleted."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from app.settings import Settings
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.service import publishing
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.models import Pledge, SocialAccount
from tests.campaigns.broadcast.test_fanout import POST, connected, engine, scene
from tests.campaigns.conftest import XWorld

pytestmark = pytest.mark.usefixtures("queued")  # a broadcast's end queues its report


def originals(x: XWorld, author_id: str) -> list[dict[str, object]]:
    return [t for t in x.sim.tweets.values()
            if t["author_id"] == author_id and "retweet_of" not in t]


async def test_the_post_goes_out_the_fan_out_runs_and_the_tokens_go(
        settings: Settings, x: XWorld) -> None:
    s = await scene(settings, x, ["fan0", "fan1"], published=False)
    late_user = x.sim.add_user("late", 777)
    late = await connected(s.org, x, s.box, late_user)
    await Pledge.create(organisation=s.org, campaign=s.campaign, account=late,
                        counted_reach=777)          # no delivery yet: made at the start
    status = await publishing.publish(s.org, s.broadcast.id, x.provider, s.box)
    assert status is BroadcastStatus.RUNNING
    row = await Broadcast.get(id=s.broadcast.id)
    author = x.sim.users[(await SocialAccount.get(id=row.publisher_id)).account_id]
    [post] = originals(x, author.id)
    assert (post["id"], post["text"], post["paid_partnership"]) == (row.post_ref, POST, True)
    assert (await Campaign.get(id=s.campaign.id)).status is CampaignStatus.BROADCASTING
    assert await Delivery.filter(broadcast_id=row.id).count() == 3
    assert await engine(s, x).run() is BroadcastStatus.COMPLETED
    await publishing.finish(s.org, s.campaign.id)
    assert (await Campaign.get(id=s.campaign.id)).status is CampaignStatus.COMPLETED
    assert row.post_ref in late_user.retweets
    pledged = await SocialAccount.filter(pledges__campaign_id=s.campaign.id)
    assert pledged and all(a.access_token_enc is None and a.refresh_token_enc is None
                           for a in pledged)                       # tokens gone
    assert await publishing.publish(s.org, row.id, x.provider, s.box) is (
        BroadcastStatus.COMPLETED)                                  # again: nothing


async def test_a_job_that_died_after_x_answered_does_not_post_twice(
        settings: Settings, x: XWorld, monkeypatch: pytest.MonkeyPatch) -> None:
    s = await scene(settings, x, ["fan0"], published=False)
    real = x.provider.publish

    async def dies_after_publishing(*args: object, **kwargs: object) -> str:
        await real(*args, **kwargs)  # type: ignore[arg-type]
        raise ConnectionError("the worker died before recording the post")

    monkeypatch.setattr(x.provider, "publish", dies_after_publishing)
    with pytest.raises(ConnectionError):
        await publishing.publish(s.org, s.broadcast.id, x.provider, s.box)
    assert (await Broadcast.get(id=s.broadcast.id)).status is BroadcastStatus.PUBLISHING
    monkeypatch.undo()
    monkeypatch.setattr(publishing, "PUBLISH_LEASE", timedelta(seconds=0.3))
    # within the lease it may be another process still publishing: wait, post nothing
    assert await publishing.publish(s.org, s.broadcast.id, x.provider, s.box) is (
        BroadcastStatus.PUBLISHING)
    await asyncio.sleep(0.3)                     # the lease ends: the publisher died
    assert await publishing.publish(s.org, s.broadcast.id, x.provider, s.box) is (
        BroadcastStatus.RUNNING)
    row = await Broadcast.get(id=s.broadcast.id)
    author = (await SocialAccount.get(id=row.publisher_id)).account_id
    [post] = originals(x, author)                                  # one post, adopted
    assert row.post_ref == post["id"]


async def test_without_an_account_to_publish_from_it_stops(settings: Settings,
                                                            x: XWorld) -> None:
    s = await scene(settings, x, ["fan0"], published=False)
    await Broadcast.filter(id=s.broadcast.id).update(publisher_id=None)
    assert await publishing.publish(s.org, s.broadcast.id, x.provider, s.box) is (
        BroadcastStatus.STOPPED)
    row = await Broadcast.get(id=s.broadcast.id)
    assert row.stop_reason == "no_publisher"
    assert {d.state for d in await Delivery.filter(broadcast_id=row.id)} == {
        DeliveryState.CANCELLED}
