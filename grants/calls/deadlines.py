"""When an application may still be changed or submitted: the server's rule, to the second.

The call's closing time is the deadline, unless staff returned the application for changes
with a deadline of its own, which then replaces the call's for that application only.
Pure functions: no I/O.
"""

from __future__ import annotations

from datetime import datetime

from grants.applications.statuses import ApplicationStatus
from grants.calls.statuses import CallStatus


def deadline(*, closes_at: datetime, override: datetime | None,
             status: ApplicationStatus) -> datetime:
    """The deadline the applicant works to now (the one `accepting` enforces)."""
    if override is not None and status is ApplicationStatus.CHANGES_REQUESTED:
        return override
    return closes_at


def accepting(*, call_status: CallStatus, opens_at: datetime, closes_at: datetime,
              override: datetime | None, status: ApplicationStatus, moment: datetime) -> bool:
    """True while the applicant may edit, submit, withdraw or reopen."""
    if override is not None and status is ApplicationStatus.CHANGES_REQUESTED:
        return moment < override
    return call_status is CallStatus.OPEN and opens_at <= moment < closes_at
