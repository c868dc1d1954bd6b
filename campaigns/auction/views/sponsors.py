"""Sponsors' pages: their account, the card page (Stripe's Elements with keys; a sandbox form
in development), and the live auction with its bid form."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.errors import BadRequest, Conflict, Invalid
from app.forms import validate
from app.i18n import lazy_gettext as _l
from app.templating import render
from app.tenancy import organisation
from app.urls import url
from app.web import form_dict, form_page, redirect, require_user, settings_of
from campaigns.auction.lifecycle import AUCTIONS
from campaigns.auction.payments import Charge, ChargeStatus, SandboxGateway
from campaigns.auction.schemas import COUNTRIES, BidIn, SponsorIn
from campaigns.auction.service import bidding, settlement, sponsors
from campaigns.auction.service.settlement import gateway_for


async def sponsor_account(request: Request) -> Response:
    user = require_user(request)
    org = await organisation(request.path_params["org"])
    found = await sponsors.account(user, org)
    gateway = gateway_for(settings_of(request))

    async def act(data: SponsorIn) -> Response:
        await sponsors.save_account(user, org, data, gateway)
        return redirect(url("campaigns:sponsor", org=org.slug, query={"saved": 1}))

    initial: dict[str, Any] = {"billing_email": user.email, "contact_name": user.display_name}
    if found is not None:
        initial = {name: getattr(found, name) for name in (
            "company_name", "contact_name", "billing_email", "country", "tax_id")}
    return await form_page(request, "campaigns/auction/sponsor.html", SponsorIn, act, {
        "org": org, "sponsor": found, "initial": initial, "countries": sorted(COUNTRIES)})


async def card_page(request: Request) -> Response:
    """GET starts a SetupIntent and shows where to type the card; in development the sandbox
    form POSTs the number here, as Stripe's page would send it to Stripe."""
    user = require_user(request)
    org = await organisation(request.path_params["org"])
    settings = settings_of(request)
    gateway = gateway_for(settings)
    if request.method == "POST":
        if not isinstance(gateway, SandboxGateway):
            raise BadRequest()
        async with request.form() as form:
            values = form_dict(form)
        number = "".join(ch for ch in str(values.get("number", "")) if ch.isdigit())
        if not 12 <= len(number) <= 19:
            raise Invalid(fields={"number": _l("Enter a card number.")})
        gateway.complete_setup(str(values.get("setup", "")), number)
        return await _saved(request, str(values.get("setup", "")))
    _sponsor, setup = await sponsors.start_card(user, org, gateway)
    return render(request, "campaigns/auction/card.html", {
        "org": org, "setup": setup, "sandbox": isinstance(gateway, SandboxGateway),
        "publishable_key": settings.stripe_publishable_key})


async def card_done(request: Request) -> Response:
    """Where Stripe's page returns to, with the SetupIntent it confirmed."""
    return await _saved(request, request.query_params.get("setup_intent", ""))


async def _saved(request: Request, setup_ref: str) -> Response:
    user = require_user(request)
    org = await organisation(request.path_params["org"])
    await sponsors.card_saved(user, org, setup_ref, gateway_for(settings_of(request)))
    return redirect(url("campaigns:sponsor", org=org.slug, query={"card": 1}))


async def auction_page(request: Request) -> Response:
    org = await organisation(request.path_params["org"])
    slug = request.path_params["slug"]
    user = request.scope.get("user")
    errors: dict[str, str] = {}
    message = None
    values: dict[str, Any] = {}
    if request.method == "POST":
        bidder = require_user(request)
        async with request.form() as form:
            values = form_dict(form)
        found = await bidding.standing(org, slug, bidder)
        try:
            data = validate(BidIn, values, {"currency": found.auction.currency})
            placed = await bidding.place_bid(bidder, org, slug, data.max_amount_minor)
        except (Invalid, Conflict) as error:
            errors, message = error.fields, error.message
        else:
            return redirect(url("campaigns:auction", org=org.slug, slug=slug,
                                query={"bid": placed.step.outcome.value}))
    page = await bidding.auction_page(org, slug, user)
    found = page.standing
    return render(request, "campaigns/auction/auction.html", {
        "org": org, "found": found, "row": found.auction, "history": page.history,
        "errors": errors, "message": message, "typed": values.get("max_amount_minor", ""),
        "status_label": AUCTIONS.state_labels[found.auction.status],
        "sponsor": page.sponsor}, status_code=422 if message else 200)



async def payment_page(request: Request) -> Response:
    """The winner pays a failed charge before its deadline: with Stripe, Stripe.js confirms
    the payment with the cardholder (the webhook then records it); in the sandbox, a button
    stands for that."""
    user = require_user(request)
    org = await organisation(request.path_params["org"])
    settings = settings_of(request)
    gateway = gateway_for(settings)
    attempt = await sponsors.payable(user, org, request.path_params["attempt_id"])
    if request.method == "POST":
        if not isinstance(gateway, SandboxGateway) or not sponsors.still_payable(attempt):
            raise BadRequest()
        await settlement.record_outcome(org, attempt.id, Charge(
            attempt.intent_ref, ChargeStatus.SUCCEEDED))
        return redirect(url("campaigns:payment", org=org.slug, attempt_id=attempt.id,
                                query={"paid": 1}))
    secret = (await gateway.client_secret(attempt.intent_ref)
              if attempt.intent_ref and sponsors.still_payable(attempt)
              and not isinstance(gateway, SandboxGateway) else None)
    return render(request, "campaigns/auction/payment.html", {
        "org": org, "attempt": attempt, "payable": sponsors.still_payable(attempt),
        "sandbox": isinstance(gateway, SandboxGateway), "client_secret": secret,
        "publishable_key": settings.stripe_publishable_key})
