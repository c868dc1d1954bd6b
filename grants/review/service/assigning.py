"""Assigning reviewers to a closed call's eligible applications: the exact automatic
assignment (grants/assignment.py) on the call's data, and staff's changes to single pairs.

Re-running keeps every review that is submitted, started (a mark or a comment saved) or
pinned, except a draft whose reviewer has since become conflicted with the application
(they can no longer open it); the solver fills the rest. A manual addition is pinned.
Everything happens with the call's row locked, so two staff running it at once do not
interleave.
"""

from __future__ import annotations

from dataclasses import dataclass

from app import audit, queue
from app.db import atomic
from app.errors import Conflict as Refused
from app.errors import Invalid, NotFound
from app.i18n import lazy_gettext as _l
from app.orgs.models import Membership, Organisation
from app.tenancy import get_locked, get_scoped, scoped
from grants.applications.models import Application
from grants.applications.statuses import REVIEWED, ApplicationStatus
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.coops.models import Cooperative
from grants.review import assignment
from grants.review.models import Review
from grants.review.schemas import AssignIn
from grants.review.service import reviewers
from grants.review.statuses import ReviewStatus
from grants.shared.common import require_staff

NOT_CLOSED = _l("Reviewers are assigned once the call is closed.")


@dataclass(frozen=True)
class Outcome:
    affinity: float
    pairs: tuple[tuple[int, int], ...]
    kept: int


@dataclass(frozen=True)
class Board:
    """A call's assignment as staff see it."""

    call: Call
    applications: list[Application]
    reviews: dict[int, list[Review]]            # application id -> its reviews
    pool: list[reviewers.PoolMember]
    loads: dict[int, int]                       # reviewer id -> reviews assigned
    conflicts: dict[tuple[int, int], str]       # (application, reviewer) -> reason


def started(review: Review) -> bool:
    return bool(review.status is ReviewStatus.SUBMITTED or review.pinned or review.scores
                or review.comment_applicant or review.comment_staff
                or review.recommendation or review.confidence)


async def _eligible(org: Organisation, call: Call) -> list[Application]:
    return await scoped(Application, org).filter(
        call_id=call.id, status=ApplicationStatus.ELIGIBLE).order_by("id")


def _paper(application: Application, coop: Cooperative) -> assignment.Paper:
    return assignment.Paper(application.id, application.language, coop.country,
                            frozenset(coop.commodities), application.category)


def _reviewer(member: reviewers.PoolMember) -> assignment.Reviewer:
    p = member.profile
    return assignment.Reviewer(member.user.id, frozenset(p.languages), frozenset(p.countries),
                               frozenset(p.commodities), frozenset(p.categories), p.max_load)


@dataclass(frozen=True)
class _Inputs:
    papers: dict[int, assignment.Paper]
    reviewers: dict[int, assignment.Reviewer]
    conflicts: frozenset[tuple[int, int]]


async def _inputs(org: Organisation, applications: list[Application]) -> _Inputs:
    coops = {c.id: c for c in await scoped(Cooperative, org).filter(
        id__in=list({a.cooperative_id for a in applications}))}
    pool = await reviewers.pool(org)
    conflicted = await reviewers.conflicted(org, applications, [m.user.id for m in pool])
    return _Inputs({a.id: _paper(a, coops[a.cooperative_id]) for a in applications},
                   {m.user.id: _reviewer(m) for m in pool}, frozenset(conflicted))


async def run(membership: Membership, call_id: int) -> Outcome:
    """Solve and store; Refused (409) with every reason when no assignment exists."""
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        call = await get_locked(Call, org, id=call_id)
        if call.status is not CallStatus.CLOSED:
            raise Refused(NOT_CLOSED, code="call_not_closed")
        applications = await _eligible(org, call)
        existing = await scoped(Review, org).select_for_update().filter(
            call_id=call.id, application_id__in=[a.id for a in applications])
        given = await _inputs(org, applications)
        # a draft its reviewer is now conflicted with, or whose reviewer left the pool, is
        # dead (nobody can open it): it goes; a submitted review always stays
        kept = [r for r in existing if started(r) and (
            r.status is ReviewStatus.SUBMITTED
            or ((r.application_id, r.reviewer_id) not in given.conflicts
                and r.reviewer_id in given.reviewers))]
        result = assignment.solve(assignment.Problem(
            tuple(given.papers.values()), tuple(given.reviewers.values()),
            call.reviews_per_application, given.conflicts,
            frozenset((r.application_id, r.reviewer_id) for r in kept)))
        if isinstance(result, assignment.Infeasible):
            raise Refused(_l("No assignment meets every rule; nothing was changed."),
                          code="infeasible", reasons=result.reasons)
        chosen = set(result.pairs)
        have = {(r.application_id, r.reviewer_id) for r in existing}
        kept_ids = {r.id for r in kept}
        stale = [r.id for r in existing if r.id not in kept_ids
                 and (r.application_id, r.reviewer_id) not in chosen]
        await scoped(Review, org).filter(id__in=stale).delete()
        new = [(a, r) for a, r in result.pairs if (a, r) not in have]
        await Review.bulk_create([
            Review(organisation_id=org.id, call_id=call.id, application_id=a, reviewer_id=r,
                   affinity=assignment.affinity(given.papers[a], given.reviewers[r]))
            for a, r in new])
        for reviewer_id in sorted({r for _a, r in new}):
            await _tell(call, reviewer_id)
        await audit.record(verb="call.assign", obj=call, actor_id=membership.user_id,
                           organisation_id=org.id, changed=["reviews"],
                           details={"affinity": result.affinity, "pairs": len(result.pairs),
                                    "kept": len(kept)})
    return Outcome(result.affinity, result.pairs, len(kept))


