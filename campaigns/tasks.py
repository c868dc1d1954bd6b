"""Jobs of the campaigns: the pledge's link by mail, and deleting tokens no longer needed."""

from __future__ import annotations

import logging
from typing import Any

from app.accounts.models import User
from app.crypto import SecretBox
from app.i18n import localised
from app.mail import send_mail
from app.queue import JobFunc, Periodic, TransientError
from campaigns.lifecycle import BROADCASTS
from campaigns.links import manage_path
from campaigns.models import (
    Auction,
    Broadcast,
    Campaign,
    CampaignStatus,
    PaymentAttempt,
    Pledge,
    Sponsor,
    SponsorMessage,
)
from campaigns.providers import provider_for
from campaigns.service import (
    auctions,
    broadcast_jobs,
    broadcast_report,
    connect,
    messages,
    settlement,
)
from campaigns.service.refresh import refresh_due
from campaigns.service.tokens import delete_expired_tokens

logger = logging.getLogger(__name__)


async def send_pledge_link(ctx: dict[str, Any], pledge_id: int) -> None:
    pledge = await Pledge.get_or_none(id=pledge_id).select_related(  # unscoped: a job, by id
        "organisation", "account")
    if pledge is None or not pledge.email:
        return
    campaign = await Campaign.get(id=pledge.campaign_id,  # unscoped: the pledge's own
                                  organisation_id=pledge.organisation_id)
    await send_mail(ctx, to=pledge.email, template="pledge_link", locale=pledge.locale,
                    context={"pledge": pledge, "organisation": pledge.organisation,
                             "title": localised(campaign.title, [pledge.locale]),
                             "handle": pledge.account.handle,
                             "link": manage_path(ctx["settings"], pledge)})


async def tell_outbid(ctx: dict[str, Any], auction_id: int, sponsor_id: int) -> None:
    """A sponsor who lost the lead hears it at once, in their language, with the price."""
    auction = await Auction.get_or_none(id=auction_id).select_related(  # unscoped: a job
        "campaign", "organisation")
    sponsor = await Sponsor.get_or_none(id=sponsor_id)  # unscoped: a job, by id
    user = await User.get_or_none(id=sponsor.user_id) if sponsor else None
    if auction is None or sponsor is None or user is None or auction.leader_id == sponsor.id:
        return
    org = auction.organisation
    await send_mail(ctx, to=user.email, template="outbid", locale=user.locale, context={
        "auction": auction, "campaign": auction.campaign, "organisation": org, "user": user,
        "title": localised(auction.campaign.title, org.locales),
        "link": f"/o/{org.slug}/campaigns/{auction.campaign.slug}/auction"})


async def _sponsor_user(sponsor_id: int, organisation_id: int) -> User | None:
    sponsor = await Sponsor.get_or_none(  # unscoped: a job's own sponsor, in its organisation
        id=sponsor_id, organisation_id=organisation_id)
    return await User.get_or_none(id=sponsor.user_id) if sponsor else None


async def _attempt_and_payer(attempt_id: int) -> tuple[PaymentAttempt | None, User | None]:
    attempt = await PaymentAttempt.get_or_none(id=attempt_id).select_related(  # unscoped: job
        "auction", "auction__campaign", "organisation")
    if attempt is None:
        return None, None
    return attempt, await _sponsor_user(attempt.sponsor_id, attempt.organisation_id)


async def tell_payment_due(ctx: dict[str, Any], attempt_id: int) -> None:
    """The winner whose card failed gets the link to pay, with the deadline."""
    attempt, user = await _attempt_and_payer(attempt_id)
    if attempt is None or user is None or attempt.pay_by is None:
        return
    org, campaign = attempt.organisation, attempt.auction.campaign
    await send_mail(ctx, to=user.email, template="payment_due", locale=user.locale, context={
        "attempt": attempt, "organisation": org, "user": user,
        "title": localised(campaign.title, org.locales),
        "link": f"/o/{org.slug}/sponsor/payments/{attempt.id}"})


