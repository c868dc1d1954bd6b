"""Scenario: bids per second on one hot auction, 50 concurrent bidders, on PostgreSQL —
through the service layer (in this process) and through HTTP (the JSON API under uvicorn,
with one worker and with one worker per core, as Harambee is deployed) — each against the
locked-row ceiling measured in the same run: a loop of "lock the auction's row, update it,
commit" with the same concurrency and the same connection pool. Every bid locks that one
row, so this is the most contended write in Harambee. After each run the bid history is
checked: the count of lost or duplicated bids must be zero. The HTTP figures are also shown
against the simplest authenticated request on the same server, which bounds what its
workers can answer whatever the bids cost."""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta

from app import queue
from app.accounts.models import User
from app.accounts.service import create_api_token
from app.db import atomic
from app.errors import AppError
from app.orgs.models import Organisation
from app.queue_embedded import EmbeddedBackend
from app.queue_models import QueuedJob
from app.timefmt import now
from bench.raw_http import Connection
from bench.scenarios.postgres import database, harambee_server
from bench.scenarios.row import Row
from campaigns.auction.models import Auction, BidRecord, Sponsor
from campaigns.auction.service import bidding
from campaigns.auction.statuses import AuctionStatus
from campaigns.campaign.models import Campaign

BIDDERS, PER_BIDDER = 50, 60
NO_PASSWORD = "!"  # matches no argon2 hash: these sponsors use API tokens only
CEILING = "ceiling: lock one row + update + commit, 50 concurrent (PostgreSQL)"
RACE_REFUSALS = ("too_low", "cannot_lower")  # what concurrent bidders may meet; nothing else
PING = "ceiling for HTTP: GET /api/v1/me, 50 concurrent clients, same server"
CORES = len(os.sched_getaffinity(0))   # Harambee runs one web worker per core


async def hot_auction_bids() -> list[Row]:
    async with database() as db:
        if db is None:
            return []
        org, users, secrets = await _seed()
        ceiling = await _ceiling(org)
        # outbid sponsors are mailed by a job: kept in the database, as without Redis
        queue.install(EmbeddedBackend(queue.collect(), {}))
        try:
            service, lost = await _through_service(org, users)
        finally:
            queue.install(None)
        if not await QueuedJob.filter(name="tell_outbid").exists():
            raise RuntimeError("no outbid mail was queued: the enqueue after commit failed")
        http: dict[int, tuple[float, float]] = {}
        for workers in sorted({1, CORES}):
            with harambee_server(db, "bids", workers) as base_url:
                ping, rate, lost_now = await _through_http(org, base_url, secrets,
                                                           1 + len(http) + 1)
            http[workers], lost = (ping, rate), lost + lost_now
    if lost:
        raise RuntimeError(f"{lost} bids lost or doubled")
    print(f"  bids: {BIDDERS} bidders x {PER_BIDDER} bids on one auction; ceiling {ceiling:,.0f}"
          f"/s, service {service:,.0f}/s ({service / ceiling:.2f}, target 0.8), HTTP "
          + ", ".join(f"{_workers(n)} {rate:,.0f}/s ({rate / ceiling:.2f}, target 0.6; GET "
                      f"/api/v1/me {ping:,.0f}/s)" for n, (ping, rate) in http.items())
          + f"; lost or duplicated bids: {lost}")
    rows = [Row(CEILING, ceiling, CEILING, ceiling),
            Row(f"bids through the service, {BIDDERS} concurrent", service, CEILING, ceiling)]
    for n, (ping, rate) in http.items():
        name = f"POST .../bids over HTTP, {BIDDERS} concurrent, {_workers(n)}"
        rows += [Row(name, rate, CEILING, ceiling), Row(f"{PING}, {_workers(n)}", ping,
                                                        PING, ping),
                 Row(name, rate, PING, ping)]
    return rows


def _workers(count: int) -> str:
    return "1 worker" if count == 1 else f"{count} workers (one per core)"