async def _tell(call: Call, reviewer_id: int) -> None:
    """Mail the reviewer once the transaction commits (the mail counts what they have to do
    when it goes)."""
    await queue.enqueue("tell_reviewer", call.id, reviewer_id)


async def board(membership: Membership, call_id: int) -> Board:
    require_staff(membership)
    org = membership.organisation
    call = await get_scoped(Call, org, id=call_id)
    applications = await scoped(Application, org).filter(
        call_id=call.id, status__in=list(REVIEWED)).select_related("cooperative").order_by("id")
    reviews: dict[int, list[Review]] = {}
    loads: dict[int, int] = {}
    for review in await scoped(Review, org).filter(call_id=call.id).order_by("id"):
        reviews.setdefault(review.application_id, []).append(review)
        loads[review.reviewer_id] = loads.get(review.reviewer_id, 0) + 1
    pool = await reviewers.pool(org)
    conflicted = await reviewers.conflicted(org, applications, [m.user.id for m in pool])
    return Board(call, applications, reviews, pool, loads,
                 {pair: reason.value for pair, reason in conflicted.items()})


async def change(membership: Membership, call_id: int, data: AssignIn) -> None:
    """Add (pinned), swap, remove, pin or unpin one pair."""
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        call = await get_locked(Call, org, id=call_id)
        if call.status is not CallStatus.CLOSED:
            raise Refused(NOT_CLOSED, code="call_not_closed")
        application = await get_scoped(Application, org, id=data.application_id,
                                       call_id=call.id, status=ApplicationStatus.ELIGIBLE)
        if data.action == "add":
            await _add(org, call, application, data.reviewer_id)
        else:
            review = await scoped(Review, org).select_for_update().get_or_none(
                application_id=application.id, reviewer_id=data.reviewer_id)
            if review is None:
                raise NotFound()
            if data.action in ("pin", "unpin"):
                review.pinned = data.action == "pin"
                await review.save(update_fields=["pinned", "updated_at"])
            else:
                if review.status is ReviewStatus.SUBMITTED:
                    raise Refused(_l("This review is submitted: it stays with its reviewer."),
                                  code="review_submitted")
                if data.action == "swap":
                    if data.new_reviewer_id is None:
                        raise Invalid(fields={"new_reviewer_id": _l("Choose a reviewer.")})
                    await _add(org, call, application, data.new_reviewer_id)
                await review.delete()
        await audit.record(verb=f"review.{data.action}", obj=application,
                           actor_id=membership.user_id, organisation_id=org.id,
                           changed=["reviews"])


async def _add(org: Organisation, call: Call, application: Application, reviewer_id: int
               ) -> None:
    given = await _inputs(org, [application])
    reviewer = given.reviewers.get(reviewer_id)
    if reviewer is None:
        raise NotFound()
    if (application.id, reviewer_id) in given.conflicts:
        raise Refused(_l("This reviewer has a conflict of interest with the application."),
                      code="conflicted")
    if application.language not in reviewer.languages:
        raise Refused(_l("This reviewer does not read the application's language."),
                      code="language")
    if await scoped(Review, org).filter(application_id=application.id,
                                        reviewer_id=reviewer_id).exists():
        raise Refused(_l("This reviewer already has the application."), code="duplicate")
    await _tell(call, reviewer_id)
    await Review.create(organisation_id=org.id, call_id=call.id, application_id=application.id,
                        reviewer_id=reviewer_id, pinned=True,
                        affinity=assignment.affinity(given.papers[application.id], reviewer))