async def tell_winner(ctx: dict[str, Any], attempt_id: int) -> None:
    """The winner paid: the receipt, and where and by when to write the post."""
    attempt, user = await _attempt_and_payer(attempt_id)
    if attempt is None or user is None:
        return
    org, campaign = attempt.organisation, attempt.auction.campaign
    await send_mail(ctx, to=user.email, template="auction_won", locale=user.locale, context={
        "attempt": attempt, "organisation": org, "user": user, "campaign": campaign,
        "title": localised(campaign.title, org.locales),
        "deadline": messages.approval_deadline(campaign),
        "link": f"/o/{org.slug}/campaigns/{campaign.slug}/message"})


async def tell_message_returned(ctx: dict[str, Any], message_id: int) -> None:
    """Staff returned the post: the sponsor reads their comments and the deadline."""
    message = await SponsorMessage.get_or_none(id=message_id).select_related(  # unscoped: job
        "campaign", "organisation")
    user = await _sponsor_user(message.sponsor_id, message.organisation_id) if message else None
    if message is None or user is None:
        return
    org, campaign = message.organisation, message.campaign
    await send_mail(ctx, to=user.email, template="message_returned", locale=user.locale,
                    context={"message": message, "organisation": org, "user": user,
                             "title": localised(campaign.title, org.locales),
                             "deadline": messages.approval_deadline(campaign),
                             "link": f"/o/{org.slug}/campaigns/{campaign.slug}/message"})


async def tell_sponsor_moved(ctx: dict[str, Any], campaign_id: int) -> None:
    """The broadcast moved: the winning sponsor hears the new moment and, if their post is
    not approved yet, the new deadline."""
    campaign = await Campaign.get_or_none(id=campaign_id).select_related(  # unscoped: job
        "organisation")
    sponsor = await messages.winner(campaign.organisation, campaign) if campaign else None
    user = await _sponsor_user(sponsor.id, sponsor.organisation_id) if sponsor else None
    if campaign is None or user is None:
        return
    org = campaign.organisation
    await send_mail(ctx, to=user.email, template="broadcast_moved", locale=user.locale,
                    context={"organisation": org, "user": user, "campaign": campaign,
                             "title": localised(campaign.title, org.locales),
                             "approved": campaign.status is CampaignStatus.SCHEDULED,
                             "deadline": messages.approval_deadline(campaign),
                             "link": f"/o/{org.slug}/campaigns/{campaign.slug}/message"})


async def notify_supporters(ctx: dict[str, Any], campaign_id: int, moved: int = 0,
                            pledge_id: int = 0) -> None:
    """Every supporter with an email gets the notice due (the post and its moment, or, when
    `moved`, the new moment), once each, page by page; or only `pledge_id`, whose email
    just came. A mail that cannot go is tried again with the job (the others are sent)."""
    campaign = await Campaign.get_or_none(id=campaign_id).select_related(  # unscoped: job
        "organisation")
    notice = await messages.notice_for(campaign, bool(moved)) if campaign else None
    if campaign is None or notice is None:
        return
    org, after, failed = campaign.organisation, 0, 0
    while pledges := await messages.due_notices(campaign, notice, pledge_id or None, after):
        for pledge in pledges:
            if not await messages.claim(pledge, notice):
                continue                               # another job told them
            try:
                await send_mail(ctx, to=pledge.email or "", template="broadcast_notice",
                                locale=pledge.locale, context={
                                    "organisation": org, "notice": notice,
                                    "moved": messages.told_before(pledge, notice) or (
                                        moved and notice.post is None),
                                    "handle": pledge.account.handle, "tz": org.timezone,
                                    "title": localised(campaign.title, [pledge.locale]),
                                    "link": manage_path(ctx["settings"], pledge)})
            except Exception:  # one address's trouble must not stop the others' notices
                logger.exception("the notice to pledge %s was not sent", pledge.id)
                await messages.unclaim(pledge, notice)
                failed += 1
        after = pledges[-1].id
        current = await Campaign.get(id=campaign.id)  # unscoped: the same campaign, again
        if await messages.notice_for(current, bool(moved)) != notice:
            return                                     # a newer notice's job tells everyone
    if failed:
        raise TransientError(f"{failed} notices were not sent: trying again")


async def start_broadcast(ctx: dict[str, Any], broadcast_id: int) -> None:
    """At the broadcast's moment: publish the post, start the fan-out's lanes."""
    await broadcast_jobs.start(ctx, broadcast_id)


async def fan_out(ctx: dict[str, Any], broadcast_id: int, lane: int, slice_number: int
                  ) -> None:
    """One lane of a broadcast's fan-out, for a slice of time."""
    await broadcast_jobs.lane(ctx, broadcast_id, lane, slice_number)


