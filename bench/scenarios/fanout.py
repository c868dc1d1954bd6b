"""Scenario: a broadcast's fan-out of 10,000 and of 100,000 pledges against the X simulator
(50 ms a call, in this process), with one and with two workers (`harambee broadcast run`
processes sharing the limiter in Redis), on PostgreSQL. The app's ceiling is set at 500
reposts a second: the figure is reposts per second as a ratio to it (target at least 0.9).
Each run also counts duplicate reposts (accounts asked twice: must be 0), pledges left
without a final state (must be 0), and each worker's peak memory (target under 300 MB).
"""

from __future__ import annotations

import asyncio
import os
import re
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

import uvicorn

from app.crypto import SecretBox
from app.main import command_queue
from app.orgs.models import Organisation
from app.settings import Settings, load_settings
from app.timefmt import now
from bench.scenarios.postgres import REDIS_URL, Database, database
from bench.scenarios.row import Row
from bench.servers import free_port
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.service import broadcasts, publishing
from campaigns.broadcast.statuses import DeliveryState
from campaigns.campaign.models import Campaign, NetworkApproval
from campaigns.campaign.statuses import CampaignStatus
from campaigns.networks.x import XProvider
from campaigns.pledges.models import Pledge, SocialAccount
from devtools.x_simulator.server import Simulator, create_simulator
from devtools.x_simulator.state import SCOPES

SIZES = (10_000, 100_000)
WORKERS = (1, 2)
PER_SECOND = 500.0
LATENCY_MS = 50
CLIENT = ("bench-client", "bench-secret")
CEILING = f"ceiling: the app's limit on X, {PER_SECOND:,.0f} reposts/s (configured)"
HARAMBEE = Path(sys.executable).parent / "harambee"
CHUNK = 2000


async def broadcast_fanout() -> list[Row]:
    sim = Simulator(clients={CLIENT[0]: CLIENT[1]}, app_limit=10**9)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_simulator(sim), host="127.0.0.1", port=port,
                                           lifespan="off", log_level="warning",
                                           timeout_graceful_shutdown=2))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110  (uvicorn offers no event for this)
        await asyncio.sleep(0.01)
    try:
        async with database() as db:
            if db is None:
                return []
            with tempfile.TemporaryDirectory(prefix="harambee-bench-fanout-") as directory:
                return await _measure(sim, f"http://127.0.0.1:{port}", db, Path(directory))
    finally:
        server.should_exit = True
        await serving


async def _measure(sim: Simulator, sim_url: str, db: Database, var: Path) -> list[Row]:
    settings = load_settings({"HARAMBEE_ENV": "test", "HARAMBEE_VAR": str(var)})
    async with command_queue(settings):     # a broadcast's end queues the sponsor's report
        return await _runs(sim, sim_url, db, var, settings)


