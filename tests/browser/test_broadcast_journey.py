"""The broadcast in Chromium, against `make run`'s development setup: the demo's sold
campaign ("Market day") broadcasts to its five demo accounts through the X simulator in the
web process. A staff member records X's approval of automated posting, connects the
campaign's own account on the simulator's authorise page, and starts the broadcast now; the
worker publishes and fans out while the progress page refreshes itself; it ends completed,
with three reposts (the protected and the suspended accounts skipped, with their reasons),
their followers counted; the simulator holds the post and exactly those reposts; the sponsor
is mailed the report."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from playwright.async_api import Browser, Page
from playwright.async_api import Error as PlaywrightError

from devtools.demo import DEMO_DOMAIN
from tests.browser.support import (
    HEAVY,
    SIMULATOR_TOKEN,
    Journey,
    Server,
    Traffic,
    new_page,
    sign_in,
    wait_for_link,
)
from tests.browser.test_auction_journey import _bodies

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

ORG = "/o/mlima-growers-fund"
PAGE = f"{ORG}/manage/campaigns/market-day/broadcast"
KAHAWA = f"sponsor-kahawa@{DEMO_DOMAIN}"
REPOSTED = {"kahawa_kilimanjaro": 18_200, "cafe_huila": 9_400, "chai_kericho": 6_100}
RUN_SECONDS = 90        # the start job, publishing, the fan-out and the page's refreshes


async def _shown(page: Page) -> str:
    """The page's text, read between two of its own reloads."""
    for _ in range(20):
        try:
            return await page.inner_text("main")
        except PlaywrightError:                        # it reloaded while we read
            await asyncio.sleep(0.2)
    raise AssertionError("the progress page never settled")


async def test_a_sold_campaign_broadcasts_through_the_simulator_to_completion(
        browser: Browser, server: Server) -> None:
    _context, page = await new_page(browser, server)
    await sign_in(page, f"owner@{DEMO_DOMAIN}")
    staff = Journey(page, server, Traffic(page))
    try:
        await staff.goto(f"{ORG}/manage/campaigns")
        form = page.locator("form:has(input[name=network][value=x])")
        await form.locator("input[name=approved]").check()
        await form.locator("input[name=reference]").fill("X developer agreement 2026-11")
        await staff.submit("form:has(input[name=network][value=x]) button[type=submit]",
                           f"{ORG}/manage/campaigns?recorded=1")
        await staff.goto(PAGE)
        await staff.check(HEAVY)
        assert "No account is connected" in await page.inner_text("main")
        async with page.expect_navigation(url="**/x-sim/i/oauth2/authorize**"):
            await page.click(f"form[action='{PAGE}/connect'] button")
        await page.check("label:has-text('@mlima_fund') input")
        await staff.submit("button[value=allow]", f"{PAGE}?connected=1")
        assert "@mlima_fund publishes the post" in await page.inner_text("main")
        await staff.submit("button[value=start]", f"{PAGE}?start=1")
        deadline = time.monotonic() + RUN_SECONDS
        while "Completed" not in await _shown(page):
            assert time.monotonic() < deadline, await _shown(page)
            await asyncio.sleep(1)                     # the page reloads itself meanwhile
        await staff.check(HEAVY)
        report = await page.inner_text("main")
        assert "3 / 5" in report and f"{sum(REPOSTED.values()):,}" in report
        assert "the account is protected" in report and "the account is suspended" in report
        async with httpx.AsyncClient(base_url=server.base_url) as web:
            assert (await web.get("/x-sim/_sim/state")).status_code == 404  # needs the token
            sim = (await web.get("/x-sim/_sim/state", headers={
                "authorization": f"Bearer {SIMULATOR_TOKEN}"})).json()
        users = {user["username"]: user for user in sim["users"]}
        reposted = {name for name, user in users.items() if user["retweets"]}
        assert reposted == set(REPOSTED)               # nobody else, the publisher neither
        [post] = {source for name in REPOSTED for source in users[name]["retweets"]}
        assert post in sim["tweets"]                   # one post, reposted by each once
        await wait_for_link(server, KAHAWA, "/campaigns/market-day/message")
        [mailed] = [body for body in _bodies(server, KAHAWA) if "Duration" in body]
        assert f"Reposts: 3 of 5, reaching {sum(REPOSTED.values()):,} followers." in mailed
    finally:
        await page.context.close()
    assert not staff.problems, "\n".join(staff.problems)
