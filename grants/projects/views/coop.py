"""The co-op's pages of its funded projects: the agreement to accept online
(with what the public directory may show), the money paid, and its outcome reports to write
and submit."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from app import i18n
from app.errors import AppError, NotFound
from app.forms import nest, texts_under
from app.templating import render
from app.urls import url
from app.web import form_dict, redirect, require_user
from grants.projects import outcomes
from grants.projects.disbursement import TRANCHES
from grants.projects.service import disbursements, reports
from grants.projects.service import pages as project_pages
from grants.shared.web import org_of, page_context


async def my_projects(request: Request) -> Response:
    org = await org_of(request)
    found = await project_pages.coop_projects(require_user(request), org)
    return render(request, "grants/projects/my_projects.html", page_context(request, org,
                                                                   projects=found))


async def my_project(request: Request) -> Response:
    """The agreement and, once accepted, the money and the reports; POST accepts it."""
    user = require_user(request)
    org = await org_of(request)
    project_id = request.path_params["project_id"]
    message, values = None, {}
    if request.method == "POST":
        async with request.form() as form:
            values = form_dict(form)
        name, outcomes_ = (values.get("publish_name") == "yes",
                           values.get("publish_outcomes") == "yes")
        summary = {i18n.current_locale(): str(values.get("public_summary", ""))}
        try:
            if values.get("form") == "publication":
                await disbursements.set_publication(
                    user, org, project_id, publish_name=name, publish_outcomes=outcomes_,
                    public_summary=summary)
            else:
                await disbursements.accept_agreement(
                    user, org, project_id, publish_name=name, publish_outcomes=outcomes_,
                    public_summary=summary, version=str(values.get("version") or "") or None)
        except AppError as error:
            message = error.message
        else:
            done = "published" if values.get("form") == "publication" else "accepted"
            return redirect(url("grants:my_project", org=org.slug, project_id=project_id,
                                query={done: 1}))
    detail = await project_pages.coop_project(user, org, project_id)
    return render(request, "grants/projects/my_project.html", page_context(
        request, org, d=detail, message=message, values=values,
        version=disbursements.agreement_version(detail.project),
        kinds=outcomes.KIND_LABELS, report_states=outcomes.REPORTS.state_labels,
        tranche_states=TRANCHES.state_labels, units=outcomes.UNITS),
        status_code=422 if message else 200)


async def my_report(request: Request) -> Response:
    """The report's form: save as a draft, or submit it complete."""
    user = require_user(request)
    org = await org_of(request)
    project_id, report_id = request.path_params["project_id"], request.path_params["report_id"]
    detail = await project_pages.coop_project(user, org, project_id)
    if report_id not in {r.id for r in detail.reports}:
        raise NotFound()
    failed: dict[str, Any] = {}
    if request.method == "POST":
        async with request.form() as form:
            values = form_dict(form)
        submit = values.get("submit") == "1"
        sent = nest(values)
        try:
            await reports.save_report(user, org, report_id, submit=submit,
                                      narrative=texts_under(sent, "narrative"),
                                      typed=texts_under(sent, "values"))
        except AppError as error:
            failed = {"message": error.message, "errors": getattr(error, "fields", {}),
                      "values": values}
        else:
            done = "submitted" if submit else "saved"
            return redirect(url("grants:my_report", org=org.slug, project_id=project_id,
                                report_id=report_id, query={done: 1}))
        detail = await project_pages.coop_project(user, org, project_id)   # as saved
    report = next(r for r in detail.reports if r.id == report_id)
    typed = failed.get("values") or {
        **{f"narrative.{k}": v for k, v in report.narrative.items()},
        **{f"values.{k}": _shown(v) for k, v in report.values.items()}}
    return render(request, "grants/projects/my_report.html", page_context(
        request, org, d=detail, report=report, failed=failed, typed=typed,
        editable=report.status in outcomes.WAITING_FOR_COOP and detail.project.status == "active",
        kinds=outcomes.KIND_LABELS, sections=outcomes.SECTIONS, units=outcomes.UNITS,
        required=outcomes.REQUIRED_SECTIONS, report_states=outcomes.REPORTS.state_labels),
        status_code=422 if failed else 200)


def _shown(value: object) -> str:
    """A saved number as the field shows it back: 120, not 120.0."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
