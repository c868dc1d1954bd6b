"""What the campaigns hold about a user (app/privacy.py): the sponsor accounts they opened,
their bids, payments and posts. Deleting the account keeps the sponsor's company, bids and
payments (financial records) and erases the person: the contact's name and billing address,
the saved card's reference; a pledge left with their (verified) address forgets it. Someone
leading a live auction, or with a payment under way, settles it first."""

from __future__ import annotations

from app.accounts.models import User
from app.i18n import lazy_gettext as _l
from app.privacy import ERASED_NAME, Section
from campaigns.auction.models import Auction, BidRecord, PaymentAttempt, Sponsor
from campaigns.auction.statuses import AttemptStatus, AuctionStatus
from campaigns.broadcast.models import SponsorMessage
from campaigns.pledges.models import Pledge


async def export(user: User) -> Section:
    sponsors = await Sponsor.filter(user_id=user.id).order_by("id")  # unscoped: their own
    ids = [s.id for s in sponsors]
    bids = await BidRecord.filter(sponsor_id__in=ids).order_by("id").values(  # unscoped: theirs
        "auction_id", "max_minor", "outcome", "price_minor", "placed_at")
    payments = await PaymentAttempt.filter(  # unscoped: the sponsor's own payments
        sponsor_id__in=ids).order_by("id").values("auction_id", "amount_minor", "currency",
                                                   "status", "created_at")
    posts = await SponsorMessage.filter(  # unscoped: the sponsor's own posts
        sponsor_id__in=ids).order_by("id").values("campaign_id", "text", "status",
                                                   "staff_comment", "submitted_at")
    pledges = await Pledge.filter(email=user.email).values(  # unscoped: left with their address
        "campaign_id", "status", "created_at") if user.email_verified_at else []
    return Section(data={
        "sponsors": [{"organisation_id": s.organisation_id, "company_name": s.company_name,
                      "contact_name": s.contact_name, "billing_email": s.billing_email,
                      "country": s.country, "tax_id": s.tax_id, "card_brand": s.card_brand,
                      "card_last4": s.card_last4, "created_at": s.created_at}
                     for s in sponsors],
        "bids": bids, "payments": payments, "sponsor_posts": posts,
        "pledges_with_your_email": pledges,
    })


LIVE_AUCTIONS = (AuctionStatus.OPEN, AuctionStatus.CLOSING, AuctionStatus.WON)
LIVE_PAYMENTS = (AttemptStatus.STARTED, AttemptStatus.REQUIRES_ACTION)


async def blocker(user: User) -> str | None:
    """A sponsor who leads a live auction, or whose payment is under way, settles it first:
    erasing the saved card would make the charge fail."""
    ids = await Sponsor.filter(user_id=user.id).values_list(  # unscoped: their own
        "id", flat=True)
    leading = await Auction.filter(  # unscoped: the auctions their sponsor accounts lead
        leader_id__in=list(ids), status__in=list(LIVE_AUCTIONS)).exists()
    paying = await PaymentAttempt.filter(  # unscoped: their sponsor accounts' payments
        sponsor_id__in=list(ids), status__in=list(LIVE_PAYMENTS)).exists()
    if leading or paying:
        return _l("You lead an auction or a payment of yours is under way: wait until it is "
                  "settled, then delete your account.")
    return None


async def erase(user: User, replacement: str) -> None:
    await Sponsor.filter(user_id=user.id).update(  # unscoped: their own, in every organisation
        contact_name=ERASED_NAME, billing_email=replacement, payment_method_ref=None,
        card_brand="", card_last4="", card_saved_at=None)
    if user.email_verified_at:        # an address someone proved is theirs
        await Pledge.filter(email=user.email).update(email=None)  # unscoped: their address
