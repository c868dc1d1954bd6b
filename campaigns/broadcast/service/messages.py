"""The sponsor's message: the post the broadcast carries, and the notice supporters get.

The sponsor who won and paid writes the post (campaigns/post_text.py: X's length rules and
the paid-partnership disclosure); staff approve it or return it with comments
(campaigns/lifecycle.py MESSAGES). Approval schedules the broadcast and tells every
supporter with an email the exact post and the moment it goes out, with the link to
withdraw — so approval must come no later than the notice period (48 hours unless the
campaign says otherwise) before the moment: that is the approval deadline. Past it, the
broadcast cannot go out as planned: staff move it to a later moment and every supporter
with an email is told.

Which notice a supporter last got is kept on the pledge (`notice_key`: the moment, and the
post's revision when the post was in it), claimed before the mail goes, so a job run twice,
two jobs at once, or a pledge whose email comes late, send each notice once; a job that
finds a newer notice due (the broadcast moved, or the post approved, meanwhile) stops and
leaves it to the newer job.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from app import audit, moves, queue, timefmt
from app.accounts.models import User
from app.db import atomic
from app.errors import Conflict, Invalid, NotFound
from app.i18n import lazy_gettext as _l
from app.i18n import lazy_ngettext
from app.orgs.models import Membership, Organisation
from app.tenancy import get_locked, get_scoped, scoped
from campaigns.auction.models import Auction, Sponsor
from campaigns.auction.service.sponsors import account
from campaigns.auction.statuses import AuctionStatus
from campaigns.broadcast import post_text
from campaigns.broadcast.lifecycle import MESSAGES
from campaigns.broadcast.models import Broadcast, SponsorMessage
from campaigns.broadcast.schemas import BroadcastMoveIn, MessageIn, MessageReviewIn
from campaigns.broadcast.service import broadcasts
from campaigns.broadcast.service import report as broadcast_report
from campaigns.broadcast.statuses import BroadcastStatus, MessageStatus
from campaigns.campaign.lifecycle import Actor
from campaigns.campaign.models import Campaign
from campaigns.campaign.service import apply, require_staff
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.models import Pledge
from campaigns.pledges.statuses import PledgeStatus

WAITING = (CampaignStatus.SOLD, CampaignStatus.SCHEDULED)  # sold, not yet broadcasting
PAGE = 500
WRITING_HOURS = 24  # a broadcast moved before its post is approved: time to write, approve


def move_hours(campaign: Campaign, message: SponsorMessage | None) -> int:
    """How far from now a moved broadcast must be: the notice period, and a day more for
    the post when it is not approved yet."""
    approved = message is not None and message.status is MessageStatus.APPROVED
    return int(campaign.notice_hours) + (0 if approved else WRITING_HOURS)


def approval_deadline(campaign: Campaign) -> datetime:
    return campaign.broadcast_at - timedelta(hours=campaign.notice_hours)


def overdue(campaign: Campaign, message: SponsorMessage | None,
            moment: datetime | None = None) -> bool:
    """Sold, the post not approved, and the deadline passed: it cannot go out as planned."""
    return (campaign.status is CampaignStatus.SOLD
            and (message is None or message.status is not MessageStatus.APPROVED)
            and (moment or timefmt.now()) >= approval_deadline(campaign))


@dataclass(frozen=True)
class MessageView:
    campaign: Campaign
    message: SponsorMessage | None
    sponsor: Sponsor | None
    deadline: datetime
    overdue: bool

    @property
    def measure(self) -> post_text.Measure | None:
        return (post_text.measure(self.message.text, self.message.disclosure)
                if self.message else None)

    @property
    def move_hours(self) -> int:
        return move_hours(self.campaign, self.message)

    @property
    def editable(self) -> bool:
        return (self.campaign.status is CampaignStatus.SOLD and not self.overdue
                and (self.message is None or self.message.status is not MessageStatus.APPROVED))


async def winner(org: Organisation, campaign: Campaign) -> Sponsor | None:
    """The sponsor who won the campaign's auction and paid for it."""
    row = await scoped(Auction, org).get_or_none(campaign_id=campaign.id,
                                                status=AuctionStatus.PAID)
    if row is None or row.leader_id is None:
        return None
    return await scoped(Sponsor, org).get_or_none(id=row.leader_id)


async def _view(org: Organisation, campaign: Campaign) -> MessageView:
    message = await scoped(SponsorMessage, org).get_or_none(campaign_id=campaign.id)
    return MessageView(campaign, message, await winner(org, campaign),
                       approval_deadline(campaign), overdue(campaign, message))


