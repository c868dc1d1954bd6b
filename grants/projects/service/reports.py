"""Outcome reports: scheduled when a project starts (baseline, midline, final;
grants/outcomes.py has the rules), written by the co-op once it has accepted its agreement —
narrative sections and a value for each indicator it committed to, saved as drafts until
submitted — and reviewed by staff, who accept a report or return it with comments. Each
outcome is mailed to the co-op's people in their own language.

Reminders: the scheduled job (`queue_reminders`, every hour) keeps one ReportReminder row
per report, due date and step; the row's unique key makes a second run of the job (or two at
once) a no-op, and a mail job marks the row sent under its lock, so each reminder is mailed
once per due date. Rows not yet sent are queued again by the next run (a crash between the
commit and the queue loses nothing).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from tortoise.exceptions import IntegrityError

from app import audit, moves, queue, timefmt
from app.accounts.models import User
from app.db import atomic
from app.errors import Conflict, Invalid, NotFound
from app.i18n import lazy_gettext as _l
from app.orgs.models import Membership, Organisation
from app.tenancy import get_locked, get_scoped, scoped
from grants.projects import outcomes
from grants.projects.models import OutcomeReport, Project, ReportReminder
from grants.projects.outcomes import REPORTS, Actor
from grants.projects.service.access import check_coop, open_project
from grants.projects.service.indicators import names
from grants.projects.statuses import ProjectStatus, ReportKind, ReportStatus
from grants.shared.common import paragraphs, require_staff

NOT_ACTIVE = _l("Reports are written once the agreement is accepted, while the project runs.")
REMINDER_WINDOW = timedelta(days=30)   # an overdue report older than this is not reminded
ONE_DAY = timedelta(days=1)
MAX_TEXT = 20_000


async def schedule_reports(org: Organisation, project: Project) -> None:
    """The project's baseline, midline and final reports, on the default dates."""
    dates = outcomes.default_schedule(project.starts_on, project.ends_on)
    await OutcomeReport.bulk_create([
        OutcomeReport(organisation=org, project=project, kind=kind, due_on=due_on)
        for kind, due_on in dates.items()])


async def accepted_kinds(org: Organisation, project_id: int) -> set[str]:
    kinds = await scoped(OutcomeReport, org).filter(
        project_id=project_id, status=ReportStatus.ACCEPTED).values_list("kind", flat=True)
    return {str(kind) for kind in kinds}


async def reschedule(membership: Membership, report_id: int, due_on: date, *,
                     project_id: int | None = None) -> OutcomeReport:
    """Staff move a report's due date (not once it is accepted); its reminders start over.
    With `project_id` (the page it was asked from), another project's report is NotFound."""
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        report = await get_locked(OutcomeReport, org, id=report_id)
        if project_id is not None and report.project_id != project_id:
            raise NotFound()
        if report.status is ReportStatus.ACCEPTED:
            raise Conflict(_l("This report is accepted: its date cannot change."),
                           code="accepted")
        report.due_on = due_on
        await report.save(update_fields=["due_on", "updated_at"])
        await audit.record(verb="report.rescheduled", obj=report, actor_id=membership.user_id,
                           organisation_id=org.id, changed=["due_on"])
    return report


async def add_midline(membership: Membership, project_id: int, due_on: date) -> OutcomeReport:
    """Another midline report, for a long project."""
    require_staff(membership)
    org = membership.organisation
    async with atomic():
        project = await open_project(org, project_id)
        numbers: list[int] = await scoped(OutcomeReport, org).filter(  # type: ignore[assignment]
            project_id=project.id, kind=ReportKind.MIDLINE).values_list("number", flat=True)
        report = await OutcomeReport.create(
            organisation=org, project=project, kind=ReportKind.MIDLINE, due_on=due_on,
            number=max(numbers, default=0) + 1)
        await audit.record(verb="report.added", obj=report, actor_id=membership.user_id,
                           organisation_id=org.id)
    return report


async def staff_report(membership: Membership, report_id: int) -> OutcomeReport:
    require_staff(membership)
    return await get_scoped(OutcomeReport, membership.organisation, id=report_id)


def _narrative(typed: Mapping[str, str]) -> dict[str, str]:
    return {key: paragraphs(typed.get(key), f"narrative.{key}", MAX_TEXT)
            for key in outcomes.SECTIONS}