async def broadcasts_due(ctx: dict[str, Any]) -> None:
    """Every minute: broadcasts whose jobs were lost start (again)."""
    await broadcast_jobs.catch_up(ctx)


async def tell_sponsor_report(ctx: dict[str, Any], broadcast_id: int) -> None:
    """A broadcast ended (completed, stopped or aborted): its sponsor gets the report."""
    row = await Broadcast.get_or_none(id=broadcast_id).select_related(  # unscoped: job
        "organisation", "campaign")
    sponsor = await messages.winner(row.organisation, row.campaign) if row else None
    user = await _sponsor_user(sponsor.id, sponsor.organisation_id) if sponsor else None
    if row is None or user is None:
        return
    org, campaign = row.organisation, row.campaign
    await send_mail(ctx, to=user.email, template="broadcast_report", locale=user.locale,
                    context={"user": user, "title": localised(campaign.title, org.locales),
                             "report": await broadcast_report.report(org, row.id),
                             "status": BROADCASTS.state_labels[row.status],
                             "link": f"/o/{org.slug}/campaigns/{campaign.slug}/message"})


async def offer_second_chance(ctx: dict[str, Any], auction_id: int, attempt_id: int) -> None:
    """At a failed payment's deadline: the next bidder, or unsold."""
    await settlement.second_chance(auction_id, attempt_id,
                                   settlement.gateway_for(ctx["settings"]))


async def refund_attempt(ctx: dict[str, Any], attempt_id: int) -> None:
    """A payment completed after its lot moved on: give the money back."""
    attempt = await PaymentAttempt.get_or_none(id=attempt_id).select_related(  # unscoped: job
        "organisation")
    if attempt is not None:
        await settlement.refund_attempt(attempt.organisation, attempt.id,
                                        settlement.gateway_for(ctx["settings"]))


async def refund_auction(ctx: dict[str, Any], campaign_id: int) -> None:
    """A sold broadcast was cancelled: refund the sponsor, reverse the fund's credit."""
    await settlement.refund(campaign_id, settlement.gateway_for(ctx["settings"]))


async def settle_due_auctions(ctx: dict[str, Any]) -> None:
    """Every minute: auctions whose start or end has come and whose job did not run."""
    await auctions.open_due_auctions()
    for auction_id in await auctions.due_to_close():
        try:
            await settlement.close(auction_id, ctx["settings"])
        except Exception:  # one auction's trouble must not stop the others'
            logger.exception("closing auction %s failed; the next run tries again",
                             auction_id)


async def open_auction(ctx: dict[str, Any], auction_id: int) -> None:
    """At an auction's start: open it, put the campaign to auction, schedule the close."""
    await auctions.open_due(auction_id)


async def close_auction(ctx: dict[str, Any], auction_id: int) -> None:
    """At an auction's end (or the end soft close moved it to): close it, charge the winner."""
    await settlement.close(auction_id, ctx["settings"])


async def delete_tokens(ctx: dict[str, Any]) -> None:
    await delete_expired_tokens()


async def delete_oauth_attempts(ctx: dict[str, Any]) -> None:
    await connect.delete_expired_attempts()


async def refresh_profiles(ctx: dict[str, Any]) -> None:
    settings = ctx["settings"]
    await refresh_due(lambda network: provider_for(settings, network), SecretBox(settings))


JOBS: tuple[JobFunc, ...] = (send_pledge_link, delete_tokens, delete_oauth_attempts,
                             refresh_profiles, open_auction,
                             close_auction, tell_outbid, tell_payment_due, tell_winner,
                             tell_message_returned, notify_supporters, tell_sponsor_moved,
                             start_broadcast, fan_out, broadcasts_due, tell_sponsor_report,
                             offer_second_chance, refund_auction, refund_attempt,
                             settle_due_auctions)
PERIODIC: tuple[Periodic, ...] = (Periodic("delete_tokens", every_seconds=3600),
                                  Periodic("delete_oauth_attempts", every_seconds=3600),
                                  Periodic("refresh_profiles", every_seconds=900),
                                  Periodic("settle_due_auctions", every_seconds=60),
                                  Periodic("broadcasts_due", every_seconds=60))