async def _mine(user: User, org: Organisation, campaign: Campaign) -> Sponsor:
    """The winner's sponsor account; 404 for anyone else (the page does not exist for them)."""
    sponsor, won = await account(user, org), await winner(org, campaign)
    if sponsor is None or won is None or won.id != sponsor.id:
        raise NotFound()
    return sponsor


async def for_sponsor(user: User, org: Organisation, slug: str) -> MessageView:
    campaign = await get_scoped(Campaign, org, slug=slug)
    await _mine(user, org, campaign)
    return await _view(org, campaign)


@dataclass(frozen=True)
class SponsorPage:
    """What the sponsor's page shows: the post and its review, and the reports of the
    campaign's broadcasts once they began."""

    found: MessageView
    reports: list[broadcast_report.Report]


async def sponsor_page(user: User, org: Organisation, slug: str) -> SponsorPage:
    found = await for_sponsor(user, org, slug)
    return SponsorPage(found, await broadcast_report.of_campaign(org, found.campaign.id))


async def for_staff(membership: Membership, slug: str) -> MessageView:
    require_staff(membership)
    return await _view(membership.organisation,
                       await get_scoped(Campaign, membership.organisation, slug=slug))


def _decided(message: SponsorMessage, action: str, actor: Actor) -> MessageStatus:
    """The message's next status by its table (it is saved with the rest of its row)."""
    return moves.target(message, moves.decide(MESSAGES, message, action, actor))


def _before_deadline(campaign: Campaign) -> None:
    if timefmt.now() >= approval_deadline(campaign):
        raise Conflict(_l("The approval deadline has passed: the post cannot go out as "
                          "planned. The foundation will choose a later moment."),
                       code="deadline_passed")


async def submit(user: User, org: Organisation, slug: str, data: MessageIn) -> SponsorMessage:
    """The winner submits (or edits while it waits, or submits again once returned)."""
    async with atomic():
        campaign = await get_locked(Campaign, org, slug=slug)
        sponsor = await _mine(user, org, campaign)
        if campaign.status is CampaignStatus.SCHEDULED:
            raise Conflict(_l("The post was approved: it cannot change any more."),
                           code="approved")
        if campaign.status is not CampaignStatus.SOLD:
            raise Conflict(_l("This broadcast no longer takes a post."), code="not_waiting")
        _before_deadline(campaign)
        message = await scoped(SponsorMessage, org).select_for_update().get_or_none(
            campaign_id=campaign.id)
        if message is None:
            message = SponsorMessage(organisation_id=org.id, campaign_id=campaign.id,
                                     revision=0)
        else:
            message.status = _decided(message, "submit", Actor.SPONSOR)
        message.sponsor_id, message.text, message.disclosure = (
            sponsor.id, data.text, data.disclosure)
        message.status, message.revision = MessageStatus.SUBMITTED, message.revision + 1
        message.submitted_at = timefmt.now()
        await message.save()
        await audit.record(verb="sponsor_message.submitted", obj=message, actor_id=user.id,
                           organisation_id=org.id, changed=["text", "disclosure"],
                           details={"post": post_text.compose(data.text, data.disclosure),
                                    "revision": message.revision})
    return message


async def review(membership: Membership, slug: str, data: MessageReviewIn) -> SponsorMessage:
    """Staff approve the post (the broadcast is scheduled, supporters are told) or return it
    with comments (the sponsor is told)."""
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        campaign = await get_locked(Campaign, org, slug=slug)
        message = await scoped(SponsorMessage, org).select_for_update().get_or_none(
            campaign_id=campaign.id)
        if message is None:
            raise Conflict(_l("The sponsor has not submitted a post yet."), code="no_message")
        if message.revision != data.revision:       # edited while the reviewer read it
            raise Conflict(_l("The sponsor changed the post while you were reading it: read "
                              "the new version."), code="changed")
        message.status = _decided(message, data.action, Actor.STAFF)
        if data.action == "approve":
            if timefmt.now() >= approval_deadline(campaign):
                raise Conflict(_l("The approval deadline has passed: move the broadcast to a "
                                  "later moment first, so supporters get their notice in "
                                  "time."), code="deadline_passed")
            await apply(org, campaign, "schedule", Actor.SYSTEM, membership.user_id)
            for broadcast in await broadcasts.schedule(
                    org, campaign, post_text.compose(message.text, message.disclosure)):
                await broadcasts.schedule_start(broadcast)
        message.staff_comment = data.comment
        message.reviewed_by_id, message.reviewed_at = membership.user_id, timefmt.now()
        await message.save()
        await audit.record(verb=f"sponsor_message.{data.action}", obj=message,
                           actor_id=membership.user_id, organisation_id=org.id,
                           changed=["status"], details={"revision": message.revision,
                                                        "comment": data.comment})
        if data.action == "approve":
            await queue.enqueue("notify_supporters", campaign.id)
        else:
            await queue.enqueue("tell_message_returned", message.id)
    return message


