"""What the broadcast's jobs do: start at the moment (publish, then the fan-out's lanes),
run one lane for a slice of time and hand over to the next slice, and, every minute, catch
up on broadcasts whose jobs were lost (a worker killed: its claims come back when their
lease ends, and a lane is started again for them).

Each lane is one fan-out engine in one worker; `FANOUT_LANES` of them share a broadcast,
and the limiter (Redis when configured) keeps all of them under the app's ceiling.
"""

from __future__ import annotations

import asyncio
import os
import socket
from contextlib import AsyncExitStack
from datetime import timedelta
from typing import Any

from tortoise.expressions import Q

from app import queue, timefmt
from app.crypto import SecretBox
from app.orgs.models import Organisation
from app.settings import Settings
from campaigns.broadcast.limits import Limiter, MemoryLimiter, RedisLimiter
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.service import assisted, broadcasts, publishing
from campaigns.broadcast.service.fanout import OPEN, Engine
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState
from campaigns.networks.protocol import SocialProvider
from campaigns.networks.registry import provider_for
from campaigns.networks.x import XProvider

SLICE_SECONDS = 60.0          # a lane's job hands over to a new one this often
_LIMITERS: dict[int, MemoryLimiter] = {}   # one per event loop without Redis


def limiter_for(ctx: dict[str, Any]) -> Limiter:
    settings: Settings = ctx["settings"]
    redis = ctx.get("redis")
    if redis is not None:
        return RedisLimiter(redis, settings.redis_prefix)
    return _LIMITERS.setdefault(id(asyncio.get_running_loop()), MemoryLimiter())


def engine_for(ctx: dict[str, Any], org: Organisation, row: Broadcast,
               provider: SocialProvider, limiter: Limiter, lane: str) -> Engine:
    """One lane's engine, with the settings' ceiling, concurrency and lease; in assisted
    mode it mails the links through the context's mailer."""
    settings: Settings = ctx["settings"]
    return Engine(org, row, provider, SecretBox(settings), limiter,
                  per_second=settings.x_reposts_per_second,
                  worker=f"{socket.gethostname()}:{os.getpid()}:{lane}",
                  concurrency=settings.fanout_concurrency,
                  lease=timedelta(seconds=settings.fanout_lease_seconds),
                  tell=assisted.teller(ctx))


async def start_lanes(broadcast: Broadcast, settings: Settings, slice_number: int = 0) -> None:
    for lane in range(settings.fanout_lanes):
        await queue.enqueue("fan_out", broadcast.id, lane, slice_number,
                            job_id=f"fan-out:{broadcast.id}:{lane}:{slice_number}")


async def start(ctx: dict[str, Any], broadcast_id: int) -> BroadcastStatus | None:
    """At the moment (or later, if it moved: then it waits for the new one)."""
    settings: Settings = ctx["settings"]
    row = await Broadcast.get_or_none(id=broadcast_id)  # unscoped: a job, by id
    if row is None:
        return None
    if row.status is BroadcastStatus.SCHEDULED and row.scheduled_at > timefmt.now():
        await broadcasts.schedule_start(row)
        return row.status
    org = await Organisation.get(id=row.organisation_id)
    status = await publishing.publish(org, row.id, provider_for(settings, row.network),
                                      SecretBox(settings))
    if status is BroadcastStatus.RUNNING:
        await start_lanes(row, settings)
    return status


async def lane(ctx: dict[str, Any], broadcast_id: int, number: int, slice_number: int
               ) -> BroadcastStatus | None:
    """One lane for a slice; then the next slice, or the campaign's end."""
    settings: Settings = ctx["settings"]
    row = await Broadcast.get_or_none(id=broadcast_id)  # unscoped: a job, by id
    if row is None or row.status is not BroadcastStatus.RUNNING:
        return row.status if row else None
    org = await Organisation.get(id=row.organisation_id)
    provider = provider_for(settings, row.network)
    async with AsyncExitStack() as stack:
        if isinstance(provider, XProvider):
            await stack.enter_async_context(provider.pooled())
        engine = engine_for(ctx, org, row, provider, limiter_for(ctx), str(number))
        status = await engine.run(seconds=SLICE_SECONDS)
    if status is BroadcastStatus.RUNNING:
        await queue.enqueue("fan_out", row.id, number, slice_number + 1,
                            job_id=f"fan-out:{row.id}:{number}:{slice_number + 1}")
    elif status is BroadcastStatus.COMPLETED:
        await publishing.finish(org, row.campaign_id)
    return status


async def catch_up(ctx: dict[str, Any]) -> None:
    """Every minute: due broadcasts not started (or whose publisher died), and running ones
    nobody works on (every claim's lease ended, something still open): their jobs were
    lost."""
    settings: Settings = ctx["settings"]
    moment = timefmt.now()
    stalled = Q(status=BroadcastStatus.PUBLISHING,       # its publisher died meanwhile
                updated_at__lt=moment - publishing.PUBLISH_LEASE)
    for row in await Broadcast.filter(  # unscoped: every organisation's, by the clock
            Q(status=BroadcastStatus.SCHEDULED, scheduled_at__lte=moment) | stalled):
        await queue.enqueue("start_broadcast", row.id,
                            job_id=f"start-broadcast:{row.id}:{int(moment.timestamp())}")
    for row in await Broadcast.filter(status=BroadcastStatus.RUNNING):  # unscoped: as above
        deliveries = Delivery.filter(broadcast_id=row.id)  # unscoped: the broadcast's own
        worked_on = await deliveries.filter(state=DeliveryState.IN_FLIGHT,
                                            lease_until__gt=moment).exists()
        if not worked_on and await deliveries.filter(state__in=list(OPEN)).exists():
            await start_lanes(row, settings, int(moment.timestamp()))
