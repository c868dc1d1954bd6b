"""Scenario: pledge callbacks per second, with the X simulator answering after 50 ms, against
a ceiling that makes the same two simulator calls (token exchange, profile) and writes
nothing. 50 callbacks run at once, on a fresh PostgreSQL database (production's).

A callback claims its OAuth attempt, exchanges the code with PKCE, reads the profile,
stores the account (tokens encrypted) and the pledge with its consent, and moves a reach
counter: the ratio says how much of the network's latency the app's own work adds.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import uvicorn

from app.crypto import SecretBox
from app.orgs.models import Organisation
from app.settings import load_settings
from app.timefmt import now
from bench.scenarios.postgres import database
from bench.scenarios.row import Row
from bench.servers import free_port
from campaigns.campaign.models import Campaign
from campaigns.networks.x import XProvider
from campaigns.pledges.models import Pledge
from campaigns.pledges.service import connect
from campaigns.pledges.service import pledges as pledging
from devtools.x_simulator.server import Simulator, create_simulator

CALLBACKS = 300
CONCURRENCY = 50
LATENCY_MS = 50
CLIENT = ("bench-client", "bench-secret")
REDIRECT = "https://harambee.invalid/campaigns/callback/x"
CEILING = "ceiling: exchange + profile on the simulator (50 ms), no writes"
CONSENT = pledging.ConsentGiven(text="bench", terms_version="bench", locale="en", scopes=())


async def pledge_callbacks() -> list[Row]:
    sim = Simulator(clients={CLIENT[0]: CLIENT[1]})
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_simulator(sim), host="127.0.0.1", port=port,
                                           lifespan="off", log_level="warning"))
    serving = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110  (uvicorn offers no event for this)
        await asyncio.sleep(0.01)
    provider = XProvider(client_id=CLIENT[0], client_secret=CLIENT[1],
                         api_base_url=f"http://127.0.0.1:{port}")
    try:
        async with database() as db:
            if db is None:
                return []
            with tempfile.TemporaryDirectory(prefix="harambee-bench-pledges-") as directory:
                return await _measure(sim, provider, Path(directory))
    finally:
        server.should_exit = True
        await serving


def _code(sim: Simulator, authorise_url: str, user_id: str) -> tuple[str, str]:
    """What the authorise page would hand back: (code, state)."""
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorise_url).query).items()}
    code = f"code-{query['state']}"
    sim.codes[code] = {"user_id": user_id, "client_id": CLIENT[0], "redirect_uri": REDIRECT,
                       "challenge": query["code_challenge"],
                       "scopes": frozenset(query["scope"].split()),
                       "expires_at": time.time() + 3600}
    return code, query["state"]


async def _measure(sim: Simulator, provider: XProvider, var: Path) -> list[Row]:
    box = SecretBox(load_settings({"HARAMBEE_ENV": "test", "HARAMBEE_VAR": str(var)}))
    org = await Organisation.create(slug="bench-org", name="Bench")
    campaign = await Campaign.create(
        organisation=org, slug="bench", title={"en": "Bench"}, fund_id=1, reach_goal=10**9,
        pledge_opens_at=now(), pledge_closes_at=now() + timedelta(days=1),
        broadcast_at=now() + timedelta(days=2), networks=["x"])
    await pledging.create_shards(campaign)
    users = [sim.add_user(f"fan{n}", 100 + n) for n in range(2 * CALLBACKS)]
    plain = []
    for user in users[:CALLBACKS]:
        start = provider.authorization(REDIRECT)
        plain.append((*_code(sim, start.url, user.id), start.code_verifier))
    waiting = []
    for number, user in enumerate(users[CALLBACKS:]):
        url = await connect.start(org, campaign, provider, box, browser=f"b{number}",
                                  redirect_uri=REDIRECT, email=None, locale="en")
        waiting.append((*_code(sim, url, user.id), f"b{number}"))
    sim.faults.latency_ms = LATENCY_MS

    async def exchange_only(item: tuple[str, str, str]) -> None:
        code, state, verifier = item
        tokens = await provider.exchange(REDIRECT, code=code, state=state,
                                         expected_state=state, code_verifier=verifier)
        await provider.profile(tokens.access_token)

    async def callback(item: tuple[str, str, str]) -> None:
        code, state, browser = item
        attempt = (await connect.claim(state, browser)).attempt
        await connect.finish(org, campaign, attempt, provider, box, state=state, code=code,
                             redirect_uri=REDIRECT, consent=CONSENT)

    ceiling = CALLBACKS / await _run(exchange_only, plain)
    rate = CALLBACKS / await _run(callback, waiting)
    pledges = await Pledge.filter(campaign_id=campaign.id).count()
    if pledges != CALLBACKS:
        raise RuntimeError(f"{pledges} pledges; expected {CALLBACKS}")
    return [Row(CEILING, ceiling, CEILING, ceiling),
            Row(f"pledge callbacks ({CONCURRENCY} at once, PostgreSQL)", rate, CEILING,
                ceiling)]


async def _run(each: Callable[[tuple[str, str, str]], Awaitable[None]],
               items: list[tuple[str, str, str]]) -> float:
    queue = list(items)
    started = time.perf_counter()

    async def worker() -> None:
        while queue:
            await each(queue.pop())

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    return time.perf_counter() - started
