"""Stripe's webhooks: verified with the signing secret on the raw body, then handed to the
settlement, which stores each event under its id and handles it once."""

from __future__ import annotations

import stripe
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.errors import BadRequest, NotFound
from app.web import settings_of
from campaigns.auction.service import settlement


async def stripe_webhook(request: Request) -> Response:
    secret = settings_of(request).stripe_webhook_secret
    if secret is None:
        raise NotFound()
    payload = await request.body()
    try:
        event = stripe.Webhook.construct_event(
            payload.decode("utf-8"), request.headers.get("stripe-signature", ""), str(secret))
    except (ValueError, UnicodeDecodeError, stripe.SignatureVerificationError):
        raise BadRequest(code="bad_signature") from None
    handled = await settlement.handle_event(str(event.id), str(event.type),
                                            event.data.object.to_dict())
    return JSONResponse({"received": True, "handled": handled})
