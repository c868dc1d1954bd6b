"""Sponsor accounts and their card on file. The card never touches our server: Stripe's page
(or, in development, the sandbox's) confirms a SetupIntent, and we keep only the ids Stripe
gives back and what a person needs to recognise the card."""

from __future__ import annotations

from app import audit, timefmt
from app.accounts.models import User
from app.db import atomic
from app.errors import Conflict, NotFound
from app.i18n import lazy_gettext as _l
from app.orgs.models import Organisation
from app.tenancy import scoped
from campaigns.auction.models import PaymentAttempt, Sponsor
from campaigns.auction.payments import PaymentGateway, Setup
from campaigns.auction.schemas import SponsorIn
from campaigns.auction.statuses import AttemptStatus

NOT_SAVED = _l("The card was not saved: try again, or use another card.")


async def account(user: User, org: Organisation) -> Sponsor | None:
    return await scoped(Sponsor, org).get_or_none(user_id=user.id)


async def save_account(user: User, org: Organisation, data: SponsorIn,
                       gateway: PaymentGateway) -> Sponsor:
    if not user.is_verified:
        raise Conflict(_l("Verify your email address first: the link is in the mail we "
                          "sent."), code="unverified")
    values = data.model_dump()
    found = await account(user, org)
    customer_ref = found.customer_ref if found else None
    if customer_ref is None:  # before the transaction; the same key: a retry makes one
        customer_ref = await gateway.create_customer(
            email=data.billing_email, name=data.company_name,
            idempotency_key=f"harambee-sponsor-{org.id}-{user.id}")
    async with atomic():
        sponsor, created = await Sponsor.get_or_create(
            organisation_id=org.id, user_id=user.id,
            defaults={**values, "customer_ref": customer_ref})
        if not created:
            sponsor.update_from_dict(values)
            sponsor.customer_ref = sponsor.customer_ref or customer_ref
            await sponsor.save()
        await audit.record(verb="sponsor.saved", obj=sponsor, actor_id=user.id,
                           organisation_id=org.id, changed=list(values))
    return sponsor


async def start_card(user: User, org: Organisation, gateway: PaymentGateway
                     ) -> tuple[Sponsor, Setup]:
    sponsor = await account(user, org)
    if sponsor is None or sponsor.customer_ref is None:
        raise Conflict(_l("Create your sponsor account first."), code="no_sponsor")
    return sponsor, await gateway.start_card_setup(sponsor.customer_ref)


async def card_saved(user: User, org: Organisation, setup_ref: str, gateway: PaymentGateway
                     ) -> Sponsor:
    """After Stripe's page: keep the card the SetupIntent saved, if it did."""
    sponsor = await account(user, org)
    card = (await gateway.saved_card(setup_ref, sponsor.customer_ref)
            if sponsor and sponsor.customer_ref else None)
    if sponsor is None or card is None:
        raise Conflict(NOT_SAVED, code="card_not_saved")
    sponsor.payment_method_ref, sponsor.card_brand, sponsor.card_last4 = (
        card.ref, card.brand, card.last4)
    sponsor.card_saved_at = timefmt.now()
    async with atomic():
        await sponsor.save(update_fields=["payment_method_ref", "card_brand", "card_last4",
                                          "card_saved_at"])
        await audit.record(verb="sponsor.card_saved", obj=sponsor, actor_id=user.id,
                           organisation_id=org.id, changed=["payment_method_ref"])
    return sponsor


async def payable(user: User, org: Organisation, attempt_id: int) -> PaymentAttempt:
    """The winner's failed payment, while it may still be paid; 404 for anyone else."""
    sponsor = await account(user, org)
    attempt = await scoped(PaymentAttempt, org).get_or_none(
        id=attempt_id, sponsor_id=sponsor.id if sponsor else 0)
    if attempt is None:
        raise NotFound()
    return attempt


def still_payable(attempt: PaymentAttempt) -> bool:
    return (attempt.status in (AttemptStatus.REQUIRES_ACTION, AttemptStatus.FAILED)
            and attempt.pay_by is not None and timefmt.now() < attempt.pay_by)
