"""The reviewer's pages: their queue, the review form (saved as they type by
static/autosave.js, and by "Save draft" without JavaScript), declaring a conflict, their
profile and their declared ties to co-ops."""

from __future__ import annotations

from typing import Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from app.errors import AppError, Invalid
from app.forms import nest, validate, validate_partial
from app.i18n import gettext
from app.orgs.models import Membership
from app.templating import render
from app.tenancy import membership_for
from app.urls import url
from app.web import form_dict, form_page, redirect, require_user
from grants.applications.views.applicant import send_file
from grants.review.schemas import ConflictIn, ReviewerProfileIn, ReviewIn
from grants.review.service import reviewers, reviewing
from grants.shared.web import page_context

REVIEW_FIELDS = ("comment_applicant", "comment_staff", "recommendation", "confidence")


async def member_of(request: Request) -> Membership:
    return await membership_for(require_user(request), request.path_params["org"])


async def queue(request: Request) -> Response:
    membership = await member_of(request)
    return render(request, "grants/review/review_queue.html", page_context(
        request, membership.organisation, reviews=await reviewing.queue(membership)))


def _review_in(form: FormData) -> tuple[ReviewIn, dict[str, str]]:
    """What the form (or the autosave, naming what it carries in "present") sent."""
    sent: dict[str, Any] = nest(form_dict(form))
    present = {str(name) for name in form.getlist("present")}
    if present:
        scores = {key: value for key, value in (sent.get("scores") or {}).items()
                  if f"scores.{key}" in present}
        sent = {k: v for k, v in sent.items() if k in present}
        if scores:
            sent["scores"] = scores
    sent.pop("present", None)
    data, errors = validate_partial(ReviewIn, {k: v for k, v in sent.items()
                                               if k in (*REVIEW_FIELDS, "scores")},
                                    keep_blank=True)
    # an answer that could not be read is never submitted in its old form: save the rest
    submit = form.get("action") == "submit" and not errors
    return data.model_copy(update={"submit": submit}), errors


async def review(request: Request) -> Response:
    membership = await member_of(request)
    review_id = request.path_params["review_id"]
    errors: dict[str, str] = {}
    sent: dict[str, Any] = {}
    if request.method == "POST":
        async with request.form() as form:
            data, errors = _review_in(form)
            sent = nest(form_dict(form))
        try:
            await reviewing.save(membership, review_id, data)
        except Invalid as error:
            errors.update(error.fields)
        if not errors:
            done = "submitted" if data.submit else "saved"
            return redirect(url("grants:review", org=membership.organisation.slug,
                                review_id=review_id, query={done: 1}))
    found = await reviewing.reviewing(membership, review_id)
    return render(request, "grants/review/review.html", page_context(
        request, membership.organisation, found=found, errors=errors, sent=sent,
        message=Invalid.message if errors else None), status_code=422 if errors else 200)


async def autosave(request: Request) -> Response:
    membership = await member_of(request)
    try:
        async with request.form() as form:
            data, errors = _review_in(form)
        try:
            await reviewing.save(membership, request.path_params["review_id"], data)
        except Invalid as error:
            errors.update(error.fields)
    except AppError as error:
        return JSONResponse({"saved": False, "message": gettext(error.message)},
                            status_code=error.status_code)
    return JSONResponse({"saved": True,
                         "errors": {k: gettext(v) for k, v in errors.items()}})


async def declare_conflict(request: Request) -> Response:
    membership = await member_of(request)
    review_id = request.path_params["review_id"]
    found = await reviewing.reviewing(membership, review_id)
    async with request.form() as form:
        values = form_dict(form)
    try:
        await reviewers.declare(membership, validate(ConflictIn, {
            "reason": values.get("reason", ""), "application_id": found.application.id}))
    except Invalid as error:
        return render(request, "grants/review/review.html", page_context(
            request, membership.organisation, found=found, errors={},
            conflict_errors=error.fields, sent={}, message=None), status_code=422)
    return redirect(url("grants:reviews", org=membership.organisation.slug,
                        query={"declared": 1}))


async def review_file(request: Request) -> Response:
    membership = await member_of(request)
    return await send_file(request, await reviewing.attachment(
        membership, request.path_params["review_id"], request.path_params["attachment_id"]))


async def profile_page(request: Request, membership: Membership, user_id: int,
                        back: str) -> Response:
    org = membership.organisation
    shown = await reviewers.profile_page(membership, user_id, require_user(request))
    profile = shown.profile

    async def act(data: ReviewerProfileIn) -> Response:
        await reviewers.save_profile(membership, data, user_id)
        return redirect(f"{back}?saved=1")

    initial = {"languages": profile.languages, "countries": " ".join(profile.countries),
               "regions": "\n".join(profile.regions), "commodities": profile.commodities,
               "categories": profile.categories, "max_load": str(profile.max_load)}
    return await form_page(request, "grants/review/reviewer_profile.html", ReviewerProfileIn, act,
                           page_context(request, org, initial=initial, person=shown.person,
                                        coops=shown.coops, own=user_id == membership.user_id,
                                        conflicts=shown.conflicts))


async def profile(request: Request) -> Response:
    membership = await member_of(request)
    return await profile_page(request, membership, membership.user_id,
                               url("grants:reviewer", org=membership.organisation.slug))


async def declare_tie(request: Request) -> Response:
    membership = await member_of(request)
    async with request.form() as form:
        values = form_dict(form)
    await reviewers.declare(membership, validate(ConflictIn, {
        "reason": values.get("reason", ""), "cooperative_id": values.get("cooperative_id")}))
    return redirect(url("grants:reviewer", org=membership.organisation.slug,
                        query={"declared": 1}))
