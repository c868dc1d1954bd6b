"""The campaign API: public figures, staff create and move (with the reach recorded)."""

from __future__ import annotations

from datetime import date, timedelta

import httpx

from app.accounts.service import create_api_token
from app.audit import AuditEvent
from app.settings import Settings
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.models import SocialAccount
from campaigns.pledges.service import pledges as pledging
from grants.funds.models import Fund
from tests.campaigns.factories import CONSENT, make_account, make_campaign
from tests.helpers import csrf_token, eventually, login, make_org, make_user, post_form

BODY = {"slug": "one-big-post", "title": {"en": "One big post", "sw": "Chapisho moja kubwa"},
        "story": {"en": "Lend your reach to co-op grants."}, "reach_goal": 500_000,
        "pledge_opens_at": "2027-01-01T08:00:00+03:00",
        "pledge_closes_at": "2027-02-01T08:00:00+03:00",
        "broadcast_at": "2027-02-03T12:00:00+03:00", "networks": ["x"]}


async def test_staff_create_and_move_a_campaign_anyone_reads_it(
        client: httpx.AsyncClient, settings: Settings) -> None:
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
    fan = await make_account(org, settings, followers=1234, access_token="tok-fan")
    await pledging.pledge(org, campaign, fan, CONSENT)
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
    assert await pledging.figures(org, campaign.id) == pledging.Figures(1, 1234, 1234)  # history
    async def tokens_gone() -> bool:    # a job, once the move committed
        return (await SocialAccount.get(id=fan.id)).access_token_enc is None
    await eventually(tokens_gone)


async def test_staff_pages_create_move_and_record_an_approval(
        client: httpx.AsyncClient) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    fund = await Fund.create(organisation=org, name="Proceeds", currency="USD")
    await login(client, owner.email)
    new = f"/o/{org.slug}/manage/campaigns/new"
    day = timedelta(days=1)
    form = {"slug": "tea-reach", "title.en": "Tea reach", "fund_id": str(fund.id),
            "reach_goal": "100000", "timezone": "Africa/Nairobi",
            "pledge_opens_at": f"{date.today() - day}T08:00",
            "pledge_closes_at": f"{date.today() + 30 * day}T08:00",
            "broadcast_at": f"{date.today() + 32 * day}T12:00", "networks": "x"}
    bad = await post_form(client, new, {**form, "broadcast_at": f"{date.today()}T08:00"},
                          token_from=new)
    assert bad.status_code == 422 and not await Campaign.exists()
    made = await post_form(client, new, form, token_from=new)
    assert made.status_code == 303, made.text
    campaign = await Campaign.get(slug="tea-reach")
    assert campaign.pledge_opens_at.hour == 5  # 08:00 in Nairobi
    listing = f"/o/{org.slug}/manage/campaigns"
    moved = await post_form(client, f"{listing}/tea-reach/transition",
                            {"action": "open_pledges"}, token_from=listing)
    assert moved.status_code == 303
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.PLEDGING
    await pledging.pledge(org, campaign, await make_account(org, handle="private",
                                                         protected=True), CONSENT)
    assert "Left out – protected: 1, young: 0, follow-back: 0" in (await client.get(listing)).text
    page = f"/o/{org.slug}/campaigns/tea-reach"
    assisted = "repost with one tap"     # the notice of assisted mode (not a token's letters)
    assert assisted in (await client.get(page)).text  # assisted mode until approved
    recorded = await post_form(client, listing, {"network": "x", "approved": "true",
                                                 "reference": "X-APPROVAL-2027-01"},
                               token_from=listing)
    assert recorded.status_code == 303
    assert assisted not in (await client.get(page)).text


async def test_a_campaign_image_is_small_and_really_an_image(
        client: httpx.AsyncClient, settings: Settings) -> None:
    owner = await make_user()
    org = await make_org(owner=owner)
    campaign = await make_campaign(org)
    await login(client, owner.email)
    listing = f"/o/{org.slug}/manage/campaigns"
    upload = f"{listing}/{campaign.slug}/image"
    token = await csrf_token(client, listing)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000
    for name, data, status in (("story.pdf", b"%PDF-1.4 x", 422), ("big.png", png * 30, 413),
                               ("fake.png", b"%PDF-1.4 x", 422)):
        refused = await client.post(upload, data={"csrf_token": token},
                                    files={"image": (name, data, "image/png")})
        assert refused.status_code == status, name
    assert (await Campaign.get(id=campaign.id)).image_key is None
    done = await client.post(upload, data={"csrf_token": token},
                             files={"image": ("cover.png", png, "image/png")})
    assert done.status_code == 303
    shown = await client.get(f"/o/{org.slug}/campaigns/{campaign.slug}/image")
    assert shown.content == png and shown.headers["content-type"] == "image/png"
    assert "/image" in (await client.get(f"/o/{org.slug}/campaigns/{campaign.slug}")).text
