"""The short-lived cache of public pages: anonymous visitors share an answer for up to two
seconds; anyone with a session, a query string or a cookie-setting answer never does."""

from __future__ import annotations

import httpx

from app.settings import Settings
from campaigns.service import reach
from tests.campaigns.factories import CONSENT, make_account, make_campaign
from tests.helpers import make_org


async def test_anonymous_visitors_share_a_fresh_enough_page(client: httpx.AsyncClient,
                                                          settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    page = f"/o/{org.slug}/campaigns/{campaign.slug}"
    first = await client.get(page)
    assert first.status_code == 200 and "set-cookie" not in first.headers
    await reach.pledge(org, campaign, await make_account(org, followers=4321), CONSENT)
    cached = await client.get(page)
    assert cached.text == first.text  # within two seconds: the same answer
    assert "4,321" in (await client.get(page + "?lang=en")).text  # a query: never cached
    client.cookies.set("harambee", "someone")
    assert "4,321" in (await client.get(page)).text  # a session: never cached
    assert cached.headers["content-security-policy"] == first.headers["content-security-policy"]
