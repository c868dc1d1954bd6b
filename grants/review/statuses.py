"""The states and kinds of review: conflicts, reviews, recommendations, confidence and
decisions; plain values, no ORM."""

from __future__ import annotations

from enum import StrEnum


class ConflictKind(StrEnum):
    DECLARED = "declared"  # the reviewer declared it, for one application
    TIE = "tie"            # the reviewer declared a tie to a co-op: all its applications
    STAFF = "staff"        # staff recorded it
    WAIVED = "waived"      # staff lifted a computed conflict for one application


class ReviewStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Recommendation(StrEnum):
    FUND = "fund"
    FUND_WITH_CHANGES = "fund_with_changes"
    DECLINE = "decline"


class Confidence(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class DecisionKind(StrEnum):
    AWARD = "award"
    DECLINE = "decline"
    WAITLIST = "waitlist"
