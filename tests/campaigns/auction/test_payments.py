"""The payment gateway: the real stripe-python client against localstripe — a card saved
through a SetupIntent, an off-session charge, a decline, a charge needing authentication, a
refund — and the sandbox gateway that stands in for Stripe in development."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from campaigns.auction.payments import (
    AUTHENTICATION_LAST4,
    DECLINED_LAST4,
    Card,
    ChargeStatus,
    SandboxGateway,
    StripeGateway,
)
from tests.servers import on_socket

KEY = "sk_test_harambee"


async def _saved_card(gateway: StripeGateway, customer: str, number: str) -> Card:
    """What Stripe.js does on the card page: the card goes to Stripe, which confirms the
    SetupIntent; our server only ever sees the ids."""
    setup = await gateway.start_card_setup(customer)
    assert setup.client_secret and setup.ref.startswith("seti_")
    assert await gateway.saved_card(setup.ref, customer) is None  # nothing typed yet
    method = await gateway.client.v1.payment_methods.create_async({
        "type": "card", "card": {"number": number, "exp_month": 12, "exp_year": 2030,
                                 "cvc": "123"}})
    await gateway.client.v1.setup_intents.confirm_async(setup.ref,
                                                        {"payment_method": method.id})
    card = await gateway.saved_card(setup.ref, customer)
    assert await gateway.saved_card(setup.ref, "cus_someone_else") is None  # not theirs
    assert card is not None
    return card


@pytest.fixture
async def gateway(stripe_server: str) -> AsyncIterator[StripeGateway]:
    stripe_gateway = StripeGateway(KEY, stripe_server)
    try:
        yield stripe_gateway
    finally:
        await stripe_gateway.aclose()


async def test_a_saved_card_is_charged_off_session_and_refunded(gateway: StripeGateway
                                                                ) -> None:
    customer = await gateway.create_customer(email="pay@sponsor.example", name="Kahawa Ltd",
                                             idempotency_key="sponsor-1")
    card = await _saved_card(gateway, customer, "4242424242424242")
    assert (card.brand, card.last4) == ("visa", "4242")
    charge = await gateway.charge(customer_ref=customer, payment_method_ref=card.ref,
                                  amount_minor=125_000, currency="USD",
                                  idempotency_key="auction-1-attempt-1",
                                  metadata={"auction": "1"})
    assert charge.status is ChargeStatus.SUCCEEDED and charge.intent_ref
    intent = await gateway.client.v1.payment_intents.retrieve_async(charge.intent_ref)
    assert (intent.amount, intent.currency, intent.metadata["auction"]) == (125_000, "usd",
                                                                            "1")
    refund = await gateway.refund(intent_ref=charge.intent_ref, idempotency_key="refund-1")
    assert refund.startswith("re_")


async def test_a_declined_card_fails_and_one_needing_authentication_asks_for_it(
        gateway: StripeGateway) -> None:
    customer = await gateway.create_customer(email="pay@sponsor.example", name="Chai Co",
                                             idempotency_key="sponsor-2")
    declined = await _saved_card(gateway, customer, "4000000000000341")
    charge = await gateway.charge(customer_ref=customer, payment_method_ref=declined.ref,
                                  amount_minor=50_000, currency="USD",
                                  idempotency_key="auction-2-attempt-1", metadata={})
    assert (charge.status, charge.failure_code) == (ChargeStatus.FAILED, "card_declined")
    # localstripe keeps a SetupIntent for a 3-D Secure card waiting for the browser (it has
    # no way to authenticate one), so the card is attached directly, as Stripe.js would
    # leave it after authenticating on the card page
    method = await gateway.client.v1.payment_methods.create_async({
        "type": "card", "card": {"number": "4000002500003155", "exp_month": 12,
                                 "exp_year": 2030, "cvc": "123"}})
    await gateway.client.v1.payment_methods.attach_async(method.id, {"customer": customer})
    needs = await gateway.charge(customer_ref=customer, payment_method_ref=method.id,
                                 amount_minor=50_000, currency="USD",
                                 idempotency_key="auction-2-attempt-2", metadata={})
    assert needs.status is ChargeStatus.REQUIRES_ACTION and needs.intent_ref


async def test_the_sandbox_answers_like_stripe_test_cards_and_honours_keys() -> None:
    sandbox = SandboxGateway()
    customer = await sandbox.create_customer(email="a@b.example", name="A", idempotency_key="k")
    assert customer == await sandbox.create_customer(email="a@b.example", name="A",
                                                     idempotency_key="k")
    results = {}
    for number in ("4242424242424242", f"400000000000{DECLINED_LAST4}",
                   f"400000250000{AUTHENTICATION_LAST4}"):
        setup = await sandbox.start_card_setup(customer)
        assert await sandbox.saved_card(setup.ref, customer) is None
        card = sandbox.complete_setup(setup.ref, number)
        assert await sandbox.saved_card(setup.ref, customer) == card
        assert await sandbox.saved_card(setup.ref, "cus_other") is None
        results[card.last4] = await sandbox.charge(
            customer_ref=customer, payment_method_ref=card.ref, amount_minor=100,
            currency="USD", idempotency_key=f"charge-{card.last4}", metadata={})
    assert [r.status for r in results.values()] == [
        ChargeStatus.SUCCEEDED, ChargeStatus.FAILED, ChargeStatus.REQUIRES_ACTION]
    again = await sandbox.charge(customer_ref=customer, payment_method_ref="pm_other",
                                 amount_minor=999, currency="USD",
                                 idempotency_key="charge-4242", metadata={})
    assert again == results["4242"]                     # the same key never charges twice


async def test_an_intent_is_found_by_the_attempt_key_in_its_metadata() -> None:
    """localstripe has no search endpoint: this double at the HTTP boundary answers Stripe's
    GET /v1/payment_intents/search as Stripe does, for intents whose metadata it holds."""
    held = {"harambee-auction-7-attempt-1": {
        "id": "pi_found", "object": "payment_intent", "status": "succeeded",
        "amount": 30_100, "currency": "usd", "metadata": {"attempt":
                                                          "harambee-auction-7-attempt-1"}}}
    asked: list[str] = []

    async def search(request: Request) -> JSONResponse:
        query = request.query_params["query"]
        asked.append(query)
        data = [intent for key, intent in held.items() if f"metadata['attempt']:'{key}'" == query]
        return JSONResponse({"object": "search_result", "url": "/v1/payment_intents/search",
                             "has_more": False, "data": data})

    double = Starlette(routes=[Route("/v1/payment_intents/search", search)])
    async with on_socket(double) as base_url:
        gateway = StripeGateway(KEY, base_url)
        try:
            found = await gateway.find_charge("harambee-auction-7-attempt-1")
            assert found is not None
            assert (found.intent_ref, found.status) == ("pi_found", ChargeStatus.SUCCEEDED)
            assert await gateway.find_charge("harambee-auction-7-attempt-2") is None
            assert await gateway.find_charge("it's") is None     # quotes cannot break out
            assert asked[-1] == "metadata['attempt']:'its'"
        finally:
            await gateway.aclose()
