"""The states of projects, tranches and outcome reports, report kinds and indicator
directions: plain values, no ORM."""

from __future__ import annotations

from enum import StrEnum


# A grant's tranche of money: scheduled in the agreement, approved by one staff
# member, paid by another (grants/disbursement.py), or cancelled.
class TrancheStatus(StrEnum):
    SCHEDULED = "scheduled"
    APPROVED = "approved"
    PAID = "paid"
    CANCELLED = "cancelled"


class ProjectStatus(StrEnum):
    AGREEMENT = "agreement"      # the agreement drafted, waiting for the co-op's acceptance
    ACTIVE = "active"            # accepted: tranches are paid, reports are due
    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Direction(StrEnum):
    UP = "up"          # more is better (yield, income)
    DOWN = "down"      # less is better (cost of production)


class ReportKind(StrEnum):
    BASELINE = "baseline"
    MIDLINE = "midline"
    FINAL = "final"


class ReportStatus(StrEnum):
    DUE = "due"                # waiting for the co-op (it may save a draft)
    SUBMITTED = "submitted"    # waiting for staff's review
    RETURNED = "returned"      # staff asked for changes, with comments
    ACCEPTED = "accepted"
