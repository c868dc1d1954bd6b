"""The sponsor's post: the winner writes it within X's rules, staff return or approve it,
approval schedules the broadcast and tells every supporter with an email the exact post,
the moment and the link to withdraw; past the approval deadline the broadcast is moved
and supporters are told."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import timedelta
from email.message import EmailMessage

import httpx
import pytest

from app.accounts.models import User
from app.errors import Conflict, Invalid, NotFound
from app.forms import validate
from app.mail import OutboxMailer
from app.orgs.models import Membership, Organisation, Role
from app.queue import TransientError
from app.settings import Settings
from app.timefmt import format_datetime, now
from campaigns.auction.service import settlement
from campaigns.auction.statuses import AuctionStatus
from campaigns.broadcast import tasks
from campaigns.broadcast.models import SponsorMessage
from campaigns.broadcast.schemas import BroadcastMoveIn, MessageIn, MessageReviewIn
from campaigns.broadcast.service import messages
from campaigns.broadcast.statuses import MessageStatus
from campaigns.campaign.models import Campaign
from campaigns.campaign.statuses import CampaignStatus
from campaigns.pledges.models import Pledge
from campaigns.pledges.service import pledges as pledging
from campaigns.pledges.statuses import PledgeStatus
from tests.campaigns.auction.test_settlement import won_auction
from tests.campaigns.conftest import Queued
from tests.campaigns.factories import CONSENT, make_account
from tests.helpers import (
    add_member,
    login,
    mail_text,
    mail_texts,
    make_user,
    outbox,
    post_form,
    wait_for_mail,
)

pytestmark = pytest.mark.usefixtures("app")  # the use cases enqueue mail

TEXT = "Kahawa Bora buys at a fair price from co-ops in Kilimanjaro: https://kahawa.example"


async def paid_campaign(settings: Settings, *, days: float = 10
                        ) -> tuple[Organisation, Campaign, User, Membership]:
    """A campaign whose auction the winner paid, broadcast in `days`, three supporters with
    an email (one withdrawn) and one without."""
    org, campaign, row, sandbox = await won_auction()
    await Campaign.filter(id=campaign.id).update(broadcast_at=now() + timedelta(days=days))
    assert await settlement.close(row.id, settings, sandbox) is AuctionStatus.PAID
    for number, (email, status) in enumerate([
            ("ana@fans.example", PledgeStatus.ACTIVE), ("juma@fans.example", PledgeStatus.ACTIVE),
            ("gone@fans.example", PledgeStatus.WITHDRAWN), (None, PledgeStatus.ACTIVE)]):
        account = await make_account(org, handle=f"fan{number}")
        await Pledge.create(organisation=org, campaign=campaign, account=account, email=email,
                            status=status, locale="es" if number == 1 else "en")
    staff = await make_user(email="staff@coop.example")
    membership = await add_member(org, staff, Role.STAFF)
    await membership.fetch_related("organisation")
    winner = await User.get(email="winner@sponsor.example")
    return org, await Campaign.get(id=campaign.id), winner, membership


async def test_the_winner_is_told_to_write_and_only_the_winner_may(
        client: httpx.AsyncClient, settings: Settings) -> None:
    org, campaign, winner, _staff = await paid_campaign(settings)
    told = mail_text(await wait_for_mail(settings, winner.email, count=1))
    page = f"/o/{org.slug}/campaigns/{campaign.slug}/message"
    assert page in told and "$301.00" in told
    deadline = campaign.broadcast_at - timedelta(hours=48)
    assert format_datetime(deadline, winner.timezone) in told
    await login(client, winner.email)
    assert (await client.get(page)).status_code == 200
    second = await User.get(email="second@sponsor.example")           # bid, lost
    await login(client, second.email)
    assert (await client.get(page)).status_code == 404
    with pytest.raises(NotFound):
        await messages.submit(second, org, campaign.slug, MessageIn(disclosure="#ad", text=TEXT))


async def test_a_post_too_long_is_refused_with_its_count_and_nothing_saved(
        client: httpx.AsyncClient, settings: Settings) -> None:
    org, campaign, winner, _staff = await paid_campaign(settings)
    await login(client, winner.email)
    page = f"/o/{org.slug}/campaigns/{campaign.slug}/message"
    long = "Café " * 55 + "https://kahawa.example/" + "x" * 300      # 275 + 23 (+ #ad)
    refused = await post_form(client, page, {"text": long, "disclosure": "#ad",
                                             "action": "submit"}, token_from=page)
    assert refused.status_code == 422 and "longer than X allows" in refused.text
    assert "303 of 280" in refused.text            # 275 + the link's 23 + blank line (2) + 3
    assert not await SponsorMessage.filter(campaign_id=campaign.id).exists()
    shown = await post_form(client, page, {"text": TEXT, "disclosure": "#sponsored",
                                           "action": "preview"}, token_from=page)
    # 83 characters, of which the 22 of the link count 23, then a blank line and #sponsored
    assert shown.status_code == 200 and "96 of 280" in shown.text
    assert not await SponsorMessage.filter(campaign_id=campaign.id).exists()  # a preview
    sent = await post_form(client, page, {"text": TEXT, "disclosure": "#sponsored",
                                          "action": "submit"}, token_from=page)
    assert sent.status_code == 303
    saved = await SponsorMessage.get(campaign_id=campaign.id)
    assert (saved.text, saved.disclosure, saved.status, saved.revision) == (
        TEXT, "#sponsored", MessageStatus.SUBMITTED, 1)


async def test_returned_then_approved_the_supporters_get_the_exact_post(
        client: httpx.AsyncClient, settings: Settings) -> None:
    org, campaign, winner, staff = await paid_campaign(settings)
    await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad", text="Hi"))
    with pytest.raises(Invalid) as unexplained:
        validate(MessageReviewIn, {"action": "return", "revision": "1"})
    assert set(unexplained.value.fields) == {"comment"}
    await messages.review(staff, campaign.slug, MessageReviewIn(
        action="return", revision=1, comment="Please name the co-ops."))
    await wait_for_mail(settings, winner.email, count=2)
    assert any("Please name the co-ops." in text for text in mail_texts(settings, winner.email))
    await login(client, winner.email)
    page = await client.get(f"/o/{org.slug}/campaigns/{campaign.slug}/message")
    assert "Please name the co-ops." in page.text
    await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad", text=TEXT))
    with pytest.raises(Conflict) as stale:          # the reviewer read the first version
        await messages.review(staff, campaign.slug, MessageReviewIn(action="approve",
                                                                    revision=1))
    assert stale.value.code == "changed"
    message = await messages.review(staff, campaign.slug, MessageReviewIn(action="approve",
                                                                          revision=2))
    assert (message.status, message.revision) == (MessageStatus.APPROVED, 2)
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.SCHEDULED
    post = f"{TEXT}\n\n#ad"
    for email in ("ana@fans.example", "juma@fans.example"):
        told = mail_text(await wait_for_mail(settings, email))
        assert post in told and "/pledges/" in told and "moved" not in told
    told = mail_text(await wait_for_mail(settings, "ana@fans.example"))
    assert f"{format_datetime(campaign.broadcast_at, org.timezone)} (UTC)" in told
    assert "Hola" in mail_text(await wait_for_mail(settings, "juma@fans.example"))  # Spanish
    addressed = {m["To"] for m in outbox(settings)}
    assert "gone@fans.example" not in addressed                     # withdrawn: not told
    with pytest.raises(Conflict):                                    # approved: fixed
        await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad",
                                                                    text="Changed"))


async def test_the_notice_is_sent_once_and_a_late_email_gets_it_too(settings: Settings
                                                                   ) -> None:
    org, campaign, winner, staff = await paid_campaign(settings)
    await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad", text=TEXT))
    await messages.review(staff, campaign.slug, MessageReviewIn(action="approve",
                                                                revision=1))
    await wait_for_mail(settings, "juma@fans.example")
    notice = await messages.notice_for(await Campaign.get(id=campaign.id), moved=False)
    assert notice is not None
    assert await messages.due_notices(campaign, notice) == []       # all told: nobody again
    silent = await Pledge.get(campaign_id=campaign.id, email=None)
    await pledging.set_email(org, silent.id, "late@fans.example")
    await wait_for_mail(settings, "late@fans.example", count=2)    # the pledge's link too
    late = mail_texts(settings, "late@fans.example")
    assert sum(f"{TEXT}\n\n#ad" in text for text in late) == 1
    assert len(mail_texts(settings, "ana@fans.example")) == 1


async def test_a_missed_deadline_moves_the_broadcast_and_supporters_are_told(
        settings: Settings) -> None:
    org, campaign, winner, staff = await paid_campaign(settings, days=1.5)  # deadline gone
    view = await messages.for_staff(staff, campaign.slug)
    assert view.overdue and not view.editable
    with pytest.raises(Conflict) as late:
        await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad",
                                                                    text=TEXT))
    assert late.value.code == "deadline_passed"
    await SponsorMessage.create(organisation=org, campaign=campaign, sponsor_id=1, text=TEXT,
                                disclosure="#ad", submitted_at=now())    # sent in time
    with pytest.raises(Conflict) as refused:
        await messages.review(staff, campaign.slug, MessageReviewIn(action="approve",
                                                                revision=1))
    assert refused.value.code == "deadline_passed"
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.SOLD
    for hours in (47, 71):     # the notice period, and a day to approve the post first
        with pytest.raises(Invalid):
            await messages.move_broadcast(staff, campaign.slug, BroadcastMoveIn(
                broadcast_at=now() + timedelta(hours=hours)))
    later = (now() + timedelta(days=5)).replace(microsecond=0)
    await messages.move_broadcast(staff, campaign.slug, BroadcastMoveIn(broadcast_at=later))
    moved = mail_text(await wait_for_mail(settings, "ana@fans.example"))
    assert "has moved" in moved and format_datetime(later, org.timezone) in moved
    assert TEXT not in moved and "/pledges/" in moved
    await wait_for_mail(settings, winner.email, count=2)       # the receipt, then the move
    [told] = [text for text in mail_texts(settings, winner.email) if "moved" in text]
    deadline = later - timedelta(hours=48)
    assert format_datetime(deadline, winner.timezone) in told and "/message" in told
    await messages.review(staff, campaign.slug, MessageReviewIn(action="approve",
                                                                revision=1))
    await wait_for_mail(settings, "ana@fans.example", count=2)
    [final] = [text for text in mail_texts(settings, "ana@fans.example") if TEXT in text]
    assert f"{TEXT}\n\n#ad" in final and format_datetime(later, org.timezone) in final
    assert "has moved" not in final                     # the same moment they were told
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.SCHEDULED


async def test_staff_pages_approve_and_move(client: httpx.AsyncClient,
                                            settings: Settings) -> None:
    org, campaign, winner, _staff = await paid_campaign(settings)
    await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad", text=TEXT))
    await login(client, "staff@coop.example")
    page = f"/o/{org.slug}/manage/campaigns/{campaign.slug}/message"
    shown = await client.get(page)
    assert shown.status_code == 200 and "Kahawa Bora" in shown.text
    assert (await client.get(f"/o/{org.slug}/manage/campaigns")).text.count(page) == 1
    blank = await post_form(client, page, {"action": "return", "revision": "1"},
                            token_from=page)
    assert blank.status_code == 422 and "Say what the sponsor should change" in blank.text
    assert (await SponsorMessage.get(campaign_id=campaign.id)).status is MessageStatus.SUBMITTED
    approved = await post_form(client, page, {"action": "approve", "revision": "1"},
                               token_from=page)
    assert approved.status_code == 303
    assert (await Campaign.get(id=campaign.id)).status is CampaignStatus.SCHEDULED
    early = await post_form(client, page, {"form": "move", "timezone": "UTC",
                                           "broadcast_at": "2001-01-01T10:00"},
                            token_from=page)
    assert early.status_code == 422 and "at least 48 hours" in early.text
    await login(client, winner.email)
    assert (await client.get(page)).status_code in (403, 404)           # staff only


@dataclass
class FlakyMailer:
    """Sends to the outbox, except to one address, which fails (once, or always)."""

    inner: OutboxMailer
    failing: str
    times: int = 1
    sent: list[str] = field(default_factory=list)

    async def send(self, message: EmailMessage) -> None:
        if message["To"] == self.failing and self.times:
            self.times -= 1
            raise ConnectionError("the mail server refused")
        await asyncio.sleep(0.01)        # let two jobs interleave
        self.sent.append(message["To"])
        await self.inner.send(message)


async def test_two_notice_jobs_at_once_tell_each_supporter_once_and_a_failure_is_retried(
        settings: Settings, queued: list[Queued]) -> None:
    org, campaign, winner, staff = await paid_campaign(settings)
    await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad", text=TEXT))
    # `queued` keeps the use cases' jobs from running: they are run by hand below
    await messages.review(staff, campaign.slug, MessageReviewIn(action="approve",
                                                                revision=1))
    mailer = FlakyMailer(OutboxMailer(settings.outbox_dir), failing="juma@fans.example")
    ctx = {"settings": settings, "mailer": mailer}
    first, second = await asyncio.gather(
        tasks.notify_supporters(ctx, campaign.id), tasks.notify_supporters(ctx, campaign.id),
        return_exceptions=True)
    assert isinstance(first, TransientError) or isinstance(second, TransientError)
    assert mailer.sent.count("ana@fans.example") == 1            # by one of the two jobs
    assert mailer.sent.count("juma@fans.example") <= 1    # the other job may have retried
    await tasks.notify_supporters(ctx, campaign.id)              # the job's retry
    assert sorted(mailer.sent) == ["ana@fans.example", "juma@fans.example"]
    await tasks.notify_supporters(ctx, campaign.id)              # run again: nobody twice
    assert len(mailer.sent) == 2


async def test_a_supporter_who_pledges_again_after_approval_is_told(settings: Settings
                                                                   ) -> None:
    org, campaign, winner, staff = await paid_campaign(settings)
    await messages.submit(winner, org, campaign.slug, MessageIn(disclosure="#ad", text=TEXT))
    gone = await Pledge.get(email="gone@fans.example").select_related("account")
    await messages.review(staff, campaign.slug, MessageReviewIn(action="approve",
                                                                revision=1))
    await wait_for_mail(settings, "ana@fans.example")
    assert mail_texts(settings, "gone@fans.example") == []          # withdrawn: not told
    scheduled = await Campaign.get(id=campaign.id)
    await pledging.pledge(org, scheduled, gone.account, CONSENT)       # back, email kept
    told = mail_text(await wait_for_mail(settings, "gone@fans.example"))
    assert f"{TEXT}\n\n#ad" in told