async def _seed() -> tuple[Organisation, list[User], list[str]]:
    org = await Organisation.create(slug="bench-fund", name="Bench Fund")
    campaign = await Campaign.create(
        organisation=org, slug="hot-lot", title={"en": "Hot lot"}, fund_id=1,
        reach_goal=1_000_000, pledge_opens_at=now() - timedelta(days=2),
        pledge_closes_at=now() - timedelta(days=1), broadcast_at=now() + timedelta(days=9),
        networks=["x"])
    end = now() + timedelta(days=1)
    await Auction.create(organisation=org, campaign=campaign, status=AuctionStatus.OPEN,
                         currency="USD", starting_minor=100, increments=[[0, 1]],
                         starts_at=now() - timedelta(hours=1), scheduled_end=end, ends_at=end)
    users, secrets = [], []
    for number in range(BIDDERS):
        user = await User.create(email=f"sponsor{number}@bench.example",
                                 password_hash=NO_PASSWORD, display_name=f"Sponsor {number}",
                                 email_verified_at=now())
        await Sponsor.create(organisation=org, user_id=user.id, company_name=f"Co {number}",
                             contact_name=f"Sponsor {number}", billing_email=user.email,
                             country="KE", payment_method_ref=f"pm_bench_{number}")
        _, secret = await create_api_token(user, "bench")
        users.append(user)
        secrets.append(secret)
    return org, users, secrets


def _amount(round_: int, number: int) -> int:
    """Rising maxima, so most bids are accepted (a refusal is recorded all the same)."""
    return 1_000 + round_ * 1_000 + number * 7


async def _timed(work: Callable[[int], Awaitable[None]]) -> float:
    started = time.perf_counter()
    await asyncio.gather(*(work(number) for number in range(BIDDERS)))
    return BIDDERS * PER_BIDDER / (time.perf_counter() - started)


async def _ceiling(org: Organisation) -> float:
    async def lock_update_commit(_number: int) -> None:
        for _ in range(PER_BIDDER):
            async with atomic():
                row = await Auction.filter(organisation_id=org.id).select_for_update().get()
                row.bids += 1
                await row.save(update_fields=["bids", "updated_at"])

    rate = await _timed(lock_update_commit)
    await Auction.filter(organisation_id=org.id).update(bids=0)
    return rate


async def _lost_or_doubled(org: Organisation, expected: int) -> int:
    row = await Auction.get(organisation_id=org.id)
    numbers = await BidRecord.filter(auction_id=row.id).values_list("number", flat=True)
    return abs(len(numbers) - expected) + (len(numbers) - len(set(numbers))) + abs(
        row.bids - expected)


async def _through_service(org: Organisation, users: list[User]) -> tuple[float, int]:
    async def bid(number: int) -> None:
        for round_ in range(PER_BIDDER):
            try:
                await bidding.place_bid(users[number], org, "hot-lot", _amount(round_, number))
            except AppError as refused:  # outbid meanwhile: recorded all the same
                if refused.code not in RACE_REFUSALS:
                    raise

    rate = await _timed(bid)
    return rate, await _lost_or_doubled(org, BIDDERS * PER_BIDDER)


async def _through_http(org: Organisation, base_url: str, secrets: list[str], runs: int
                        ) -> tuple[float, float, int]:
    """`runs`: how many runs of bids the history holds after this one (service included)."""
    """50 keep-alive connections, one per bidder, each answer checked (bench/raw_http.py:
    httpx's own CPU would cap the figure on this machine)."""
    path = f"/api/v1/orgs/{org.slug}/campaigns/hot-lot/bids"

    def connection(number: int) -> Connection:
        return Connection(base_url, {"Authorization": f"Bearer {secrets[number]}"})

    async def bid(number: int) -> None:
        async with connection(number) as http:
            for round_ in range(PER_BIDDER):
                amount = (runs - 1) * 100_000 + _amount(round_, number)  # above the last run's
                answer = await http.request("POST", path, {"max_amount_minor": amount})
                refused = ((answer.json() or {}).get("error", {}).get("code")
                           if answer.status == 422 else None)
                if answer.status != 201 and refused not in RACE_REFUSALS:
                    raise RuntimeError(f"{path} answered {answer.status}: "
                                       f"{answer.body[:300]!r}")

    async def ping(number: int) -> None:
        async with connection(number) as http:
            for _ in range(PER_BIDDER):
                answer = await http.request("GET", "/api/v1/me")
                if answer.status != 200:
                    raise RuntimeError(f"/api/v1/me answered {answer.status}")

    await _timed(ping)  # warm-up: caches, the server's first requests
    pings = await _timed(ping)
    rate = await _timed(bid)
    return pings, rate, await _lost_or_doubled(org, runs * BIDDERS * PER_BIDDER)