async def move_broadcast(membership: Membership, slug: str, data: BroadcastMoveIn
                         ) -> Campaign:
    """Staff move a sold broadcast later (a missed deadline, or any reason): at least the
    notice period from now, so every supporter can still decide; all of them are told."""
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        campaign = await get_locked(Campaign, org, slug=slug)
        if campaign.status not in WAITING:
            raise Conflict(_l("Only a sold broadcast that has not started can be moved."),
                           code="not_movable")
        message = await scoped(SponsorMessage, org).get_or_none(campaign_id=campaign.id)
        hours = move_hours(campaign, message)
        earliest = timefmt.now() + timedelta(hours=hours)
        if data.broadcast_at <= campaign.broadcast_at or data.broadcast_at < earliest:
            raise Invalid(fields={"broadcast_at": lazy_ngettext(
                "Choose a moment later than the planned one and at least %(hours)s hour "
                "from now, so the post can be approved and every supporter has time to "
                "decide.",
                "Choose a moment later than the planned one and at least %(hours)s hours "
                "from now, so the post can be approved and every supporter has time to "
                "decide.", hours, hours=hours)})
        before, campaign.broadcast_at = campaign.broadcast_at, data.broadcast_at
        await campaign.save(update_fields=["broadcast_at", "updated_at"])
        for broadcast in await scoped(Broadcast, org).filter(
                campaign_id=campaign.id, status=BroadcastStatus.SCHEDULED):
            broadcast.scheduled_at = campaign.broadcast_at     # its start job waits for it
            await broadcast.save(update_fields=["scheduled_at", "updated_at"])
            await broadcasts.schedule_start(broadcast)
        await audit.record(verb="campaign.broadcast_moved", obj=campaign,
                           actor_id=membership.user_id, organisation_id=org.id,
                           changed=["broadcast_at"],
                           details={"from": before.isoformat(),
                                    "to": campaign.broadcast_at.isoformat()})
        await queue.enqueue("notify_supporters", campaign.id, 1)
        await queue.enqueue("tell_sponsor_moved", campaign.id)
    return campaign


@dataclass(frozen=True)
class Notice:
    """What a supporter is told: the moment, the post when approved, whether it moved."""
    key: str
    post: str | None
    broadcast_at: datetime


async def notice_for(campaign: Campaign, moved: bool) -> Notice | None:
    """The notice due now: the post and its moment once approved; only the new moment when
    the broadcast moved before approval; nothing otherwise."""
    message = await SponsorMessage.get_or_none(  # unscoped: the campaign's own
        campaign_id=campaign.id, organisation_id=campaign.organisation_id)
    moment = int(campaign.broadcast_at.timestamp())
    if message is not None and message.status is MessageStatus.APPROVED:
        return Notice(f"post:{moment}:{message.revision}",
                      post_text.compose(message.text, message.disclosure),
                      campaign.broadcast_at)
    if moved:
        return Notice(f"time:{moment}", None, campaign.broadcast_at)
    return None


async def due_notices(campaign: Campaign, notice: Notice, pledge_id: int | None = None,
                      after_id: int = 0) -> list[Pledge]:
    """The next page of active pledges with an email that have not had this notice."""
    query = Pledge.filter(  # unscoped: the campaign's own pledges
        campaign_id=campaign.id, organisation_id=campaign.organisation_id,
        status=PledgeStatus.ACTIVE, email__isnull=False, id__gt=after_id).exclude(
        notice_key=notice.key)
    if pledge_id is not None:
        query = query.filter(id=pledge_id)
    return await query.select_related("account").order_by("id").limit(PAGE)


async def claim(pledge: Pledge, notice: Notice) -> bool:
    """Mark the pledge told before its mail goes, if no other job changed it since it was
    read: two jobs never both mail one supporter, and a job still telling an older notice
    never overwrites a newer one."""
    claimed = await Pledge.filter(  # unscoped: by its id, as read from its campaign
        id=pledge.id, notice_key=pledge.notice_key).update(notice_key=notice.key)
    return bool(claimed)


async def unclaim(pledge: Pledge, notice: Notice) -> None:
    """The mail could not go: the next run tells this supporter."""
    await Pledge.filter(  # unscoped: by its id
        id=pledge.id, notice_key=notice.key).update(notice_key=pledge.notice_key)


def told_before(pledge: Pledge, notice: Notice) -> bool:
    """Whether this supporter was told of another moment (the notice says it moved)."""
    return bool(pledge.notice_key) and (
        pledge.notice_key.split(":")[1] != notice.key.split(":")[1])
