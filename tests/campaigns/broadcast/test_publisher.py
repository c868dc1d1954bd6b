"""Staff connect the campaign's own account through the OAuth flow, from the broadcast's
page: it becomes the publisher (its tokens encrypted), it cannot change once the broadcast
has started, nobody else can do it; its tokens outlive the hourly clean-up while the
broadcast is open and go when the campaign completes."""

from __future__ import annotations

import httpx

from app.orgs.models import Role
from app.settings import Settings
from app.timefmt import now
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.service import publishing
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState
from campaigns.campaign import service as campaigns
from campaigns.pledges import tasks as pledge_tasks
from campaigns.pledges.models import SocialAccount
from campaigns.pledges.service import tokens
from devtools.x_simulator.state import XUser
from tests.campaigns.broadcast.test_fanout import Scene, engine, scene
from tests.campaigns.conftest import Queued, XWorld
from tests.helpers import add_member, login, make_user, post_form


async def staff_of(s: Scene, client: httpx.AsyncClient) -> str:
    staff = await make_user(email="lucia@fund.example")
    await add_member(s.org, staff, Role.STAFF)
    await login(client, staff.email)
    return f"/o/{s.org.slug}/manage/campaigns/{s.campaign.slug}/broadcast"


async def allowed(x: XWorld, client: httpx.AsyncClient, page: str, user: XUser) -> str:
    """Press the connect button, allow as `user` on the simulator: the callback's path."""
    start = await post_form(client, f"{page}/connect", {}, token_from=page)
    assert start.status_code == 303 and start.headers["location"].startswith(x.base_url)
    async with httpx.AsyncClient() as browser:
        answer = await browser.post(start.headers["location"],
                                    data={"user_id": user.id, "decision": "allow"})
    return str(answer.headers["location"]).replace("http://testserver", "")


async def authorise(x: XWorld, client: httpx.AsyncClient, page: str, user: XUser
                    ) -> httpx.Response:
    return await client.get(await allowed(x, client, page, user))


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
    assert "Connect another account" not in (await x_client.get(page)).text
    refused = await post_form(x_client, f"{page}/connect", {}, token_from=page)
    assert refused.status_code == 409                                # started: no change
    s.broadcast = await Broadcast.get(id=s.broadcast.id)
    assert await engine(s, x).run() is BroadcastStatus.COMPLETED
    await publishing.finish(s.org, s.campaign.id)
    assert (await SocialAccount.get(id=account.id)).access_token_enc is None   # gone too


async def test_nobody_else_connects_it(x: XWorld, x_client: httpx.AsyncClient,
                                       settings: Settings) -> None:
    s = await scene(settings, x, ["fan0"], published=False)
    page = f"/o/{s.org.slug}/manage/campaigns/{s.campaign.slug}/broadcast"
    outsider = await make_user(email="nosy@else.example")
    await login(x_client, outsider.email)
    assert (await post_form(x_client, f"{page}/connect", {})).status_code in (403, 404)
    reviewer = await make_user(email="rev@fund.example")             # of the organisation
    await add_member(s.org, reviewer, Role.REVIEWER)
    await login(x_client, reviewer.email)
    assert (await post_form(x_client, f"{page}/connect", {})).status_code in (403, 404)
    assert (await x_client.get(f"{page}/connect")).status_code == 405   # a form, not a link
    callback = await allowed(x, x_client, await staff_of(s, x_client),
                             x.sim.add_user("fund_official", 30_000))
    other = await make_user(email="other@fund.example")               # staff too, but
    await add_member(s.org, other, Role.STAFF)                        # not who began it
    await login(x_client, other.email)
    assert (await x_client.get(callback)).status_code in (400, 409)   # refused
    assert not await SocialAccount.filter(handle="fund_official").exists()  # nor stored


async def test_the_account_cannot_change_once_the_moment_came(
        x: XWorld, x_client: httpx.AsyncClient, settings: Settings) -> None:
    s = await scene(settings, x, ["fan0"], published=False)
    await Broadcast.filter(id=s.broadcast.id).update(status=BroadcastStatus.SCHEDULED,
                                                     scheduled_at=now())   # start pressed
    page = await staff_of(s, x_client)
    assert "Connect another account" not in (await x_client.get(page)).text
    refused = await post_form(x_client, f"{page}/connect", {}, token_from=page)
    assert refused.status_code == 409


async def test_cancelling_the_campaign_aborts_its_broadcast_and_deletes_its_tokens(
        x: XWorld, settings: Settings, queued: list[Queued]) -> None:
    s = await scene(settings, x, ["fan0"], published=False)
    staff = await make_user(email="lucia@fund.example")
    membership = await add_member(s.org, staff, Role.STAFF)
    await membership.fetch_related("organisation")
    await campaigns.move(membership, s.campaign.slug, "cancel")
    row = await Broadcast.get(id=s.broadcast.id)
    assert (row.status, row.stop_reason) == (BroadcastStatus.ABORTED, "campaign_cancelled")
    assert {d.state for d in await Delivery.filter(broadcast_id=row.id)} == {
        DeliveryState.CANCELLED}
    assert "tell_sponsor_report" not in [q.name for q in queued]     # refunded, told so
    [release] = [q for q in queued if q.name == "release_tokens"]   # once it committed
    await pledge_tasks.release_tokens({}, *release.args)
    publisher = await SocialAccount.get(id=row.publisher_id)
    assert publisher.access_token_enc is None                        # its tokens went too
    assert await publishing.publish(s.org, row.id, x.provider, s.box) is (
        BroadcastStatus.ABORTED)
    assert not [t for t in x.sim.tweets.values() if not t.get("retweet_of")]  # no post
