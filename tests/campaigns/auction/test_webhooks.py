"""Stripe's webhooks: verified on the raw body with the signing secret (forged ones are
refused), stored under the event id and handled once — replayed, reordered, or a success
arriving after the cardholder paid through the link."""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.datastructures import Secret

from app.main import create_app
from app.settings import Settings
from campaigns.auction.models import Auction, PaymentAttempt, PaymentEvent
from campaigns.auction.payments import StripeGateway
from campaigns.auction.service import settlement
from campaigns.auction.statuses import AttemptStatus, AuctionStatus
from grants import funds
from tests.campaigns.auction.test_settlement import card_at_stripe, won_auction
from tests.conftest import start_services
from tests.helpers import eventually
from tests.servers import on_socket

SECRET = "whsec_harambee_test"


def signed(body: bytes, secret: str = SECRET, at: int | None = None) -> dict[str, str]:
    """Stripe's scheme: t=<unix time>,v1=HMAC-SHA256(secret, "<t>.<raw body>")."""
    moment = at or int(time.time())
    mac = hmac.new(secret.encode(), f"{moment}.".encode() + body, hashlib.sha256).hexdigest()
    return {"stripe-signature": f"t={moment},v1={mac}", "content-type": "application/json"}


def event(event_id: str, kind: str, intent: dict[str, Any]) -> bytes:
    return json.dumps({"id": event_id, "object": "event", "type": kind,
                       "data": {"object": {"object": "payment_intent", **intent}}}).encode()


@pytest.fixture
async def hooked(settings: Settings) -> AsyncIterator[Starlette]:
    """The application, its services started, with a webhook signing secret."""
    configured = dataclasses.replace(settings, stripe_webhook_secret=Secret(SECRET))
    application = create_app(configured)
    async with await start_services(application, configured):
        yield application


@pytest.fixture
async def hooks(hooked: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=hooked)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


async def test_forged_or_unsigned_webhooks_are_refused(hooks: httpx.AsyncClient) -> None:
    body = event("evt_forged", "payment_intent.succeeded", {"id": "pi_x"})
    for headers in (signed(body, "whsec_someone_else"), {"content-type": "application/json"},
                    signed(body, at=int(time.time()) - 3600)):     # too old: a replay
        refused = await hooks.post("/webhooks/stripe", content=body, headers=headers)
        assert refused.status_code == 400
    tampered = body.replace(b"pi_x", b"pi_y")
    assert (await hooks.post("/webhooks/stripe", content=tampered,
                             headers=signed(body))).status_code == 400
    assert not await PaymentEvent.exists()


async def test_a_success_is_handled_once_and_a_late_failure_changes_nothing(
        hooks: httpx.AsyncClient, settings: Settings) -> None:
    org, _campaign, row, _sandbox = await won_auction(card="4000002500003155")
    assert await settlement.close(row.id, settings, _sandbox) is AuctionStatus.PAYMENT_FAILED
    attempt = await PaymentAttempt.get(auction_id=row.id)
    assert attempt.status is AttemptStatus.REQUIRES_ACTION
    intent = {"id": attempt.intent_ref, "metadata": {"attempt": attempt.idempotency_key},
              "amount": attempt.amount_minor}
    paid = event("evt_paid", "payment_intent.succeeded", intent)   # paid through the link
    failed = event("evt_failed_late", "payment_intent.payment_failed", {
        **intent, "last_payment_error": {"code": "card_declined"}})
    answers = [await hooks.post("/webhooks/stripe", content=body, headers=signed(body))
               for body in (paid, paid, failed, paid)]
    assert [a.status_code for a in answers] == [200] * 4
    assert [a.json()["handled"] for a in answers] == [True, False, True, False]
    assert (await Auction.get(id=row.id)).status is AuctionStatus.PAID
    assert (await PaymentAttempt.get(id=attempt.id)).status is AttemptStatus.SUCCEEDED
    assert (await funds.list_funds(org))[0].balance_minor == attempt.amount_minor  # once
    assert await PaymentEvent.filter(handled_at__not_isnull=True).count() == 2


async def test_an_event_for_someone_else_is_stored_and_ignored(
        hooks: httpx.AsyncClient) -> None:
    body = event("evt_other", "payment_intent.succeeded", {"id": "pi_not_ours"})
    answer = await hooks.post("/webhooks/stripe", content=body, headers=signed(body))
    assert answer.status_code == 200
    stored = await PaymentEvent.get(event_id="evt_other")
    assert stored.handled_at is not None and stored.payload["id"] == "pi_not_ours"


@pytest.fixture
async def harambee(hooked: Starlette) -> AsyncIterator[str]:
    """The application on a real socket: localstripe posts its webhooks there."""
    async with on_socket(hooked) as base_url:
        yield base_url


async def test_localstripe_delivers_its_own_signed_webhook_which_pays(
        harambee: str, settings: Settings, stripe_server: str,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The charge succeeds at localstripe but our job dies before recording the answer: the
    webhook localstripe signs and posts to our server (a real socket) records the payment."""
    from localstripe import webhooks

    gateway = StripeGateway("sk_test_harambee", stripe_server)
    try:
        async with httpx.AsyncClient() as http:
            registered = await http.post(f"{stripe_server}/_config/webhooks/harambee", data={
                "url": f"{harambee}/webhooks/stripe", "secret": SECRET})
            assert registered.status_code == 200
        org, _campaign, row, _sandbox = await won_auction()
        await card_at_stripe(gateway, row)

        async def crash(*_args: object) -> None:
            raise ConnectionError("the worker died before recording the answer")

        monkeypatch.setattr(settlement, "record_outcome", crash)
        with pytest.raises(ConnectionError):
            await settlement.close(row.id, settings, gateway)
        monkeypatch.undo()                                  # the webhook records it
        attempt = await PaymentAttempt.get(auction_id=row.id)   # the job recorded nothing:
        assert attempt.status in (AttemptStatus.STARTED,         # only the webhook can pay it
                                  AttemptStatus.SUCCEEDED)       # (a second later; sooner on
                                                                 # a loaded machine)

        async def paid() -> bool:
            return (await Auction.get(id=row.id)).status is AuctionStatus.PAID

        assert await eventually(paid)                      # localstripe waits a second
        attempt = await PaymentAttempt.get(id=attempt.id)
        assert attempt.status is AttemptStatus.SUCCEEDED and attempt.intent_ref
        assert attempt.intent_ref.startswith("pi_")
        # localstripe sends every event a second late, to whichever hook is registered then:
        # an earlier test's intent may arrive here too; this one's is recorded and handled
        [stored] = [event for event in await PaymentEvent.filter(
            kind="payment_intent.succeeded") if event.payload["id"] == attempt.intent_ref]
        assert stored.handled_at is not None
        assert (await funds.list_funds(org))[0].balance_minor == attempt.amount_minor
    finally:
        webhooks._webhooks.pop("harambee", None)
        await gateway.aclose()
