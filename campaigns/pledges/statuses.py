"""A pledge's states: plain values, no ORM."""

from __future__ import annotations

from enum import StrEnum


class PledgeStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