async def save_report(user: User, org: Organisation, report_id: int, *,
                      narrative: Mapping[str, str], typed: Mapping[str, str],
                      submit: bool = False) -> OutcomeReport:
    """The co-op saves its report (every valid value is kept; Invalid names the others) and,
    with `submit`, sends it to staff once it is complete."""
    async with atomic():
        report = await get_locked(OutcomeReport, org, id=report_id)
        project = await get_scoped(Project, org, id=report.project_id)
        await check_coop(user, org, project)
        if project.status is not ProjectStatus.ACTIVE:
            raise Conflict(NOT_ACTIVE, code="not_active")
        if report.status not in outcomes.WAITING_FOR_COOP:
            raise Conflict(_l("This report was submitted: it cannot change now."),
                           code="submitted")
        values, errors = outcomes.read_values(project.indicators, typed)
        report.narrative = _narrative(narrative)
        kept = {key: value for key, value in report.values.items() if key in errors}
        report.values = {**kept, **values}       # a mistyped value leaves the saved one
        fields = ["narrative", "values"]
        if submit and not errors:
            errors = outcomes.refuse_submit(project.indicators, values, report.narrative,
                                            await names(org))
        if submit and not errors:           # WAITING_FOR_COOP can submit
            answer = moves.decide(REPORTS, report, "submit", Actor.COOP)
            changes = {"narrative": report.narrative, "values": report.values,
                       "submitted_by_id": user.id, "submitted_at": timefmt.now()}
            await moves.apply(REPORTS, report, answer, user.id, changes=changes,
                              verb="report.submitted", audited=["status", *changes])
        else:
            await report.save(update_fields=[*fields, "updated_at"])
            await audit.record(verb="report.saved", obj=report, actor_id=user.id,
                               organisation_id=org.id, changed=fields)
    if errors:
        raise Invalid(fields={key if "." in key else f"values.{key}": message
                              for key, message in errors.items()})
    return report


async def review_report(membership: Membership, report_id: int, action: str,
                        comment: str = "") -> OutcomeReport:
    """Staff accept a submitted report, or return it to the co-op with their comments."""
    require_staff(membership)
    org = membership.organisation
    comment = paragraphs(comment, "comment", MAX_TEXT)
    if action == "return" and not comment:
        raise Invalid(fields={"comment": _l("Tell the co-op what to change.")})
    async with atomic():
        report = await get_locked(OutcomeReport, org, id=report_id)
        await moves.move(REPORTS, report, action, Actor.STAFF, membership.user_id,
                         changes={"reviewed_by_id": membership.user_id,
                                  "reviewed_at": timefmt.now(), "review_comment": comment},
                         details={"comment": comment} if comment else None)
        await queue.enqueue("send_report_reviewed", report.id, action)
    return report


async def queue_reminders(moment: datetime) -> int:
    """Note the reminders that have come at `moment` — each organisation's day, in its own
    timezone — (once per report, due date and step) and queue the mail of every one not
    sent yet; answers how many were new."""
    day = moment.date()        # UTC's: each organisation's is at most a day away
    waiting = await OutcomeReport.filter(  # unscoped: the scheduled job, every organisation
        status__in=list(outcomes.WAITING_FOR_COOP), project__status=ProjectStatus.ACTIVE,
        due_on__lte=day + timedelta(days=8), due_on__gte=day - REMINDER_WINDOW - ONE_DAY,
    ).values("id", "organisation_id", "due_on", "status", timezone="organisation__timezone")
    noted = set(await ReportReminder.filter(  # unscoped: the same reports
        report_id__in=[row["id"] for row in waiting]).values_list("report_id", "due_on",
                                                                   "step"))
    new = 0
    for row in waiting:
        step = outcomes.reminder_due(row["due_on"], ReportStatus(row["status"]),
                                     timefmt.local_date(moment, row["timezone"]))
        if step is None or (row["id"], row["due_on"], step) in noted:
            continue
        try:
            async with atomic():
                await ReportReminder.create(organisation_id=row["organisation_id"],
                                            report_id=row["id"], due_on=row["due_on"],
                                            step=step)
            new += 1
        except IntegrityError:      # another run noted it a moment ago
            continue
    unsent: list[int] = await ReportReminder.filter(  # type: ignore[assignment]  # unscoped: the scheduled job, every organisation
        sent_at=None, due_on__gte=day - REMINDER_WINDOW - ONE_DAY,
    ).values_list("id", flat=True)
    for reminder_id in unsent:
        await queue.enqueue("send_report_reminder", reminder_id,
                            job_id=f"report-reminder:{reminder_id}")
    return new


def overdue_since(report: OutcomeReport, today: date) -> int | None:
    """Days a report waiting for the co-op is past its date, or None."""
    if outcomes.is_overdue(report.due_on, report.status, today):
        return (today - report.due_on).days
    return None