async def _runs(sim: Simulator, sim_url: str, db: Database, var: Path, settings: Settings
                ) -> list[Row]:
    box = SecretBox(settings)
    org = await Organisation.create(slug="bench-org", name="Bench")
    await NetworkApproval.create(organisation=org, network="x", approved=True)  # automated
    provider = XProvider(client_id=CLIENT[0], client_secret=CLIENT[1], api_base_url=sim_url)
    env = {**os.environ, "HARAMBEE_ENV": "test", "HARAMBEE_VAR": str(var),
           "DATABASE_URL": db.url, "REDIS_URL": REDIS_URL, "REDIS_PREFIX": db.redis_prefix,
           "X_CLIENT_ID": CLIENT[0], "X_CLIENT_SECRET": CLIENT[1], "X_API_BASE_URL": sim_url,
           "X_REPOSTS_PER_SECOND": str(PER_SECOND), "FANOUT_CONCURRENCY": "60"}
    rows = [Row(CEILING, PER_SECOND, CEILING, PER_SECOND)]
    sim.faults.latency_ms = LATENCY_MS
    for size in SIZES:
        for workers in WORKERS:
            slug = f"fan-{size}-{workers}"
            # accounts of their own: a completed broadcast deletes its accounts' tokens,
            # the publisher's too
            fans = await _accounts(sim, org, box, [f"{slug}-{n}" for n in range(size)])
            publisher = await _accounts(sim, org, box, [f"{slug}-fund"])
            campaign = await Campaign.create(
                organisation=org, slug=slug, status=CampaignStatus.SCHEDULED,
                title={"en": slug}, fund_id=1, reach_goal=10**9, pledge_opens_at=now(),
                pledge_closes_at=now() + timedelta(days=1), broadcast_at=now(),
                networks=["x"])
            for start in range(0, size, CHUNK):
                await Pledge.bulk_create([
                    Pledge(organisation=org, campaign=campaign, account_id=account.id,
                           counted_reach=account.followers)
                    for account in fans[start:start + CHUNK]])
            [broadcast] = await broadcasts.schedule(org, campaign, f"{slug}\n\n#ad")
            await Broadcast.filter(id=broadcast.id).update(publisher_id=publisher[0].id)
            await publishing.publish(org, broadcast.id, provider, box)
            post = (await Broadcast.get(id=broadcast.id)).post_ref or ""
            began = now()
            outputs = await asyncio.gather(*(_worker(env, org.slug, slug)
                                             for _ in range(workers)))
            ended = (await Broadcast.get(id=broadcast.id)).finished_at or now()
            rate = size / (ended - began).total_seconds()   # to the last repost recorded
            unfinished = await Delivery.filter(
                broadcast_id=broadcast.id,
                state__in=[DeliveryState.PENDING, DeliveryState.IN_FLIGHT]).count()
            delivered = await Delivery.filter(broadcast_id=broadcast.id,
                                              state=DeliveryState.DELIVERED).count()
            duplicates = sum(1 for (_user, reposted), calls in sim.repost_calls.items()
                             if reposted == post and calls > 1)
            peaks = [int(m.group(1)) for m in (re.search(r"peak memory (\d+) MiB", out)
                                               for out in outputs) if m]
            print(f"  fan-out: {size:,} pledges, {workers} worker(s): {rate:,.0f} reposts/s "
                  f"({rate / PER_SECOND:.2f} of the ceiling, target 0.9); delivered "
                  f"{delivered:,}; duplicates {duplicates}; without a final state "
                  f"{unfinished}; peak memory per worker {peaks} MiB (target under 300)",
                  flush=True)
            if duplicates or unfinished or delivered != size:
                raise RuntimeError(f"fan-out {slug}: {duplicates} duplicates, {unfinished} "
                                   f"unfinished, {delivered} delivered of {size}")
            rows.append(Row(f"fan-out of {size:,} pledges, {workers} worker(s), X at "
                            f"{LATENCY_MS} ms", rate, CEILING, PER_SECOND))
    return rows


async def _accounts(sim: Simulator, org: Organisation, box: SecretBox, handles: list[str]
                    ) -> list[SocialAccount]:
    """Accounts on the simulator with tokens, and their rows here (tokens encrypted)."""
    made = []
    for start in range(0, len(handles), CHUNK):
        batch = []
        for handle in handles[start:start + CHUNK]:
            user = sim.add_user(handle, 1000)
            sim.issue(user.id, CLIENT[0], SCOPES, access=f"a-{user.id}", refresh=f"r-{user.id}")
            batch.append(SocialAccount(
                organisation=org, network="x", account_id=user.id, handle=handle,
                followers=user.followers, access_token_enc=box.encrypt(f"a-{user.id}"),
                refresh_token_enc=box.encrypt(f"r-{user.id}"),
                token_expires_at=now() + timedelta(hours=2)))
        await SocialAccount.bulk_create(batch)
        made += await SocialAccount.filter(
            organisation_id=org.id, handle__in=[a.handle for a in batch]).order_by("id")
    return made


async def _worker(env: dict[str, str], org: str, campaign: str) -> str:
    prefix = os.environ.get("BENCH_WORKER_PREFIX", "").split()   # a profiler, say
    process = await asyncio.create_subprocess_exec(
        *prefix, str(HARAMBEE), "broadcast", "run", org, campaign, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    output, _ = await process.communicate()
    text = output.decode(errors="replace")
    if process.returncode != 0:
        raise RuntimeError(f"harambee broadcast run failed:\n{text[-2000:]}")
    return text
