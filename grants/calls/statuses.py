"""A call's states: plain values, no ORM."""

from __future__ import annotations

from enum import StrEnum


class CallStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"
    DECIDED = "decided"
    ARCHIVED = "archived"
