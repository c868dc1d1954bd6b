"""Staff connect the campaign's own account through the OAuth flow, from the broadcast's
page: it becomes the publisher (its tokens encrypted), it cannot change once the broadcast
has started, nobody else can do it; its tokens outlive the hourly clean-up while the
broadcast is open and go when the campaign completes."""

from __future__ import annotations

import httpx

from app.orgs.models import Role
from app.settings import Settings
from campaigns.models import Broadcast, BroadcastStatus, SocialAccount
from campaigns.service import publishing, tokens
from campaigns.x_sim_state import XUser
from tests.campaigns.conftest import XWorld
from tests.campaigns.test_fanout import Scene, engine, scene
from tests.helpers import add_member, login, make_user


async def staff_of(s: Scene, client: httpx.AsyncClient) -> str:
    staff = await make_user(email="lucia@fund.example")
    await add_member(s.org, staff, Role.STAFF)
    await login(client, staff.email)
    return f"/o/{s.org.slug}/manage/campaigns/{s.campaign.slug}/broadcast"


async def authorise(x: XWorld, client: httpx.AsyncClient, page: str, user: XUser
                    ) -> httpx.Response:
    """Follow the connect link to the simulator, allow as `user`, come back."""
    start = await client.get(f"{page}/connect")
    assert start.status_code == 303 and start.headers["location"].startswith(x.base_url)
    async with httpx.AsyncClient() as browser:
        answer = await browser.post(start.headers["location"],
                                    data={"user_id": user.id, "decision": "allow"})
    return await client.get(answer.headers["location"].replace("http://testserver", ""))


async def test_staff_connect_the_campaigns_account_and_it_publishes(
        x: XWorld, x_client: httpx.AsyncClient, settings: Settings) -> None:
    s = await scene(settings, x, ["fan0"], published=False)
    await Broadcast.filter(id=s.broadcast.id).update(publisher_id=None)
    page = await staff_of(s, x_client)
    assert "No account is connected" in (await x_client.get(page)).text
    own = x.sim.add_user("fund_official", 30_000)
    back = await authorise(x, x_client, page, own)
    assert back.status_code == 303 and back.headers["location"] == f"{page}?connected=1"
    shown = await x_client.get(back.headers["location"])
    assert "@fund_official publishes the post" in shown.text
    account = await SocialAccount.get(handle="fund_official")
    assert (await Broadcast.get(id=s.broadcast.id)).publisher_id == account.id
    grant = next(token for token, g in x.sim.access.items() if g.user_id == own.id)
    assert grant not in (account.access_token_enc or "")            # encrypted, not clear
    assert s.box.decrypt(account.access_token_enc or "") == grant
    await tokens.delete_expired_tokens()                           # the hourly clean-up
    kept = await SocialAccount.get(id=account.id)
    assert kept.access_token_enc is not None                       # kept: it will publish
    assert await publishing.publish(s.org, s.broadcast.id, x.provider, s.box) is (
        BroadcastStatus.RUNNING)
    post = (await Broadcast.get(id=s.broadcast.id)).post_ref
    assert x.sim.tweets[post or ""]["author_id"] == own.id
    assert x.sim.tweets[post or ""]["paid_partnership"]
    refused = await x_client.get(f"{page}/connect")                 # started: no change
    assert refused.status_code == 409
    s.broadcast = await Broadcast.get(id=s.broadcast.id)
    assert await engine(s, x).run() is BroadcastStatus.COMPLETED
    await publishing.finish(s.org, s.campaign.id)
    assert (await SocialAccount.get(id=account.id)).access_token_enc is None   # gone too


async def test_nobody_else_connects_it(x: XWorld, x_client: httpx.AsyncClient,
                                       settings: Settings) -> None:
    s = await scene(settings, x, ["fan0"], published=False)
    outsider = await make_user(email="nosy@else.example")
    await login(x_client, outsider.email)
    page = f"/o/{s.org.slug}/manage/campaigns/{s.campaign.slug}/broadcast"
    assert (await x_client.get(f"{page}/connect")).status_code in (403, 404)
