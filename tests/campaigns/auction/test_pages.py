"""The auction's pages: staff set up the lot, a job opens it; sponsors make an account, save
a card through the sandbox's card page (Stripe's in production: its page is the only one
allowed Stripe's hosts), bid from the live page, and the outbid sponsor is mailed at once."""

from __future__ import annotations

from datetime import timedelta

import httpx

from app.accounts.models import User
from app.settings import Settings
from app.timefmt import now
from campaigns.auction.models import Auction, Sponsor
from campaigns.auction.service import setup as auctions
from campaigns.auction.statuses import AuctionStatus
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from tests.campaigns.factories import make_campaign
from tests.grants.factories import make_fund
from tests.helpers import (
    csrf_token,
    login,
    mail_text,
    make_org,
    make_user,
    post_form,
    wait_for_mail,
)


async def _sponsor_with_card(client: httpx.AsyncClient, org_slug: str, user: User,
                             company: str) -> None:
    await login(client, user.email)
    account = f"/o/{org_slug}/sponsor"
    bad = await post_form(client, account, {"company_name": company, "contact_name": "Ann",
                                            "billing_email": user.email, "country": "K1"},
                          token_from=account)
    assert bad.status_code == 422 and company in bad.text       # typed values stay
    saved = await post_form(client, account, {"company_name": company, "contact_name": "Ann",
                                              "billing_email": user.email, "country": "ke"},
                            token_from=account)
    assert saved.status_code == 303
    card_page = await client.get(account + "/card")
    assert card_page.status_code == 200 and "sandbox" in card_page.text.lower()
    assert "js.stripe.com" in card_page.headers["content-security-policy"]
    setup = card_page.text.split('name="setup" value="')[1].split('"')[0]
    done = await client.post(account + "/card", data={
        "csrf_token": await csrf_token(client, account + "/card"), "setup": setup,
        "number": "4242 4242 4242 4242"})
    assert done.status_code == 303 and done.headers["location"].endswith("/sponsor?card=1")
    shown = await client.get(account)
    assert "4242" in shown.text
    assert "js.stripe.com" not in shown.headers["content-security-policy"]


async def test_staff_set_up_sponsors_save_cards_bid_and_the_outbid_hear_it(
        client: httpx.AsyncClient, settings: Settings) -> None:
    staff = await make_user(email="lucia@fund.example", name="Lucía")
    org = await make_org(owner=staff)
    fund = await make_fund(org, currency="USD")
    campaign = await make_campaign(org, status=CampaignStatus.PLEDGING, fund_id=fund.id)
    await login(client, staff.email)
    setup_page = f"/o/{org.slug}/manage/campaigns/{campaign.slug}/auction"
    start, end = now() + timedelta(hours=1), now() + timedelta(days=2)
    values = {"starting_minor": "100", "increments": "0 1\n100 5", "timezone": "UTC",
              "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "soft_close_minutes": "5",
              "ends_at": start.strftime("%Y-%m-%dT%H:%M")}
    refused = await post_form(client, setup_page, values, token_from=setup_page)
    assert refused.status_code == 422 and "must end after it starts" in refused.text
    # the broadcast is in 25 days: 2 days to pay, 1 to write, 2 of notice before it
    late = campaign.broadcast_at - timedelta(days=5) + timedelta(minutes=2)
    values["ends_at"] = late.strftime("%Y-%m-%dT%H:%M")
    too_late = await post_form(client, setup_page, values, token_from=setup_page)
    assert too_late.status_code == 422 and "End the auction by" in too_late.text
    assert not await Auction.filter(campaign_id=campaign.id).exists()
    values["ends_at"] = end.strftime("%Y-%m-%dT%H:%M")
    assert (await post_form(client, setup_page, values, token_from=setup_page)
            ).status_code == 303
    row = await Auction.get(campaign_id=campaign.id)
    assert (row.status, row.starting_minor, row.increments) == (
        AuctionStatus.SCHEDULED, 10_000, [[0, 100], [10_000, 500]])
    assert await auctions.open_due(row.id) is AuctionStatus.SCHEDULED   # not its time yet
    await Auction.filter(id=row.id).update(starts_at=now() - timedelta(minutes=1))
    assert await auctions.open_due(row.id) is AuctionStatus.OPEN
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.AUCTION

    amina = await make_user(email="amina@kahawa.example", name="Amina")
    baraka = await make_user(email="baraka@chai.example", name="Baraka")
    auction_page = f"/o/{org.slug}/campaigns/{campaign.slug}/auction"
    await _sponsor_with_card(client, org.slug, amina, "Kahawa Ltd")
    low = await post_form(client, auction_page, {"max_amount_minor": "50"},
                          token_from=auction_page)
    assert low.status_code == 422 and "$100.00" in low.text    # below the starting price
    first = await post_form(client, auction_page, {"max_amount_minor": "150"},
                            token_from=auction_page)
    assert first.status_code == 303, first.text[:3000]
    assert first.headers["location"].endswith("?bid=leading")
    page = await client.get(auction_page)
    assert "You" in page.text and "$100.00" in page.text and "Kahawa" not in page.text

    await _sponsor_with_card(client, org.slug, baraka, "Chai Co")
    second = await post_form(client, auction_page, {"max_amount_minor": "400"},
                             token_from=auction_page)
    assert second.headers["location"].endswith("?bid=leading")
    told = mail_text(await wait_for_mail(settings, amina.email))
    assert "$155.00" in told and auction_page in told                 # 150 + 5
    history = (await client.get(auction_page)).text
    assert "Bidder 1" in history and "Bidder 2" in history and "Chai" not in history
    assert (await Sponsor.filter(organisation_id=org.id).count()) == 2
