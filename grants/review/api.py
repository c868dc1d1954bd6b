"""Review endpoints of the JSON API: assignment, the reviewer's queue and reviews, the ranking
and decisions. The same use cases as the pages; staff-only ones answer 404 to people outside
the organisation and 403 to its other members."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from app.api import api_user, json_object, respond
from app.forms import validate
from app.orgs.models import Membership
from app.tenancy import membership_for
from grants.review.models import Review
from grants.review.schemas import (
    AssignmentOut,
    DecisionIn,
    DecisionOut,
    RankedOut,
    ReviewIn,
    ReviewOut,
)
from grants.review.service import assigning, decisions, ranking, reviewing
from grants.shared.common import require_staff


async def _member(request: Request) -> Membership:
    return await membership_for(api_user(request), request.path_params["org"])


async def _staff(request: Request) -> Membership:
    membership = await _member(request)
    require_staff(membership)
    return membership


def review_out(review: Review, title: str) -> ReviewOut:
    return ReviewOut.model_validate({**{name: getattr(review, name) for name in (
        "id", "call_id", "application_id", "status", "scores", "comment_applicant",
        "comment_staff", "recommendation", "confidence", "score", "submitted_at")},
        "application_title": title})


async def assign(request: Request) -> Response:
    membership = await _staff(request)
    call_id = request.path_params["call_id"]
    done = await assigning.run(membership, call_id)
    return respond(AssignmentOut(call_id=call_id, affinity=done.affinity,
                                 pairs=list(done.pairs), kept=done.kept))


async def my_reviews(request: Request) -> Response:
    membership = await _member(request)
    return respond([review_out(r, r.application.title)
                    for r in await reviewing.queue(membership)])


async def save_review(request: Request) -> Response:
    membership = await _member(request)
    review_id = request.path_params["review_id"]
    await reviewing.reviewing(membership, review_id)  # 404 before reading what was sent
    await reviewing.save(membership, review_id,
                         validate(ReviewIn, await json_object(request), keep_blank=True))
    found = await reviewing.reviewing(membership, review_id)
    return respond(review_out(found.review, found.application.title))


async def call_ranking(request: Request) -> Response:
    membership = await _staff(request)
    found = await ranking.table(membership, request.path_params["call_id"],
                                ranking.Filters.from_query(dict(request.query_params)))
    return respond([_ranked_out(row) for row in found.rows])


def _ranked_out(row: ranking.Row) -> RankedOut:
    a, r, d = row.application, row.ranked, row.decision
    scores = {name: getattr(r, name) for name in (
        "rank", "reviews", "mean", "spread", "disagreement", "calibrated", "low", "high")
              } if r else {"rank": None}
    return RankedOut(application_id=a.id, title=a.title, cooperative=a.cooperative.legal_name,
                     requested_minor=a.requested_minor, currency=a.currency, **scores,
                     decision=d.kind if d else None,
                     awarded_minor=d.amount_minor if d else None)


async def decide(request: Request) -> Response:
    membership = await _staff(request)
    data = validate(DecisionIn, await json_object(request))
    decision, committed = await decisions.decide(membership,
                                                 request.path_params["application_id"], data)
    call = await decision.call
    return respond(DecisionOut(
        application_id=decision.application_id, kind=decision.kind,
        amount_minor=decision.amount_minor, currency=decision.currency,
        reason=decision.reason, message=decision.message,
        published_at=decision.published_at, committed_minor=committed,
        budget_minor=call.budget_minor))
