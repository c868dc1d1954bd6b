"""Jobs of review: telling a reviewer what was assigned to them."""

from __future__ import annotations

from typing import Any

from app.accounts.models import User
from app.mail import send_mail
from app.queue import JobFunc
from app.urls import url
from grants.calls.models import Call
from grants.review.models import Review
from grants.review.statuses import ReviewStatus


async def tell_reviewer(ctx: dict[str, Any], call_id: int, reviewer_id: int) -> None:
    """A reviewer given new applications hears how many they have to do, in their language."""
    call = await Call.get_or_none(id=call_id).select_related("organisation")  # unscoped: job
    user = await User.get_or_none(id=reviewer_id)
    if call is None or user is None:
        return
    org = call.organisation
    count = await Review.filter(organisation_id=org.id, call_id=call.id,  # unscoped: its own
                                reviewer_id=user.id, status=ReviewStatus.DRAFT).count()
    if count:
        await send_mail(ctx, to=user.email, template="grants/review/mail/reviews_assigned",
                        locale=user.locale,
                        context={"call": call, "organisation": org, "user": user,
                                 "count": count, "link": url("grants:reviews", org=org.slug)})


JOBS: tuple[JobFunc, ...] = (tell_reviewer,)
