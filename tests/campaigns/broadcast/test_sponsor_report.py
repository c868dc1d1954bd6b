"""The sponsor's summary of the broadcast: mailed once when it ends, shown on their post's
page, in words (why some accounts did not repost), with the start, end and duration; in
assisted mode it says the reposts are not verified."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest

from app.settings import Settings
from app.timefmt import now
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.schemas import MessageIn, MessageReviewIn
from campaigns.broadcast.service import fanout, messages
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState
from campaigns.campaign.lifecycle import Actor
from tests.campaigns.broadcast.test_messages import TEXT, paid_campaign
from tests.helpers import login, mail_texts, wait_for_mail

pytestmark = pytest.mark.usefixtures("app")  # the end of a broadcast queues the mail


@pytest.mark.parametrize("assisted", [False, True])
async def test_the_sponsor_gets_the_report_when_the_broadcast_ends(
        client: httpx.AsyncClient, settings: Settings, assisted: bool) -> None:
    org, campaign, winner, staff = await paid_campaign(settings)
    await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad", text=TEXT))
    await messages.review(staff, campaign.slug, MessageReviewIn(action="approve", revision=1))
    row = await Broadcast.get(campaign_id=campaign.id)
    deliveries = await Delivery.filter(broadcast_id=row.id).order_by("id")
    assert len(deliveries) == 3                                     # the active pledges
    began = now() - timedelta(minutes=12)
    await Broadcast.filter(id=row.id).update(status=BroadcastStatus.RUNNING, started_at=began,
                                             assisted=assisted, post_ref="1234")
    if assisted:
        await Delivery.filter(id__in=[d.id for d in deliveries[:2]]).update(
            state=DeliveryState.OFFERED, reason="mailed")
        await Delivery.filter(id=deliveries[0].id).update(link_opened_at=now())
    else:
        await Delivery.filter(id__in=[d.id for d in deliveries[:2]]).update(
            state=DeliveryState.DELIVERED, followers=15_400)
    await Delivery.filter(id=deliveries[2].id).update(state=DeliveryState.SKIPPED,
                                                      reason="suspended")
    assert await fanout.move(org, row.id, "complete", Actor.SYSTEM) is not None
    await wait_for_mail(settings, winner.email, count=2)            # after the receipt
    [report] = [text for text in mail_texts(settings, winner.email) if "Duration" in text]
    assert "Not delivered: the account is suspended: 1" in report
    assert "Duration: 12 minutes" in report
    page = f"/o/{org.slug}/campaigns/{campaign.slug}/message"
    if assisted:
        assert "One-tap links given: 2 of 3; links opened: 1" in report
        assert "not verified" in report
    else:
        assert "Reposts: 2 of 3, reaching 30,800 followers." in report
        assert "not verified" not in report
    await login(client, winner.email)
    shown = await client.get(page)
    assert "Not delivered: the account is suspended" in shown.text
    assert ("30,800" in shown.text) is not assisted
    assert ("not verified" in shown.text) is assisted
    assert await fanout.move(org, row.id, "abort", Actor.STAFF) is None  # ended once


async def test_a_broadcast_that_never_started_is_reported_with_its_reason(
        client: httpx.AsyncClient, settings: Settings) -> None:
    org, campaign, winner, staff = await paid_campaign(settings)
    await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad", text=TEXT))
    await messages.review(staff, campaign.slug, MessageReviewIn(action="approve", revision=1))
    row = await Broadcast.get(campaign_id=campaign.id)
    await fanout.move(org, row.id, "stop", Actor.SYSTEM, reason="no_publisher")
    await wait_for_mail(settings, winner.email, count=2)
    [report] = [text for text in mail_texts(settings, winner.email) if "did not start" in text]
    assert "It did not start: no account to publish the post." in report
    assert "Not delivered: no account to publish the post: 3" in report   # all cancelled
    await login(client, winner.email)
    shown = await client.get(f"/o/{org.slug}/campaigns/{campaign.slug}/message")
    assert "It did not start: no account to publish the post." in shown.text
