"""Scheduling a broadcast: the sponsor's post approved, one broadcast per network with one
pending delivery per active pledge, made once; a pledge that comes later joins it."""

from __future__ import annotations

import pytest

from app.settings import Settings
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.broadcast.schemas import MessageIn, MessageReviewIn
from campaigns.broadcast.service import broadcasts, messages
from campaigns.broadcast.statuses import BroadcastStatus, DeliveryState
from campaigns.campaign.models import Campaign, NetworkApproval
from campaigns.pledges.models import Pledge
from campaigns.pledges.service import pledges as pledging
from campaigns.pledges.statuses import PledgeStatus
from tests.campaigns.broadcast.test_messages import TEXT, paid_campaign
from tests.campaigns.factories import CONSENT, make_account

pytestmark = pytest.mark.usefixtures("app")


async def test_approval_schedules_one_delivery_per_active_pledge_once(
        settings: Settings) -> None:
    org, campaign, winner, staff = await paid_campaign(settings)
    await NetworkApproval.create(organisation=org, network="x", approved=True)
    await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad", text=TEXT))
    await messages.review(staff, campaign.slug, MessageReviewIn(action="approve",
                                                                revision=1))
    broadcast = await Broadcast.get(campaign_id=campaign.id)
    assert (broadcast.network, broadcast.status, broadcast.assisted) == (
        "x", BroadcastStatus.SCHEDULED, False)
    assert broadcast.post_text == f"{TEXT}\n\n#ad"
    assert broadcast.scheduled_at == campaign.broadcast_at
    active = await Pledge.filter(campaign_id=campaign.id, status=PledgeStatus.ACTIVE)
    made = await Delivery.filter(broadcast_id=broadcast.id)
    assert sorted(d.pledge_id for d in made) == sorted(p.id for p in active)  # 3 of 4
    assert {d.state for d in made} == {DeliveryState.PENDING}
    assert await broadcasts.add_missing(org, broadcast) == 0          # again: nothing new
    assert await Delivery.filter(broadcast_id=broadcast.id).count() == len(active)
    late = await make_account(org, handle="late_fan", followers=4321)
    scheduled = await Campaign.get(id=campaign.id)
    pledge = await pledging.pledge(org, scheduled, late, CONSENT)        # after the approval
    joined = await Delivery.get(broadcast_id=broadcast.id, pledge_id=pledge.id)
    assert (joined.account_id, joined.followers) == (late.id, 4321)


async def test_without_an_approval_of_automated_posting_it_is_assisted(
        settings: Settings) -> None:
    org, campaign, winner, staff = await paid_campaign(settings)
    await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad", text=TEXT))
    await messages.review(staff, campaign.slug, MessageReviewIn(action="approve",
                                                                revision=1))
    assert (await Broadcast.get(campaign_id=campaign.id)).assisted
