"""A campaign's states: plain values, no ORM."""

from __future__ import annotations

from enum import StrEnum


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    PLEDGING = "pledging"
    AUCTION = "auction"
    SOLD = "sold"
    UNSOLD = "unsold"
    SCHEDULED = "scheduled"
    BROADCASTING = "broadcasting"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
