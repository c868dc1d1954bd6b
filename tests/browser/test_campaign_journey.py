"""A supporter in Chromium at 360 px, against `make run`'s development setup (the X
simulator mounted at /x-sim): reads the consent, connects a demo account on the simulator's
authorise page, sees the pledge and the counter move, withdraws, sees it move back."""

from __future__ import annotations

import re

import pytest
from playwright.async_api import Browser

from tests.browser.support import LIGHT, Journey, Server, Traffic, new_page

pytestmark = [pytest.mark.browser, pytest.mark.postgres_only]

CAMPAIGN = "/o/mlima-growers-fund/campaigns/one-big-post"


async def _reach(journey: Journey) -> int:
    await journey.goto(CAMPAIGN)
    text = await journey.page.inner_text(".figure strong")
    return int(re.sub(r"\D", "", text))


async def test_a_supporter_pledges_and_withdraws(browser: Browser, server: Server) -> None:
    context, page = await new_page(browser, server, javascript=False)
    journey = Journey(page, server, Traffic(page))
    try:
        await journey.goto("/campaigns")
        await journey.check(LIGHT)
        before = await _reach(journey)
        await journey.check(LIGHT)
        assert "repost one post" in await page.inner_text("main")
        async with page.expect_navigation():
            await page.click("main a.button")
        assert "/x-sim/i/oauth2/authorize" in page.url
        await page.check("text=@chai_time")
        async with page.expect_navigation():
            await page.click("button[value=allow]")
        assert "/pledges/" in page.url and "new=1" in page.url
        assert "@chai_time" in await page.inner_text("main")
        await journey.check(LIGHT)
        manage = page.url.split("?")[0]
        assert await _reach(journey) == before + 9_800
        await journey.goto(manage.replace(server.base_url, ""))
        await journey.submit("button[value=withdraw]", manage.replace(server.base_url, "")
                             + "?withdrawn=1")
        assert await _reach(journey) == before
    finally:
        await context.close()
    assert not journey.problems, "\n".join(journey.problems)
