"""A supporter on the campaign pages: consent, connect through the simulator, pledge, and
withdraw only by the confirming POST."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest

from app import timefmt
from app.settings import Settings
from campaigns.pledges.models import OAuthAttempt, Pledge
from campaigns.pledges.service import connect
from campaigns.pledges.service import pledges as pledging
from campaigns.pledges.statuses import PledgeStatus
from campaigns.pledges.tasks import delete_oauth_attempts
from tests.campaigns.conftest import XWorld
from tests.campaigns.factories import make_campaign
from tests.helpers import link_in, make_org, wait_for_mail


async def test_a_supporter_pledges_and_withdraws(x: XWorld, x_client: httpx.AsyncClient,
                                                 settings: Settings) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    fan = x.sim.add_user("kahawa_fan", 48_000)
    page = await x_client.get(f"/o/{org.slug}/campaigns/{campaign.slug}")
    assert page.status_code == 200 and "repost one post" in page.text
    assert "tap" in page.text  # no approval recorded: assisted mode is announced
    start = await x_client.get(f"/o/{org.slug}/campaigns/{campaign.slug}/connect/x")
    assert start.status_code == 303 and start.headers["location"].startswith(x.base_url)
    async with httpx.AsyncClient() as browser:
        answer = await browser.post(start.headers["location"],
                                    data={"user_id": fan.id, "decision": "allow"})
    back = answer.headers["location"].replace("http://testserver", "")
    done = await x_client.get(back)
    assert done.status_code == 303 and done.headers["location"].startswith("/pledges/")
    manage = done.headers["location"].split("?")[0]
    shown = await x_client.get(done.headers["location"])
    assert shown.status_code == 200 and "@kahawa_fan" in shown.text
    assert await pledging.figures(org, campaign.id) == pledging.Figures(1, 48_000, 48_000)
    assert (await x_client.get(manage)).status_code == 200  # a mail scanner's GET
    assert (await Pledge.get()).status is PledgeStatus.ACTIVE
    token = re.search(r'name="csrf_token" value="([^"]+)"', shown.text)
    assert token
    noted = await x_client.post(manage, data={"csrf_token": token.group(1), "action": "email",
                                              "email": "fan@example.org"})
    assert noted.status_code == 303
    mail = await wait_for_mail(settings, "fan@example.org")
    mailed = link_in(mail)  # signed again (a new timestamp): the same pledge's page
    assert mailed.startswith("/pledges/")
    assert 'value="withdraw"' in (await x_client.get(mailed)).text
    bad = await x_client.post(manage, data={"csrf_token": token.group(1), "action": "email",
                                            "email": "not an email"})
    assert bad.status_code == 422
    assert (await Pledge.get()).status is PledgeStatus.ACTIVE
    withdrawn = await x_client.post(manage, data={"csrf_token": token.group(1),
                                                  "action": "withdraw"})
    assert withdrawn.status_code == 303
    assert (await Pledge.get()).status is PledgeStatus.WITHDRAWN
    assert await pledging.figures(org, campaign.id) == pledging.Figures(0, 0, 0)
    replay = await x_client.get(back)
    assert replay.status_code == 400  # the state was used


async def test_a_callback_in_another_browser_is_refused(x: XWorld,
                                                        x_client: httpx.AsyncClient) -> None:
    org = await make_org()
    campaign = await make_campaign(org)
    fan = x.sim.add_user("mama_mboga", 1200)
    start = await x_client.get(f"/o/{org.slug}/campaigns/{campaign.slug}/connect/x")
    async with httpx.AsyncClient() as browser:
        answer = await browser.post(start.headers["location"],
                                    data={"user_id": fan.id, "decision": "allow"})
    x_client.cookies.clear()  # another browser
    refused = await x_client.get(answer.headers["location"].replace("http://testserver", ""))
    assert refused.status_code == 400 and not await Pledge.exists()


async def test_connect_links_are_throttled_per_address_and_old_attempts_pruned(
        x: XWorld, x_client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each anonymous GET of a connect link writes an OAuth attempt: a loop must not fill the
    table, and what expires is deleted by the hourly job."""
    org = await make_org()
    campaign = await make_campaign(org)
    link = f"/o/{org.slug}/campaigns/{campaign.slug}/connect/x"
    for _ in range(connect.ATTEMPTS_PER_ADDRESS):
        assert (await x_client.get(link)).status_code == 303
    stopped = await x_client.get(link)
    assert stopped.status_code == 429 and "Too many attempts" in stopped.text
    assert await OAuthAttempt.filter().count() == connect.ATTEMPTS_PER_ADDRESS
    await delete_oauth_attempts({})
    assert await OAuthAttempt.filter().count() == connect.ATTEMPTS_PER_ADDRESS  # still live
    later = timefmt.now() + timedelta(minutes=connect.ATTEMPT_MINUTES, seconds=1)
    monkeypatch.setattr(timefmt, "now", lambda: later)
    await delete_oauth_attempts({})
    assert not await OAuthAttempt.exists()
