"""A campaign's broadcast: one per network it takes pledges on, made when the sponsor's post
is approved (the campaign scheduled), with one delivery per active pledge on that network.

Deliveries are unique per (broadcast, pledge): making them again — a pledge that came after
the approval, a job run twice — adds only the missing ones. A network without a recorded
approval of automated posting broadcasts in assisted mode (each supporter gets a one-tap
link instead of an automatic repost).
"""

from __future__ import annotations

from app import queue
from app.orgs.models import Organisation
from app.tenancy import scoped
from campaigns.broadcast.models import Broadcast, Delivery
from campaigns.campaign.models import Campaign, NetworkApproval
from campaigns.pledges.models import Pledge
from campaigns.pledges.statuses import PledgeStatus

CHUNK = 1000


async def automated(org: Organisation, network: str) -> bool:
    """Whether the network approved automated posting for this organisation."""
    approval = await scoped(NetworkApproval, org).get_or_none(network=network)
    return bool(approval and approval.approved)


async def schedule(org: Organisation, campaign: Campaign, post_text: str) -> list[Broadcast]:
    """In the approval's transaction: the campaign's broadcasts and their deliveries."""
    made = []
    for network in campaign.networks:
        broadcast, _ = await Broadcast.get_or_create(
            organisation_id=org.id, campaign_id=campaign.id, network=network,
            defaults={"post_text": post_text, "scheduled_at": campaign.broadcast_at,
                      "assisted": not await automated(org, network)})
        await add_missing(org, broadcast)
        made.append(broadcast)
    return made


async def add_missing(org: Organisation, broadcast: Broadcast) -> int:
    """One pending delivery for each active pledge on the broadcast's network that has
    none; how many were added."""
    have = set(await scoped(Delivery, org).filter(
        broadcast_id=broadcast.id).values_list("pledge_id", flat=True))
    pledges = await scoped(Pledge, org).filter(
        campaign_id=broadcast.campaign_id, status=PledgeStatus.ACTIVE,
        account__network=broadcast.network).values_list("id", "account_id", "counted_reach")
    missing = [Delivery(organisation_id=org.id, broadcast_id=broadcast.id, pledge_id=pledge,
                        account_id=account, followers=followers)
               for pledge, account, followers in pledges if pledge not in have]
    for start in range(0, len(missing), CHUNK):
        await Delivery.bulk_create(missing[start:start + CHUNK], ignore_conflicts=True)
    return len(missing)


async def fresh_statistics() -> None:
    """As the fan-out starts, on PostgreSQL: the planner's view of the deliveries table. Rows
    made just before (a big broadcast scheduled, or topped up) read as "one row" until
    autovacuum analyses the table, and each claim would then sort every open delivery
    instead of reading the partial index of open ones in order; ANALYZE samples the table
    (tens of milliseconds)."""
    connection = Delivery._meta.db
    if connection.capabilities.dialect == "postgres":
        await connection.execute_script("ANALYZE broadcast_deliveries")


async def add_pledge(org: Organisation, campaign_id: int, pledge: Pledge) -> None:
    """A pledge made (or renewed) after the approval joins its network's broadcast, if that
    broadcast has not ended."""
    account = await pledge.account
    broadcast = await scoped(Broadcast, org).get_or_none(campaign_id=campaign_id,
                                                         network=account.network)
    if broadcast is not None:
        await Delivery.bulk_create([Delivery(
            organisation_id=org.id, broadcast_id=broadcast.id, pledge_id=pledge.id,
            account_id=account.id, followers=pledge.counted_reach)], ignore_conflicts=True)


async def schedule_start(row: Broadcast) -> None:
    """The start job at the broadcast's moment (after the commit); a moved moment gets a
    job of its own, and the old one waits for the new moment when it wakes."""
    await queue.enqueue("start_broadcast", row.id, defer_until=row.scheduled_at,
                        job_id=f"start-broadcast:{row.id}:{int(row.scheduled_at.timestamp())}")
