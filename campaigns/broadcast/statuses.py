"""The states of the sponsor's message, the broadcast and a delivery: plain values, no ORM."""

from __future__ import annotations

from enum import StrEnum


class MessageStatus(StrEnum):
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"


class BroadcastStatus(StrEnum):
    SCHEDULED = "scheduled"      # its deliveries made, waiting for the moment
    PUBLISHING = "publishing"    # the campaign's account posts the approved text
    RUNNING = "running"          # every pledged account reposts it
    PAUSED = "paused"
    COMPLETED = "completed"
    ABORTED = "aborted"          # staff stopped it
    STOPPED = "stopped"          # the post could not be published, or was deleted


class DeliveryState(StrEnum):
    PENDING = "pending"
    IN_FLIGHT = "in_flight"      # claimed by a worker until its lease ends
    DELIVERED = "delivered"
    FAILED = "failed"
    SKIPPED = "skipped"
    CANCELLED = "cancelled"
    OFFERED = "offered"          # assisted mode: the supporter was given the one-tap link
