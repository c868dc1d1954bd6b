"""Staff's review pages: the reviewer pool and conflicts, a call's assignment board, the
ranking with its exports, decisions, the suggestion with its lottery, and publishing."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app.errors import AppError, BadRequest, Conflict, Invalid
from app.forms import validate
from app.money import to_major_text
from app.templating import render
from app.urls import url
from app.web import CSV, XLSX, attachment_response, csv_body, form_dict, redirect
from grants.applications.views.screening import show_application
from grants.review import conflicts
from grants.review.schemas import AssignIn, ConflictIn, DecisionIn, LiftIn, WaiveIn
from grants.review.service import assigning, decisions, ranking, reviewers, reviewing
from grants.review.views.reviewer import profile_page
from grants.shared.web import page_context, staff_of


async def _values(request: Request) -> dict[str, Any]:
    async with request.form() as form:
        return form_dict(form)


async def pool(request: Request) -> Response:
    membership = await staff_of(request)
    org = membership.organisation
    errors: dict[str, str] = {}
    if request.method == "POST":
        try:
            await reviewers.declare(membership, validate(ConflictIn, await _values(request)))
        except Invalid as error:
            errors = error.fields
        else:
            return redirect(url("grants:reviewer_pool", org=org.slug, query={"recorded": 1}))
    shown = await reviewers.pool_page(membership)
    return render(request, "grants/review/reviewers.html", page_context(
        request, org, pool=shown.pool, conflicts=shown.conflicts, errors=errors,
        coops=shown.coops), status_code=422 if errors else 200)


async def reviewer_profile(request: Request) -> Response:
    membership = await staff_of(request)
    user_id = request.path_params["user_id"]
    return await profile_page(request, membership, user_id,
                               url("grants:reviewer_profile", org=membership.organisation.slug,
                                   user_id=user_id))


async def lift(request: Request) -> Response:
    membership = await staff_of(request)
    await reviewers.lift(membership, request.path_params["conflict_id"],
                         validate(LiftIn, await _values(request)))
    return redirect(url("grants:reviewer_pool", org=membership.organisation.slug,
                        query={"lifted": 1}))


async def board(request: Request) -> Response:
    membership = await staff_of(request)
    call_id = request.path_params["call_id"]
    reasons: tuple[str, ...] = ()
    message = None
    if request.method == "POST":
        try:
            await assigning.run(membership, call_id)
        except AppError as error:
            if error.code not in ("infeasible", "call_not_closed"):
                raise
            message, reasons = error.message, error.reasons
        else:
            return redirect(url("grants:assignments", org=membership.organisation.slug,
                                call_id=call_id, query={"assigned": 1}))
    found = await assigning.board(membership, call_id)
    return render(request, "grants/review/assignments.html", page_context(
        request, membership.organisation, board=found, message=message, reasons=reasons,
        reason_labels=conflicts.LABELS,
        names={m.user.id: m.user.display_name for m in found.pool}),
        status_code=409 if message else 200)


async def change(request: Request) -> Response:
    membership = await staff_of(request)
    call_id = request.path_params["call_id"]
    values = await _values(request)
    if values.get("action") == "waive":
        await reviewers.waive(membership, call_id, validate(WaiveIn, values))
    else:
        await assigning.change(membership, call_id, validate(AssignIn, values))
    return redirect(url("grants:assignments", org=membership.organisation.slug, call_id=call_id,
                        query={"changed": 1}))


async def reopen_review(request: Request) -> Response:
    membership = await staff_of(request)
    review = await reviewing.reopen(membership, request.path_params["review_id"])
    return redirect(url("grants:screen", org=membership.organisation.slug,
                        application_id=review.application_id, query={"reopened": 1}))


async def ranking_page(request: Request) -> Response:
    membership = await staff_of(request)
    filters = ranking.Filters.from_query(dict(request.query_params))
    found = await ranking.table(membership, request.path_params["call_id"], filters)
    return render(request, "grants/review/ranking.html", page_context(
        request, membership.organisation, table=found, filters=filters,
        query=request.url.query))


async def export(request: Request) -> Response:
    membership = await staff_of(request)
    call_id = request.path_params["call_id"]
    fmt = request.path_params["fmt"]
    found = await ranking.table(membership, call_id,
                                ranking.Filters.from_query(dict(request.query_params)))
    name = f"call-{call_id}-ranking.{fmt}"
    if fmt == "csv":
        return attachment_response(csv_body(ranking.as_csv(found)), filename=name,
                                   media_type=CSV)
    if fmt == "xlsx":
        return attachment_response(ranking.as_xlsx(found), filename=name, media_type=XLSX)
    raise BadRequest()


async def decide(request: Request) -> Response:
    membership = await staff_of(request)
    org = membership.organisation
    application_id = request.path_params["application_id"]
    values = await _values(request)
    currency = await decisions.currency_of(membership, application_id)
    try:
        await decisions.decide(membership, application_id,
                               validate(DecisionIn, values, {"currency": currency}))
    except (Invalid, Conflict) as error:  # shown beside the form, with what was typed
        return await show_application(
            request, membership, application_id, decision_values=values,
            decision_errors=error.fields, decision_message=error.message,
            status_code=error.status_code)
    return redirect(url("grants:screen", org=org.slug, application_id=application_id,
                        query={"decided": 1}))


async def suggest(request: Request) -> Response:
    membership = await staff_of(request)
    org = membership.organisation
    call_id = request.path_params["call_id"]
    if request.method == "POST":
        values = await _values(request)
        try:
            expected = [int(i) for i in str(values.get("expected") or "").split()]
        except ValueError:
            raise BadRequest() from None
        done = await decisions.apply_suggestion(membership, call_id, expected)
        drawn = done.seed if done.suggestion.seed is not None else None
        return redirect(url("grants:ranking", org=org.slug, call_id=call_id,
                            query={"suggested": 1, "seed": drawn}))
    proposal = await decisions.suggest(membership, call_id)
    found = await ranking.table(membership, call_id)
    return render(request, "grants/review/suggestion.html", page_context(
        request, org, proposal=proposal, table=found,
        rows={row.application.id: row for row in found.rows},
        group=[c.application_id for c in proposal.candidates
               if c.application_id in proposal.suggestion.lottery],
        left=to_major_text(proposal.budget_left_minor, found.call.currency)))


async def publish(request: Request) -> Response:
    membership = await staff_of(request)
    call_id = request.path_params["call_id"]
    sent = await decisions.publish(membership, call_id)
    return redirect(url("grants:ranking", org=membership.organisation.slug, call_id=call_id,
                        query={"published": sent}))
