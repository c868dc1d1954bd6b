"""What the campaigns hold about a user (app/privacy.py): the sponsor accounts they opened,
their bids, payments and posts. Deleting the account keeps the sponsor's company, bids and
payments (financial records) and erases the person: the contact's name and billing address,
the saved card's reference; a pledge left with their address forgets it."""

from __future__ import annotations

from app.accounts.models import User
from app.privacy import ERASED_NAME, Section
from campaigns.models import BidRecord, PaymentAttempt, Pledge, Sponsor, SponsorMessage


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
        "campaign_id", "status", "created_at")
    return Section(data={
        "sponsors": [{"organisation_id": s.organisation_id, "company_name": s.company_name,
                      "contact_name": s.contact_name, "billing_email": s.billing_email,
                      "country": s.country, "tax_id": s.tax_id, "card_brand": s.card_brand,
                      "card_last4": s.card_last4, "created_at": s.created_at}
                     for s in sponsors],
        "bids": bids, "payments": payments, "sponsor_posts": posts,
        "pledges_with_your_email": pledges,
    })


async def erase(user: User, replacement: str) -> None:
    await Sponsor.filter(user_id=user.id).update(  # unscoped: their own, in every organisation
        contact_name=ERASED_NAME, billing_email=replacement, payment_method_ref=None,
        card_brand="", card_last4="", card_saved_at=None)
    await Pledge.filter(email=user.email).update(email=None)  # unscoped: their address
