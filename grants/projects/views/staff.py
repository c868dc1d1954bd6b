"""Staff pages of funded projects: the list, starting a project from an award,
one project's agreement, tranches (four eyes) and reports, and reviewing a report."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app import i18n, timefmt
from app.errors import AppError, Invalid, NotFound
from app.forms import nest, texts_under
from app.i18n import lazy_gettext as _l
from app.money import parse_amount
from app.orgs.models import Membership
from app.pagination import page_number
from app.templating import render
from app.urls import url
from app.web import form_dict, redirect
from grants.impact.service import practices
from grants.projects import outcomes
from grants.projects.disbursement import TRANCHES, WAITING
from grants.projects.disbursement import Actor as TrancheActor
from grants.projects.models import OutcomeReport
from grants.projects.service import disbursements, reports
from grants.projects.service import pages as project_pages
from grants.shared import vocab
from grants.shared.web import page_context, staff_of

WRONG_DATE = _l("Give a date.")
EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


def day(values: dict[str, Any], name: str) -> date:
    """A date field (YYYY-MM-DD, as the browser's date input sends it) between 2000 and
    2100, or Invalid."""
    try:
        found = date.fromisoformat(str(values.get(name) or "").strip())
    except ValueError:
        raise Invalid(fields={name: WRONG_DATE}) from None
    if not EARLIEST <= found <= LATEST:
        raise Invalid(fields={name: WRONG_DATE})
    return found


def milestones_of(text: str) -> list[dict[str, str]]:
    """'2027-06-30 Cupping lab built', one a line."""
    found = []
    for line in filter(str.strip, text.splitlines()):
        when, _, title = line.strip().partition(" ")
        try:
            date.fromisoformat(when)
        except ValueError:
            raise Invalid(fields={"milestones": _l(
                "Write each milestone on its own line: its date (2027-06-30), a space, then "
                "what is done by then.")}) from None
        found.append({"title": title.strip(), "due_on": when})
    return found


async def _values(request: Request) -> dict[str, Any]:
    async with request.form() as form:
        return form_dict(form)


def _list(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)] if value else []


async def project_list(request: Request) -> Response:
    membership = await staff_of(request)
    status = request.query_params.get("status", "")
    rows, page = await project_pages.staff_projects(
        membership, page_number(request.query_params.get("page")), timefmt.now().date(),
        status)
    return render(request, "grants/projects/projects_staff.html", page_context(
        request, membership.organisation, is_staff=True, rows=rows, page=page, status=status,
        kinds=outcomes.KIND_LABELS, awaiting=await project_pages.awaiting_projects(membership)))


async def start(request: Request) -> Response:
    """Make the awarded application's project: its dates, then its page."""
    membership = await staff_of(request)
    org = membership.organisation
    application_id = request.path_params["application_id"]
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    message = None
    existing = await project_pages.project_of(membership, application_id)
    if existing is not None:
        return redirect(url("grants:manage_project", org=org.slug, project_id=existing.id))
    if request.method == "POST":
        values = await _values(request)
        try:
            project = await disbursements.start_project(
                membership, application_id, starts_on=day(values, "starts_on"),
                ends_on=day(values, "ends_on"))
        except AppError as error:
            errors = getattr(error, "fields", {})
            message = error.message
        else:
            return redirect(url("grants:manage_project", org=org.slug,
                                project_id=project.id))
    return render(request, "grants/projects/project_start.html", page_context(
        request, org, application_id=application_id, values=values, errors=errors,
        message=message), status_code=422 if message else 200)


Action = Callable[[Membership, int, dict[str, Any]], Awaitable[object]]


async def _agreement(membership: Membership, project_id: int, values: dict[str, Any]) -> None:
    await disbursements.set_agreement(
        membership, project_id, milestones=milestones_of(str(values.get("milestones", ""))),
        indicators=_list(values.get("indicators")), kind=str(values.get("kind", "")))


async def _tranche(membership: Membership, project_id: int, values: dict[str, Any]) -> None:
    detail = await project_pages.staff_project(membership, project_id)
    amount = parse_amount(str(values.get("amount", "")), detail.project.currency)
    if amount is None:
        raise Invalid(fields={"amount": _l("Type an amount, such as 1500 or 1,500.50.")})
    condition = str(values.get("condition") or "") or None
    await disbursements.add_tranche(membership, project_id, amount_minor=amount,
                                    due_on=day(values, "due_on"), condition=condition)


def _row_id(values: dict[str, Any], name: str) -> int:
    """The id of the row a form names (NotFound for anything but one number)."""
    raw = values.get(name)
    if not (isinstance(raw, str) and raw.isascii() and raw.isdigit() and len(raw) < 10):
        raise NotFound()
    return int(raw)


async def _move(membership: Membership, project_id: int, values: dict[str, Any]) -> None:
    paid_on = day(values, "paid_on") if values.get("paid_on") else None
    await disbursements.move_tranche(membership, _row_id(values, "tranche_id"),
                                     str(values.get("action", "")),
                                     reference=str(values.get("reference", ""))[:120],
                                     paid_on=paid_on, project_id=project_id)


async def _reschedule(membership: Membership, project_id: int, values: dict[str, Any]
                      ) -> None:
    await reports.reschedule(membership, _row_id(values, "report_id"), day(values, "due_on"),
                             project_id=project_id)


async def _midline(membership: Membership, project_id: int, values: dict[str, Any]) -> None:
    await reports.add_midline(membership, project_id, day(values, "due_on"))


async def _complete(membership: Membership, project_id: int, values: dict[str, Any]) -> None:
    await disbursements.complete_project(membership, project_id)


async def _cancel(membership: Membership, project_id: int, values: dict[str, Any]) -> None:
    await disbursements.cancel_project(membership, project_id, str(values.get("reason", "")))


async def _practice(membership: Membership, project_id: int, values: dict[str, Any]) -> None:
    sent = nest(values)                      # title.en, summary.es, ... by language
    await practices.mark_practice(membership, project_id, title=texts_under(sent, "title"),
                                  summary=texts_under(sent, "summary"))


FORMS: dict[str, Action] = {
    "agreement": _agreement, "tranche": _tranche, "move": _move, "reschedule": _reschedule,
    "midline": _midline, "complete": _complete, "practice": _practice, "cancel": _cancel,
}


async def replicate(request: Request) -> Response:
    """A new call from a practice: a draft, prefilled, to finish on the call's form."""
    membership = await staff_of(request)
    call = await practices.replicate(membership, request.path_params["practice_id"])
    return redirect(url("grants:edit_call", org=membership.organisation.slug, call_id=call.id,
                        query={"replicated": 1}))


async def project_page(request: Request) -> Response:
    """One project: each form on the page posts its name; a refusal is shown beside it."""
    membership = await staff_of(request)
    org = membership.organisation
    project_id = request.path_params["project_id"]
    failed: dict[str, Any] = {}
    if request.method == "POST":
        values = await _values(request)
        name = str(values.get("form", ""))
        try:
            if name not in FORMS:
                raise Invalid()
            await FORMS[name](membership, project_id, values)
        except AppError as error:
            failed = {"form": name, "message": error.message, "typed": values,
                      "errors": getattr(error, "fields", {}),
                      "tranche_id": str(values.get("tranche_id", "")),
                      "report_id": str(values.get("report_id", ""))}
        else:
            return redirect(url("grants:manage_project", org=org.slug, project_id=project_id,
                                query={"done": name}))
    detail = await project_pages.staff_project(membership, project_id)
    today = timefmt.now().date()
    return render(request, "grants/projects/project_staff.html", page_context(
        request, org, is_staff=True, d=detail, failed=failed, today=today,
        overdue={r.id: reports.overdue_since(r, today) for r in detail.reports
                 if detail.project.status == "active"},
        kinds=outcomes.KIND_LABELS, report_states=outcomes.REPORTS.state_labels,
        tranche_states=TRANCHES.state_labels, conditions=WAITING,
        tranche_actions={t.id: TRANCHES.available(t.status, TrancheActor.STAFF)
                         for t in detail.tranches},
        action_labels=TRANCHES.action_labels, units=outcomes.UNITS,
        project_types=vocab.PROJECT_TYPES, practice_locales=i18n.LOCALES,
        language_names=dict(i18n.language_choices()),
        practice=await practices.practice_of(org, detail.project.id),
        milestones_text="\n".join(f"{m['due_on']} {m['title']}"
                                  for m in detail.project.milestones)),
        status_code=422 if failed else 200)


async def report_page(request: Request) -> Response:
    """A report as the co-op wrote it; staff accept it or return it with comments."""
    membership = await staff_of(request)
    org = membership.organisation
    report = await reports.staff_report(membership, request.path_params["report_id"])
    failed: dict[str, Any] = {}
    if request.method == "POST":
        values = await _values(request)
        try:
            await reports.review_report(membership, report.id, str(values.get("action", "")),
                                        str(values.get("comment", "")))
        except AppError as error:
            failed = {"message": error.message, "errors": getattr(error, "fields", {}),
                      "typed": values}
        else:
            return redirect(url("grants:manage_report", org=org.slug, report_id=report.id,
                                query={"done": 1}))
    detail = await project_pages.staff_project(membership, report.project_id)
    return render(request, "grants/projects/report_staff.html", page_context(
        request, org, is_staff=True, d=detail, report=_fresh(detail.reports, report),
        failed=failed, kinds=outcomes.KIND_LABELS, sections=outcomes.SECTIONS,
        units=outcomes.UNITS, report_states=outcomes.REPORTS.state_labels,
        baseline=_baseline(detail.reports)),
        status_code=422 if failed else 200)


def _fresh(found: list[OutcomeReport], report: OutcomeReport) -> OutcomeReport:
    return next((r for r in found if r.id == report.id), report)


def _baseline(found: list[OutcomeReport]) -> dict[str, Any]:
    """The accepted baseline's values, to read a later report against."""
    return next((r.values for r in found if r.kind == "baseline" and r.status == "accepted"),
                {})
