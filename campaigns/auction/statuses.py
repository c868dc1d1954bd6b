"""The states of an auction and of a payment attempt: plain values, no ORM."""

from __future__ import annotations

from enum import StrEnum


class AuctionStatus(StrEnum):
    SCHEDULED = "scheduled"
    OPEN = "open"
    CLOSING = "closing"
    WON = "won"
    UNSOLD = "unsold"
    PAID = "paid"
    PAYMENT_FAILED = "payment_failed"


class AttemptStatus(StrEnum):
    STARTED = "started"              # recorded and committed before the gateway is called
    SUCCEEDED = "succeeded"
    REQUIRES_ACTION = "requires_action"
    FAILED = "failed"
