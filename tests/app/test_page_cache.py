"""The short-lived cache of public pages: anonymous visitors share an answer for up to two
seconds; anyone with a session, a query string or a cookie-setting answer never does."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import httpx

from app.page_cache import PageCacheMiddleware
from app.settings import Settings
from campaigns.pledges.service import pledges as pledging
from tests.campaigns.factories import CONSENT, make_account, make_campaign
from tests.helpers import make_org


async def test_anonymous_visitors_share_a_fresh_enough_page(client: httpx.AsyncClient,
                                                          settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    page = f"/o/{org.slug}/campaigns/{campaign.slug}"
    first = await client.get(page)
    assert first.status_code == 200 and "set-cookie" not in first.headers
    await pledging.pledge(org, campaign, await make_account(org, followers=4321), CONSENT)
    cached = await client.get(page)
    assert cached.text == first.text  # within two seconds: the same answer
    assert "4,321" in (await client.get(page + "?lang=en")).text  # a query: never cached
    client.cookies.set("harambee", "someone")
    assert "4,321" in (await client.get(page)).text  # a session: never cached
    assert cached.headers["content-security-policy"] == first.headers["content-security-policy"]


async def test_a_crowd_at_expiry_renders_the_page_once() -> None:
    renders = 0

    async def page(scope, receive, send):  # type: ignore[no-untyped-def]
        nonlocal renders
        renders += 1
        await asyncio.sleep(0.05)  # a slow render
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(renders).encode()})

    cache = PageCacheMiddleware(page, paths=[re.compile("/c/.+")], ttl=0.01, grace=5)
    scope = {"type": "http", "method": "GET", "path": "/c/x", "query_string": b"",
             "headers": []}

    async def visit() -> bytes:
        bodies: list[bytes] = []

        async def send(message):  # type: ignore[no-untyped-def]
            if message["type"] == "http.response.body":
                bodies.append(message["body"])

        await cache(scope, None, send)  # type: ignore[arg-type]
        return bodies[0]

    assert await visit() == b"1"
    await asyncio.sleep(0.02)  # expired
    bodies = await asyncio.gather(*(visit() for _ in range(20)))
    assert renders == 2 and set(bodies) <= {b"1", b"2"}


def _slow_page(seconds: float, renders: list[int]) -> Any:
    async def page(scope, receive, send):  # type: ignore[no-untyped-def]
        renders.append(1)
        number = len(renders)
        await asyncio.sleep(seconds)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(number).encode()})
    return page


async def _visit(cache: PageCacheMiddleware) -> bytes:
    bodies: list[bytes] = []

    async def send(message):  # type: ignore[no-untyped-def]
        if message["type"] == "http.response.body":
            bodies.append(message["body"])

    scope = {"type": "http", "method": "GET", "path": "/c/x", "query_string": b"",
             "headers": []}
    await cache(scope, None, send)  # type: ignore[arg-type]
    return bodies[0]


async def test_a_crowd_before_the_first_answer_waits_for_it() -> None:
    renders: list[int] = []
    cache = PageCacheMiddleware(_slow_page(0.05, renders), paths=[re.compile("/c/.+")])
    bodies = await asyncio.gather(*(_visit(cache) for _ in range(30)))
    assert len(renders) == 1 and set(bodies) == {b"1"}


async def test_a_refresh_slower_than_the_grace_is_waited_for_not_repeated() -> None:
    renders: list[int] = []
    cache = PageCacheMiddleware(_slow_page(0.1, renders), paths=[re.compile("/c/.+")],
                                ttl=0.01, grace=0.02)
    assert await _visit(cache) == b"1"
    await asyncio.sleep(0.02)                        # expired
    first = asyncio.create_task(_visit(cache))       # makes the page again: 0.1 s
    await asyncio.sleep(0.05)                        # past the grace: the old one is too old
    late = await asyncio.gather(*(_visit(cache) for _ in range(20)))
    assert await first == b"2" and set(late) == {b"2"} and len(renders) == 2
