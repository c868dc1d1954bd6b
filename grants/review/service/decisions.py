"""Decisions within a call's budget: award (at most the request), decline or waitlist, with
a reason for the record and a message for the applicant; a suggestion by calibrated rank
with a seeded lottery at the funding line; publishing, which sends the letters.

The budget guard: every decision locks the call's row first, so decisions on one call are
taken one at a time (PostgreSQL), and the sum of its awards is checked against the budget
inside that lock. Two staff deciding at the same moment cannot both spend the last money.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from app import audit, timefmt
from app.db import atomic
from app.errors import Conflict as Refused
from app.errors import Invalid
from app.i18n import Msg, gettext
from app.i18n import lazy_gettext as _l
from app.money import format_money
from app.moves import move
from app.orgs.models import Membership, Organisation
from app.tenancy import get_locked, get_scoped, scoped
from grants.applications.models import Application
from grants.applications.service.applicant import tell
from grants.applications.statuses import ApplicationStatus, MessageKind
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.review import funding_line
from grants.review.models import Decision, Review
from grants.review.schemas import DecisionIn
from grants.review.service.commitments import DECIDABLE, committed
from grants.review.service.ranking import ranking_of
from grants.review.statuses import DecisionKind, ReviewStatus
from grants.shared.common import require_staff
from grants.shared.workflow import APPLICATIONS, CALLS, Actor

OPEN_FOR_DECISIONS = (CallStatus.CLOSED, CallStatus.DECIDED)
LETTERS = {DecisionKind.AWARD: MessageKind.AWARDED, DecisionKind.DECLINE: MessageKind.DECLINED,
           DecisionKind.WAITLIST: MessageKind.WAITLISTED}


async def currency_of(membership: Membership, application_id: int) -> str:
    """The currency an amount typed for this application's decision is in."""
    require_staff(membership)
    return (await get_scoped(Application, membership.organisation, id=application_id)).currency


@dataclass(frozen=True)
class Standing:
    """What the staff application page shows of review and decision."""

    reviews: list[Review]
    decision: Decision | None
    committed_minor: int
    budget_minor: int


async def standing(membership: Membership, application: Application, call: Call) -> Standing:
    require_staff(membership)
    org = membership.organisation
    return Standing(await scoped(Review, org).filter(application_id=application.id
                                                     ).order_by("id"),
                    await scoped(Decision, org).get_or_none(application_id=application.id),
                    await committed(org, call), call.budget_minor)


async def _locked_call(org: Organisation, call_id: int) -> Call:
    call = await get_locked(Call, org, id=call_id)
    if call.status not in OPEN_FOR_DECISIONS:
        raise Refused(_l("Decisions are made once the call is closed."), code="call_not_closed")
    return call


async def decide(membership: Membership, application_id: int, data: DecisionIn
                 ) -> tuple[Decision, int]:
    """Record (or change, until published) one decision; returns it with the call's awards
    so far. Refused when an award would take the call over its budget."""
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        found = await get_scoped(Application, org, id=application_id)
        call = await _locked_call(org, found.call_id)
        application = await get_locked(Application, org, id=application_id)
        decision = await _record(org, call, application, data, membership.user_id)
        total = await committed(org, call)
    return decision, total


async def _record(org: Organisation, call: Call, application: Application, data: DecisionIn,
                  actor_id: int) -> Decision:
    if application.status not in DECIDABLE:
        raise Refused(_l("Only eligible or waitlisted applications can be decided."),
                      code="not_decidable")
    amount = data.amount_minor or 0
    if data.kind is DecisionKind.AWARD:
        if amount > (application.requested_minor or 0):
            raise Invalid(fields={"amount_minor": Msg(
                _l("Award at most the amount requested, %(amount)s."),
                amount=format_money(application.requested_minor or 0, call.currency))})
        left = call.budget_minor - await committed(org, call, besides=application.id)
        if amount > left:
            raise Refused(Msg(_l("This award would go over the call's budget: %(left)s is "
                                 "left."), left=format_money(max(left, 0), call.currency)),
                          code="over_budget")
    values: dict[str, Any] = {
        "call_id": call.id, "kind": data.kind, "amount_minor": data.amount_minor,
        "currency": call.currency, "reason": data.reason, "message": data.message,
        "decided_by_id": actor_id, "published_at": None}
    decision = await scoped(Decision, org).get_or_none(application_id=application.id)
    if decision is None:
        decision = await Decision.create(organisation_id=org.id, application_id=application.id,
                                         **values)
    else:
        decision.update_from_dict(values)
        await decision.save()
    await audit.record(verb=f"decision.{data.kind.value}", obj=decision, actor_id=actor_id,
                       organisation_id=org.id, changed=list(values))
    return decision


@dataclass(frozen=True)
class Proposal:
    suggestion: funding_line.Suggestion
    seed: int
    budget_left_minor: int
    candidates: list[funding_line.Candidate]


