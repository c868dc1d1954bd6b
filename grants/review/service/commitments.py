"""What a call has committed: the sum of its awards, which may never exceed its budget.

Every path that writes an award or lowers a budget takes the call's row lock first and
reads this sum inside that lock."""

from __future__ import annotations

from app.orgs.models import Organisation
from app.tenancy import scoped
from grants.applications.statuses import ApplicationStatus
from grants.calls.models import Call
from grants.review.models import Decision
from grants.review.statuses import DecisionKind

DECIDABLE = (ApplicationStatus.ELIGIBLE, ApplicationStatus.WAITLISTED)
HOLDING = (*DECIDABLE, ApplicationStatus.AWARDED)   # an award to these holds budget


async def committed(org: Organisation, call: Call, *, besides: int | None = None) -> int:
    """The sum of the call's awards (published or not), leaving out one application's. An
    award to an application since found ineligible is void: it holds no budget."""
    rows = scoped(Decision, org).filter(call_id=call.id, kind=DecisionKind.AWARD,
                                        application__status__in=list(HOLDING))
    if besides is not None:
        rows = rows.exclude(application_id=besides)
    amounts: list[int] = await rows.values_list("amount_minor", flat=True)  # type: ignore[assignment]
    return sum(amounts)
