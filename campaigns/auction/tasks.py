"""Jobs of the auction: opening and closing it, mail to bidders and the winner, charging,
second chances and refunds."""

from __future__ import annotations

import logging
from typing import Any

from app.accounts.models import User
from app.i18n import localised
from app.mail import send_mail
from app.queue import JobFunc, Periodic
from app.urls import url
from campaigns.auction.models import Auction, PaymentAttempt, Sponsor
from campaigns.auction.service import settlement
from campaigns.auction.service import setup as auctions
from campaigns.broadcast.service import messages

logger = logging.getLogger(__name__)


async def tell_outbid(ctx: dict[str, Any], auction_id: int, sponsor_id: int) -> None:
    """A sponsor who lost the lead hears it at once, in their language, with the price."""
    auction = await Auction.get_or_none(id=auction_id).select_related(  # unscoped: a job
        "campaign", "organisation")
    sponsor = await Sponsor.get_or_none(id=sponsor_id)  # unscoped: a job, by id
    user = await User.get_or_none(id=sponsor.user_id) if sponsor else None
    if auction is None or sponsor is None or user is None or auction.leader_id == sponsor.id:
        return
    org = auction.organisation
    await send_mail(ctx, to=user.email, template="campaigns/auction/mail/outbid",
                    locale=user.locale, context={
        "auction": auction, "campaign": auction.campaign, "organisation": org, "user": user,
        "title": localised(auction.campaign.title, org.locales),
        "link": url("campaigns:auction", org=org.slug, slug=auction.campaign.slug)})


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
    await send_mail(ctx, to=user.email, template="campaigns/auction/mail/payment_due",
                    locale=user.locale, context={
        "attempt": attempt, "organisation": org, "user": user,
        "title": localised(campaign.title, org.locales),
        "link": url("campaigns:payment", org=org.slug, attempt_id=attempt.id)})


async def tell_winner(ctx: dict[str, Any], attempt_id: int) -> None:
    """The winner paid: the receipt, and where and by when to write the post."""
    attempt, user = await _attempt_and_payer(attempt_id)
    if attempt is None or user is None:
        return
    org, campaign = attempt.organisation, attempt.auction.campaign
    await send_mail(ctx, to=user.email, template="campaigns/auction/mail/auction_won",
                    locale=user.locale, context={
        "attempt": attempt, "organisation": org, "user": user, "campaign": campaign,
        "title": localised(campaign.title, org.locales),
        "deadline": messages.approval_deadline(campaign),
        "link": url("campaigns:message", org=org.slug, slug=campaign.slug)})


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


JOBS: tuple[JobFunc, ...] = (open_auction, close_auction, tell_outbid, tell_payment_due,
                             tell_winner, offer_second_chance, refund_auction, refund_attempt,
                             settle_due_auctions)
PERIODIC: tuple[Periodic, ...] = (
    Periodic("settle_due_auctions", every_seconds=60),
)
