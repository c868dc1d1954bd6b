"""The campaign API: public figures, staff create and move (with the reach recorded)."""

from __future__ import annotations

import httpx

from app.accounts.service import create_api_token
from app.audit import AuditEvent
from campaigns.models import Campaign, CampaignStatus
from campaigns.service import reach
from grants.models import Fund
from tests.campaigns.factories import CONSENT, make_account
from tests.helpers import make_org, make_user

BODY = {"slug": "one-big-post", "title": {"en": "One big post", "sw": "Chapisho moja kubwa"},
        "story": {"en": "Lend your reach to co-op grants."}, "reach_goal": 500_000,
        "pledge_opens_at": "2027-01-01T08:00:00+03:00",
        "pledge_closes_at": "2027-02-01T08:00:00+03:00",
        "broadcast_at": "2027-02-03T12:00:00+03:00", "networks": ["x"]}


async def test_staff_create_and_move_a_campaign_anyone_reads_it(
        client: httpx.AsyncClient) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    fund = await Fund.create(organisation=org, name="Proceeds", currency="USD")
    _, secret = await create_api_token(owner, "t")
    staff = {"Authorization": f"Bearer {secret}"}
    base = f"/api/v1/orgs/{org.slug}/campaigns"
    wrong_fund = await client.post(base, json={**BODY, "fund_id": 999}, headers=staff)
    assert wrong_fund.status_code == 422 and "fund_id" in wrong_fund.json()["error"]["fields"]
    created = await client.post(base, json={**BODY, "fund_id": fund.id}, headers=staff)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "draft" and created.json()["reach"] == 0
    assert (await client.get(f"{base}/one-big-post")).status_code == 404  # a draft
    opened = await client.post(f"{base}/one-big-post/transition", json={"action": "open_pledges"},
                               headers=staff)
    assert opened.json()["status"] == "pledging"
    campaign = await Campaign.get(slug="one-big-post")
    await reach.pledge(org, campaign, await make_account(org, followers=1234), CONSENT)
    public = await client.get(f"{base}/one-big-post")
    assert public.status_code == 200
    assert {k: public.json()[k] for k in ("pledges", "reach", "quality_reach", "goal")} == {
        "pledges": 1, "reach": 1234, "quality_reach": 1234, "goal": 500_000}
    for action in ("start_auction",):
        await client.post(f"{base}/one-big-post/transition", json={"action": action},
                          headers=staff)
    refused = await client.post(f"{base}/one-big-post/transition", json={"action": "sell"},
                                headers=staff)
    assert refused.status_code == 409  # only the auction sells
    cancelled = await client.post(f"{base}/one-big-post/transition", json={"action": "cancel"},
                                  headers=staff)
    assert cancelled.json()["status"] == "cancelled"
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.CANCELLED
    assert await AuditEvent.filter(verb="campaign.cancel").count() == 1
    assert await reach.figures(org, campaign.id) == reach.Figures(0, 0, 0)
