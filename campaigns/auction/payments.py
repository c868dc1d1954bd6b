"""Payments behind a small protocol: a customer per sponsor, a card saved for off-session use
(a SetupIntent: the card never touches our server), an off-session charge with our own
idempotency key, and refunds.

`StripeGateway` uses the real stripe-python client (pointed at localstripe in tests);
`SandboxGateway` lets a newcomer run the whole auction locally without Stripe keys: it
keeps its objects in memory and answers like Stripe's test cards do (a card ending 0341
is declined when charged, one ending 3155 needs authentication).

Stripe adds a random idempotency key to each POST, which does not protect a retried job
(ARCHITECTURE.md): every call that moves money takes ours, stable for the attempt.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import stripe

from app.queue import TransientError


class ChargeStatus(StrEnum):
    SUCCEEDED = "succeeded"
    REQUIRES_ACTION = "requires_action"    # the bank wants the cardholder: send a link
    FAILED = "failed"                      # declined: send a link to pay another way
    PROCESSING = "processing"


@dataclass(frozen=True)
class Setup:
    ref: str
    client_secret: str


@dataclass(frozen=True)
class Card:
    ref: str
    brand: str
    last4: str


@dataclass(frozen=True)
class Charge:
    intent_ref: str | None       # None when a decline came back without its intent
    status: ChargeStatus
    failure_code: str | None = None


class PaymentGateway(Protocol):
    async def create_customer(self, *, email: str, name: str, idempotency_key: str) -> str: ...

    async def start_card_setup(self, customer_ref: str) -> Setup: ...

    async def saved_card(self, setup_ref: str, customer_ref: str) -> Card | None: ...

    async def charge(self, *, customer_ref: str, payment_method_ref: str, amount_minor: int,
                     currency: str, idempotency_key: str, metadata: dict[str, str]
                     ) -> Charge: ...

    async def find_charge(self, attempt_key: str) -> Charge | None:
        """The intent created for this attempt (our key is in its metadata), if any."""
        ...

    async def refund(self, *, intent_ref: str, idempotency_key: str) -> str: ...

    async def client_secret(self, intent_ref: str) -> str: ...


def _status(intent: Any) -> Charge:
    status = intent.status
    error = getattr(intent, "last_payment_error", None)
    if status == "succeeded":
        return Charge(intent.id, ChargeStatus.SUCCEEDED)
    if status == "processing":
        return Charge(intent.id, ChargeStatus.PROCESSING)
    if status in ("requires_action", "requires_confirmation"):
        return Charge(intent.id, ChargeStatus.REQUIRES_ACTION, "authentication_required")
    code = getattr(error, "decline_code", None) or getattr(error, "code", None) if error else None
    return Charge(intent.id, ChargeStatus.FAILED, code or "card_declined")


class StripeGateway:
    def __init__(self, secret_key: str, api_base: str | None = None) -> None:
        self.http = stripe.HTTPXClient()
        self.client = stripe.StripeClient(
            secret_key, http_client=self.http,
            base_addresses={"api": api_base} if api_base else {})

    async def aclose(self) -> None:
        await self.http.close_async()  # type: ignore[no-untyped-call]

    async def create_customer(self, *, email: str, name: str, idempotency_key: str) -> str:
        customer = await self.client.v1.customers.create_async(
            {"email": email, "name": name}, {"idempotency_key": idempotency_key})
        return str(customer.id)

    async def start_card_setup(self, customer_ref: str) -> Setup:
        params: stripe.params.SetupIntentCreateParams = {
            "customer": customer_ref, "usage": "off_session"}
        intent = await self.client.v1.setup_intents.create_async(params)
        return Setup(str(intent.id), str(intent.client_secret))

    async def saved_card(self, setup_ref: str, customer_ref: str) -> Card | None:
        intent = await self.client.v1.setup_intents.retrieve_async(setup_ref)
        if (intent.status != "succeeded" or not intent.payment_method
                or intent.customer != customer_ref):   # only this sponsor's own card
            return None
        method = await self.client.v1.payment_methods.retrieve_async(
            str(intent.payment_method))
        card = method.card
        return Card(str(method.id), str(card.brand) if card else "",
                    str(card.last4) if card else "")

    async def charge(self, *, customer_ref: str, payment_method_ref: str, amount_minor: int,
                     currency: str, idempotency_key: str, metadata: dict[str, str]
                     ) -> Charge:
        try:
            intent = await self.client.v1.payment_intents.create_async(
                {"amount": amount_minor, "currency": currency.lower(),
                 "customer": customer_ref, "payment_method": payment_method_ref,
                 "confirm": True, "off_session": True, "metadata": metadata},
                {"idempotency_key": idempotency_key})
        except (stripe.APIConnectionError, stripe.RateLimitError,
                stripe.IdempotencyError) as busy:
            # not an answer about the card: the job retries later, with the same key
            raise TransientError(f"payment gateway: {type(busy).__name__}") from None
        except stripe.InvalidRequestError as refused:
            # a card removed, or not this customer's: the winner is asked to pay by link
            return Charge(None, ChargeStatus.FAILED, refused.code or "invalid_request")
        except stripe.CardError as declined:
            error = declined.error
            failed: Any = getattr(error, "payment_intent", None) if error else None
            code = (getattr(error, "decline_code", None) or getattr(error, "code", None)
                    if error else None) or "card_declined"
            status = (ChargeStatus.REQUIRES_ACTION if code == "authentication_required"
                      else ChargeStatus.FAILED)
            # Stripe's error carries the intent; localstripe's does not
            return Charge(str(failed.id) if failed is not None else None, status, code)
        return _status(intent)

    async def find_charge(self, attempt_key: str) -> Charge | None:
        """Stripe's search by metadata (consistent within a minute; asked only of attempts a
        day old, when Stripe has forgotten the idempotency key)."""
        quoted = attempt_key.replace("\\", "").replace("'", "")
        try:
            found = await self.client.v1.payment_intents.search_async(
                {"query": f"metadata['attempt']:'{quoted}'", "limit": 1})
        except (stripe.APIConnectionError, stripe.RateLimitError) as busy:
            raise TransientError(f"payment gateway: {type(busy).__name__}") from None
        return _status(found.data[0]) if found.data else None

    async def refund(self, *, intent_ref: str, idempotency_key: str) -> str:
        refund = await self.client.v1.refunds.create_async(
            {"payment_intent": intent_ref}, {"idempotency_key": idempotency_key})
        return str(refund.id)

    async def client_secret(self, intent_ref: str) -> str:
        """For the payment page: Stripe.js confirms the intent with the cardholder there."""
        intent = await self.client.v1.payment_intents.retrieve_async(intent_ref)
        return str(intent.client_secret)


DECLINED_LAST4 = "0341"
AUTHENTICATION_LAST4 = "3155"


@dataclass
class SandboxGateway:
    """Development without Stripe: objects in memory; idempotency keys honoured."""

    customers: dict[str, str] = field(default_factory=dict)
    setups: dict[str, Card | None] = field(default_factory=dict)
    setup_customers: dict[str, str] = field(default_factory=dict)
    charges: dict[str, Charge] = field(default_factory=dict)     # by idempotency key
    by_attempt: dict[str, Charge] = field(default_factory=dict)  # by metadata["attempt"]
    refunds: dict[str, str] = field(default_factory=dict)

    def _ref(self, prefix: str) -> str:
        return f"{prefix}_sandbox_{secrets.token_hex(8)}"

    async def create_customer(self, *, email: str, name: str, idempotency_key: str) -> str:
        return self.customers.setdefault(idempotency_key, self._ref("cus"))

    async def start_card_setup(self, customer_ref: str) -> Setup:
        ref = self._ref("seti")
        self.setups[ref] = None
        self.setup_customers[ref] = customer_ref
        return Setup(ref, f"{ref}_secret")

    def complete_setup(self, setup_ref: str, number: str) -> Card:
        """What Stripe's page does when the sponsor types a card (the sandbox card page)."""
        card = Card(self._ref("pm"), "visa", number[-4:])
        self.setups[setup_ref] = card
        return card

    async def saved_card(self, setup_ref: str, customer_ref: str) -> Card | None:
        if self.setup_customers.get(setup_ref) != customer_ref:
            return None
        return self.setups.get(setup_ref)

    async def charge(self, *, customer_ref: str, payment_method_ref: str, amount_minor: int,
                     currency: str, idempotency_key: str, metadata: dict[str, str]
                     ) -> Charge:
        if idempotency_key not in self.charges:
            last4 = next((c.last4 for c in self.setups.values()
                          if c and c.ref == payment_method_ref), "")
            status = {DECLINED_LAST4: ChargeStatus.FAILED,
                      AUTHENTICATION_LAST4: ChargeStatus.REQUIRES_ACTION}.get(
                last4, ChargeStatus.SUCCEEDED)
            code = {ChargeStatus.FAILED: "card_declined",
                    ChargeStatus.REQUIRES_ACTION: "authentication_required"}.get(status)
            self.charges[idempotency_key] = Charge(self._ref("pi"), status, code)
            if "attempt" in metadata:
                self.by_attempt[metadata["attempt"]] = self.charges[idempotency_key]
        return self.charges[idempotency_key]

    async def find_charge(self, attempt_key: str) -> Charge | None:
        return self.by_attempt.get(attempt_key)

    async def refund(self, *, intent_ref: str, idempotency_key: str) -> str:
        return self.refunds.setdefault(idempotency_key, self._ref("re"))

    async def client_secret(self, intent_ref: str) -> str:
        return f"{intent_ref}_secret"
