"""Reviewing, from the reviewer's side: the queue, the review form with autosaved drafts,
submission (which locks the review; staff may reopen it), and the other reviews of an
application once one's own is submitted.

A reviewer reaches only their own reviews, and never an application they are conflicted
with: anything else answers 404. In a blind call they see neither the co-op's name nor the
call's identifying fields nor the form's identifying answers, and never who the other
reviewers are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app import timefmt
from app.accounts.models import User
from app.db import atomic
from app.errors import Conflict as Refused
from app.errors import Invalid, NotFound
from app.i18n import lazy_gettext as _l
from app.moves import move
from app.orgs.models import Membership, Organisation, Role
from app.tenancy import get_locked, get_scoped, scoped
from grants.applications.models import Application, Attachment
from grants.applications.statuses import REVIEWED
from grants.calls.formdef import FormDef
from grants.calls.models import Call
from grants.calls.statuses import CallStatus
from grants.coops.models import Cooperative
from grants.review import rubric
from grants.review.models import Review
from grants.review.schemas import ReviewIn
from grants.review.service import reviewers
from grants.review.statuses import ReviewStatus
from grants.shared.common import require_staff
from grants.shared.workflow import REVIEWS, Actor

LOCKED = _l("This review is submitted and locked. Ask staff to reopen it to change it.")
CALL_DECIDED = _l("Reviews can change only while the call is closed and not yet decided.")


@dataclass(frozen=True)
class Other:
    """Another reviewer's submitted review, as a reviewer may see it."""

    label: str                  # "Reviewer 2", or their name when the call is not blind
    review: Review


@dataclass(frozen=True)
class Reviewing:
    review: Review
    application: Application
    call: Call
    rubric: rubric.Rubric
    form: FormDef
    cooperative: Cooperative | None   # None in a blind call
    hidden: frozenset[str]            # answers not shown (identifying)
    files: dict[int, Attachment]
    others: list[Other] = field(default_factory=list)


def rubric_of(call: Call) -> rubric.Rubric:
    return rubric.Rubric.model_validate(call.rubric or rubric.DEFAULT_RUBRIC)


async def queue(membership: Membership) -> list[Review]:
    """The reviewer's reviews, drafts first, without any they are now conflicted with."""
    org = membership.organisation
    rows = await scoped(Review, org).filter(
        reviewer_id=membership.user_id, application__status__in=list(REVIEWED)
    ).select_related("application", "call").order_by("status", "call_id", "id")
    conflicted = await reviewers.conflicted(org, [r.application for r in rows],
                                            [membership.user_id])
    return [r for r in rows if (r.application_id, r.reviewer_id) not in conflicted]


async def _own(membership: Membership, review_id: int, *, lock: bool = False) -> Review:
    """The member's own review, while they are a reviewer, the application is in review and
    they have no conflict with it; NotFound otherwise."""
    org, user_id = membership.organisation, membership.user_id
    if membership.role is not Role.REVIEWER:
        raise NotFound()
    rows = scoped(Review, org).select_for_update() if lock else scoped(Review, org)
    review = await rows.get_or_none(id=review_id, reviewer_id=user_id)
    if review is None:
        raise NotFound()
    application = await get_scoped(Application, org, id=review.application_id,
                                   status__in=list(REVIEWED))
    if await reviewers.is_conflicted(org, application, user_id):
        raise NotFound()
    review.application = application
    return review


async def reviewing(membership: Membership, review_id: int) -> Reviewing:
    org = membership.organisation
    review = await _own(membership, review_id)
    application = review.application
    call = await get_scoped(Call, org, id=review.call_id)
    form = FormDef.model_validate(application.form)
    blind = call.blind
    # identifying in the form the application was written on, or marked so on the call since
    hidden = frozenset(f.key for f in (*form.fields(), *FormDef.model_validate(
        call.form).fields()) if f.identifying) if blind else frozenset()
    coop = None if blind else await get_scoped(Cooperative, org, id=application.cooperative_id)
    others = await _others(org, review, blind) if (
        review.status is ReviewStatus.SUBMITTED) else []
    files = {a.id: a for a in await scoped(Attachment, org).filter(
        application_id=application.id)}
    return Reviewing(review, application, call, rubric_of(call), form, coop, hidden, files,
                     others)


