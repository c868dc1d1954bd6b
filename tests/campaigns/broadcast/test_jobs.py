"""The broadcast's jobs, run by hand: the start job waits for a moved moment, publishes and
starts the lanes; two lanes finish the fan-out and the campaign; every minute, a broadcast
whose jobs were lost gets lanes again, and one being worked on does not."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from starlette.datastructures import Secret

from app.settings import Settings
from app.timefmt import now
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.service import fanout
from campaigns.broadcast.service import jobs as broadcast_jobs
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.models import SocialAccount
from tests.campaigns.broadcast.test_fanout import scene
from tests.campaigns.conftest import CLIENT_ID, CLIENT_SECRET, Queued, XWorld

pytestmark = pytest.mark.usefixtures("queued")  # a broadcast's end queues its report


def job_context(settings: Settings, x: XWorld) -> dict[str, Any]:
    configured = dataclasses.replace(
        settings, x_client_id=CLIENT_ID, x_client_secret=Secret(CLIENT_SECRET),
        x_api_base_url=x.base_url, fanout_lanes=2, x_reposts_per_second=500.0)
    return {"settings": configured}


async def test_the_start_job_publishes_and_two_lanes_finish_the_campaign(
        settings: Settings, x: XWorld, queued: list[Queued]) -> None:
    s = await scene(settings, x, [f"fan{n}" for n in range(8)], published=False)
    ctx = job_context(settings, x)
    later = now() + timedelta(hours=1)
    await Broadcast.filter(id=s.broadcast.id).update(scheduled_at=later)
    assert await broadcast_jobs.start(ctx, s.broadcast.id) is BroadcastStatus.SCHEDULED
    assert [q.name for q in queued] == ["start_broadcast"]          # waits for the moment
    assert queued[0].options["defer_until"] == later
    await Broadcast.filter(id=s.broadcast.id).update(scheduled_at=now())
    queued.clear()
    assert await broadcast_jobs.start(ctx, s.broadcast.id) is BroadcastStatus.RUNNING
    assert [(q.name, q.args) for q in queued] == [
        ("fan_out", (s.broadcast.id, 0, 0)), ("fan_out", (s.broadcast.id, 1, 0))]
    done = await asyncio.gather(broadcast_jobs.lane(ctx, s.broadcast.id, 0, 0),
                                broadcast_jobs.lane(ctx, s.broadcast.id, 1, 0))
    assert set(done) == {BroadcastStatus.COMPLETED}
    assert {d.state for d in await Delivery.filter(broadcast_id=s.broadcast.id)} == {
        DeliveryState.DELIVERED}
    assert (await Campaign.get(id=s.campaign.id)).status is CampaignStatus.COMPLETED
    assert not await SocialAccount.filter(pledges__campaign_id=s.campaign.id,
                                          access_token_enc__not_isnull=True).exists()


async def test_every_minute_lost_lanes_start_again(settings: Settings, x: XWorld,
                                                   queued: list[Queued]) -> None:
    s = await scene(settings, x, ["fan0", "fan1"])                  # running, nobody on it
    ctx = job_context(settings, x)
    await broadcast_jobs.catch_up(ctx)
    assert sorted(q.args[1] for q in queued if q.name == "fan_out") == [0, 1]
    queued.clear()
    await fanout.claim(s.org, s.broadcast.id, "alive", 1)           # a live worker's lease
    await broadcast_jobs.catch_up(ctx)
    assert [q for q in queued if q.name == "fan_out"] == []


@pytest.mark.parametrize("status", [BroadcastStatus.PAUSED, BroadcastStatus.ABORTED])
async def test_a_lane_does_nothing_unless_running(settings: Settings, x: XWorld,
                                                  status: BroadcastStatus,
                                                  queued: list[Queued]) -> None:
    s = await scene(settings, x, ["fan0"])
    await Broadcast.filter(id=s.broadcast.id).update(status=status)
    assert await broadcast_jobs.lane(job_context(settings, x), s.broadcast.id, 0, 0) is status
    assert queued == [] and not x.sim.users[next(iter(s.users.values())).id].retweets


async def test_every_minute_a_publisher_that_died_is_replaced(
        settings: Settings, x: XWorld, queued: list[Queued]) -> None:
    s = await scene(settings, x, ["fan0"], published=False)
    await Broadcast.filter(id=s.broadcast.id).update(status=BroadcastStatus.PUBLISHING)
    await broadcast_jobs.catch_up(job_context(settings, x))
    assert [q.name for q in queued] == []                      # just begun: still its own
    await Broadcast.filter(id=s.broadcast.id).update(
        status=BroadcastStatus.PUBLISHING, updated_at=now() - timedelta(minutes=2))
    await broadcast_jobs.catch_up(job_context(settings, x))
    assert [(q.name, q.args) for q in queued] == [("start_broadcast", (s.broadcast.id,))]