async def _proposal(org: Organisation, call: Call, seed: int) -> Proposal:
    decided: set[int] = set(await scoped(Decision, org).filter(  # type: ignore[arg-type]
        call_id=call.id).values_list("application_id", flat=True))
    requests = dict(await scoped(Application, org).filter(
        call_id=call.id, status=ApplicationStatus.ELIGIBLE).values_list("id", "requested_minor"))
    candidates = [funding_line.Candidate(r.application_id, requests[r.application_id] or 0,
                                         r.calibrated, r.low, r.high)
                  for r in (await ranking_of(org, call)).rows
                  if r.application_id in requests and r.application_id not in decided]
    left = call.budget_minor - await committed(org, call)
    return Proposal(funding_line.suggest(candidates, left, seed), seed, left, candidates)


async def suggest(membership: Membership, call_id: int) -> Proposal:
    """What would be awarded among the undecided applications, in what is left of the
    budget: who is funded for sure, and the group a lottery would decide. The draw itself
    happens only when the awards are recorded, with a seed nobody chooses."""
    require_staff(membership)
    call = await get_scoped(Call, membership.organisation, id=call_id)
    return await _proposal(membership.organisation, call, 0)


CHANGED = _l("The ranking or the decisions changed since you looked: check the suggestion "
             "again.")


async def apply_suggestion(membership: Membership, call_id: int, expected: list[int]
                           ) -> Proposal:
    """Draw the lottery (a fresh random seed), record the awards (the full request each) and
    write everything a check needs to the audit log: the seed, the candidates with their
    requests, scores and intervals, the money left, the line, the group and the result.
    `expected` is the candidates staff saw: if they changed meanwhile, nothing is recorded."""
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        call = await _locked_call(org, call_id)
        proposal = await _proposal(org, call, secrets.randbelow(2**31))
        if sorted(c.application_id for c in proposal.candidates) != sorted(expected):
            raise Refused(CHANGED, code="suggestion_changed")
        chosen = proposal.suggestion
        requests = {c.application_id: c.requested_minor for c in proposal.candidates}
        reason = gettext(_l("Suggested by calibrated rank."))
        for application_id in chosen.awards:
            application = await get_locked(Application, org, id=application_id)
            await _record(org, call, application, DecisionIn(
                kind=DecisionKind.AWARD, amount_minor=requests[application_id],
                reason=reason), membership.user_id)
        await audit.record(
            verb="call.suggest_awards", obj=call, actor_id=membership.user_id,
            organisation_id=org.id, changed=["decisions"],
            details={"seed": proposal.seed, "line": chosen.line,
                     "lottery": list(chosen.lottery), "lottery_seed": chosen.seed,
                     "awards": list(chosen.awards),
                     "budget_left_minor": proposal.budget_left_minor,
                     "candidates": [[c.application_id, c.requested_minor, c.calibrated, c.low,
                                     c.high] for c in proposal.candidates]})
    return proposal


async def publish(membership: Membership, call_id: int) -> int:
    """Send every unpublished decision's letter and move its application on; the call is
    decided once every eligible application has a published decision. Returns the number of
    letters sent. A waitlisting of an application already on the waiting list sends none;
    a decision on an application since found ineligible is left alone (it is void)."""
    require_staff(membership)
    org = membership.organisation
    sent = 0
    async with atomic():
        call = await _locked_call(org, call_id)
        pending = await scoped(Decision, org).filter(
            call_id=call.id, published_at=None, application__status__in=list(DECIDABLE)
        ).order_by("id")
        for decision in pending:
            application = await get_locked(Application, org, id=decision.application_id)
            if application.status not in DECIDABLE:  # screened out since the query above
                continue
            decision.published_at = timefmt.now()
            await decision.save(update_fields=["published_at"])
            if (decision.kind is DecisionKind.WAITLIST
                    and application.status is ApplicationStatus.WAITLISTED):
                continue  # it is on the waiting list already, and was told so
            await move(APPLICATIONS, application, decision.kind.value, Actor.STAFF,
                       membership.user_id)
            await tell(application, LETTERS[decision.kind], decision.message,
                       membership.user_id, comments=await _comments(org, application))
            sent += 1
        undecided = await scoped(Application, org).filter(
            call_id=call.id, status=ApplicationStatus.ELIGIBLE).exists()
        if pending and not undecided and call.status is CallStatus.CLOSED:
            await move(CALLS, call, "decide", Actor.STAFF, membership.user_id)
    return sent


async def _comments(org: Organisation, application: Application) -> list[str]:
    """The reviewers' comments for the applicant: never comments for staff, never names."""
    texts: list[str] = await scoped(Review, org).filter(  # type: ignore[assignment]
        application_id=application.id, status=ReviewStatus.SUBMITTED).order_by(
        "id").values_list("comment_applicant", flat=True)
    return [text for text in texts if text.strip()]
