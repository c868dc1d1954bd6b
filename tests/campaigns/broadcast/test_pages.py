"""Staff's hold on a broadcast, on the page and through the API: the live counts and the
report; start now, pause, resume, abort; nobody else sees it."""

from __future__ import annotations

import httpx
import pytest

from app.accounts.service import create_api_token
from app.orgs.models import Role
from app.settings import Settings
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState
from tests.campaigns.broadcast.test_fanout import engine, scene
from tests.campaigns.conftest import Queued, XWorld
from tests.helpers import add_member, login, make_user, post_form

pytestmark = pytest.mark.usefixtures("app")


async def test_staff_read_the_report_and_nobody_else_does(
        client: httpx.AsyncClient, settings: Settings, x: XWorld) -> None:
    s = await scene(settings, x, ["fan0", "fan1", "gone"])
    s.users["gone"].suspended = True
    assert await engine(s, x).run() is BroadcastStatus.COMPLETED
    staff = await make_user(email="lucia@fund.example")
    await add_member(s.org, staff, Role.STAFF)
    await login(client, staff.email)
    page = f"/o/{s.org.slug}/manage/campaigns/{s.campaign.slug}/broadcast"
    shown = await client.get(page)
    assert shown.status_code == 200
    assert "2 / 3" in shown.text and "suspended" in shown.text
    assert "{:,}".format(s.users["fan0"].followers + s.users["fan1"].followers) in shown.text
    assert 'http-equiv="refresh"' not in shown.text                 # over: no refresh
    outsider = await make_user(email="nosy@else.example")
    await login(client, outsider.email)
    assert (await client.get(page)).status_code in (403, 404)


async def test_the_api_pauses_resumes_and_aborts(
        client: httpx.AsyncClient, settings: Settings, x: XWorld,
        queued: list[Queued]) -> None:
    s = await scene(settings, x, ["fan0", "fan1"])
    staff = await make_user(email="lucia@fund.example")
    await add_member(s.org, staff, Role.STAFF)
    _, secret = await create_api_token(staff, "ops")
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/v1/orgs/{s.org.slug}/campaigns/{s.campaign.slug}/broadcast"
    live = await client.get(url, headers=headers)
    assert live.status_code == 200 and live.json()["counts"]["pending"] == 2
    assert live.json()["status"] == "running" and live.json()["post_id"] == s.broadcast.post_ref
    paused = await client.post(url, json={"action": "pause"}, headers=headers)
    assert paused.status_code == 202 and paused.json()["status"] == "paused"
    assert await engine(s, x).run() is BroadcastStatus.PAUSED       # a lane stops at once
    resumed = await client.post(url, json={"action": "resume"}, headers=headers)
    assert resumed.json()["status"] == "running"
    assert sorted(q.args[1] for q in queued if q.name == "fan_out") == [0, 1]  # lanes again
    refused = await client.post(url, json={"action": "start"}, headers=headers)
    assert refused.status_code == 409                                 # it has started
    assert (await client.post(url, json={"action": "explode"}, headers=headers)
            ).status_code == 422
    aborted = await client.post(url, json={"action": "abort"}, headers=headers)
    assert aborted.json()["status"] == "aborted"
    assert aborted.json()["reasons"] == {"cancelled": {"aborted_by_staff": 2}}
    assert {d.state for d in await Delivery.filter(broadcast_id=s.broadcast.id)} == {
        DeliveryState.CANCELLED}


async def test_staff_start_a_scheduled_broadcast_now(
        client: httpx.AsyncClient, settings: Settings, x: XWorld,
        queued: list[Queued]) -> None:
    s = await scene(settings, x, ["fan0"], published=False)
    staff = await make_user(email="lucia@fund.example")
    await add_member(s.org, staff, Role.STAFF)
    await login(client, staff.email)
    page = f"/o/{s.org.slug}/manage/campaigns/{s.campaign.slug}/broadcast"
    started = await post_form(client, page, {"action": "start"}, token_from=page)
    assert started.status_code == 303
    [job] = [q for q in queued if q.name == "start_broadcast"]
    row = await Broadcast.get(id=s.broadcast.id)
    assert job.args == (row.id,) and job.options["defer_until"] == row.scheduled_at
