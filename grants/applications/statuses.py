"""An application's states and its messages' kinds: plain values, no ORM."""

from __future__ import annotations

from enum import StrEnum


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHANGES_REQUESTED = "changes_requested"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    WITHDRAWN = "withdrawn"
    AWARDED = "awarded"
    DECLINED = "declined"
    WAITLISTED = "waitlisted"


# Applications that went to review: eligible ones, and those decided since.
REVIEWED = (ApplicationStatus.ELIGIBLE, ApplicationStatus.AWARDED, ApplicationStatus.DECLINED,
            ApplicationStatus.WAITLISTED)


class MessageKind(StrEnum):
    RECEIPT = "receipt"
    CHANGES_REQUESTED = "changes_requested"
    ELIGIBLE = "eligible"
    INELIGIBLE = "ineligible"
    WITHDRAWN = "withdrawn"
    AWARDED = "awarded"
    DECLINED = "declined"
    WAITLISTED = "waitlisted"