async def _others(org: Organisation, review: Review, blind: bool) -> list[Other]:
    rows = await scoped(Review, org).filter(
        application_id=review.application_id, status=ReviewStatus.SUBMITTED
    ).exclude(id=review.id).order_by("id")
    names = {} if blind else await user_names([r.reviewer_id for r in rows])
    return [Other(names.get(r.reviewer_id) or str(number), r)
            for number, r in enumerate(rows, start=1)]


async def save(membership: Membership, review_id: int, data: ReviewIn) -> Review:
    """Keep every valid change of a draft (Invalid names the rest, after saving them); with
    `submit`, check the whole review, score it and lock it."""
    org = membership.organisation
    async with atomic():
        review = await _own(membership, review_id, lock=True)
        call = await get_scoped(Call, org, id=review.call_id)
        if call.status is not CallStatus.CLOSED:
            raise Refused(CALL_DECIDED, code="call_decided")
        if review.status is ReviewStatus.SUBMITTED:
            raise Refused(LOCKED, code="review_locked")
        criteria = rubric_of(call)
        errors = _apply(review, criteria, data)
        await review.save()
        if data.submit and not errors:
            errors = _problems(review, criteria)
            if not errors:
                await move(REVIEWS, review, "submit", Actor.REVIEWER, membership.user_id)
                review.score = rubric.score(criteria, review.scores)
                review.submitted_at = timefmt.now()
                await review.save(update_fields=["score", "submitted_at", "updated_at"])
    if errors:
        raise Invalid(fields=errors)
    return review


def _apply(review: Review, criteria: rubric.Rubric, data: ReviewIn) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.scores is not None:
        marks, problems = rubric.clean_marks(criteria, data.scores, complete=False)
        kept = {k: v for k, v in review.scores.items() if k not in data.scores}
        review.scores = {**kept, **marks}
        errors.update({f"scores.{key}": text for key, text in problems.items()})
    for name in ("comment_applicant", "comment_staff", "recommendation", "confidence"):
        if name in data.model_fields_set:
            value: Any = getattr(data, name)
            blank = "" if name.startswith("comment") else None
            setattr(review, name, blank if value is None else value)
    return errors


def _problems(review: Review, criteria: rubric.Rubric) -> dict[str, str]:
    _marks, problems = rubric.clean_marks(criteria, review.scores, complete=True)
    errors = {f"scores.{key}": text for key, text in problems.items()}
    if review.recommendation is None:
        errors["recommendation"] = _l("Choose a recommendation.")
    if review.confidence is None:
        errors["confidence"] = _l("Say how confident you are.")
    if not errors and rubric.score(criteria, review.scores) is None:
        errors["scores"] = _l("Score at least one criterion: not every one can be "
                              "not applicable.")
    return errors


async def reopen(membership: Membership, review_id: int) -> Review:
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        review = await get_locked(Review, org, id=review_id)
        call = await get_scoped(Call, org, id=review.call_id)
        if call.status is not CallStatus.CLOSED:
            raise Refused(CALL_DECIDED, code="call_decided")
        await move(REVIEWS, review, "reopen", Actor.STAFF, membership.user_id)
        review.score = None
        review.submitted_at = None
        await review.save(update_fields=["score", "submitted_at", "updated_at"])
    return review


async def user_names(user_ids: list[int]) -> dict[int, str]:
    return dict(await User.filter(id__in=user_ids).values_list("id", "display_name"))


async def attachment(membership: Membership, review_id: int, attachment_id: int) -> Attachment:
    """A file of the application under review, unless it answers an identifying question of
    a blind call."""
    found = await reviewing(membership, review_id)
    file = await get_scoped(Attachment, membership.organisation, id=attachment_id,
                            application_id=found.application.id)
    if file.field_key in found.hidden:
        raise NotFound()
    return file
